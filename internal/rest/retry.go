package rest

import (
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/textproto"
	"sync/atomic"
	"syscall"
	"time"
)

// RetryPolicy says when and how often a failed call is sent again.
//
// What is retried: 429 Too Many Requests on every call (Twilio refused it
// before doing anything); 5xx answers and network errors (including a
// response body cut off mid-read) on calls that may be replayed: reads
// (GET), deletes, updates of an existing resource (POST to a SID, PUT,
// PATCH), and writes that carry an Idempotency-Key the API honours. A
// create without such a key (a v1 POST to a collection, a media upload) is
// never sent again once its request may have reached the server, since
// that could create a duplicate; it is retried only after a dial error,
// which proves nothing was sent. Other answers (3xx, 4xx other
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
// is the default policy.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, including the first
	// (at most 20). 1 disables retries; 0 means the default, 3.
	MaxAttempts int
	// BaseDelay is the wait before the first retry (before jitter).
	BaseDelay time.Duration
	// MaxDelay caps the exponential wait.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the SDK will wait for.
	MaxRetryAfter time.Duration
	// RetryBudget is the size in tokens of the client-wide retry budget
	// (see above); 0 means the default, 500. It is read from the client's
	// policy in NewClient; a per-call policy (WithCallRetry) draws on the
	// client's budget and its RetryBudget is ignored.
	RetryBudget int
	// NoRetryBudget turns the retry budget off: every call may use all of
	// its MaxAttempts.
	NoRetryBudget bool
}

// Defaults of DefaultRetryPolicy.
const (
	defaultMaxAttempts   = 3
	defaultBaseDelay     = 200 * time.Millisecond
	defaultMaxDelay      = 5 * time.Second
	defaultMaxRetryAfter = 30 * time.Second
	maxMaxAttempts       = 20
	defaultRetryBudget   = 500
	retryTokenCost       = 5 // tokens a retry takes from the budget
)

// DefaultRetryPolicy is the policy of a new Client: 3 attempts, 200ms base,
// 5s cap, Retry-After honoured up to 30s, a retry budget of 500 tokens.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: defaultMaxAttempts, BaseDelay: defaultBaseDelay, MaxDelay: defaultMaxDelay,
		MaxRetryAfter: defaultMaxRetryAfter, RetryBudget: defaultRetryBudget}
}

// NoRetry is a policy that sends every call exactly once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// withDefaults fills the zero fields from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = defaultMaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = defaultBaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(defaultMaxDelay, p.BaseDelay)
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = defaultMaxRetryAfter
	}
	if p.RetryBudget == 0 {
		p.RetryBudget = defaultRetryBudget
	}
	return p
}

// Validate reports a policy NewClient or WithCallRetry would refuse, as a
// *ValidationError.
func (p RetryPolicy) Validate() error {
	switch {
	case p.MaxAttempts < 0 || p.MaxAttempts > maxMaxAttempts:
		return &ValidationError{Param: "RetryPolicy.MaxAttempts", Reason: "must be between 1 and 20 (0 means the default, 3)"}
	case p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0:
		return &ValidationError{Param: "RetryPolicy", Reason: "delays must not be negative"}
	case p.RetryBudget < 0:
		return &ValidationError{Param: "RetryPolicy.RetryBudget", Reason: "must not be negative (use NoRetryBudget to turn it off)"}
	}
	if q := p.withDefaults(); q.MaxAttempts > 1 && q.MaxDelay < q.BaseDelay {
		return &ValidationError{Param: "RetryPolicy.MaxDelay", Reason: "must not be less than BaseDelay"}
	}
	return nil
}

// decide says whether attempt (1-based) should be followed by another, and
// after how long, and why ("429", "5xx", "network"). Exactly one of resp
// and err is set: err is a transport error (no response, or a response body
// that could not be read). replay says whether the request may be sent
// again after the server may have seen it (Request.Replay): without it,
// only a 429 or a dial error (nothing was sent) is retried.
func (p RetryPolicy) decide(attempt int, replay bool, resp *http.Response, err error) (time.Duration, bool, string) {
	p = p.withDefaults()
	if attempt >= p.MaxAttempts {
		return 0, false, ""
	}
	if err != nil {
		if !replay && !dialFailed(err) {
			return 0, false, ""
		}
		return p.backoff(attempt), true, "network"
	}
	reason := "429"
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
	case resp.StatusCode >= 500 && resp.StatusCode <= 599 && replay:
		reason = "5xx"
	default:
		return 0, false, ""
	}
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if ra > p.MaxRetryAfter {
			return 0, false, ""
		}
		return ra, true, reason
	}
	return p.backoff(attempt), true, reason
}

// backoff is exponential backoff with "equal jitter": a random wait in
// [d/2, d] where d = min(MaxDelay, BaseDelay * 2^(attempt-1)).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < attempt; i++ {
		if d > p.MaxDelay/2 { // doubling would pass the cap (or overflow)
			d = p.MaxDelay
			break
		}
		d *= 2
	}
	d = min(d, p.MaxDelay) // never negative: validate refuses negative delays
	half := d / 2
	return half + jitter(d-half+1)
}

// jitter returns a random duration in [0, n); tests replace it to pin the
// bounds of backoff.
var jitter = rand.N[time.Duration]

// retryBudget is the client-wide token bucket of retries (see RetryPolicy).
// A nil *retryBudget is no budget: every retry is allowed.
type retryBudget struct {
	tokens atomic.Int64
	max    int64
}

// newRetryBudget returns the budget of a client whose policy is p, or nil
// when p turns it off.
func newRetryBudget(p RetryPolicy) *retryBudget {
	if p.NoRetryBudget {
		return nil
	}
	b := &retryBudget{max: int64(p.withDefaults().RetryBudget)}
	b.tokens.Store(b.max)
	return b
}

// take takes n tokens if the bucket holds them.
func (b *retryBudget) take(n int) bool {
	if b == nil || n == 0 {
		return true
	}
	for {
		cur := b.tokens.Load()
		if cur < int64(n) {
			return false
		}
		if b.tokens.CompareAndSwap(cur, cur-int64(n)) {
			return true
		}
	}
}

// succeeded refills the bucket after a successful call that took retried
// tokens: those tokens, or 1 for a call that succeeded at once.
func (b *retryBudget) succeeded(retried int) {
	if b == nil {
		return
	}
	n := int64(max(retried, 1))
	for {
		cur := b.tokens.Load()
		next := min(cur+n, b.max)
		if next == cur || b.tokens.CompareAndSwap(cur, next) {
			return
		}
	}
}

// retryCost is what a retry after resp takes from the budget: nothing for a
// 429 whose Retry-After asked for a wait of a second or more (the server
// paces those retries), retryTokenCost otherwise.
func retryCost(resp *http.Response) int {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && ra >= time.Second {
			return 0
		}
	}
	return retryTokenCost
}

// ParseRetryAfter reads a Retry-After value: see parseRetryAfter. A v2
// operation answered 202 reads its polling interval with it.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) { return parseRetryAfter(v, now) }

// parseRetryAfter reads a Retry-After value: delay-seconds (1*DIGIT) or an
// HTTP date. A number too large for a Duration saturates rather than
// overflowing; a date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = textproto.TrimString(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		const maxSecs = int64(math.MaxInt64 / time.Second)
		var secs int64
		for i := 0; i < len(v); i++ {
			secs = secs*10 + int64(v[i]-'0')
			if secs > maxSecs {
				return time.Duration(math.MaxInt64), true
			}
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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

// Decide is the retry decision of p on its own (for fuzzing and tests of
// the calling APIs): whether attempt should be followed by another, and
// after how long. See RetryPolicy and Request.Replay.
func Decide(p RetryPolicy, attempt int, replay bool, resp *http.Response, err error) (time.Duration, bool) {
	wait, retry, _ := p.decide(attempt, replay, resp, err)
	return wait, retry
}
