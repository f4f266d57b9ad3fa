package conversations

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
	assert.LessOrEqual(t, first.requests, first.calls+500/5, "retries bounded by the budget")
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
	assert.Positive(t, with.core.RetryBudgetLeft(), "the budget refilled")

	t.Logf("storm of %d calls: without budget %.2f requests/call; with budget %.2f while draining, %.2f once drained; after recovery %d/40 calls succeeded (every other request failing)",
		off.calls, off.perCall(), first.perCall(), second.perCall(), ok)
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
