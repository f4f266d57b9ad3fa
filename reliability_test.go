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

func TestTimeoutDefaultHTTPClient(t *testing.T) {
	c, err := NewClient(testAccountSID, testAuthToken)
	require.NoError(t, err)
	hc := c.core.HTTPClient()
	assert.NotSame(t, http.DefaultClient, hc, "the SDK's own client")
	assert.Equal(t, DefaultTimeout, hc.Timeout)
	assert.NotSame(t, http.DefaultTransport, hc.Transport)
	assert.NotNil(t, hc.CheckRedirect)
	if assert.IsType(t, &http.Transport{}, hc.Transport) {
		assert.GreaterOrEqual(t, hc.Transport.(*http.Transport).MaxIdleConnsPerHost, 64, "one host, many callers")
	}
	mine := &http.Client{Timeout: time.Second}
	c, err = NewClient(testAccountSID, testAuthToken, WithHTTPClient(mine))
	require.NoError(t, err)
	assert.Equal(t, time.Second, c.core.HTTPClient().Timeout, "overridable")
	assert.Equal(t, mine.Transport, c.core.HTTPClient().Transport, "the caller's transport is used")
	assert.NotSame(t, mine, c.core.HTTPClient(), "a copy: the caller's client is not changed")
	assert.Nil(t, mine.CheckRedirect, "the caller's client is not changed")
}

// reliabilitySlowServer answers after delay, or when the client goes away.
func reliabilitySlowServer(t *testing.T, delay time.Duration) *faultServer {
	return faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-time.After(delay):
			faultJSON(w, 200, faultConversationJSON(faultSID))
		}
	})
}

func TestTimeoutOverriddenHTTPClientTimeout(t *testing.T) {
	srv := reliabilitySlowServer(t, 5*time.Second)
	c, _ := faultClient(t, srv.URL, WithHTTPClient(&http.Client{Timeout: time.Second}), WithoutRetry())
	start := time.Now()
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	var te interface{ Timeout() bool }
	require.ErrorAs(t, err, &te)
	assert.True(t, te.Timeout())
	assert.Less(t, time.Since(start), 4*time.Second, "the 1 s client timeout, not the 5 s server stall")
	assert.Equal(t, 1, srv.count())
}

func TestTimeoutContextDeadlineWins(t *testing.T) {
	srv := reliabilitySlowServer(t, 5*time.Second)
	// The default client (30 s) and a client with a longer timeout: the
	// shorter ctx deadline wins either way.
	for _, opts := range [][]Option{nil, {WithHTTPClient(&http.Client{Timeout: time.Minute})}} {
		c, _ := faultClient(t, srv.URL, opts...)
		// 1 s: long enough for a loaded machine to serve the request
		// first, far below both clients' timeouts.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		start := time.Now()
		_, err := c.Conversations.Fetch(ctx, faultSID)
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 10*time.Second)
	}
	assert.Equal(t, 2, srv.count(), "a ctx error is never retried")
}

// TestRaceSharedClient has 64 goroutines share one Client (and one
// ServiceScope) for 3,200 calls of every kind, some of them rate limited
// and retried. Run with -race.
func TestRaceSharedClient(t *testing.T) {
	const workers, perWorker = 64, 50
	var limited atomic.Int32
	var seenMu sync.Mutex
	seen := map[string]bool{} // call ids that got their 429
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		id := r.Header.Get("X-Race-Call")
		seenMu.Lock()
		// The first attempt of every 5th call is rate limited, once.
		limit := strings.HasSuffix(id, "0") || strings.HasSuffix(id, "5")
		limit = limit && !seen[id]
		seen[id] = true
		seenMu.Unlock()
		if limit {
			limited.Add(1)
			w.Header().Set("Retry-After", "0")
			faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests"}`)
			return
		}
		switch {
		case r.Method == http.MethodDelete:
			w.WriteHeader(204)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/Conversations"):
			next, sid := "", "CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
			if r.URL.Query().Get("PageToken") == "" {
				next, sid = "https://conversations.twilio.com"+r.URL.Path+"?PageSize=1&PageToken=PT1", faultSID
			}
			faultJSON(w, 200, faultPageJSON(sid, next))
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Conversations"):
			faultJSON(w, 201, faultConversationJSON(faultSID))
		default:
			faultJSON(w, 200, faultConversationJSON(faultSID))
		}
	})
	retry := RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
	c, _ := faultClient(t, srv.URL, WithRetry(retry))
	scoped := c.Service(testServiceSID)
	var calls atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := c.Conversations
			if w%2 == 1 {
				svc = scoped.Conversations
			}
			for i := range perWorker {
				var err error
				ctx := context.Background()
				id := WithHeader("X-Race-Call", fmt.Sprint(w*perWorker+i))
				switch (w + i) % 6 {
				case 0:
					_, err = svc.Fetch(ctx, faultSID, id)
				case 1:
					_, err = svc.Create(ctx, &ConversationCreateParams{FriendlyName: Ptr(fmt.Sprint(w, i))}, id)
				case 2:
					_, err = svc.Update(ctx, faultSID, &ConversationUpdateParams{FriendlyName: Ptr("x")}, WithWebhookEnabled(true), id)
				case 3:
					err = svc.Delete(ctx, faultSID, id)
				case 4:
					var p *Page[Conversation]
					if p, err = svc.List(ctx, nil, id); err == nil && p.HasNextPage() {
						_, err = p.NextPage(ctx)
					}
				case 5:
					for _, e := range svc.All(ctx, nil, id) {
						if e != nil {
							err = e
						}
					}
				}
				calls.Add(1)
				if err != nil {
					errs <- fmt.Errorf("worker %d call %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, int32(workers*perWorker), calls.Load())
	assert.Positive(t, limited.Load(), "some calls were retried")
	// The default transport keeps enough idle connections for concurrent
	// callers of one host (net/http's default of 2 made ~1,900 here).
	assert.LessOrEqual(t, srv.conns.Load(), int32(3*workers), "connections opened")
	t.Logf("%d calls, %d requests (%d answered 429) on %d connections", calls.Load(), srv.count(), limited.Load(), srv.conns.Load())
}

// TestSecretsNeverPrinted checks every fmt rendering of a Client, a
// service, a ServiceScope and a Page, for an Auth Token and an API Key
// secret, and the debug log of calls that fail and are retried.
func TestSecretsNeverPrinted(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			faultJSON(w, 503, `{"message":"down"}`)
		case 2:
			faultJSON(w, 200, faultPageJSON(faultSID, ""))
		default:
			faultJSON(w, 401, `{"code":20003,"message":"Authenticate"}`)
		}
	})
	c, lg := faultClient(t, srv.URL)
	page, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	assert.True(t, IsUnauthorized(err))
	assert.Contains(t, lg.String(), "conversations: request", "the debug log is on")

	key, err := NewClient("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", faultSecret, WithBaseURL(srv.URL))
	require.NoError(t, err)
	for name, c := range map[string]*Client{"auth token": c, "api key": key} {
		values := map[string]any{
			"client":         c,
			"*client":        *c,
			"core":           c.core,
			"conversations":  c.Conversations,
			"*conversations": *c.Conversations.(*ConversationsService),
			"scope":          c.Service(testServiceSID),
			"*scope":         *c.Service(testServiceSID),
			"scope.conv":     c.Service(testServiceSID).Conversations,
			"page":           page,
			"*page":          *page,
		}
		for what, v := range values {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				out := fmt.Sprintf(verb, v)
				faultAssertNoSecret(t, name+" "+what+" "+verb, out)
			}
		}
		assert.Contains(t, fmt.Sprint(c), "conversations.Client{", "%s", name)
	}
}
