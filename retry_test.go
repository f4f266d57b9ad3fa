package conversations

import (
	"context"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stormResult is what a storm of calls against a failing server cost.
type stormResult struct {
	calls, requests int
}

func (r stormResult) perCall() float64 { return float64(r.requests) / float64(r.calls) }

// stormRun makes workers goroutines each send perWorker Fetch calls, all
// failing, and returns calls and requests of the phase.
func stormRun(t *testing.T, c *Client, srv *faultServer, workers, perWorker int) stormResult {
	t.Helper()
	before := srv.count()
	var wg sync.WaitGroup
	var calls atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWorker {
				_, err := c.Conversations.Fetch(context.Background(), faultSID)
				assert.Error(t, err)
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	return stormResult{calls: int(calls.Load()), requests: srv.count() - before}
}

// TestRetryBudgetStorm: during a long outage (every request a 503), the
// retry budget brings the load down to about one request per call, and
// retries work again once the server recovers. Without the budget every
// call makes MaxAttempts requests.
func TestRetryBudgetStorm(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	var flaky atomic.Int64 // after recovery: every other request fails once
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if down.Load() || flaky.Add(1)%2 == 1 {
			faultJSON(w, 503, `{"code":20503,"message":"down","status":503}`)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	policy := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: 2 * time.Microsecond}
	const workers, perWorker = 64, 20

	without, _ := faultClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: 2 * time.Microsecond, NoRetryBudget: true}), WithLogger(nil))
	off := stormRun(t, without, srv, workers, perWorker)
	assert.Equal(t, 3*off.calls, off.requests, "without a budget every call makes 3 attempts")

	with, _ := faultClient(t, srv.URL, WithRetry(policy), WithLogger(nil))
	first := stormRun(t, with, srv, workers, perWorker)  // drains the 500 tokens: at most 100 retries
	second := stormRun(t, with, srv, workers, perWorker) // drained
	assert.LessOrEqual(t, first.requests, first.calls+defaultRetryBudget/retryTokenCost, "retries bounded by the budget")
	assert.Equal(t, second.calls, second.requests, "a drained budget: one request per call")
	assert.LessOrEqual(t, second.perCall(), 1.2)

	// Recovery: successes refill the bucket and retries work again.
	down.Store(false)
	flaky.Store(1) // the next request succeeds
	ok := 0
	for range 40 {
		if _, err := with.Conversations.Fetch(context.Background(), faultSID); err == nil {
			ok++
		}
	}
	assert.Greater(t, ok, 20, "after recovery calls succeed again, through retries")
	assert.Positive(t, with.core.budget.tokens.Load(), "the budget refilled")

	t.Logf("storm of %d calls: without budget %.2f requests/call; with budget %.2f while draining, %.2f once drained; after recovery %d/40 calls succeeded (every other request failing)",
		off.calls, off.perCall(), first.perCall(), second.perCall(), ok)
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

	require.Error(t, RetryPolicy{RetryBudget: -1}.validate())
	require.NoError(t, RetryPolicy{RetryBudget: 1}.validate())
}

// TestRetryBudgetEmptyFailsAtOnce: with an empty bucket a call fails with
// its last error after one request; a per-call NoRetryBudget bypasses it.
func TestRetryBudgetEmptyFailsAtOnce(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 503, `{"code":20503,"message":"down","status":503}`)
	})
	c, lg := faultClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, RetryBudget: 5}))
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	assert.Equal(t, 503, StatusCode(err))
	assert.Equal(t, 2, srv.count(), "one retry: the budget had 5 tokens")
	_, err = c.Conversations.Fetch(context.Background(), faultSID)
	assert.Equal(t, 503, StatusCode(err))
	assert.Equal(t, 3, srv.count(), "empty: no retry")
	assert.Contains(t, lg.String(), "retry budget empty")
	_, err = c.Conversations.Fetch(context.Background(), faultSID, WithCallRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, NoRetryBudget: true}))
	assert.Equal(t, 503, StatusCode(err))
	assert.Equal(t, 5, srv.count(), "a per-call policy without budget retries")
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
	wait, retry := p.decide(1, kindRead, resp("10"), nil)
	assert.True(t, retry)
	assert.Equal(t, 10*time.Second, wait)
	_, retry = p.decide(1, kindRead, resp("11"), nil)
	assert.False(t, retry)
	_, retry = p.decide(2, kindRead, resp("1"), nil)
	assert.True(t, retry, "attempt 2 of 3")
	_, retry = p.decide(3, kindRead, resp("1"), nil)
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

// TestRetrySameOriginRedirectLimit: a same-origin redirect loop stops after
// ten requests with the 3xx *Error.
func TestRetrySameOriginRedirectLimit(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	assert.Equal(t, http.StatusFound, StatusCode(err), "%v", err)
	assert.Equal(t, 10, srv.count(), "requests: the first and nine redirects")
}
