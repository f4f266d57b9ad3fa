package conversations

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
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

func TestRetryPolicyDefaults(t *testing.T) {
	p := DefaultRetryPolicy()
	assert.Equal(t, 3, p.MaxAttempts)
	assert.Equal(t, NoRetry(), RetryPolicy{MaxAttempts: 1})
	c, err := NewClient(testAccountSID, testAuthToken)
	require.NoError(t, err)
	assert.Equal(t, p, c.core.Retry(), "retries are on by default")
	c, err = NewClient(testAccountSID, testAuthToken, WithoutRetry())
	require.NoError(t, err)
	assert.Equal(t, 1, c.core.Retry().MaxAttempts)
}

func TestRetryPolicyValidate(t *testing.T) {
	for _, p := range []RetryPolicy{
		{MaxAttempts: -1},
		{MaxAttempts: 21},
		{BaseDelay: -time.Second},
		{MaxRetryAfter: -1},
		{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Millisecond},
	} {
		_, err := NewClient(testAccountSID, testAuthToken, WithRetry(p))
		assert.True(t, IsValidation(err), "%+v: %v", p, err)
	}
	for _, p := range []RetryPolicy{{}, NoRetry(), DefaultRetryPolicy(), {MaxAttempts: 20}, {MaxAttempts: 1, BaseDelay: time.Second, MaxDelay: time.Millisecond}} {
		_, err := NewClient(testAccountSID, testAuthToken, WithRetry(p))
		assert.NoError(t, err, "%+v", p)
	}
}

// reliabilityScript adds a scripted transport error to a recorder.
func reliabilityScript(r *recorder, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.responses = append(r.responses, scripted{err: err})
}

// TestRetryByKind drives each kind of call through each failure on a mock
// transport and counts the attempts.
func TestRetryByKind(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"create": func(c *Client) error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{FriendlyName: Ptr("x")})
			return err
		},
		"createWithParticipants": func(c *Client) error {
			_, err := c.Conversations.CreateWithParticipants(ctx, nil)
			return err
		},
		"update": func(c *Client) error {
			_, err := c.Conversations.Update(ctx, testConversationSID, &ConversationUpdateParams{FriendlyName: Ptr("x")})
			return err
		},
		"delete": func(c *Client) error { return c.Conversations.Delete(ctx, testConversationSID) },
		"fetch": func(c *Client) error {
			_, err := c.Conversations.Fetch(ctx, testConversationSID)
			return err
		},
		"list": func(c *Client) error {
			_, err := c.Conversations.List(ctx, nil)
			return err
		},
		"all": func(c *Client) error {
			for _, err := range c.Conversations.All(ctx, nil) {
				return err
			}
			return nil
		},
	}
	isCreate := map[string]bool{"create": true, "createWithParticipants": true}
	failures := []struct {
		name      string
		script    func(r *recorder)
		forCreate int // attempts seen for a create; 3 otherwise
	}{
		{"429", func(r *recorder) { r.then(429, `{"code":20429,"message":"Too Many Requests"}`) }, 3},
		{"500", func(r *recorder) { r.then(500, `{"code":20500,"message":"Internal"}`) }, 1},
		{"503", func(r *recorder) { r.then(503, `<html>down</html>`) }, 1},
		{"reset", func(r *recorder) {
			reliabilityScript(r, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")})
		}, 1},
		{"dial", func(r *recorder) {
			reliabilityScript(r, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
		}, 3},
	}
	for name, call := range calls {
		for _, f := range failures {
			t.Run(name+"/"+f.name, func(t *testing.T) {
				c, rec := newRecorder(t, 200, "{}", WithRetry(faultPolicy))
				rec.responses = rec.responses[:0]
				f.script(rec)
				err := call(c)
				require.Error(t, err)
				want := 3
				if isCreate[name] {
					want = f.forCreate
				}
				assert.Equal(t, want, rec.count(), "attempts")
			})
		}
	}
}

func TestRetryEveryAttemptIdentical(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			faultJSON(w, 503, `{"code":20503,"message":"Service Unavailable"}`)
		case 2:
			faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests"}`)
		default:
			faultJSON(w, 200, faultConversationJSON(faultSID))
		}
	})
	c, lg := faultClient(t, srv.URL)
	params := &ConversationUpdateParams{
		FriendlyName:   Ptr("support & sales"),
		Attributes:     Ptr(`{"a":"b=c&d"}`),
		TimersInactive: Ptr("PT5M"),
		State:          Ptr(ConversationStateInactive),
	}
	_, err := c.Conversations.Update(context.Background(), faultSID, params, WithWebhookEnabled(false), WithHeader("X-Trace", "t1"))
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs[1:] {
		assert.Equal(t, reqs[0].Method, r.Method)
		assert.Equal(t, reqs[0].RequestURI, r.RequestURI)
		assert.Equal(t, reqs[0].Body, r.Body, "identical body")
		assert.Equal(t, reqs[0].Header, r.Header, "identical headers")
	}
	assert.Contains(t, reqs[0].Body, "FriendlyName=support+%26+sales")
	assert.Equal(t, "false", reqs[0].Header.Get("X-Twilio-Webhook-Enabled"))
	assert.Equal(t, "t1", reqs[0].Header.Get("X-Trace"))
	assert.Equal(t, faultBasic, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, 2, lg.retries())
}

func TestRetryLoggedAtDebug(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n < 3 {
			faultJSON(w, 503, `{"code":20503,"message":"Service Unavailable"}`)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, lg := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	var lines []string
	for _, l := range strings.Split(lg.String(), "\n") {
		if strings.Contains(l, "conversations: retrying") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 2, "one line per retry")
	for i, l := range lines {
		assert.Contains(t, l, "level=DEBUG")
		assert.Contains(t, l, fmt.Sprintf("attempt=%d", i+1))
		assert.Contains(t, l, "method=GET")
		assert.Contains(t, l, "path=/v1/Conversations/"+faultSID)
		assert.Contains(t, l, "HTTP 503")
		assert.Contains(t, l, "wait=")
	}
	// At Info level, nothing is logged.
	var buf strings.Builder
	info := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c2, _ := faultClient(t, srv.URL, WithLogger(info))
	_, err = c2.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestRetryPerCall(t *testing.T) {
	ctx := context.Background()
	// Client without retries, one call with them.
	c, rec := newRecorder(t, 503, `{}`)
	_, err := c.Conversations.Fetch(ctx, testConversationSID)
	require.Error(t, err)
	assert.Equal(t, 1, rec.count())
	_, err = c.Conversations.Fetch(ctx, testConversationSID, WithCallRetry(faultPolicy))
	require.Error(t, err)
	assert.Equal(t, 1+3, rec.count())
	// Client with retries, one call without.
	c, rec = newRecorder(t, 503, `{}`, WithRetry(faultPolicy))
	_, err = c.Conversations.Fetch(ctx, testConversationSID, WithCallRetry(NoRetry()))
	require.Error(t, err)
	assert.Equal(t, 1, rec.count())
	// An invalid per-call policy sends nothing.
	_, err = c.Conversations.Fetch(ctx, testConversationSID, WithCallRetry(RetryPolicy{MaxAttempts: 99}))
	assert.True(t, IsValidation(err), "%v", err)
	assert.Equal(t, 1, rec.count())
}

func TestRetryWaitPastDeadlineFailsNow(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "10")
		faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests"}`)
	})
	c, _ := faultClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	assert.True(t, IsRateLimited(err), "%v", err)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 500*time.Millisecond, "no point waiting past the deadline")
	assert.Equal(t, 1, srv.count())
}
