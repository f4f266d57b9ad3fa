package conversationstest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/listenurl"
)

// Credentials and SIDs the fake uses unless told otherwise.
const (
	// DefaultAccountSID is the Account SID the fake accepts (as the Basic
	// auth username) and puts in every resource's account_sid. It has the
	// shape of a real one, "AC" and 32 hex digits, so that clients which
	// check the shape (the official twilio-go does) accept it; no real
	// account has it.
	DefaultAccountSID = "AC0f3c5a7e9b1d2f4a6c8e0b2d4f6a8c0e"
	// DefaultAuthToken is the Auth Token the fake accepts as the Basic auth
	// password and signs its webhooks with (X-Twilio-Signature). Like a
	// real one it is 32 hex digits.
	DefaultAuthToken = "5e1d9b3f7a2c4e6081f3a5c7e9b0d2f4"
	// DefaultServiceSID is the SID of the Conversation Service the fake
	// creates at start and makes the account's default: the routes without
	// /Services/{ChatServiceSid} (/v1/Conversations, /v1/Users, /v1/Roles,
	// ...) address it, as long as the account configuration's
	// default_chat_service_sid is not changed.
	DefaultServiceSID = "IS00000000000000000000000000000000"
	// DefaultMessagingServiceSID is the account's default Messaging Service,
	// which new conversations get as messaging_service_sid.
	DefaultMessagingServiceSID = "MG00000000000000000000000000000000"
)

// Option configures a Server in New and NewServer.
type Option func(*Server)

// WithCredentials makes the fake accept accountSID and authToken instead of
// DefaultAccountSID and DefaultAuthToken. accountSID is also what resources
// carry as account_sid.
func WithCredentials(accountSID, authToken string) Option {
	return func(s *Server) { s.AccountSID, s.AuthToken = accountSID, authToken }
}

// WithClock makes the fake read the time from now instead of time.Now. The
// fake's dates, state timers and Advance all work on this clock.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.clock = now }
}

// Server is an in-memory, stateful fake of the Twilio Conversations v1 REST
// API, served over HTTP on 127.0.0.1 (New, NewServer) or by any HTTP server
// as an http.Handler (NewHandler). Point a *conversations.Client at it
// with Client, or at URL with conversations.WithBaseURL and the
// AccountSID/AuthToken credentials.
//
// A Server is safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. "http://127.0.0.1:54321"; the
	// API lives below URL + "/v1". It is the base of every absolute URL the
	// fake returns (url, links, next_page_url, media links): the listener's
	// address, or the URL given with WithPublicBaseURL.
	URL string
	// AccountSID is the Basic auth username the fake accepts.
	AccountSID string
	// AuthToken is the Basic auth password the fake accepts.
	AuthToken string

	ts *httptest.Server
	tb testing.TB

	mu     sync.Mutex // guards st, clock, offset
	st     *state
	clock  func() time.Time
	offset time.Duration

	recMu    sync.Mutex // guards requests and faults
	requests []Request
	history  *int // WithRequestHistory (requests, deliveries, stream events); nil keeps all
	faults   []*faultRule

	listenAddr string // WithListenAddr; "" is 127.0.0.1:0
	optErr     error  // an invalid option, reported by New or NewHandler

	hookTimeout time.Duration
	hookHosts   map[string]bool
	hookClient  *http.Client
	hooks       deliveries
	streams     *streams        // Event Streams sink (eventstreams.go); nil without one
	bgCtx       context.Context // cancelled by Close: stops webhooks in flight
	bgCancel    context.CancelFunc

	v2     v2Settings   // see v2_server.go; guarded by mu
	limits *writeLimits // limits.go: WithWriteLimits
}

// New starts a fake on 127.0.0.1 (or the address of WithListenAddr) with a
// fresh, empty account (plus its default Conversation Service). Call Close
// when done; in tests prefer NewServer, which does that for you. New
// panics if it cannot listen or an option is invalid (WithPublicBaseURL).
func New(opts ...Option) *Server {
	s := newUnstarted(opts)
	if s.optErr != nil {
		panic(s.optErr.Error())
	}
	addr := s.listenAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		panic(fmt.Sprintf("conversationstest: listening on %s: %v", addr, err))
	}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.ts.Listener.Close()
	s.ts.Listener = ln
	s.ts.Start()
	if s.URL == "" {
		s.URL = listenurl.Of(ln.Addr())
	}
	return s
}

// newUnstarted builds a Server from opts without serving it.
func newUnstarted(opts []Option) *Server {
	s := &Server{
		AccountSID:  DefaultAccountSID,
		AuthToken:   DefaultAuthToken,
		clock:       time.Now,
		hookTimeout: DefaultWebhookTimeout,
		hookHosts:   map[string]bool{},
	}
	s.hooks.queues = map[string][]hookJob{}
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	// Twilio does not follow redirects of webhook answers here either: the
	// answer is what the handler said. The loopback rule holds for every
	// request, whatever client WithWebhookClient gave (hookclient.go).
	s.hookClient = guardClient(s.hookClient, s.hostAllowed)
	s.st = s.newState()
	return s
}

// NewServer starts a fake for the test t and closes it when the test ends.
//
//	srv := conversationstest.NewServer(t)
//	client := srv.Client()
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	s.tb = t
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down: webhooks still queued or in flight are
// cancelled, and Close waits for its requests to finish.
func (s *Server) Close() {
	s.closeDeliveries()
	if s.ts != nil {
		s.ts.Close()
	}
}

// HTTPClient returns an *http.Client that talks to the server (for a
// Server from NewHandler, a plain client for whatever serves it).
func (s *Server) HTTPClient() *http.Client {
	if s.ts == nil {
		return &http.Client{}
	}
	return s.ts.Client()
}

// Client returns a *conversations.Client wired to the fake: its base URL,
// credentials the fake accepts and an HTTP client for it. Retries are off,
// so that a test sees every answer, unless opts contain
// conversations.WithRetry; opts are applied last and win.
func (s *Server) Client(opts ...conversations.Option) *conversations.Client {
	all := append([]conversations.Option{
		conversations.WithBaseURL(s.URL),
		conversations.WithHTTPClient(s.HTTPClient()),
		conversations.WithoutRetry(),
	}, opts...)
	c, err := conversations.NewClient(s.AccountSID, s.AuthToken, all...)
	if err != nil {
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("conversationstest: building client: %v", err)
		}
		panic(fmt.Sprintf("conversationstest: building client: %v", err))
	}
	return c
}

// DefaultServiceSID returns the SID of the account's default Conversation
// Service: the constant DefaultServiceSID, unless a request changed the
// account configuration's default_chat_service_sid (client.Configuration.Update
// with DefaultChatServiceSID, POST /v1/Configuration). Reset restores the
// constant.
func (s *Server) DefaultServiceSID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.defaultSvc
}

// Now returns the fake's current time: its clock (time.Now, or the function
// given to WithClock) plus every Advance so far, in UTC and truncated to
// whole seconds. The truncation is deliberate: Twilio's date fields
// (date_created, date_updated, ...) carry whole seconds, and the fake stamps
// resources with Now, so a time computed from Now compares equal (==,
// time.Time.Equal) with the dates the fake returns. Two calls within the
// same second return the same time; sub-second Advance steps add up but
// show only when they cross a second.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

// Advance moves the fake's clock forward by d. It runs nothing itself:
// conversation state timers (Timers.Inactive, Timers.Closed) that are due
// at the new time fire only when the fake next serves an authenticated API
// request (any route) or ReceiveMessage is called. Then, before that request
// is handled, each due conversation changes state with date_updated set to
// the time the timer was due (not the time of the request), and its
// onConversationStateUpdated webhook (Reason "TIMER") is queued. So after
// Advance, make a request (for example fetch the conversation) before you
// assert the new state or wait for the webhook.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// Reset deletes everything and starts again from an empty account; recorded
// requests, recorded webhook deliveries, recorded Event Streams deliveries
// and events (ResetStreamDeliveries) and pending faults are dropped too.
// The emulator's POST /_emulator/reset calls Reset.
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = s.newState()
	s.mu.Unlock()
	s.recMu.Lock()
	s.requests, s.faults = nil, nil
	s.recMu.Unlock()
	s.ResetDeliveries()
	s.ResetStreamDeliveries()
}

func (s *Server) nowLocked() time.Time {
	return s.clock().Add(s.offset).UTC().Truncate(time.Second)
}

func (s *Server) newState() *state {
	st := &state{
		seqOf:        map[string]int64{},
		services:     map[string]*service{},
		credentials:  map[string]*credential{},
		addresses:    map[string]*addressConfig{},
		receiptIndex: map[string]*receipt{},
		bindingIdx:   map[[2]string][]*participant{},
		config:       accountConfig{messagingServiceSID: DefaultMessagingServiceSID},
		configHook:   accountWebhook{method: "POST", target: "webhook"},
	}
	now := s.clock().Add(s.offset).UTC().Truncate(time.Second)
	st.seq++
	b := base{sid: DefaultServiceSID, seq: st.seq, created: now, updated: now}
	st.seqOf[b.sid] = b.seq
	st.services[b.sid] = newService(b, "Default Conversations Service")
	st.defaultSvc = b.sid
	return st
}

// reqCtx is one request being handled.
type reqCtx struct {
	s    *Server
	r    *http.Request
	now  time.Time
	p    *params
	segs []string // decoded path segments below /v1
	sc   scope
}

// scope is the Conversation Service a route works in, and whether the
// route named it (/v1/Services/{sid}/...) or used the default one.
type scope struct {
	svc    *service
	scoped bool
	base   string
}

// prefix is the path up to the resource, without the server URL.
func (sc scope) prefix() string {
	if sc.scoped {
		return "/v1/Services/" + sc.svc.sid
	}
	return "/v1"
}

// url is an absolute URL below the scope's prefix.
func (sc scope) url(rest string) string { return sc.base + sc.prefix() + rest }

// result is a handler's answer.
type result struct {
	status int
	body   any
}

func ok(body any) (result, *apiError)      { return result{http.StatusOK, body}, nil }
func created(body any) (result, *apiError) { return result{http.StatusCreated, body}, nil }
func noContent() (result, *apiError)       { return result{status: http.StatusNoContent}, nil }
func fail(e *apiError) (result, *apiError) { return result{}, e }

const maxBody = 10 << 20

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveMedia(w, r) { // media.go: streamed uploads, temporary links
		return
	}
	if s.serveV2(w, r) { // v2_server.go: the Conversation Orchestrator API below /v2
		return
	}
	body, rec := readRequest(r, maxBody)
	if r.Method == http.MethodPost {
		if f, err := url.ParseQuery(string(body)); err == nil {
			rec.Form = f
		}
	}
	fault := s.record(rec)

	w.Header().Set("Twilio-Request-Id", newSID("RQ"))
	if fault != nil && !fault.AfterHandling {
		s.writeFault(w, r, fault)
		return
	}
	if s.writeLimited(w, r) { // limits.go: Twilio's write limits, when enabled
		return
	}

	res, aerr := s.handle(r, rec)
	if fault != nil {
		s.writeFault(w, r, fault)
		return
	}
	if aerr != nil {
		writeJSON(w, aerr.Status, aerr.body())
		return
	}
	if res.status == http.StatusNoContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, res.status, res.body)
}

// readRequest reads at most limit bytes of r's body, closes it, and
// returns the body with r as the history records it (Form still empty).
func readRequest(r *http.Request, limit int64) ([]byte, Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, limit))
	_ = r.Body.Close()
	return body, Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   string(body),
		Form:   url.Values{},
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal((&apiError{status, conversations.CodeInternalServerError, "encoding response: " + err.Error()}).body())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// handle authenticates, parses and routes one request.
func (s *Server) handle(r *http.Request, rec Request) (result, *apiError) {
	user, pass, hasAuth := r.BasicAuth()
	if !hasAuth || user != s.AccountSID || pass != s.AuthToken {
		return fail(&apiError{http.StatusUnauthorized, conversations.CodeAuthenticationFailed, "Authenticate"})
	}
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil || len(segs) < 2 || segs[0] != "v1" {
		return fail(errNotFound(r.URL.Path))
	}
	p := &params{v: rec.Query, where: "query"}
	if r.Method == http.MethodPost {
		ct := r.Header.Get("Content-Type")
		if mt, _, _ := mime.ParseMediaType(ct); ct != "" && mt != "application/x-www-form-urlencoded" {
			return fail(errBad(conversations.CodeBadRequest, "Content-Type must be application/x-www-form-urlencoded, got "+ct))
		}
		f, err := url.ParseQuery(rec.Body)
		if err != nil {
			return fail(errBad(conversations.CodeBadRequest, "malformed form body: "+err.Error()))
		}
		p = &params{v: f, where: "post body"}
	}
	if v := r.Header.Get("X-Twilio-Webhook-Enabled"); v != "" && !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
		return fail(errInvalid("X-Twilio-Webhook-Enabled", fmt.Sprintf("%q is not true or false", v)))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rc := &reqCtx{s: s, r: r, now: s.nowLocked(), p: p, segs: segs[1:]}
	s.fireTimersLocked(rc.now)
	return s.route(rc)
}

// splitPath splits an escaped path into decoded segments, so that a
// unique name or identity holding an escaped '/' stays one segment.
func splitPath(escaped string) ([]string, error) {
	parts := strings.Split(strings.Trim(escaped, "/"), "/")
	out := make([]string, len(parts))
	for i, p := range parts {
		d, err := url.PathUnescape(p)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// resourcePath is the path Twilio quotes in a 20404 message: below /v1.
func (rc *reqCtx) resourcePath() string {
	return strings.TrimPrefix(rc.r.URL.Path, "/v1")
}

func (rc *reqCtx) notFound() (result, *apiError) { return fail(errNotFound(rc.resourcePath())) }

// methods dispatches on the HTTP method; anything else gets 405.
type methods map[string]func() (result, *apiError)

func (rc *reqCtx) dispatch(m methods) (result, *apiError) {
	if h, ok := m[rc.r.Method]; ok {
		return h()
	}
	return fail(&apiError{http.StatusMethodNotAllowed, conversations.CodeMethodNotAllowed, "Method not allowed: " + rc.r.Method + " " + rc.r.URL.Path})
}
