package rest

// Unit tests of the core that go through no API package: the stages of Do
// against a real socket, with what a v2 API needs (PUT, PATCH, JSON bodies,
// 202 answers, idempotency keys, replay rules), the hooks and the one
// header check.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seen is one request as the server received it.
type seen struct {
	method, path, query, body string
	header                    http.Header
}

// testServer answers the n-th request (1-based) with reply and records
// every request.
type testServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newTestServer(t *testing.T, reply func(w http.ResponseWriter, n int)) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, string(b), r.Header.Clone()})
		n := len(s.reqs)
		s.mu.Unlock()
		reply(w, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) seen() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func jsonReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const testUser, testSecret = "ACtest", "s3cret-token"

// fastRetry retries at once.
var fastRetry = RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: 2 * time.Microsecond, NoRetryBudget: true}

func newTestClient(t *testing.T, base string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Username: testUser, Password: testSecret, Version: "test", BaseURL: base, BaseURLSet: true,
		Retry: fastRetry, RetrySet: true}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

type item struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// TestDoPutPatchJSONBody: PUT and PATCH send the JSON body marshalled once,
// with its Content-Type, and decode the JSON answer.
func TestDoPutPatchJSONBody(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) { jsonReply(w, 200, `{"id":"conf_1","name":"x"}`) })
	c := newTestClient(t, srv.URL)
	for _, method := range []string{http.MethodPut, http.MethodPatch} {
		body, err := JSONBody(map[string]any{"displayName": "Support", "n": 1})
		require.NoError(t, err)
		p, err := Path("/v2/ControlPlane/Configurations/{id}", "conf 1/x")
		require.NoError(t, err)
		var out item
		err = c.Do(context.Background(), &Request{Method: method, Path: p, Body: body, Decoder: JSON(&out), Replay: true})
		require.NoError(t, err)
		assert.Equal(t, item{ID: "conf_1", Name: "x"}, out)
	}
	got := srv.seen()
	require.Len(t, got, 2)
	for i, method := range []string{http.MethodPut, http.MethodPatch} {
		assert.Equal(t, method, got[i].method)
		assert.Equal(t, "/v2/ControlPlane/Configurations/conf%201%2Fx", got[i].path)
		assert.Equal(t, `{"displayName":"Support","n":1}`, got[i].body)
		assert.Equal(t, "application/json", got[i].header.Get("Content-Type"))
		assert.Equal(t, "application/json", got[i].header.Get("Accept"))
		assert.True(t, strings.HasPrefix(got[i].header.Get("User-Agent"), "conversations-go/test ("), got[i].header.Get("User-Agent"))
		assert.Equal(t, "Basic QUN0ZXN0OnMzY3JldC10b2tlbg==", got[i].header.Get("Authorization"))
		assert.Empty(t, got[i].header.Get("Idempotency-Key"))
	}
	_, err := JSONBody(func() {})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "body", ve.Param)
}

// headerDecoder reads a 202's headers and its JSON body.
type headerDecoder struct {
	status                          int
	operationID, location, retryAft string
	out                             item
}

func (d *headerDecoder) Decode(resp *http.Response, body *Reader) error {
	d.status = resp.StatusCode
	d.operationID = resp.Header.Get("Operation-Id")
	d.location = resp.Header.Get("Location")
	d.retryAft = resp.Header.Get("Retry-After")
	return DecodeJSON(resp, body, &d.out)
}

// TestDo202HeadersReachable: a 202 is decoded like any 2xx, and the
// decoder sees its Operation-Id, Location and Retry-After.
func TestDo202HeadersReachable(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		w.Header().Set("Operation-Id", "op_123")
		w.Header().Set("Location", "/v2/ControlPlane/Operations/op_123")
		w.Header().Set("Retry-After", "2")
		jsonReply(w, http.StatusAccepted, `{"id":"op_123","name":"pending"}`)
	})
	c := newTestClient(t, srv.URL)
	var d headerDecoder
	err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v2/Things", Decoder: &d, IdempotencyKey: "k", Replay: true})
	require.NoError(t, err)
	assert.Equal(t, headerDecoder{status: 202, operationID: "op_123", location: "/v2/ControlPlane/Operations/op_123", retryAft: "2",
		out: item{ID: "op_123", Name: "pending"}}, d)
	wait, ok := ParseRetryAfter(d.retryAft, time.Now())
	assert.True(t, ok)
	assert.Equal(t, 2*time.Second, wait)

	// A 202 with no body and a decoder that wants none, and a nil decoder.
	srv2 := newTestServer(t, func(w http.ResponseWriter, n int) {
		w.Header().Set("Operation-Id", "op_9")
		w.WriteHeader(http.StatusAccepted)
	})
	c2 := newTestClient(t, srv2.URL)
	var resp *http.Response
	require.NoError(t, c2.Do(context.Background(), &Request{Method: http.MethodDelete, Path: "/v2/Things/1", Replay: true,
		Options: []RequestOption{WithResponse(&resp)}}))
	require.NotNil(t, resp)
	assert.Equal(t, "op_9", resp.Header.Get("Operation-Id"))
	// A JSON decoder on an empty 202 is a *DecodeError.
	var out item
	err = c2.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/v2/Things/1", Replay: true, Decoder: JSON(&out)})
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 202, de.Status)
	assert.ErrorIs(t, err, errEmptyBody)
}

// TestDoIdempotencyKeyEveryAttempt: the key is sent unchanged on every
// attempt; WithIdempotencyKey replaces the API's key; a key makes a write
// that the server may have seen retryable only through Replay.
func TestDoIdempotencyKeyEveryAttempt(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		if n%3 != 0 {
			jsonReply(w, 503, `{"message":"down"}`)
			return
		}
		jsonReply(w, 201, `{"id":"x"}`)
	})
	c := newTestClient(t, srv.URL)
	var out item
	body, _ := JSONBody(item{Name: "a"})
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v2/Things", Body: body,
		Decoder: JSON(&out), Replay: true, IdempotencyKey: "4b7e-generated"}))
	got := srv.seen()
	require.Len(t, got, 3)
	for _, r := range got {
		assert.Equal(t, []string{"4b7e-generated"}, r.header.Values("Idempotency-Key"))
		assert.Equal(t, `{"id":"","name":"a"}`, r.body, "the same body on every attempt")
	}
	assert.Equal(t, "mine", IdempotencyKey([]RequestOption{WithIdempotencyKey("other"), WithIdempotencyKey("mine")}))
	assert.Equal(t, "", IdempotencyKey(nil))
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v2/Things", Body: body,
		Decoder: JSON(&out), Replay: true, IdempotencyKey: "generated",
		Options: []RequestOption{WithIdempotencyKey("mine"), WithHeader("Idempotency-Key", "header")}}))
	got = srv.seen()[3:]
	require.Len(t, got, 3)
	for _, r := range got {
		assert.Equal(t, []string{"mine"}, r.header.Values("Idempotency-Key"))
	}
}

// TestDoReplayRule: a write without Replay is not sent again after a 5xx
// or a reset; with Replay it is; a 429 is retried either way.
func TestDoReplayRule(t *testing.T) {
	for _, tc := range []struct {
		status   int
		replay   bool
		requests int
	}{
		{503, false, 1}, {503, true, 3}, {429, false, 3}, {429, true, 3}, {400, true, 1},
	} {
		srv := newTestServer(t, func(w http.ResponseWriter, n int) { jsonReply(w, tc.status, `{"code":1,"message":"no"}`) })
		c := newTestClient(t, srv.URL)
		err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/X", Body: FormBody("A=1"), Replay: tc.replay})
		var apiErr *Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, tc.status, apiErr.Status)
		assert.Len(t, srv.seen(), tc.requests, "status %d replay %v", tc.status, tc.replay)
		assert.Equal(t, "A=1", srv.seen()[0].body)
		assert.Equal(t, "application/x-www-form-urlencoded", srv.seen()[0].header.Get("Content-Type"))
	}
}

// TestDoOneHeaderCheck: every header value built from caller input — an
// option, the API's own headers, a stream's Content-Type, an idempotency
// key — is checked before anything is sent.
func TestDoOneHeaderCheck(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) { jsonReply(w, 200, `{}`) })
	c := newTestClient(t, srv.URL)
	for name, tc := range map[string]struct {
		r     Request
		param string
	}{
		"option value":       {Request{Options: []RequestOption{WithHeader("X-A", "a\r\nX-Evil: 1")}}, "header X-A"},
		"option name":        {Request{Options: []RequestOption{WithHeader("X A", "a")}}, "header name"},
		"api header":         {Request{Header: http.Header{"Content-Size": {"1\n"}}}, "header Content-Size"},
		"stream CRLF":        {Request{Body: StreamBody("image/png; a=b\r\n", &fakeStream{})}, "header Content-Type"},
		"stream NUL quoted":  {Request{Body: StreamBody("image/png; a=\"b\x00c\"", &fakeStream{})}, "header Content-Type"},
		"stream DEL quoted":  {Request{Body: StreamBody("image/png; a=\"b\x7fc\"", &fakeStream{})}, "header Content-Type"},
		"idempotency key":    {Request{IdempotencyKey: "k\x00"}, "header Idempotency-Key"},
		"option idempotency": {Request{Options: []RequestOption{WithIdempotencyKey("k\n")}}, "header Idempotency-Key"},
	} {
		r := tc.r
		r.Method, r.Path = http.MethodPost, "/v1/X"
		err := c.Do(context.Background(), &r)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, tc.param, ve.Param, name)
		if fs, ok := r.Body.stream.(*fakeStream); ok {
			assert.Zero(t, fs.opened, "%s: the stream is not read", name)
		}
	}
	assert.Empty(t, srv.seen(), "nothing was sent")
	//lint:ignore SA1012 a nil context is what this checks
	err := c.Do(nil, &Request{Method: http.MethodGet, Path: "/v1/X"})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ctx", ve.Param)
}

// fakeStream is a Stream over data that counts its calls.
type fakeStream struct {
	data                      string
	noRewind                  bool
	opened, rewound, released int
}

func (f *fakeStream) Open() (io.Reader, int64) {
	f.opened++
	return strings.NewReader(f.data), int64(len(f.data))
}
func (f *fakeStream) Rewind(context.Context) bool { f.rewound++; return !f.noRewind }
func (f *fakeStream) Release()                    { f.released++ }

// TestDoStreamBody: a stream is opened once per attempt, rewound between
// attempts, and released once; a stream that cannot rewind ends the call.
func TestDoStreamBody(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		if n < 3 {
			jsonReply(w, 429, `{"message":"slow down"}`)
			return
		}
		jsonReply(w, 201, `{"id":"ME1"}`)
	})
	c := newTestClient(t, srv.URL)
	fs := &fakeStream{data: "\x89PNG"}
	var out item
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/Media", URL: srv.URL + "/v1/Media?Filename=a.png",
		Body: StreamBody("image/png", fs), Header: http.Header{"Content-Size": {"4"}}, Decoder: JSON(&out)}))
	assert.Equal(t, item{ID: "ME1"}, out)
	assert.Equal(t, [3]int{3, 2, 1}, [3]int{fs.opened, fs.rewound, fs.released})
	for _, r := range srv.seen() {
		assert.Equal(t, "\x89PNG", r.body)
		assert.Equal(t, "/v1/Media", r.path)
		assert.Equal(t, "Filename=a.png", r.query)
		assert.Equal(t, "image/png", r.header.Get("Content-Type"))
		assert.Equal(t, "4", r.header.Get("Content-Size"))
	}

	srv2 := newTestServer(t, func(w http.ResponseWriter, n int) { jsonReply(w, 429, `{}`) })
	c2 := newTestClient(t, srv2.URL)
	fs2 := &fakeStream{data: "x", noRewind: true}
	err := c2.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/Media", Body: StreamBody("image/png", fs2)})
	assert.Equal(t, 429, err.(*Error).Status)
	assert.Len(t, srv2.seen(), 1, "a body that cannot be rewound is not sent again")
	assert.Equal(t, 1, fs2.released)
}

// recLimiter records its waits and answers with err.
type recLimiter struct {
	mu   sync.Mutex
	keys []string
	err  error
	ctxs []context.Context
}

func (l *recLimiter) Wait(ctx context.Context, key string) error {
	l.mu.Lock()
	l.keys = append(l.keys, key)
	l.ctxs = append(l.ctxs, ctx)
	l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	return ctx.Err()
}

// TestDoLimiter: the limiter is asked before each attempt of a request
// with a LimitKey; a limiter that cannot decide fails open by default, or
// closed (nothing sent) by client or call option; a context that ends in it
// is a *NetworkError unwrapping to the context's error.
func TestDoLimiter(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		if n == 1 {
			jsonReply(w, 503, `{}`)
			return
		}
		jsonReply(w, 200, `{"id":"x"}`)
	})
	l := &recLimiter{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = l })
	require.True(t, c.Limited())
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/X", LimitKey: "conversation:CH1", Replay: true}))
	assert.Equal(t, []string{"conversation:CH1", "conversation:CH1"}, l.keys, "one wait per attempt")
	assert.Len(t, srv.seen(), 2)
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/v1/X", Replay: true}))
	assert.Len(t, l.keys, 2, "no key: not asked")

	down := errors.New("redis: connection refused")
	l.err = down
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/X", LimitKey: "service:default"}),
		"fail open: sent anyway")
	assert.Len(t, srv.seen(), 4)
	err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/X", LimitKey: "service:default",
		Options: []RequestOption{WithCallLimiterFailureMode(LimiterFailClosed)}})
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	var le *LimiterError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "service:default", le.Key)
	assert.ErrorIs(t, err, down)
	assert.Len(t, srv.seen(), 4, "fail closed: nothing sent")

	closed := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = l; cfg.LimiterFailure = LimiterFailClosed })
	err = closed.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/X", LimitKey: "service:IS1"})
	require.ErrorAs(t, err, &le)
	require.NoError(t, closed.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/X", LimitKey: "service:IS1",
		Options: []RequestOption{WithCallLimiterFailureMode(LimiterFailOpen)}}))
	assert.Len(t, srv.seen(), 5)

	l.err = nil
	ctx, cancel := context.WithCancel(context.Background())
	blocking := limiterFunc(func(ctx context.Context, key string) error { cancel(); <-ctx.Done(); return ctx.Err() })
	cb := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = blocking; cfg.LimiterFailure = LimiterFailOpen })
	err = cb.Do(ctx, &Request{Method: http.MethodPost, Path: "/v1/X", LimitKey: "k"})
	require.ErrorAs(t, err, &ne)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, srv.seen(), 5, "nothing sent")

	_, err = New(Config{Username: "a", Password: "b", LimiterFailure: 7})
	require.ErrorAs(t, err, new(*ValidationError))
}

type limiterFunc func(ctx context.Context, key string) error

func (f limiterFunc) Wait(ctx context.Context, key string) error { return f(ctx, key) }

// recObserver records every callback.
type recObserver struct {
	mu       sync.Mutex
	starts   []CallInfo
	waits    []string
	attempts []AttemptInfo
	latency  []time.Duration // each attempt's Latency
	ends     []CallResult
	ctxOK    int
}

type obsKey struct{}

func (o *recObserver) CallStart(ctx context.Context, call CallInfo) context.Context {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.starts = append(o.starts, call)
	return context.WithValue(ctx, obsKey{}, "span")
}

func (o *recObserver) check(ctx context.Context) {
	if ctx.Value(obsKey{}) == "span" {
		o.ctxOK++
	}
}

func (o *recObserver) LimiterWait(ctx context.Context, call CallInfo, key string, waited time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.check(ctx)
	o.waits = append(o.waits, key)
}

func (o *recObserver) Attempt(ctx context.Context, call CallInfo, a AttemptInfo) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.check(ctx)
	o.latency = append(o.latency, a.Latency)
	a.Latency = 0
	if a.Err != nil {
		a.Err = errors.New(a.Err.Error())
	}
	o.attempts = append(o.attempts, a)
}

func (o *recObserver) CallEnd(ctx context.Context, call CallInfo, r CallResult) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.check(ctx)
	o.ends = append(o.ends, r)
}

// TestDoObserver: one CallStart, one Attempt per attempt with the retry
// decision, one CallEnd; the ctx CallStart returns reaches the limiter, the
// attempts and the other callbacks.
func TestDoObserver(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		switch n {
		case 1:
			jsonReply(w, 503, `{"message":"down"}`)
		case 2:
			w.Header().Set("Retry-After", "0")
			jsonReply(w, 429, `{"message":"slow"}`)
		default:
			jsonReply(w, 200, `{"id":"x"}`)
		}
	})
	o := &recObserver{}
	l := &recLimiter{}
	policy := fastRetry
	policy.NoRetryBudget = false
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Observer = o; cfg.Limiter = l; cfg.Retry = policy })
	var out item
	require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/Conversations/CH1", Query: "a=b",
		RoutePrefix: "/v1/", Route: "Conversations/{Sid}", LimitKey: "conversation:CH1", Replay: true, Decoder: JSON(&out)}))
	require.Len(t, o.starts, 1)
	assert.Equal(t, "POST", o.starts[0].Method)
	assert.Equal(t, "/v1/Conversations/{Sid}", o.starts[0].Route)
	assert.Equal(t, srv.URL+"/v1/Conversations/CH1?a=b", o.starts[0].URL.String())
	assert.Nil(t, o.starts[0].URL.User)
	assert.Equal(t, []string{"conversation:CH1", "conversation:CH1", "conversation:CH1"}, o.waits)
	for _, ctx := range l.ctxs {
		assert.Equal(t, "span", ctx.Value(obsKey{}), "the limiter runs under CallStart's ctx")
	}
	require.Len(t, o.attempts, 3)
	assert.Equal(t, AttemptInfo{Attempt: 1, Status: 503, Err: errors.New("conversations: POST /v1/Conversations/CH1: HTTP 503: down"),
		Retry: true, RetryReason: "5xx", Wait: o.attempts[0].Wait, BudgetLeft: 495}, o.attempts[0])
	assert.Equal(t, AttemptInfo{Attempt: 2, Status: 429, Err: errors.New("conversations: POST /v1/Conversations/CH1: HTTP 429: slow"),
		Retry: true, RetryReason: "429", BudgetLeft: 490}, o.attempts[1])
	assert.Equal(t, AttemptInfo{Attempt: 3, Status: 200, BudgetLeft: 500}, o.attempts[2])
	for i, d := range o.latency {
		assert.True(t, d > 0 && d < time.Minute, "attempt %d's latency is measured when an observer is set: %v", i+1, d)
	}
	require.Len(t, o.ends, 1)
	assert.Equal(t, 200, o.ends[0].Status)
	assert.Equal(t, 3, o.ends[0].Attempts)
	assert.NoError(t, o.ends[0].Err)
	assert.Positive(t, o.ends[0].Duration)
	assert.Equal(t, 3+3+1, o.ctxOK)

	// A network failure on a create: not retried, status 0, reason "".
	dead := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.Observer = o })
	err := dead.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/Conversations"})
	require.ErrorAs(t, err, new(*NetworkError))
	last := o.attempts[len(o.attempts)-1]
	assert.Equal(t, 0, last.Status)
	assert.Equal(t, 3, last.Attempt, "a dial error is retried even for a create")
	assert.Equal(t, "", last.RetryReason)
	assert.Equal(t, "network", o.attempts[len(o.attempts)-2].RetryReason)
	assert.Equal(t, -1, last.BudgetLeft)
	assert.Equal(t, CallResult{Attempts: 3, Err: err, Duration: o.ends[1].Duration}, o.ends[1])
}

// TestDoDebugLog: with the debug level on, every attempt logs its request
// and the call logs one response record with a measured latency; with it
// off, nothing is logged.
func TestDoDebugLog(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		time.Sleep(time.Millisecond)
		jsonReply(w, 200, `{"id":"x"}`)
	})
	var buf bytes.Buffer
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo} {
		buf.Reset()
		lg := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: level}))
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = lg })
		var out item
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/v1/Conversations/CH1", Decoder: JSON(&out)}))
		if level != slog.LevelDebug {
			assert.Empty(t, buf.String(), "nothing is logged above debug")
			continue
		}
		var recs []map[string]any
		dec := json.NewDecoder(&buf)
		for dec.More() {
			var m map[string]any
			require.NoError(t, dec.Decode(&m))
			recs = append(recs, m)
		}
		require.Len(t, recs, 2)
		assert.Equal(t, "conversations: request", recs[0]["msg"])
		assert.Equal(t, "/v1/Conversations/CH1", recs[0]["path"])
		assert.Equal(t, "conversations: response", recs[1]["msg"])
		assert.EqualValues(t, 200, recs[1]["status"])
		assert.EqualValues(t, 1, recs[1]["attempts"])
		lat, _ := recs[1]["latency"].(float64)
		assert.True(t, lat >= float64(time.Millisecond) && lat < float64(time.Minute), "the latency is measured: %v", time.Duration(lat))
	}
}
