package rest

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reliabilityWrapErr stands in for *url.Error: any wrapper around a dial error.
type reliabilityWrapErr struct{ err error }

func (e *reliabilityWrapErr) Error() string { return "Post \"http://x\": " + e.err.Error() }
func (e *reliabilityWrapErr) Unwrap() error { return e.err }

func TestRetryPolicyWithDefaults(t *testing.T) {
	p := DefaultRetryPolicy()
	assert.Equal(t, p, RetryPolicy{}.withDefaults(), "the zero policy is the default policy")
	// A zero MaxDelay never makes a large BaseDelay invalid.
	assert.Equal(t, 10*time.Second, RetryPolicy{BaseDelay: 10 * time.Second}.withDefaults().MaxDelay)
}

func TestRetryParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"3600", time.Hour, true},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999999999999", math.MaxInt64, true}, // saturates: never a negative or wrapped wait
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", math.MaxInt64, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Thu, 02 Jan 2025 03:05:05 GMT", time.Minute, true},
		{"Thursday, 02-Jan-25 03:05:05 GMT", time.Minute, true}, // RFC 850
		{"Thu Jan  2 03:05:05 2025", time.Minute, true},         // asctime
	} {
		got, ok := parseRetryAfter(tc.in, now)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
}

func TestRetryBackoffBoundsAndJitter(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 20, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for attempt := 1; attempt <= 19; attempt++ {
		d := min(p.BaseDelay<<(min(attempt, 10)-1), p.MaxDelay)
		seen := map[time.Duration]bool{}
		for range 200 {
			w := p.backoff(attempt)
			require.GreaterOrEqual(t, w, d/2, "attempt %d", attempt)
			require.LessOrEqual(t, w, d, "attempt %d", attempt)
			seen[w] = true
		}
		assert.Greater(t, len(seen), 100, "attempt %d: jitter", attempt)
	}
	// No overflow whatever the numbers.
	huge := RetryPolicy{MaxAttempts: 20, BaseDelay: time.Duration(math.MaxInt64 / 3), MaxDelay: math.MaxInt64}
	for attempt := 1; attempt < 20; attempt++ {
		assert.GreaterOrEqual(t, huge.backoff(attempt), time.Duration(0))
	}
}

func TestRetryDecide(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: time.Minute}
	resp := func(status int, retryAfter string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		if retryAfter != "" {
			r.Header.Set("Retry-After", retryAfter)
		}
		return r
	}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	kinds := map[string]bool{"read": true, "create": false, "update": true, "delete": true}
	for name, k := range kinds {
		idem := k
		for _, tc := range []struct {
			what  string
			resp  *http.Response
			err   error
			retry bool
		}{
			{"429", resp(429, ""), nil, true},
			{"500", resp(500, ""), nil, idem},
			{"502", resp(502, ""), nil, idem},
			{"503", resp(503, ""), nil, idem},
			{"504", resp(504, ""), nil, idem},
			{"400", resp(400, ""), nil, false},
			{"401", resp(401, ""), nil, false},
			{"404", resp(404, ""), nil, false},
			{"409", resp(409, ""), nil, false},
			{"307", resp(307, ""), nil, false},
			{"600", resp(600, ""), nil, false},
			{"reset", nil, reset, idem},
			{"EOF", nil, io.ErrUnexpectedEOF, idem},
			{"dial", nil, &reliabilityWrapErr{dial}, true},
			{"dns", nil, &net.DNSError{Err: "no such host", Name: "x"}, true},
		} {
			_, retry, _ := p.decide(1, k, tc.resp, tc.err)
			assert.Equal(t, tc.retry, retry, "%s %s", name, tc.what)
			_, retry, _ = p.decide(3, k, tc.resp, tc.err)
			assert.False(t, retry, "%s %s: attempts exhausted", name, tc.what)
		}
	}
	wait, retry, _ := p.decide(1, false, resp(429, "12"), nil)
	assert.True(t, retry)
	assert.Equal(t, 12*time.Second, wait, "Retry-After sets the wait")
	_, retry, _ = p.decide(1, true, resp(503, "61"), nil)
	assert.False(t, retry, "Retry-After above MaxRetryAfter: fail now")
	wait, retry, _ = p.decide(1, true, resp(503, "bogus"), nil)
	assert.True(t, retry, "unparseable Retry-After: backoff")
	assert.LessOrEqual(t, wait, p.MaxDelay)
}

func TestRetrySleepCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	assert.ErrorIs(t, sleepCtx(ctx, time.Hour), context.Canceled)
	assert.ErrorIs(t, sleepCtx(ctx, 0), context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Millisecond)
	assert.NoError(t, sleepCtx(context.Background(), time.Millisecond))
}

// TestRetryBudgetUnit pins the bucket's arithmetic.
func TestRetryBudgetUnit(t *testing.T) {
	b := newRetryBudget(RetryPolicy{RetryBudget: 12})
	require.NotNil(t, b)
	assert.Equal(t, int64(12), b.tokens.Load())
	assert.True(t, b.take(5))
	assert.True(t, b.take(5))
	assert.False(t, b.take(5), "2 tokens left")
	assert.Equal(t, int64(2), b.tokens.Load())
	assert.True(t, b.take(0), "a free retry")
	b.succeeded(0)
	assert.Equal(t, int64(3), b.tokens.Load(), "a first-attempt success adds 1")
	b.succeeded(5)
	assert.Equal(t, int64(8), b.tokens.Load(), "a success after retries returns their tokens")
	b.succeeded(100)
	assert.Equal(t, int64(12), b.tokens.Load(), "capped at the size")
	assert.True(t, b.take(12), "exactly the remaining tokens")
	assert.False(t, b.take(1))

	assert.Nil(t, newRetryBudget(RetryPolicy{NoRetryBudget: true}))
	var none *retryBudget
	assert.True(t, none.take(5), "no budget: always allowed")
	none.succeeded(1)
	def := newRetryBudget(DefaultRetryPolicy())
	assert.Equal(t, int64(defaultRetryBudget), def.tokens.Load())
	zero := newRetryBudget(RetryPolicy{})
	assert.Equal(t, int64(500), zero.max, "0 means the default")

	resp := func(status int, ra string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		if ra != "" {
			r.Header.Set("Retry-After", ra)
		}
		return r
	}
	assert.Equal(t, 0, retryCost(resp(429, "1")), "a 429 paced by the server is free")
	assert.Equal(t, 0, retryCost(resp(429, "30")))
	assert.Equal(t, retryTokenCost, retryCost(resp(429, "0")), "Retry-After: 0 is not pacing")
	assert.Equal(t, retryTokenCost, retryCost(resp(429, "")))
	assert.Equal(t, retryTokenCost, retryCost(resp(429, "soon")))
	assert.Equal(t, retryTokenCost, retryCost(resp(503, "5")), "only 429 is exempt")
	assert.Equal(t, retryTokenCost, retryCost(nil), "a network error")

	require.Error(t, RetryPolicy{RetryBudget: -1}.Validate())
	require.NoError(t, RetryPolicy{RetryBudget: 1}.Validate())
}

// TestRetryBackoffExact pins backoff with a fixed jitter source: the
// lower bound d/2, the upper bound d, the doubling and the MaxDelay cap.
func TestRetryBackoffExact(t *testing.T) {
	old := jitter
	t.Cleanup(func() { jitter = old })
	var asked []time.Duration
	var pick func(n time.Duration) time.Duration
	jitter = func(n time.Duration) time.Duration { asked = append(asked, n); return pick(n) }
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: 1000 * time.Millisecond}
	wantD := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
	for i, d := range wantD {
		d *= time.Millisecond
		pick = func(time.Duration) time.Duration { return 0 }
		assert.Equal(t, d/2, p.backoff(i+1), "attempt %d: lowest", i+1)
		pick = func(n time.Duration) time.Duration { return n - 1 }
		assert.Equal(t, d, p.backoff(i+1), "attempt %d: highest", i+1)
		assert.Equal(t, d-d/2+1, asked[len(asked)-1], "attempt %d: jitter range", i+1)
	}
	// A cap that is not a power-of-two multiple of the base.
	q := RetryPolicy{BaseDelay: 3 * time.Millisecond, MaxDelay: 10 * time.Millisecond}
	pick = func(n time.Duration) time.Duration { return n - 1 }
	assert.Equal(t, 3*time.Millisecond, q.backoff(1))
	assert.Equal(t, 6*time.Millisecond, q.backoff(2))
	assert.Equal(t, 10*time.Millisecond, q.backoff(3), "12ms capped to 10ms")
	// Exactly half the cap doubles to the cap.
	r := RetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 10 * time.Millisecond}
	assert.Equal(t, 10*time.Millisecond, r.backoff(2))
	assert.Equal(t, 10*time.Millisecond, r.backoff(5))
	zero := RetryPolicy{BaseDelay: 0, MaxDelay: 0}
	assert.Equal(t, time.Duration(0), zero.backoff(1))
	huge := RetryPolicy{BaseDelay: time.Duration(math.MaxInt64 / 3), MaxDelay: math.MaxInt64}
	assert.Equal(t, time.Duration(math.MaxInt64), huge.backoff(3), "no overflow")
}

// TestRetryMaxRetryAfterBoundary: a Retry-After of exactly MaxRetryAfter is
// waited for; one second more is not.
func TestRetryMaxRetryAfterBoundary(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 3, MaxRetryAfter: 10 * time.Second}
	resp := func(ra string) *http.Response {
		return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {ra}}}
	}
	wait, retry, _ := p.decide(1, true, resp("10"), nil)
	assert.True(t, retry)
	assert.Equal(t, 10*time.Second, wait)
	_, retry, _ = p.decide(1, true, resp("11"), nil)
	assert.False(t, retry)
	_, retry, _ = p.decide(2, true, resp("1"), nil)
	assert.True(t, retry, "attempt 2 of 3")
	_, retry, _ = p.decide(3, true, resp("1"), nil)
	assert.False(t, retry, "attempt 3 of 3")
}

// TestRetryBackoffOddCap: a wait of exactly half an odd cap doubles, and is
// not rounded up to the cap.
func TestRetryBackoffOddCap(t *testing.T) {
	old := jitter
	t.Cleanup(func() { jitter = old })
	jitter = func(n time.Duration) time.Duration { return n - 1 }
	p := RetryPolicy{BaseDelay: 5, MaxDelay: 11}
	assert.Equal(t, time.Duration(10), p.backoff(2))
	assert.Equal(t, time.Duration(11), p.backoff(3))
	q := RetryPolicy{BaseDelay: 6, MaxDelay: 11}
	assert.Equal(t, time.Duration(11), q.backoff(2), "12 capped")
}
