package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/conversations-go/conversations"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "test-auth-token-0123456789abcdef"

// signedPost builds a form POST to rawURL signed with token over signURL
// (normally the same URL).
func signedPost(token, rawURL, signURL string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(SignatureHeader, ComputeSignature(token, signURL, form))
	return r
}

func messageAddForm() url.Values {
	return url.Values{
		"EventType":       {"onMessageAdd"},
		"AccountSid":      {"AC00000000000000000000000000000001"},
		"ConversationSid": {"CH00000000000000000000000000000001"},
		"Body":            {"hello & welcome"},
		"Author":          {"alice"},
		"Attributes":      {"{}"},
		"Source":          {"SDK"},
		"ClientIdentity":  {"alice"},
	}
}

// recorder counts callback invocations of every kind.
type recorder struct {
	calls atomic.Int32
	last  atomic.Value // Event
}

// mustHandler builds a Handler from a Config the test knows is valid.
func mustHandler(cfg Config) *Handler {
	h, err := NewHandler(cfg)
	if err != nil {
		panic(err)
	}
	return h
}

func (rc *recorder) handler(resp Response) *Handler { return mustHandler(rc.config(resp)) }

func (rc *recorder) config(resp Response) Config {
	note := func(e Event) Response {
		rc.calls.Add(1)
		rc.last.Store(e)
		return resp
	}
	return Config{
		AuthToken:           testToken,
		OnConversation:      func(_ *http.Request, e *ConversationEvent) Response { return note(e) },
		OnConversationState: func(_ *http.Request, e *ConversationStateEvent) Response { return note(e) },
		OnMessage:           func(_ *http.Request, e *MessageEvent) Response { return note(e) },
		OnParticipant:       func(_ *http.Request, e *ParticipantEvent) Response { return note(e) },
		OnDelivery:          func(_ *http.Request, e *DeliveryEvent) Response { return note(e) },
		OnUser:              func(_ *http.Request, e *UserEvent) Response { return note(e) },
		OnEvent:             func(_ *http.Request, e Event) Response { return note(e) },
	}
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const hookURL = "https://hooks.example.com/twilio/conversations?tenant=42"

func TestHandler_ValidMessageAdd(t *testing.T) {
	rc := &recorder{}
	h := rc.handler(Allow())
	w := serve(h, signedPost(testToken, hookURL, hookURL, messageAddForm()))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, w.Body.String())
	require.EqualValues(t, 1, rc.calls.Load())
	e := rc.last.Load().(*MessageEvent)
	assert.Equal(t, OnMessageAdd, e.EventType)
	assert.Equal(t, "hello & welcome", e.Body)
	assert.Equal(t, "CH00000000000000000000000000000001", e.ConversationSID)
}

func TestHandler_DocsWorkedExampleThroughHTTP(t *testing.T) {
	// The documented request is a Voice webhook: the signature checks out,
	// and only the missing EventType makes it malformed for Conversations.
	r := httptest.NewRequest(http.MethodPost, docsURL, strings.NewReader(docsParams().Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(SignatureHeader, docsSignature)
	h := mustHandler(Config{AuthToken: docsToken})
	_, err := h.ReadEvent(r)
	assert.ErrorIs(t, err, ErrMalformed)
	assert.ErrorIs(t, err, ErrNoEventType)
	assert.NotErrorIs(t, err, ErrInvalidSignature)

	r = httptest.NewRequest(http.MethodPost, docsURL, strings.NewReader(docsParams().Encode()))
	r.Header.Set(SignatureHeader, "RSOYDt4T1cUTdK1PDd93/VVr8B8=") // right algorithm, other request
	_, err = h.ReadEvent(r)
	assert.ErrorIs(t, err, ErrInvalidSignature)
}

func TestHandler_RefusesWithoutCallingBack(t *testing.T) {
	form := messageAddForm()
	tampered := messageAddForm()
	tampered.Set("Body", "hello & welcome!")

	cases := []struct {
		name   string
		req    func() *http.Request
		status int
		err    error
	}{
		{"missing signature", func() *http.Request {
			r := signedPost(testToken, hookURL, hookURL, form)
			r.Header.Del(SignatureHeader)
			return r
		}, http.StatusUnauthorized, ErrMissingSignature},
		{"garbage signature", func() *http.Request {
			r := signedPost(testToken, hookURL, hookURL, form)
			r.Header.Set(SignatureHeader, "AAAA")
			return r
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"wrong token", func() *http.Request {
			return signedPost("another-token", hookURL, hookURL, form)
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"tampered body", func() *http.Request {
			r := signedPost(testToken, hookURL, hookURL, form)
			r.Body = io.NopCloser(strings.NewReader(tampered.Encode()))
			r.ContentLength = int64(len(tampered.Encode()))
			return r
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"parameter appended to body", func() *http.Request {
			r := signedPost(testToken, hookURL, hookURL, form)
			b := form.Encode() + "&Author=mallory"
			r.Body = io.NopCloser(strings.NewReader(b))
			r.ContentLength = int64(len(b))
			return r
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"replayed to a different query string", func() *http.Request {
			return signedPost(testToken, "https://hooks.example.com/twilio/conversations?tenant=43", hookURL, form)
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"replayed with the query string dropped", func() *http.Request {
			return signedPost(testToken, "https://hooks.example.com/twilio/conversations", hookURL, form)
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"replayed with an extra query parameter", func() *http.Request {
			return signedPost(testToken, hookURL+"&admin=1", hookURL, form)
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"replayed to another path", func() *http.Request {
			return signedPost(testToken, "https://hooks.example.com/other?tenant=42", hookURL, form)
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"signed for https, received over http", func() *http.Request {
			return signedPost(testToken, strings.Replace(hookURL, "https", "http", 1), hookURL, form)
		}, http.StatusUnauthorized, ErrInvalidSignature},
		{"malformed form body", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, hookURL, strings.NewReader("Body=%zz"))
			r.Header.Set(SignatureHeader, ComputeSignature(testToken, hookURL, nil))
			return r
		}, http.StatusBadRequest, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := &recorder{}
			h := rc.handler(Allow())
			w := serve(h, c.req())
			assert.Equal(t, c.status, w.Code)
			assert.Zero(t, rc.calls.Load(), "callback must not run")

			_, err := h.ReadEvent(c.req())
			assert.ErrorIs(t, err, c.err)
		})
	}
}

// unsized hides the length of a reader from http.NewRequest, like a
// chunked upload.
type unsized struct{ io.Reader }

func TestHandler_OversizedBody(t *testing.T) {
	form := messageAddForm()
	form.Set("Body", strings.Repeat("x", 4096))
	enc := form.Encode()

	t.Run("declared length", func(t *testing.T) {
		rc := &recorder{}
		cfg := rc.config(Allow())
		cfg.MaxBodyBytes = 1024
		h := mustHandler(cfg)
		w := serve(h, signedPost(testToken, hookURL, hookURL, form))
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
		assert.Zero(t, rc.calls.Load())
	})
	t.Run("unknown length", func(t *testing.T) {
		rc := &recorder{}
		cfg := rc.config(Allow())
		cfg.MaxBodyBytes = 1024
		h := mustHandler(cfg)
		r := httptest.NewRequest(http.MethodPost, hookURL, unsized{strings.NewReader(enc)})
		require.EqualValues(t, -1, r.ContentLength)
		r.Header.Set(SignatureHeader, ComputeSignature(testToken, hookURL, form))
		w := serve(h, r)
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
		assert.Zero(t, rc.calls.Load())
	})
	t.Run("lying length", func(t *testing.T) {
		rc := &recorder{}
		cfg := rc.config(Allow())
		cfg.MaxBodyBytes = 1024
		h := mustHandler(cfg)
		r := signedPost(testToken, hookURL, hookURL, form)
		r.ContentLength = 10
		w := serve(h, r)
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
		assert.Zero(t, rc.calls.Load())
	})
	t.Run("exactly at the limit", func(t *testing.T) {
		rc := &recorder{}
		cfg := rc.config(Allow())
		cfg.MaxBodyBytes = int64(len(enc))
		h := mustHandler(cfg)
		w := serve(h, signedPost(testToken, hookURL, hookURL, form))
		assert.Equal(t, http.StatusOK, w.Code)
		assert.EqualValues(t, 1, rc.calls.Load())
	})
	t.Run("default limit", func(t *testing.T) {
		big := messageAddForm()
		big.Set("Body", strings.Repeat("y", DefaultMaxBodyBytes))
		rc := &recorder{}
		h := rc.handler(Allow())
		w := serve(h, signedPost(testToken, hookURL, hookURL, big))
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
		assert.Zero(t, rc.calls.Load())
	})
}

func TestHandler_Responses(t *testing.T) {
	cases := []struct {
		name        string
		resp        Response
		status      int
		body        string // JSON, or "" for no body check
		contentType string
	}{
		{"allow", Allow(), 200, "", ""},
		{"zero value allows", Response{}, 200, "", ""},
		{"reject 403", Reject(http.StatusForbidden), 403, "", ""},
		{"reject 422", Reject(http.StatusUnprocessableEntity), 422, "", ""},
		{"reject 503", Reject(http.StatusServiceUnavailable), 503, "", ""},
		{"reject with a 2xx becomes 403", Reject(http.StatusOK), 403, "", ""},
		{"reject with a 3xx becomes 403", Reject(http.StatusFound), 403, "", ""},
		{"modify message", ModifyMessage(MessageChanges{
			Body:       conversations.Ptr("[redacted]"),
			Author:     conversations.Ptr("moderator"),
			Attributes: conversations.Ptr(`{"key" : "value"}`),
		}), 200, `{"body":"[redacted]","author":"moderator","attributes":"{\"key\" : \"value\"}"}`, "application/json"},
		{"modify message body only", ModifyMessage(MessageChanges{Body: conversations.Ptr("")}), 200, `{"body":""}`, "application/json"},
		{"modify conversation", ModifyConversation(ConversationChanges{FriendlyName: conversations.Ptr("friendly name of conversation")}),
			200, `{"friendly_name":"friendly name of conversation"}`, "application/json"},
		{"modify nothing", ModifyMessage(MessageChanges{}), 200, `{}`, "application/json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := &recorder{}
			h := rc.handler(c.resp)
			w := serve(h, signedPost(testToken, hookURL, hookURL, messageAddForm()))
			assert.Equal(t, c.status, w.Code)
			assert.Equal(t, c.status, c.resp.StatusCode())
			assert.Equal(t, c.status != 200, c.resp.Rejects())
			if c.body != "" {
				assert.JSONEq(t, c.body, w.Body.String())
				assert.JSONEq(t, c.body, string(c.resp.Body()))
				assert.Equal(t, c.contentType, w.Header().Get("Content-Type"))
			} else if c.status == 200 {
				assert.Empty(t, w.Body.Bytes())
			}
			assert.EqualValues(t, 1, rc.calls.Load())
		})
	}
}

func TestHandler_GETWebhook(t *testing.T) {
	q := messageAddForm()
	full := "https://hooks.example.com/hook?" + q.Encode()
	r := httptest.NewRequest(http.MethodGet, full, nil)
	r.Header.Set(SignatureHeader, ComputeSignature(testToken, full, nil))
	rc := &recorder{}
	w := serve(rc.handler(Allow()), r)
	require.Equal(t, http.StatusOK, w.Code)
	e := rc.last.Load().(*MessageEvent)
	assert.Equal(t, "hello & welcome", e.Body)

	// Changing one query parameter breaks it.
	q.Set("Body", "changed")
	r = httptest.NewRequest(http.MethodGet, "https://hooks.example.com/hook?"+q.Encode(), nil)
	r.Header.Set(SignatureHeader, ComputeSignature(testToken, full, nil))
	rc = &recorder{}
	w = serve(rc.handler(Allow()), r)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Zero(t, rc.calls.Load())
}

func TestHandler_JSONBodyVariant(t *testing.T) {
	body := []byte(`{"EventType":"onMessageAdded","ConversationSid":"CH1","Index":3,"Body":"hi","Attributes":{"a":1},"Extra":null,"Flag":true}`)
	u := "https://hooks.example.com/hook?" + BodyHashParam + "=" + ComputeBodyHash(body)
	newReq := func(b []byte) *http.Request {
		r := httptest.NewRequest(http.MethodPost, u, bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(SignatureHeader, ComputeSignature(testToken, u, nil))
		return r
	}

	rc := &recorder{}
	w := serve(rc.handler(Allow()), newReq(body))
	require.Equal(t, http.StatusOK, w.Code)
	e := rc.last.Load().(*MessageEvent)
	assert.Equal(t, "hi", e.Body)
	require.NotNil(t, e.Index)
	assert.Equal(t, 3, *e.Index)
	assert.JSONEq(t, `{"a":1}`, e.Attributes)
	assert.Equal(t, url.Values{"Extra": {""}, "Flag": {"true"}}, e.Extra)

	tampered := bytes.Replace(body, []byte(`"hi"`), []byte(`"ho"`), 1)
	rc = &recorder{}
	w = serve(rc.handler(Allow()), newReq(tampered))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Zero(t, rc.calls.Load())
	_, err := mustHandler(Config{AuthToken: testToken}).ReadEvent(newReq(tampered))
	assert.ErrorIs(t, err, ErrBodyHashMismatch)

	notObject := []byte(`["x"]`)
	u2 := "https://hooks.example.com/hook?" + BodyHashParam + "=" + ComputeBodyHash(notObject)
	r := httptest.NewRequest(http.MethodPost, u2, bytes.NewReader(notObject))
	r.Header.Set(SignatureHeader, ComputeSignature(testToken, u2, nil))
	rc = &recorder{}
	w = serve(rc.handler(Allow()), r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Zero(t, rc.calls.Load())
}

func TestHandler_Dispatch(t *testing.T) {
	var got []string
	var mu sync.Mutex
	note := func(s string) Response {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
		return Allow()
	}
	h := mustHandler(Config{
		AuthToken: testToken,
		OnMessage: func(_ *http.Request, e *MessageEvent) Response { return note("message:" + e.EventType.String()) },
		OnUser:    func(_ *http.Request, e *UserEvent) Response { return note("user:" + e.EventType.String()) },
		OnEvent: func(_ *http.Request, e Event) Response {
			return note("other:" + e.Base().EventType.String() + ":" + typeName(e))
		},
	})
	for _, et := range []EventType{OnMessageRemoved, OnUserUpdate, OnParticipantAdded, OnDeliveryUpdated, "onBrandNewThing"} {
		w := serve(h, signedPost(testToken, hookURL, hookURL, url.Values{"EventType": {string(et)}}))
		require.Equal(t, http.StatusOK, w.Code, et)
	}
	assert.Equal(t, []string{
		"message:onMessageRemoved",
		"user:onUserUpdate",
		"other:onParticipantAdded:*webhook.ParticipantEvent",
		"other:onDeliveryUpdated:*webhook.DeliveryEvent",
		"other:onBrandNewThing:*webhook.GenericEvent",
	}, got)

	// No callback at all: allowed.
	w := serve(mustHandler(Config{AuthToken: testToken}), signedPost(testToken, hookURL, hookURL, messageAddForm()))
	assert.Equal(t, http.StatusOK, w.Code)
}

func typeName(e Event) string {
	switch e.(type) {
	case *ParticipantEvent:
		return "*webhook.ParticipantEvent"
	case *DeliveryEvent:
		return "*webhook.DeliveryEvent"
	case *GenericEvent:
		return "*webhook.GenericEvent"
	}
	return "?"
}

func TestHandler_MethodAndConfiguration(t *testing.T) {
	rc := &recorder{}
	r := httptest.NewRequest(http.MethodPut, hookURL, strings.NewReader(messageAddForm().Encode()))
	w := serve(rc.handler(Allow()), r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "GET, POST", w.Header().Get("Allow"))

	// A Handler not built by NewHandler answers 500 and reads nothing.
	h := &Handler{}
	w = serve(h, signedPost("", hookURL, hookURL, messageAddForm()))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	_, err := h.ReadEvent(signedPost("", hookURL, hookURL, messageAddForm()))
	assert.Error(t, err)
	assert.Zero(t, rc.calls.Load())
}

func TestHandler_ProxyURLs(t *testing.T) {
	public := "https://public.example.com/twilio/hook?x=1"
	form := messageAddForm()
	// What the Go server sees behind a TLS-terminating proxy.
	internal := func() *http.Request {
		r := signedPost(testToken, "http://10.0.0.7:8080/twilio/hook?x=1", public, form)
		r.RequestURI = "/twilio/hook?x=1"
		return r
	}

	rc := &recorder{}
	cfg := rc.config(Allow())
	assert.Equal(t, http.StatusUnauthorized, serve(mustHandler(cfg), internal()).Code, "default URL is the internal one")

	cfg.PublicOrigin = "https://public.example.com/"
	assert.Equal(t, http.StatusOK, serve(mustHandler(cfg), internal()).Code)

	cfg.PublicOrigin = ""
	cfg.URL = ForwardedURL
	h := mustHandler(cfg)
	r := internal()
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("X-Forwarded-Host", "public.example.com, proxy2.internal")
	assert.Equal(t, http.StatusOK, serve(h, r).Code)

	// Public URL with an explicit default port, Twilio signing without it.
	cfg.URL = nil
	cfg.PublicOrigin = "https://public.example.com:443"
	assert.Equal(t, http.StatusOK, serve(mustHandler(cfg), internal()).Code)
	assert.EqualValues(t, 3, rc.calls.Load())
}

func TestRequestURLHelpers(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "http://a.test:8080/p/q?x=%2F&y=", nil)
	assert.Equal(t, "http://a.test:8080/p/q?x=%2F&y=", RequestURL(r))
	r = httptest.NewRequest(http.MethodPost, "https://a.test/p", nil)
	assert.Equal(t, "https://a.test/p", RequestURL(r))
	r.RequestURI = "/p?raw=%7e"
	assert.Equal(t, "https://a.test/p?raw=%7e", RequestURL(r), "request URI used byte for byte")
	assert.Equal(t, "https://o.test/base/p?raw=%7e", mustHandler(Config{AuthToken: "t", PublicOrigin: "https://o.test/base/"}).urlFn(r))
	assert.Equal(t, "https://a.test/p?raw=%7e", ForwardedURL(r))
}

// End to end over a real listener, behind http.StripPrefix, with concurrent
// requests (run with -race).
func TestHandler_RealServerConcurrent(t *testing.T) {
	var calls atomic.Int32
	h := mustHandler(Config{
		AuthToken: testToken,
		OnMessage: func(r *http.Request, e *MessageEvent) Response {
			calls.Add(1)
			return ModifyMessage(MessageChanges{Body: conversations.Ptr(strings.ToUpper(e.Body))})
		},
	})
	mux := http.NewServeMux()
	mux.Handle("/hooks/", http.StripPrefix("/hooks", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	target := srv.URL + "/hooks/conversations?tenant=7"
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			form := messageAddForm()
			form.Set("Body", strings.Repeat("ab", i+1))
			sign := target
			if i%4 == 3 {
				sign = target + "&tampered=1" // every fourth is forged
			}
			req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(SignatureHeader, ComputeSignature(testToken, sign, form))
			resp, err := srv.Client().Do(req)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			if i%4 == 3 {
				if resp.StatusCode != http.StatusUnauthorized {
					errs <- errors.New("forged request not refused: " + resp.Status)
				}
				return
			}
			var got map[string]string
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				errs <- err
				return
			}
			if got["body"] != strings.Repeat("AB", i+1) {
				errs <- errors.New("unexpected body " + got["body"])
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.EqualValues(t, n-n/4, calls.Load())
}
