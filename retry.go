package conversations

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// RetryPolicy says when and how often a failed call is sent again.
//
// What is retried: 429 Too Many Requests on every call (Twilio refused it
// before doing anything); 5xx answers and network errors on reads (GET),
// deletes and updates of an existing resource (POST to a SID), which are
// idempotent. A create (POST to a collection) is never sent again once its
// request may have reached the server, since that could create a duplicate;
// it is retried only after a dial error, which proves nothing was sent.
//
// Waits grow exponentially from BaseDelay, with full jitter, up to MaxDelay.
// A Retry-After header (seconds or an HTTP date) sets the wait instead; when
// it asks for more than MaxRetryAfter the call fails at once with the
// *Error, rather than hanging. Every wait ends early when ctx is done.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, including the first.
	// 1 disables retries.
	MaxAttempts int
	// BaseDelay is the wait before the first retry (before jitter).
	BaseDelay time.Duration
	// MaxDelay caps the exponential wait.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the SDK will wait for.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is the policy of a new Client: 3 attempts, 200ms base,
// 5s cap, Retry-After honoured up to 30s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 200 * time.Millisecond, MaxDelay: 5 * time.Second, MaxRetryAfter: 30 * time.Second}
}

// NoRetry is a policy that sends every call exactly once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// WithRetry sets the client's retry policy.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		c.retry, c.retrySet = p, true
		return nil
	}
}

// WithoutRetry makes the client send every call exactly once.
func WithoutRetry() Option { return WithRetry(NoRetry()) }

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1 || p.MaxAttempts > 20:
		return &ValidationError{Param: "RetryPolicy.MaxAttempts", Reason: "must be between 1 and 20"}
	case p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0:
		return &ValidationError{Param: "RetryPolicy", Reason: "delays must not be negative"}
	case p.MaxAttempts > 1 && p.MaxDelay < p.BaseDelay:
		return &ValidationError{Param: "RetryPolicy.MaxDelay", Reason: "must not be less than BaseDelay"}
	}
	return nil
}

// decide says whether attempt (1-based) should be followed by another, and
// after how long. Exactly one of resp and err is set.
func (p RetryPolicy) decide(attempt int, k kind, resp *http.Response, err error) (time.Duration, bool) {
	if attempt >= p.MaxAttempts {
		return 0, false
	}
	if err != nil {
		if !(k != kindCreate || dialFailed(err)) {
			return 0, false
		}
		return p.backoff(attempt), true
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
	case resp.StatusCode >= 500 && k != kindCreate:
	default:
		return 0, false
	}
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if ra > p.MaxRetryAfter {
			return 0, false
		}
		return ra, true
	}
	return p.backoff(attempt), true
}

// backoff is full-jitter exponential backoff: a random wait in
// [d/2, d] where d = min(MaxDelay, BaseDelay * 2^(attempt-1)).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	if d > p.MaxDelay {
		d = p.MaxDelay
	}
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// dialFailed reports whether err proves that the request never left this
// machine: the connection could not be made.
func dialFailed(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}
