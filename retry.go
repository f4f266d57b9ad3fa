package conversations

import "github.com/conversations-go/conversations/internal/rest"

// RetryPolicy says when and how often a failed call is sent again.
//
// What is retried: 429 Too Many Requests on every call (Twilio refused it
// before doing anything); 5xx answers and network errors (including a
// response body cut off mid-read) on reads (GET), deletes and updates of an
// existing resource (POST to a SID), which are idempotent, and on v2 writes
// that carry an Idempotency-Key. A create (POST to a collection, a media
// upload) is never sent again once its request may have reached the
// server, since that could create a duplicate; it is retried only after a
// dial error, which proves nothing was sent. Other answers (3xx, 4xx other
// than 429, undecodable 2xx bodies) are never retried.
//
// Waits grow exponentially from BaseDelay, with jitter, up to MaxDelay. A
// Retry-After header (seconds or an HTTP date) sets the wait instead; when it
// asks for more than MaxRetryAfter the call fails at once with the *Error
// (whose RetryAfter field holds the header), rather than hanging. A wait that
// would end after the context's deadline is not started: the call fails at
// once with the last error. Every wait ends as soon as the context is done.
// Each attempt sends the same body and headers.
//
// # Retry budget
//
// Retries share a client-wide budget, a token bucket in the style of
// aws-sdk-go-v2's retry quota: it starts full with RetryBudget tokens (default
// 500); each retry takes 5 tokens; each call that succeeds at its first
// attempt puts 1 back, and a call that succeeds after retries puts back
// what its retries took. When the bucket cannot pay for a retry, the call
// fails at once with its last error. So a short burst of failures is
// retried as usual, but during a long outage the client soon sends about
// one request per call instead of MaxAttempts, and retries resume as
// successes refill the bucket. A 429 whose Retry-After asks for a wait of a
// second or more is retried without drawing on the budget: the server paces
// those retries itself (MaxAttempts and MaxRetryAfter still bound them).
// NoRetryBudget turns the budget off.
//
// A zero field takes its value from DefaultRetryPolicy (a zero MaxDelay
// becomes the larger of the default and BaseDelay), so the zero RetryPolicy
// is the default policy. The fields are documented on the request core's
// type, which this aliases (see the package documentation, "Errors").
type RetryPolicy = rest.RetryPolicy

// DefaultRetryPolicy is the policy of a new Client: 3 attempts, 200ms base,
// 5s cap, Retry-After honoured up to 30s, a retry budget of 500 tokens.
func DefaultRetryPolicy() RetryPolicy { return rest.DefaultRetryPolicy() }

// NoRetry is a policy that sends every call exactly once.
func NoRetry() RetryPolicy { return rest.NoRetry() }

// WithRetry sets the client's retry policy. WithCallRetry overrides it for
// one call.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		c.Retry, c.RetrySet = p, true
		return nil
	}
}

// WithoutRetry makes the client send every call exactly once.
func WithoutRetry() Option { return WithRetry(NoRetry()) }
