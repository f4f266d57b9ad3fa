package conversations

// The fault matrix: an httptest.Server on 127.0.0.1 misbehaves on purpose and
// every case asserts both what the SDK returned and how many requests the
// server saw. TestFaultMatrix runs each case as its own subtest and checks,
// after each one, that no goroutine was left behind (goleak) and that neither
// the errors nor the debug log quoted the credentials.

import (
	"github.com/conversations-go/conversations/internal/rest"

	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Credentials of the fault clients: made up, distinctive, so that a leak is
// easy to find in any output.
const (
	faultUser   = "ACfa017fa017fa017fa017fa017fa017fa"
	faultSecret = "fault-secret-9f8e7d6c5b4a-never-print-me"
	faultSID    = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

// faultBasic is the Authorization header value of the fault clients.
var faultBasic = "Basic " + base64.StdEncoding.EncodeToString([]byte(faultUser+":"+faultSecret))

// faultPolicy retries fast: tests never sleep for real seconds.
var faultPolicy = RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond, MaxRetryAfter: 30 * time.Second}

// faultConversationJSON is a minimal Conversation body.
func faultConversationJSON(sid string) string {
	return `{"sid":"` + sid + `","account_sid":"` + faultUser + `","chat_service_sid":"ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",` +
		`"friendly_name":"support","unique_name":null,"attributes":"{}","state":"active",` +
		`"date_created":"2024-01-02T03:04:05Z","date_updated":"2024-01-02T03:04:05Z",` +
		`"timers":{},"bindings":null,"url":"https://conversations.twilio.com/v1/Conversations/` + sid + `",` +
		`"links":{"participants":"https://conversations.twilio.com/v1/Conversations/` + sid + `/Participants"}}`
}

// faultPageJSON is a one-item Conversations page whose meta.next_page_url is next.
func faultPageJSON(sid, next string) string {
	n := "null"
	if next != "" {
		n = `"` + next + `"`
	}
	return `{"conversations":[` + faultConversationJSON(sid) + `],"meta":{"page":0,"page_size":1,` +
		`"first_page_url":"https://conversations.twilio.com/v1/Conversations?PageSize=1&Page=0",` +
		`"previous_page_url":null,"url":"https://conversations.twilio.com/v1/Conversations?PageSize=1&Page=0",` +
		`"next_page_url":` + n + `,"key":"conversations"}}`
}

// faultRequest is one request as the fault server saw it.
type faultRequest struct {
	Method     string
	RequestURI string // the raw request target: escaped path and query
	Host       string
	Header     http.Header
	Body       string
}

// faultServer is an httptest.Server on 127.0.0.1 whose handler gets the
// 1-based number of each request, and which records every request.
type faultServer struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []faultRequest
	conns atomic.Int32 // TCP connections accepted
}

// faultNewServer starts a server on 127.0.0.1 (never another interface),
// closed when the test ends.
func faultNewServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *faultServer {
	t.Helper()
	fs := &faultServer{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fs.mu.Lock()
		fs.reqs = append(fs.reqs, faultRequest{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: string(body)})
		n := len(fs.reqs)
		fs.mu.Unlock()
		h(w, r, n)
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			fs.conns.Add(1)
		}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	fs.Server = srv
	t.Cleanup(func() {
		srv.Close()
		t.Logf("server %s saw %d requests on %d connections", srv.URL, fs.count(), fs.conns.Load())
	})
	return fs
}

// count is the number of requests the server saw.
func (s *faultServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// requests returns a copy of every request so far.
func (s *faultServer) requests() []faultRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]faultRequest(nil), s.reqs...)
}

// faultLog is a goroutine-safe log sink that can signal when a line
// containing a given text is written.
type faultLog struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	waitOn string
	hit    chan struct{}
}

func (l *faultLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hit != nil && bytes.Contains(p, []byte(l.waitOn)) {
		close(l.hit)
		l.hit = nil
	}
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *faultLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// notify returns a channel closed when a line containing s is next written.
func (l *faultLog) notify(s string) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waitOn, l.hit = s, make(chan struct{})
	return l.hit
}

// retries counts the "retrying" lines.
func (l *faultLog) retries() int { return strings.Count(l.String(), "conversations: retrying") }

// faultClient returns a client of base with faultPolicy and a debug-level
// text logger. When the test ends it closes the client's idle connections
// and checks that the log never quoted the credentials. Later opts win.
func faultClient(t *testing.T, base string, opts ...Option) (*Client, *faultLog) {
	t.Helper()
	lg := &faultLog{}
	logger := slog.New(slog.NewTextHandler(lg, &slog.HandlerOptions{Level: slog.LevelDebug}))
	all := append([]Option{WithBaseURL(base), WithRetry(faultPolicy), WithLogger(logger)}, opts...)
	c, err := NewClient(faultUser, faultSecret, all...)
	require.NoError(t, err)
	t.Cleanup(func() {
		c.core.HTTPClient().CloseIdleConnections()
		faultAssertNoSecret(t, "log", lg.String())
	})
	return c, lg
}

// faultAssertNoSecret fails if s quotes the fault credentials.
func faultAssertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{faultSecret, faultBasic, strings.TrimPrefix(faultBasic, "Basic ")} {
		assert.NotContains(t, s, secret, "%s quotes a credential", what)
	}
}

// faultCheckErr asserts that err is set and that none of its renderings
// quotes the credentials.
func faultCheckErr(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		faultAssertNoSecret(t, "error "+verb, fmt.Sprintf(verb, err))
	}
	var apiErr *Error
	if errors.As(err, &apiErr) {
		faultAssertNoSecret(t, "*Error fields", fmt.Sprintf("%#v", *apiErr))
	}
}

// faultJSON writes a JSON answer.
func faultJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// faultReset takes over the connection, writes raw (if any), waits a moment
// so the client has read it, and resets the connection (RST, not FIN).
func faultReset(t *testing.T, w http.ResponseWriter, raw string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if !assert.NoError(t, err) {
		return
	}
	if raw != "" {
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
		time.Sleep(20 * time.Millisecond)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// faultRetryAfterOK answers 429 with the given Retry-After (none if empty)
// once, then 200.
func faultRetryAfterOK(t *testing.T, retryAfter string) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}`)
			return
		}
		faultJSON(w, 201, faultConversationJSON(faultSID))
	})
	c, lg := faultClient(t, srv.URL)
	// A create: 429 is retried even for creates, since Twilio refused the
	// request before doing anything.
	got, err := c.Conversations.Create(context.Background(), &ConversationCreateParams{FriendlyName: Ptr("support")})
	require.NoError(t, err)
	assert.Equal(t, faultSID, got.SID)
	assert.Equal(t, 2, srv.count(), "requests")
	assert.Equal(t, 1, lg.retries(), "retry log lines")
	if retryAfter != "" {
		assert.Contains(t, lg.String(), "wait=0s", "Retry-After replaced the backoff")
	}
}

// faultCase is one row of the fault matrix.
type faultCase struct {
	name string
	run  func(t *testing.T)
}

// faultCases is the fault matrix.
var faultCases = []faultCase{
	{"RateLimitedThenOK", func(t *testing.T) { faultRetryAfterOK(t, "") }},
	{"RateLimitedThenOKRetryAfterSeconds", func(t *testing.T) { faultRetryAfterOK(t, "0") }},
	{"RateLimitedThenOKRetryAfterDate", func(t *testing.T) {
		faultRetryAfterOK(t, time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat))
	}},
	{"RateLimitedRetryAfterIsWaitedFor", faultRetryAfterWaited},
	{"RateLimitedEveryTime", faultRateLimitedEveryTime},
	{"RetryAfterOneHourSeconds", func(t *testing.T) { faultRetryAfterHour(t, "3600") }},
	{"RetryAfterOneHourDate", func(t *testing.T) {
		faultRetryAfterHour(t, time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	}},
	{"ServiceUnavailableHTMLThenOKForGet", faultHTML503ThenOK},
	{"ServerErrorOnCreate", faultServerErrorOnCreate},
	{"ServerErrorOnUpdateAndDeleteRetried", faultServerErrorOnUpdateDelete},
	{"ConnectionResetMidBodyGet", faultResetMidBodyGet},
	{"ConnectionResetMidBodyCreate", faultResetMidBodyCreate},
	{"ConnectionResetBeforeResponseCreate", faultResetBeforeResponseCreate},
	{"ConnectionRefusedCreateRetried", faultDialRefusedCreate},
	{"TruncatedJSON", faultTruncatedJSON},
	{"Empty404", faultEmpty404},
	{"TenMegabyteErrorBody", faultHugeErrorBody},
	{"SlowBodyPastDeadline", faultSlowBodyPastDeadline},
	{"ContextCancelledDuringBackoff", faultCancelDuringBackoff},
	{"NextPageURLOnForeignHost", faultForeignNextPage},
	{"NextPageTokenDoesNotAdvance", faultTokenStuck},
	{"NextPageTokensCycle", faultTokenCycle},
	{"UnknownEnumAndExtraFields", faultUnknownFields},
	{"PathSIDsEscaped", faultPathSIDs},
	{"RedirectToAnotherHost", faultRedirectForeign},
	{"RedirectSameOriginFollowed", faultRedirectSameOrigin},
	{"RedirectToAnotherHostOwnClient", faultRedirectForeignOwnClient},
	{"ErrorBodyEchoesCredentials", faultEchoCredentials},
}

// faultGoroutines records the goroutine counts measured around each case.
type faultGoroutines struct{ before, after int }

// TestFaultMatrix runs every fault case as a subtest and, after each one
// (its server closed, its idle connections closed), verifies with goleak
// that it left no goroutine behind.
func TestFaultMatrix(t *testing.T) {
	counts := make(map[string]faultGoroutines, len(faultCases))
	for _, fc := range faultCases {
		t.Run(fc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			ignore := goleak.IgnoreCurrent()
			// Registered first, so it runs last: after the server and the
			// client's connections are closed.
			t.Cleanup(func() {
				goleak.VerifyNone(t, ignore)
				counts[fc.name] = faultGoroutines{before, runtime.NumGoroutine()}
			})
			fc.run(t)
		})
	}
	for _, fc := range faultCases {
		g := counts[fc.name]
		t.Logf("goroutines %-40s before=%d after=%d", fc.name, g.before, g.after)
	}
}

func faultRetryAfterWaited(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "1")
		faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests","status":429}`)
	})
	c, lg := faultClient(t, srv.URL)
	retrying := lg.notify("conversations: retrying")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-retrying
		time.Sleep(30 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	faultCheckErr(t, err)
	// It was waiting the second the server asked for, not retrying at once.
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
	assert.Less(t, time.Since(start), 900*time.Millisecond)
	assert.Contains(t, lg.String(), "wait=1s")
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, IsRateLimited(err), "the last API error is wrapped too: %v", err)
	assert.Equal(t, 1, srv.count(), "requests")
}

func faultRateLimitedEveryTime(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests","status":429}`)
	})
	c, lg := faultClient(t, srv.URL)
	_, err := c.Conversations.Update(context.Background(), faultSID, &ConversationUpdateParams{FriendlyName: Ptr("x")})
	faultCheckErr(t, err)
	assert.True(t, IsRateLimited(err))
	assert.Equal(t, 3, srv.count(), "requests: MaxAttempts")
	assert.Equal(t, 2, lg.retries())
}

func faultRetryAfterHour(t *testing.T, retryAfter string) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", retryAfter)
		faultJSON(w, 429, `{"code":20429,"message":"Too Many Requests","status":429}`)
	})
	c, _ := faultClient(t, srv.URL)
	start := time.Now()
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	assert.Less(t, time.Since(start), 500*time.Millisecond, "no hang")
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 429, apiErr.Status)
	assert.Equal(t, retryAfter, apiErr.RetryAfter, "the caller can see how long to wait")
	assert.Equal(t, 1, srv.count(), "requests")
}

func faultHTML503ThenOK(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(503)
			_, _ = io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1>\n<hr><center>nginx</center></body></html>")
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, lg := faultClient(t, srv.URL)
	got, err := c.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	assert.Equal(t, faultSID, got.SID)
	assert.Equal(t, 2, srv.count(), "requests")
	assert.Contains(t, lg.String(), "503 Service Temporarily Unavailable", "the retry log quotes the snippet")
}

func faultServerErrorOnCreate(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Twilio-Request-Id", "RQ123")
		faultJSON(w, 500, `{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`)
	})
	c, lg := faultClient(t, srv.URL)
	_, err := c.Conversations.Create(context.Background(), &ConversationCreateParams{FriendlyName: Ptr("support")})
	faultCheckErr(t, err)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.Status)
	assert.Equal(t, 20500, apiErr.Code)
	assert.Equal(t, "RQ123", apiErr.RequestID)
	assert.Equal(t, "POST", apiErr.Method)
	assert.Equal(t, "/v1/Conversations", apiErr.Path)
	assert.Equal(t, 1, srv.count(), "a create is never re-sent after a 5xx")
	assert.Equal(t, 0, lg.retries())
}

func faultServerErrorOnUpdateDelete(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case n == 1 || n == 3:
			faultJSON(w, 502, `{"code":20502,"message":"Bad Gateway","status":502}`)
		case r.Method == http.MethodDelete:
			w.WriteHeader(204)
		default:
			faultJSON(w, 200, faultConversationJSON(faultSID))
		}
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Update(context.Background(), faultSID, &ConversationUpdateParams{FriendlyName: Ptr("x")})
	require.NoError(t, err)
	require.NoError(t, c.Conversations.Delete(context.Background(), faultSID))
	assert.Equal(t, 4, srv.count(), "requests: 502 then 200 for each")
}

func faultResetMidBodyGet(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			faultReset(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"sid\":\"CH")
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, lg := faultClient(t, srv.URL)
	got, err := c.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	assert.Equal(t, faultSID, got.SID)
	assert.Equal(t, 2, srv.count(), "requests: the cut-off read is retried")
	assert.Contains(t, lg.String(), "connection reset by peer")
}

func faultResetMidBodyCreate(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultReset(t, w, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"sid\":\"CH")
	})
	c, _ := faultClient(t, srv.URL)
	var resp *http.Response
	_, err := c.Conversations.Create(context.Background(), &ConversationCreateParams{FriendlyName: Ptr("support")}, WithResponse(&resp))
	faultCheckErr(t, err)
	require.NotNil(t, resp, "the status line arrived: the reset came mid-body")
	assert.Equal(t, 201, resp.StatusCode)
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	assert.Equal(t, 1, srv.count(), "the server created it: never re-sent")
}

func faultResetBeforeResponseCreate(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultReset(t, w, "")
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Create(context.Background(), &ConversationCreateParams{FriendlyName: Ptr("support")})
	faultCheckErr(t, err)
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, 1, srv.count(), "the request reached the server: never re-sent")
}

func faultDialRefusedCreate(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there any more
	var dials atomic.Int32
	d := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, a)
	}}
	c, lg := faultClient(t, "http://"+addr, WithHTTPClient(&http.Client{Transport: tr}))
	_, err = c.Conversations.Create(context.Background(), &ConversationCreateParams{FriendlyName: Ptr("support")})
	faultCheckErr(t, err)
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.Equal(t, int32(3), dials.Load(), "a refused dial proves nothing was sent: retried")
	assert.Equal(t, 2, lg.retries())
}

func faultTruncatedJSON(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, `{"sid":"CHaaaa","friendly_name":"supp`) // whole body per Content-Length
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 200, de.Status)
	assert.Equal(t, 1, srv.count(), "a body that arrived whole is not retried")
}

func faultEmpty404(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(404)
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	assert.True(t, IsNotFound(err))
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Not Found", apiErr.Message)
	assert.Empty(t, apiErr.Snippet)
	assert.Equal(t, 0, apiErr.Code)
	assert.Equal(t, 1, srv.count(), "requests")
}

// faultCountingBody counts what the client reads of a response body.
type faultCountingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b faultCountingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// faultCountingTransport wraps every response body in a faultCountingBody.
type faultCountingTransport struct {
	base *http.Transport
	n    *atomic.Int64
}

func (t faultCountingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		resp.Body = faultCountingBody{resp.Body, t.n}
	}
	return resp, err
}

func (t faultCountingTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }

func faultHugeErrorBody(t *testing.T) {
	const size = 10 << 20
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.WriteHeader(400)
		chunk := bytes.Repeat([]byte("<p>error</p>"), 4096)
		for written := 0; written < size; {
			k, err := w.Write(chunk[:min(len(chunk), size-written)])
			written += k
			if err != nil {
				return // the client stopped reading
			}
		}
	})
	var read atomic.Int64
	hc := &http.Client{Transport: faultCountingTransport{base: &http.Transport{}, n: &read}}
	c, _ := faultClient(t, srv.URL, WithHTTPClient(hc))
	start := time.Now()
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.Status)
	assert.LessOrEqual(t, len(apiErr.Snippet), rest.MaxSnippet)
	assert.Less(t, len(err.Error()), 1024, "a short error string")
	assert.LessOrEqual(t, read.Load(), int64(rest.MaxErrorBody+64<<10), "bounded read: 1 MiB + 64 KiB drain")
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, 1, srv.count(), "requests")
	t.Logf("client read %d of %d bytes", read.Load(), size)
}

func faultSlowBodyPastDeadline(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"sid":"CHaaaa`)
		w.(http.Flusher).Flush()
		select { // stall until the client gives up
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c, _ := faultClient(t, srv.URL)
	// 2 s: long enough that a loaded machine serves the request before the
	// deadline, far below the client's 30 s timeout it must beat.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	faultCheckErr(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second, "the ctx deadline wins over the client's 30 s timeout")
	assert.Equal(t, 1, srv.count(), "requests")
}

func faultCancelDuringBackoff(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 503, `{"code":20503,"message":"Service Unavailable","status":503}`)
	})
	slow := RetryPolicy{MaxAttempts: 3, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second}
	c, lg := faultClient(t, srv.URL, WithRetry(slow))
	retrying := lg.notify("conversations: retrying")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt atomic.Int64
	go func() {
		<-retrying
		time.Sleep(5 * time.Millisecond) // let it start sleeping
		cancelledAt.Store(time.Now().UnixNano())
		cancel()
	}()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	returned := time.Now()
	faultCheckErr(t, err)
	lag := returned.Sub(time.Unix(0, cancelledAt.Load()))
	assert.ErrorIs(t, err, context.Canceled)
	var ne *NetworkError
	assert.ErrorAs(t, err, &ne, "a context error is a *NetworkError")
	assert.Equal(t, 503, StatusCode(err), "the last API error is wrapped too")
	assert.Less(t, lag, 50*time.Millisecond, "returns at once when ctx is cancelled")
	assert.Equal(t, 1, srv.count(), "requests")
	t.Logf("returned %v after cancel", lag)
}

func faultForeignNextPage(t *testing.T) {
	foreign := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultPageJSON("CHforeign", ""))
	})
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Query().Get("PageToken") == "" {
			faultJSON(w, 200, faultPageJSON("CH1", foreign.URL+"/v1/Conversations?PageSize=1&Page=1&PageToken=PT2"))
			return
		}
		faultJSON(w, 200, faultPageJSON("CH2", ""))
	})
	c, _ := faultClient(t, srv.URL)
	var sids []string
	for conv, err := range c.Conversations.All(context.Background(), nil) {
		require.NoError(t, err)
		sids = append(sids, conv.SID)
	}
	assert.Equal(t, []string{"CH1", "CH2"}, sids)
	// NextPage re-bases the same way.
	page, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	next, err := page.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "CH2", next.Items[0].SID)

	assert.Equal(t, 0, foreign.count(), "nothing, and so no credential, went to the foreign host")
	assert.Equal(t, 4, srv.count(), "requests on the configured host")
	for _, r := range srv.requests() {
		assert.Equal(t, faultBasic, r.Header.Get("Authorization"))
		assert.Equal(t, strings.TrimPrefix(srv.URL, "http://"), r.Host)
	}
	assert.Equal(t, "/v1/Conversations?PageSize=1&Page=1&PageToken=PT2", srv.requests()[1].RequestURI, "path and query kept")
}

// faultAllCycle ranges over All and returns the items and the one error.
func faultAllCycle(t *testing.T, c *Client) (int, error) {
	t.Helper()
	n := 0
	var last error
	for _, err := range c.Conversations.All(context.Background(), nil) {
		if err != nil {
			require.NoError(t, last, "one error only")
			last = err
			continue
		}
		n++
		require.Less(t, n, 10, "the iterator did not stop")
	}
	return n, last
}

func faultTokenStuck(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultPageJSON(fmt.Sprintf("CH%d", n), "https://conversations.twilio.com/v1/Conversations?PageSize=1&Page=1&PageToken=PT1"))
	})
	c, _ := faultClient(t, srv.URL)
	n, err := faultAllCycle(t, c)
	assert.Equal(t, 2, n, "items")
	assert.ErrorIs(t, err, ErrPageCycle, "a next URL that repeats is an error, not a silent stop")
	var de *DecodeError
	assert.ErrorAs(t, err, &de)
	assert.Equal(t, 2, srv.count(), "requests: first page, then PT1, whose next is PT1 again")
}

func faultTokenCycle(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		next := "PT1"
		if r.URL.Query().Get("PageToken") == "PT1" {
			next = "PT2"
		}
		faultJSON(w, 200, faultPageJSON(fmt.Sprintf("CH%d", n), "https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken="+next))
	})
	c, _ := faultClient(t, srv.URL)
	n, err := faultAllCycle(t, c)
	assert.Equal(t, 3, n, "items")
	assert.ErrorIs(t, err, ErrPageCycle)
	assert.Equal(t, 3, srv.count(), "requests: first, PT1, PT2; PT1 again is a cycle")
}

func faultUnknownFields(t *testing.T) {
	conv := strings.Replace(faultConversationJSON(faultSID), `"state":"active"`, `"state":"archived_in_2031"`, 1)
	conv = strings.Replace(conv, `"timers":{}`, `"timers":{"date_closed":null,"date_frozen":"2031-01-01T00:00:00Z"},"brand_new":{"nested":[1,2,{"x":null}]},"new_count":7`, 1)
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/v1/Conversations" {
			faultJSON(w, 200, `{"conversations":[`+conv+`],"meta":{"page":0,"page_size":1,"next_page_url":null,"key":"conversations","cursor":{"x":1}},"extra_top_level":true}`)
			return
		}
		faultJSON(w, 200, conv)
	})
	c, _ := faultClient(t, srv.URL)
	got, err := c.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	assert.Equal(t, ConversationState("archived_in_2031"), got.State)
	assert.Equal(t, faultSID, got.SID)
	assert.True(t, got.Timers.DateClosed.IsZero())
	page, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, ConversationState("archived_in_2031"), page.Items[0].State)
	assert.Equal(t, 2, srv.count(), "requests")
}

func faultPathSIDs(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodDelete {
			w.WriteHeader(204)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, _ := faultClient(t, srv.URL)
	ctx := context.Background()
	calls := []struct {
		do   func() error
		want string
	}{
		{func() error { _, err := c.Conversations.Fetch(ctx, "../Services"); return err }, "/v1/Conversations/..%2FServices"},
		{func() error { _, err := c.Conversations.Fetch(ctx, "CH?PageSize=1&x=y"); return err }, "/v1/Conversations/CH%3FPageSize%3D1%26x%3Dy"},
		{func() error { _, err := c.Conversations.Fetch(ctx, "CH#fragment"); return err }, "/v1/Conversations/CH%23fragment"},
		{func() error { _, err := c.Conversations.Fetch(ctx, "%2e%2e"); return err }, "/v1/Conversations/%252e%252e"},
		{func() error {
			_, err := c.Conversations.Update(ctx, "../../Credentials/CR1", &ConversationUpdateParams{FriendlyName: Ptr("x")})
			return err
		}, "/v1/Conversations/..%2F..%2FCredentials%2FCR1"},
		{func() error { return c.Conversations.Delete(ctx, "a/../../b?c#d") }, "/v1/Conversations/a%2F..%2F..%2Fb%3Fc%23d"},
		{func() error { _, err := c.Service("IS/../..").Conversations.Fetch(ctx, "CH1"); return err }, "/v1/Services/IS%2F..%2F../Conversations/CH1"},
	}
	for _, call := range calls {
		require.NoError(t, call.do())
	}
	reqs := srv.requests()
	require.Len(t, reqs, len(calls), "requests")
	for i, call := range calls {
		assert.Equal(t, call.want, reqs[i].RequestURI, "the SID stays one escaped segment, with no query")
	}
	// Dot segments are refused before sending.
	for _, sid := range []string{".", ".."} {
		_, err := c.Conversations.Fetch(ctx, sid)
		assert.True(t, IsValidation(err), "%q: %v", sid, err)
	}
	assert.Equal(t, len(calls), srv.count(), "nothing sent for dot segments")
}

func faultRedirectForeign(t *testing.T) {
	foreign := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		// Another port of the same host, 127.0.0.1: net/http's own rule
		// (same host name) would forward the Authorization header there.
		http.Redirect(w, r, foreign.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	assert.Equal(t, http.StatusTemporaryRedirect, StatusCode(err))
	_, err = c.Conversations.Create(context.Background(), &ConversationCreateParams{FriendlyName: Ptr("x")})
	faultCheckErr(t, err)
	assert.Equal(t, http.StatusTemporaryRedirect, StatusCode(err))
	assert.Equal(t, 2, srv.count(), "requests: 3xx not retried")
	assert.Equal(t, 0, foreign.count(), "not followed: no Authorization went to the other host")
	for _, r := range foreign.requests() {
		assert.Empty(t, r.Header.Get("Authorization"))
	}
}

// faultRedirectForeignOwnClient: a client passed with WithHTTPClient gets
// the same-origin rule too, in front of its own CheckRedirect, and the
// caller's *http.Client is not modified.
func faultRedirectForeignOwnClient(t *testing.T) {
	foreign := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/v1/Conversations/old" {
			http.Redirect(w, r, "/v1/Conversations/"+faultSID, http.StatusMovedPermanently)
			return
		}
		if r.URL.Path == "/v1/Conversations/"+faultSID {
			faultJSON(w, 200, faultConversationJSON(faultSID))
			return
		}
		http.Redirect(w, r, foreign.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	userCalls := 0
	own := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { userCalls++; return nil }}
	c, _ := faultClient(t, srv.URL, WithHTTPClient(own))
	_, err := c.Conversations.Fetch(context.Background(), "elsewhere")
	faultCheckErr(t, err)
	assert.Equal(t, http.StatusTemporaryRedirect, StatusCode(err))
	assert.Equal(t, 0, foreign.count(), "not followed: no Authorization went to the other port")
	got, err := c.Conversations.Fetch(context.Background(), "old")
	require.NoError(t, err)
	assert.Equal(t, faultSID, got.SID)
	assert.Equal(t, 1, userCalls, "the caller's CheckRedirect still decides same-origin redirects")
	assert.NotNil(t, own.CheckRedirect)
	own.CheckRedirect(nil, nil)
	assert.Equal(t, 2, userCalls, "the caller's client keeps its own CheckRedirect")
}

func faultRedirectSameOrigin(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/v1/Conversations/old" {
			http.Redirect(w, r, "/v1/Conversations/"+faultSID, http.StatusMovedPermanently)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, _ := faultClient(t, srv.URL)
	got, err := c.Conversations.Fetch(context.Background(), "old")
	require.NoError(t, err)
	assert.Equal(t, faultSID, got.SID)
	assert.Equal(t, 2, srv.count(), "requests: the same-origin redirect is followed")
}

func faultEchoCredentials(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		auth := r.Header.Get("Authorization")
		user, pass, _ := r.BasicAuth()
		if n%2 == 1 { // a debugging proxy that echoes the request as JSON
			faultJSON(w, 500, fmt.Sprintf(`{"code":20500,"message":"echo Authorization: %s (user %s, password %s)","more_info":"%s","details":{"headers":{"Authorization":[%q]},"p":[%q]}}`,
				auth, user, pass, pass, auth, pass))
			return
		}
		w.WriteHeader(502) // ... or as text, with invalid bytes around it
		_, _ = fmt.Fprintf(w, "<pre>Authorization: %s\n\xff%s\xfe\n%s</pre>", auth, pass, r.Header)
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.Status)
	assert.Contains(t, apiErr.Message, "[REDACTED]")
	faultAssertNoSecret(t, "Details", fmt.Sprint(apiErr.Details))
	assert.Equal(t, 3, srv.count(), "requests")
	// Request 4 gets the text echo.
	_, err = c.Conversations.Fetch(context.Background(), faultSID, WithCallRetry(NoRetry()))
	faultCheckErr(t, err)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.Status)
	assert.Contains(t, apiErr.Snippet, "[REDACTED]")
	assert.Equal(t, 4, srv.count(), "requests")
}
