package conversations

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientTConv is a minimal Conversation body.
const clientTConv = `{"sid":"CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","friendly_name":"support","attributes":"{}","state":"active"}`

// clientTTransport returns a recorder answering every request with status
// and body, and the option that puts it behind a new Client, for tests that
// build the Client themselves (other credentials, environment, base URLs).
func clientTTransport(t *testing.T, status int, body string) (*recorder, Option) {
	t.Helper()
	_, rec := newRecorder(t, status, body)
	return rec, WithHTTPClient(&http.Client{Transport: rec.mt})
}

// clientTFetchURL fetches conversation CH1 and returns the absolute URL the
// request went to.
func clientTFetchURL(t *testing.T, c *Client) string {
	t.Helper()
	var resp *http.Response
	_, err := c.Conversations.Fetch(context.Background(), "CH1", WithResponse(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	require.NotNil(t, resp.Request)
	return resp.Request.URL.String()
}

// clientTBasic is the Authorization header value of user and pass.
func clientTBasic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestClientNewClientRequiresCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, user, pass, param, msg string
	}{
		{"username", "", testAuthToken, "username", "conversations: username is required (an Account SID or API Key SID)"},
		{"password", testAccountSID, "", "password", "conversations: password is required (an Auth Token or API Key secret)"},
		{"both", "", "", "username", "conversations: username is required (an Account SID or API Key SID)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(tc.user, tc.pass)
			require.Error(t, err)
			assert.Nil(t, c)
			var v *ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tc.param, v.Param)
			assert.Equal(t, tc.msg, err.Error())
			assert.True(t, IsValidation(err))
		})
	}
}

func TestClientNewClientRejectsBadBaseURL(t *testing.T) {
	for _, tc := range []struct {
		name, base string
	}{
		{"empty", ""},
		{"relative", "/v1"},
		{"host only", "conversations.twilio.com"},
		{"ftp scheme", "ftp://conversations.twilio.com"},
		{"no host", "https://"},
		{"userinfo", "https://user:pass@conversations.twilio.com"},
		{"user only", "https://user@conversations.twilio.com"},
		{"query", "https://conversations.twilio.com?x=1"},
		{"fragment", "https://conversations.twilio.com/#frag"},
		{"unparsable", "http://[::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, hc := clientTTransport(t, 200, clientTConv)
			c, err := NewClient(testAccountSID, testAuthToken, hc, WithBaseURL(tc.base))
			require.Error(t, err)
			assert.Nil(t, c)
			var v *ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "base URL", v.Param)
			assert.True(t, strings.HasPrefix(err.Error(), "conversations: base URL "), err.Error())
			assert.Equal(t, 0, rec.count())
		})
	}
}

// A base URL that is refused for another reason than its userinfo must not
// quote the userinfo's password in the error either.
func TestClientBadBaseURLErrorHidesPassword(t *testing.T) {
	for _, base := range []string{
		"https://user:hunter2pw@conversations.twilio.com",
		"ftp://user:hunter2pw@conversations.twilio.com",
		"https://user:hunter2pw@conversations.twilio.com?x=1",
		"http://user:hunter2pw@[::1",
	} {
		_, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(base))
		require.Error(t, err, base)
		assert.NotContains(t, err.Error(), "hunter2pw", "error for %q", base)
	}
}

func TestClientBaseURLResolution(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, "https://conversations.twilio.com/v1/Conversations/CH1"},
		{"base URL", []Option{WithBaseURL("http://127.0.0.1:4010")}, "http://127.0.0.1:4010/v1/Conversations/CH1"},
		{"base URL with trailing slash", []Option{WithBaseURL("http://127.0.0.1:4010/")}, "http://127.0.0.1:4010/v1/Conversations/CH1"},
		{"base URL with path prefix", []Option{WithBaseURL("https://proxy.example.test/twilio/")}, "https://proxy.example.test/twilio/v1/Conversations/CH1"},
		{"region", []Option{WithRegion("ie1")}, "https://conversations.ie1.twilio.com/v1/Conversations/CH1"},
		{"edge", []Option{WithEdge("dublin")}, "https://conversations.dublin.us1.twilio.com/v1/Conversations/CH1"},
		{"edge and region", []Option{WithEdge("sydney"), WithRegion("au1")}, "https://conversations.sydney.au1.twilio.com/v1/Conversations/CH1"},
		{"base URL wins over region and edge", []Option{WithRegion("ie1"), WithEdge("dublin"), WithBaseURL("http://127.0.0.1:4010")}, "http://127.0.0.1:4010/v1/Conversations/CH1"},
		{"nil option ignored", []Option{nil}, "https://conversations.twilio.com/v1/Conversations/CH1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, hc := clientTTransport(t, 200, clientTConv)
			c, err := NewClient(testAccountSID, testAuthToken, append([]Option{hc}, tc.opts...)...)
			require.NoError(t, err)
			assert.Equal(t, tc.want, clientTFetchURL(t, c))
			require.Equal(t, 1, rec.count())
			assert.Equal(t, clientTBasic(testAccountSID, testAuthToken), rec.last(t).Header.Get("Authorization"))
		})
	}
}

func TestClientInvalidRegionOrEdge(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
	}{
		{"region with dot", WithRegion("ie1.evil.example.com")},
		{"region with slash", WithRegion("ie1/x")},
		{"region with at", WithRegion("x@evil")},
		{"region with space", WithRegion("ie 1")},
		{"edge with dot", WithEdge("dublin.evil")},
		{"edge with colon", WithEdge("dublin:443")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(testAccountSID, testAuthToken, tc.opt)
			require.Error(t, err)
			assert.Nil(t, c)
			var v *ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "region/edge", v.Param)
		})
	}
}

func TestClientWithHTTPClientNil(t *testing.T) {
	c, err := NewClient(testAccountSID, testAuthToken, WithHTTPClient(nil))
	require.Error(t, err)
	assert.Nil(t, c)
	assert.Contains(t, err.Error(), "WithHTTPClient")
}

// clientTClearEnv empties every variable NewClientFromEnv reads.
func clientTClearEnv(t *testing.T) {
	for _, k := range []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_REGION", "TWILIO_EDGE"} {
		t.Setenv(k, "")
	}
}

func TestClientFromEnv(t *testing.T) {
	const (
		keySID    = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		keySecret = "api-key-secret-0123456789"
	)
	for _, tc := range []struct {
		name     string
		env      map[string]string
		opts     []Option
		wantAuth string
		wantURL  string
	}{
		{
			name:     "account SID and token",
			env:      map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name:     "API key only",
			env:      map[string]string{"TWILIO_API_KEY": keySID, "TWILIO_API_SECRET": keySecret},
			wantAuth: clientTBasic(keySID, keySecret),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "API key preferred when both are set",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_API_KEY": keySID, "TWILIO_API_SECRET": keySecret},
			wantAuth: clientTBasic(keySID, keySecret),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "API key without secret falls back to the account",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_API_KEY": keySID},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "region and edge",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin"},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.dublin.ie1.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "region only",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_REGION": "au1"},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.au1.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "edge only",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_EDGE": "dublin"},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.dublin.us1.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "options win over the environment",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_REGION": "ie1"},
			opts:     []Option{WithRegion("au1")},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.au1.twilio.com/v1/Conversations/CH1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clientTClearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			rec, hc := clientTTransport(t, 200, clientTConv)
			c, err := NewClientFromEnv(append([]Option{hc}, tc.opts...)...)
			require.NoError(t, err)
			assert.Equal(t, tc.wantURL, clientTFetchURL(t, c))
			assert.Equal(t, tc.wantAuth, rec.last(t).Header.Get("Authorization"))
		})
	}
}

func TestClientFromEnvMissing(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"nothing", nil},
		{"account SID without token", map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID}},
		{"token without account SID", map[string]string{"TWILIO_AUTH_TOKEN": testAuthToken}},
		{"API secret alone", map[string]string{"TWILIO_API_SECRET": "s"}},
		{"region alone", map[string]string{"TWILIO_REGION": "ie1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clientTClearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := NewClientFromEnv()
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), "TWILIO_ACCOUNT_SID")
			assert.Contains(t, err.Error(), "TWILIO_API_KEY")
		})
	}
}

func TestClientFromEnvInvalidRegion(t *testing.T) {
	clientTClearEnv(t)
	t.Setenv("TWILIO_ACCOUNT_SID", testAccountSID)
	t.Setenv("TWILIO_AUTH_TOKEN", testAuthToken)
	t.Setenv("TWILIO_REGION", "ie1.evil.example.com")
	_, err := NewClientFromEnv()
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "region/edge", v.Param)
}

func TestClientUserAgent(t *testing.T) {
	base := "conversations-go/" + Version + " (" + runtime.GOOS + " " + runtime.GOARCH + ") go/" + runtime.Version()
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, base},
		{"suffix", []Option{WithUserAgent("my-app/1.2.3")}, base + " my-app/1.2.3"},
		{"empty suffix", []Option{WithUserAgent("")}, base},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, clientTConv, tc.opts...)
			_, err := c.Conversations.Fetch(context.Background(), "CH1")
			require.NoError(t, err)
			assert.Equal(t, tc.want, rec.last(t).Header.Get("User-Agent"))
			assert.Len(t, rec.last(t).Header.Values("User-Agent"), 1)
		})
	}
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

// TestNewClientRefusesImpossibleOptions: options that cannot be right fail
// NewClient with a *ValidationError.
func TestNewClientRefusesImpossibleOptions(t *testing.T) {
	bad := map[string]Option{
		"base ends in /v1":        WithBaseURL("https://conversations.twilio.com/v1"),
		"base ends in /v1/":       WithBaseURL("https://conversations.twilio.com/v1/"),
		"proxy base ends in /v1":  WithBaseURL("http://127.0.0.1:4010/twilio/v1"),
		"user agent with newline": WithUserAgent("app/1.0\r\nX-Injected: 1"),
		"user agent with NUL":     WithUserAgent("app\x00"),
		"max response bytes 0":    WithMaxResponseBytes(0),
		"max response bytes < 0":  WithMaxResponseBytes(-1),
		"nil http client":         WithHTTPClient(nil),
		"negative retry budget":   WithRetry(RetryPolicy{RetryBudget: -5}),
	}
	for name, opt := range bad {
		_, err := NewClient("AC1", "secret", opt)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, "%s: %v", name, err)
	}
	for name, opt := range map[string]Option{
		"base with a path":        WithBaseURL("http://127.0.0.1:4010/twilio"),
		"base ending in v1 label": WithBaseURL("http://127.0.0.1:4010/xv1"),
		"user agent":              WithUserAgent("app/1.0 (tab\tok)"),
		"max response bytes 1":    WithMaxResponseBytes(1),
	} {
		_, err := NewClient("AC1", "secret", opt)
		assert.NoError(t, err, name)
	}
	c, err := NewClient("AC1", "secret")
	require.NoError(t, err)
	assert.Equal(t, int64(DefaultMaxResponseBytes), c.core.MaxBody())
	assert.Equal(t, int64(32<<20), int64(DefaultMaxResponseBytes))
	c, err = NewClient("AC1", "secret", WithMaxResponseBytes(1234))
	require.NoError(t, err)
	assert.Equal(t, int64(1234), c.core.MaxBody())
}

// TestResponseLimitExact: a body of exactly the limit decodes; one byte
// more is a *ResponseTooLargeError.
func TestResponseLimitExact(t *testing.T) {
	body := faultConversationJSON(faultSID)
	for _, tc := range []struct {
		limit int64
		ok    bool
	}{{int64(len(body)), true}, {int64(len(body)) - 1, false}, {int64(len(body)) + 1, true}} {
		c, _ := newRecorderAs(t, faultUser, faultSecret, 200, body, nil, WithMaxResponseBytes(tc.limit))
		got, err := c.Conversations.Fetch(context.Background(), faultSID)
		if tc.ok {
			require.NoError(t, err, "limit %d, body %d", tc.limit, len(body))
			assert.Equal(t, faultSID, got.SID)
			continue
		}
		var tl *ResponseTooLargeError
		require.ErrorAs(t, err, &tl, "limit %d", tc.limit)
		assert.Equal(t, tc.limit, tl.Limit)
		assert.Contains(t, err.Error(), "WithMaxResponseBytes")
	}
}

// TestDebugLogFinalStatusAndLatency: each call logs its final status,
// attempts and latency at debug level.
func TestDebugLogFinalStatusAndLatency(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			faultJSON(w, 503, `{"message":"down"}`)
			return
		}
		if n == 3 {
			faultJSON(w, 404, `{"code":20404,"message":"nope"}`)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, lg := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	_, err = c.Conversations.Fetch(context.Background(), faultSID)
	require.Error(t, err)
	lines := []string{}
	for _, l := range strings.Split(lg.String(), "\n") {
		if strings.Contains(l, "conversations: response") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 2, lg.String())
	assert.Contains(t, lines[0], "status=200")
	assert.Contains(t, lines[0], "attempts=2")
	assert.Contains(t, lines[0], "latency=")
	assert.NotContains(t, lines[0], "error=")
	assert.Contains(t, lines[1], "status=404")
	assert.Contains(t, lines[1], "attempts=1")
	assert.Contains(t, lines[1], "error=")
}
