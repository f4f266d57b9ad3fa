package eventstreams

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conversations-go/conversations/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "test-auth-token-0123456789abcdef"

// sinkURL is the destination configured for the sink in these tests.
const sinkURL = "https://events.example.com/twilio/events"

// signedBatch builds a POST of body to sinkURL as Event Streams sends it:
// bodySHA256 appended to the URL, X-Twilio-Signature over that URL.
func signedBatch(token, body string) *http.Request {
	u := sinkURL + "?" + webhook.BodyHashParam + "=" + webhook.ComputeBodyHash([]byte(body))
	r := httptest.NewRequest(http.MethodPost, u, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(webhook.SignatureHeader, webhook.ComputeSignature(token, u, nil))
	return r
}

func event(id string, typ EventType, data string) string {
	return fmt.Sprintf(`{"specversion":"1.0","id":%q,"type":%q,"source":"/v1/Conversations/CH1","time":"2026-01-01T00:00:00.000Z","datacontenttype":"application/json","data":%s}`, id, typ, data)
}

func batch(events ...string) string { return "[" + strings.Join(events, ",") + "]" }

// calls records callback invocations by event id; fail makes the callback
// of an id fail.
type calls struct {
	mu   sync.Mutex
	ids  []string
	fail map[string]error
}

func (c *calls) note(_ context.Context, e Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids = append(c.ids, e.Base().ID)
	if err := c.fail[e.Base().ID]; err != nil {
		return err
	}
	return nil
}

func (c *calls) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

func (c *calls) setFail(id string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail == nil {
		c.fail = map[string]error{}
	}
	c.fail[id] = err
}

func newTestHandler(t *testing.T, c *calls, mod func(*Config)) *Handler {
	t.Helper()
	cfg := Config{
		AuthToken:    testToken,
		PublicOrigin: "https://events.example.com",
		OnMessage:    func(ctx context.Context, e *MessageEvent) error { return c.note(ctx, e) },
		OnEvent:      c.note,
	}
	if mod != nil {
		mod(&cfg)
	}
	h, err := NewHandler(cfg)
	require.NoError(t, err)
	return h
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// A genuine batch: 200, one callback per event, duplicates inside the
// batch and in a redelivery skipped.
func TestHandler_ProcessesOnceAndAcksDuplicates(t *testing.T) {
	c := &calls{}
	h := newTestHandler(t, c, nil)
	body := batch(
		event("EZ1", MessageAdded, `{"MessageSid":"IM1","Index":0}`),
		event("EZ2", UserAdded, `{"UserSid":"US1"}`),
		event("EZ1", MessageAdded, `{"MessageSid":"IM1","Index":0}`),
		event("EZ3", "com.twilio.messaging.message.delivered", `{}`),
	)
	w := serve(h, signedBatch(testToken, body))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, []string{"EZ1", "EZ2", "EZ3"}, c.got())

	w = serve(h, signedBatch(testToken, body)) // Twilio redelivers
	assert.Equal(t, http.StatusOK, w.Code, "a duplicate is answered 200")
	assert.Equal(t, []string{"EZ1", "EZ2", "EZ3"}, c.got())
}

// The typed callbacks get their events; an event without a callback is
// acknowledged and ignored.
func TestHandler_TypedCallbacks(t *testing.T) {
	var got []string
	note := func(s string) { got = append(got, s) }
	h, err := NewHandler(Config{
		AuthToken:           testToken,
		OnConversation:      func(_ context.Context, e *ConversationEvent) error { note("conv " + e.ConversationSID); return nil },
		OnConversationState: func(_ context.Context, e *ConversationStateEvent) error { note("state " + e.StateTo); return nil },
		OnMessage:           func(_ context.Context, e *MessageEvent) error { note("msg " + e.MessageSID); return nil },
		OnParticipant:       func(_ context.Context, e *ParticipantEvent) error { note("part " + e.ParticipantSID); return nil },
		OnUser:              func(_ context.Context, e *UserEvent) error { note("user " + e.UserSID); return nil },
	})
	require.NoError(t, err)
	body := batch(
		event("EZ1", ConversationRemoved, `{"ConversationSid":"CH1"}`),
		event("EZ2", ConversationStateUpdated, `{"StateTo":"closed"}`),
		event("EZ3", MessageUpdated, `{"MessageSid":"IM1"}`),
		event("EZ4", ParticipantUpdated, `{"ParticipantSid":"MB1"}`),
		event("EZ5", UserUpdated, `{"UserSid":"US1"}`),
		event("EZ6", "com.twilio.voice.insights.call-summary.complete", `{}`),
	)
	r := signedBatch(testToken, body)
	r.Host = "events.example.com"
	r.TLS = nil
	// No PublicOrigin: the URL is rebuilt from the request; sign that one.
	u := "http://events.example.com/twilio/events?" + webhook.BodyHashParam + "=" + webhook.ComputeBodyHash([]byte(body))
	r.Header.Set(webhook.SignatureHeader, webhook.ComputeSignature(testToken, u, nil))
	w := serve(h, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, []string{"conv CH1", "state closed", "msg IM1", "part MB1", "user US1"}, got)
}

// A failed callback: 500 for the batch; the failed event is released (not
// marked seen), the others stay claimed; Twilio's redelivery of the same
// batch calls back only the failed event.
func TestHandler_FailedEventIsRedeliveredAlone(t *testing.T) {
	var logBuf bytes.Buffer
	c := &calls{}
	h := newTestHandler(t, c, func(cfg *Config) { cfg.Logger = slog.New(slog.NewJSONHandler(&logBuf, nil)) })
	body := batch(
		event("EZ1", MessageAdded, `{}`),
		event("EZ2", MessageAdded, `{}`),
		event("EZ3", MessageAdded, `{}`),
	)
	c.setFail("EZ2", errors.New("database unavailable"))
	w := serve(h, signedBatch(testToken, body))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), "1 of 3 events failed")
	assert.NotContains(t, w.Body.String(), "database", "no detail in the answer")
	assert.Equal(t, []string{"EZ1", "EZ2", "EZ3"}, c.got())
	assert.Contains(t, logBuf.String(), `"id":"EZ2"`)

	c.setFail("EZ2", nil)
	w = serve(h, signedBatch(testToken, body))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, []string{"EZ1", "EZ2", "EZ3", "EZ2"}, c.got())

	w = serve(h, signedBatch(testToken, body))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Len(t, c.got(), 4, "processed once each")
}

// A panicking callback releases the event before the panic goes on.
func TestHandler_PanicReleases(t *testing.T) {
	seen := NewMemorySeenSet(0)
	h, err := NewHandler(Config{AuthToken: testToken, Seen: seen, OnEvent: func(context.Context, Event) error { panic("boom") }})
	require.NoError(t, err)
	events, err := ParseBatch([]byte(batch(event("EZ1", UserAdded, `{}`))))
	require.NoError(t, err)
	assert.PanicsWithValue(t, "boom", func() { _ = h.Process(context.Background(), events) })
	assert.Equal(t, 0, seen.Len(), "released")
}

// failingSeen is a SeenSet whose store is down.
type failingSeen struct{ claimErr, releaseErr error }

func (f failingSeen) Claim(context.Context, string, time.Duration) (bool, error) {
	if f.claimErr != nil {
		return false, f.claimErr
	}
	return true, nil
}
func (f failingSeen) Release(context.Context, string) error { return f.releaseErr }

// A seen-set that cannot answer: the event is not processed and the batch
// is answered 500, so Twilio retries; a Release that fails is logged.
func TestHandler_SeenSetFailures(t *testing.T) {
	c := &calls{}
	h := newTestHandler(t, c, func(cfg *Config) { cfg.Seen = failingSeen{claimErr: errors.New("redis: connection refused")} })
	w := serve(h, signedBatch(testToken, batch(event("EZ1", MessageAdded, `{}`))))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Empty(t, c.got(), "not processed without a claim")

	var logBuf bytes.Buffer
	c = &calls{}
	c.setFail("EZ1", errors.New("x"))
	h = newTestHandler(t, c, func(cfg *Config) {
		cfg.Seen = failingSeen{releaseErr: errors.New("redis: timeout")}
		cfg.Logger = slog.New(slog.NewJSONHandler(&logBuf, nil))
	})
	w = serve(h, signedBatch(testToken, batch(event("EZ1", MessageAdded, `{}`))))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, logBuf.String(), "seen-set release failed")

	events, _ := ParseBatch([]byte(batch(event("EZ1", MessageAdded, `{}`))))
	err := h.Process(context.Background(), events)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 1, be.Total)
	assert.Equal(t, "EZ1", be.Failed[0].ID)
	assert.Equal(t, MessageAdded, be.Failed[0].Type)
	assert.Equal(t, "eventstreams: 1 of 1 events failed; EZ1 (com.twilio.conversations.message.added): x", err.Error())
}

// Bad input gets a clear 4xx and no callback runs, for any of its events.
func TestHandler_BadInputIsRefusedAndNeverProcessed(t *testing.T) {
	good := batch(event("EZ1", MessageAdded, `{}`))
	big := batch(event("EZ1", MessageAdded, `{"MessageBody":"`+strings.Repeat("x", 2000)+`"}`))
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		err    error
	}{
		{"unsigned", func() *http.Request {
			r := signedBatch(testToken, good)
			r.Header.Del(webhook.SignatureHeader)
			return r
		}, http.StatusUnauthorized, webhook.ErrMissingSignature},
		{"wrong token", func() *http.Request { return signedBatch("another-token", good) }, http.StatusUnauthorized, webhook.ErrInvalidSignature},
		{"body changed after signing", func() *http.Request {
			r := signedBatch(testToken, good)
			tampered := strings.Replace(good, "EZ1", "EZ9", 1)
			r.Body = ioNopCloser(tampered)
			r.ContentLength = int64(len(tampered))
			return r
		}, http.StatusUnauthorized, webhook.ErrBodyHashMismatch},
		{"no bodySHA256", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, sinkURL, strings.NewReader(good))
			r.Header.Set(webhook.SignatureHeader, webhook.ComputeSignature(testToken, sinkURL, nil))
			return r
		}, http.StatusUnauthorized, ErrMissingBodyHash},
		{"body over the bound", func() *http.Request { return signedBatch(testToken, big) }, http.StatusRequestEntityTooLarge, webhook.ErrBodyTooLarge},
		{"invalid JSON", func() *http.Request { return signedBatch(testToken, `[{"id":"EZ1",`) }, http.StatusBadRequest, ErrInvalidJSON},
		{"not an array", func() *http.Request { return signedBatch(testToken, event("EZ1", MessageAdded, `{}`)) }, http.StatusBadRequest, ErrNotArray},
		{"event without id", func() *http.Request {
			return signedBatch(testToken, batch(event("EZ1", MessageAdded, `{}`), `{"type":"com.twilio.conversations.message.added"}`))
		}, http.StatusBadRequest, ErrMissingID},
		{"event without type", func() *http.Request {
			return signedBatch(testToken, batch(event("EZ1", MessageAdded, `{}`), `{"id":"EZ2"}`))
		}, http.StatusBadRequest, ErrMissingType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &calls{}
			var rejected error
			h := newTestHandler(t, c, func(cfg *Config) {
				cfg.MaxBodyBytes = 1024
				cfg.OnReject = func(_ *http.Request, err error) { rejected = err }
			})
			w := serve(h, tc.req())
			assert.Equal(t, tc.status, w.Code)
			assert.Empty(t, c.got(), "no callback")
			assert.ErrorIs(t, rejected, tc.err)
		})
	}

	// GET and other methods: 405.
	c := &calls{}
	h := newTestHandler(t, c, nil)
	r := signedBatch(testToken, good)
	r.Method = http.MethodGet
	w := serve(h, r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "POST", w.Header().Get("Allow"))

	// The zero Handler answers 500 and calls nothing.
	assert.Equal(t, http.StatusInternalServerError, serve(&Handler{}, signedBatch(testToken, good)).Code)
	_, err := (&Handler{}).ReadBatch(signedBatch(testToken, good))
	assert.Error(t, err)
}

// A wrong PublicOrigin: 401 with a *webhook.SignatureError naming the
// cause, logged without the token or signature.
func TestHandler_SignatureErrorLogged(t *testing.T) {
	var logBuf bytes.Buffer
	c := &calls{}
	h := newTestHandler(t, c, func(cfg *Config) {
		cfg.PublicOrigin = "https://old.example.com"
		cfg.Logger = slog.New(slog.NewJSONHandler(&logBuf, nil))
	})
	r := signedBatch(testToken, batch(event("EZ1", MessageAdded, `{}`)))
	r.Host = "events.example.com"
	w := serve(h, r)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	logged := logBuf.String()
	assert.Contains(t, logged, `"cause":"host"`)
	assert.NotContains(t, logged, testToken)
	assert.NotContains(t, logged, r.Header.Get(webhook.SignatureHeader))
}

func TestNewHandler_RefusesConfigurationsThatCannotWork(t *testing.T) {
	cb := func(context.Context, Event) error { return nil }
	cases := map[string]struct {
		cfg Config
		msg string
	}{
		"no callback":        {Config{AuthToken: "t"}, "no callback"},
		"no token":           {Config{OnEvent: cb}, "AuthToken is empty"},
		"short TTL":          {Config{AuthToken: "t", OnEvent: cb, SeenTTL: time.Hour}, "four-hour"},
		"negative TTL":       {Config{AuthToken: "t", OnEvent: cb, SeenTTL: -1}, "four-hour"},
		"bad origin":         {Config{AuthToken: "t", OnEvent: cb, PublicOrigin: "events.example.com"}, "must start with https://"},
		"negative body size": {Config{AuthToken: "t", OnEvent: cb, MaxBodyBytes: -1}, "negative"},
	}
	for name, c := range cases {
		h, err := NewHandler(c.cfg)
		assert.Nil(t, h, name)
		assert.ErrorIs(t, err, ErrConfig, name)
		assert.Contains(t, err.Error(), c.msg, name)
	}
	h, err := NewHandler(Config{AuthToken: "t", OnEvent: cb, SeenTTL: 4 * time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 4*time.Hour, h.ttl)
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

func ioNopCloser(s string) nopCloser { return nopCloser{strings.NewReader(s)} }
