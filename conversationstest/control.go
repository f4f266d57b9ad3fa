package conversationstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ControlPrefix is the path prefix of the control plane (see ControlPlane).
// Twilio's routes all start with a version ("/v1", "/v2"), so it cannot
// collide with them.
const ControlPrefix = "/_emulator"

// maxControlBody bounds a control-plane request body; PUT state may be
// larger (it carries media).
const (
	maxControlBody = 1 << 20
	maxStateBody   = 256 << 20
)

// ControlPlane returns an http.Handler for the fake's control plane: what a
// Go test does with the Server's methods, over HTTP with JSON in and out, for
// programs in any language (cmd/conversations-emulator mounts it). It
// serves the paths below ControlPrefix; every answer is JSON, errors are
// {"error": "..."} with a 4xx status (504 when a ?wait runs out). It asks for no credentials: serve it
// only where the fake's clients are trusted (loopback).
//
//	GET    /_emulator/health              {"status":"ok","account_sid":...,"now":...}
//	POST   /_emulator/inbound             play an inbound message (ReceiveMessage)
//	GET    /_emulator/clock               {"now":...}
//	POST   /_emulator/clock/advance       {"duration":"90s"} moves the clock (Advance)
//	GET    /_emulator/webhooks[?wait=5s]  webhook deliveries (Deliveries, WaitDeliveries)
//	DELETE /_emulator/webhooks            forget them (ResetDeliveries)
//	GET    /_emulator/eventstreams        Event Streams events and deliveries (StreamEvents,
//	                                      StreamDeliveries; ?wait=5s: FlushEventStreams first)
//	DELETE /_emulator/eventstreams        forget them (ResetStreamDeliveries)
//	POST   /_emulator/faults              fail the next requests (FailNext), e.g. {"count":1,
//	                                      "method":"POST","path":"/v1/Conversations","status":429,
//	                                      "header":{"Retry-After":["1"]}}; also "body", "code",
//	                                      "message", "delay" ("2s"), "after_handling"
//	GET    /_emulator/faults              {"pending":n} (PendingFaults)
//	DELETE /_emulator/faults              drop them (ClearFaults)
//	POST   /_emulator/receipts            {"receipt_sid","status","error_code"} (SetReceiptStatus)
//	POST   /_emulator/bindings            {"chat_service_sid","identity","binding_type","endpoint",
//	                                      "credential_sid","message_types"} (AddBinding), answers its sid
//	GET    /_emulator/requests            requests received (Requests), Authorization left out
//	DELETE /_emulator/requests            forget them (ResetRequests)
//	POST   /_emulator/reset               empty account (Reset)
//	GET    /_emulator/state               the state as JSON (SaveState)
//	PUT    /_emulator/state               replace the state (LoadState)
//
// POST /_emulator/inbound takes {"address", "proxy_address", "body",
// "attributes", "media_sid"} (InboundMessage's fields) and answers 201
// {"stored": true, "message_sid", "conversation_sid", "pre_action": [...]}
// when the message was stored, 200 {"stored": false, "pre_action": [...]}
// when a pre-action webhook rejected it, and 404 when no open conversation
// has a participant with that address and proxy address. Each pre_action
// entry is one pre-action webhook sent: {"url", "status", "verdict",
// "error"}, verdict "accepted" (let through unmodified: an empty 200, an
// unexpected status, no answer in time), "modified" (a 200 with a JSON body
// that changed the message) or "rejected" (4xx or 5xx).
func (s *Server) ControlPlane() http.Handler { return http.HandlerFunc(s.serveControl) }

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, ControlPrefix), "/")
	type route struct {
		method string
		h      func(http.ResponseWriter, *http.Request)
	}
	var routes []route
	switch path {
	case "/health":
		routes = []route{{http.MethodGet, s.ctlHealth}}
	case "/inbound":
		routes = []route{{http.MethodPost, s.ctlInbound}}
	case "/clock":
		routes = []route{{http.MethodGet, s.ctlClock}}
	case "/clock/advance":
		routes = []route{{http.MethodPost, s.ctlAdvance}}
	case "/webhooks":
		routes = []route{{http.MethodGet, s.ctlWebhooks}, {http.MethodDelete, s.ctlClearWebhooks}}
	case "/eventstreams":
		routes = []route{{http.MethodGet, s.ctlStreams}, {http.MethodDelete, s.ctlClearStreams}}
	case "/faults":
		routes = []route{{http.MethodGet, s.ctlFaults}, {http.MethodPost, s.ctlAddFault}, {http.MethodDelete, s.ctlClearFaults}}
	case "/receipts":
		routes = []route{{http.MethodPost, s.ctlReceipt}}
	case "/bindings":
		routes = []route{{http.MethodPost, s.ctlBinding}}
	case "/requests":
		routes = []route{{http.MethodGet, s.ctlRequests}, {http.MethodDelete, s.ctlClearRequests}}
	case "/reset":
		routes = []route{{http.MethodPost, s.ctlReset}}
	case "/state":
		routes = []route{{http.MethodGet, s.ctlGetState}, {http.MethodPut, s.ctlPutState}}
	default:
		ctlError(w, http.StatusNotFound, "no control-plane endpoint "+r.URL.Path)
		return
	}
	allowed := make([]string, 0, len(routes))
	for _, rt := range routes {
		if rt.method == r.Method {
			rt.h(w, r)
			return
		}
		allowed = append(allowed, rt.method)
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	ctlError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+"; use "+strings.Join(allowed, " or "))
}

// ctlJSON writes a control-plane answer: JSON and a newline, so that
// answers printed one after the other (curl in a shell) stay one a line.
func ctlJSON(w http.ResponseWriter, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": "encoding the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func ctlError(w http.ResponseWriter, status int, msg string) {
	ctlJSON(w, status, map[string]string{"error": msg})
}

// ctlDecode reads a JSON object into v, refusing unknown fields and
// trailing data.
func ctlDecode(w http.ResponseWriter, r *http.Request, v any, limit int64) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON object")
	}
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("trailing data after the JSON object")
		}
	}
	if err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		ctlError(w, status, "request body: "+err.Error())
		return false
	}
	return true
}

func (s *Server) ctlHealth(w http.ResponseWriter, _ *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]string{
		"status":      "ok",
		"account_sid": s.AccountSID,
		"url":         s.URL,
		"now":         ts(s.Now()),
	})
}

func (s *Server) ctlClock(w http.ResponseWriter, _ *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]string{"now": ts(s.Now())})
}

func (s *Server) ctlAdvance(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Duration string `json:"duration"`
	}
	if !ctlDecode(w, r, &in, maxControlBody) {
		return
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil || d < 0 {
		ctlError(w, http.StatusBadRequest, fmt.Sprintf("duration %q is not a Go duration of 0 or more, e.g. \"90s\" or \"1h30m\"", in.Duration))
		return
	}
	s.Advance(d)
	ctlJSON(w, http.StatusOK, map[string]string{"now": ts(s.Now())})
}

func (s *Server) ctlReset(w http.ResponseWriter, _ *http.Request) {
	s.Reset() // faults and Event Streams deliveries too
	ctlJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// preActionJSON is one pre-action webhook in the inbound answer.
type preActionJSON struct {
	URL     string `json:"url"`
	Status  int    `json:"status"`
	Verdict string `json:"verdict"`
	Error   string `json:"error,omitempty"`
}

// preActionNotes collects the pre-action webhooks of one ReceiveMessage
// call for the control plane; ReceiveMessage finds it in its context.
type preActionNotes struct {
	mu    sync.Mutex
	hooks []preActionJSON
}

type preActionKey struct{}

// notePreAction records a pre-action webhook's delivery and decision in
// the notes ctx carries, if any.
func notePreAction(ctx context.Context, d Delivery, pd preDecision) {
	n, _ := ctx.Value(preActionKey{}).(*preActionNotes)
	if n == nil {
		return
	}
	v := preActionJSON{URL: d.URL, Status: d.Status, Verdict: "accepted"}
	switch {
	case pd.reject:
		v.Verdict = "rejected"
	case pd.body != nil || pd.author != nil || pd.attributes != nil:
		v.Verdict = "modified"
	}
	if d.Err != nil {
		v.Error = d.Err.Error()
	}
	n.mu.Lock()
	n.hooks = append(n.hooks, v)
	n.mu.Unlock()
}

func (s *Server) ctlInbound(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Address      string `json:"address"`
		ProxyAddress string `json:"proxy_address"`
		Body         string `json:"body"`
		Attributes   string `json:"attributes"`
		MediaSID     string `json:"media_sid"`
	}
	if !ctlDecode(w, r, &in, maxControlBody) {
		return
	}
	notes := &preActionNotes{}
	ctx := context.WithValue(r.Context(), preActionKey{}, notes)
	sid, err := s.ReceiveMessage(ctx, InboundMessage{
		Address: in.Address, ProxyAddress: in.ProxyAddress, Body: in.Body,
		Attributes: in.Attributes, MediaSID: in.MediaSID,
	})
	notes.mu.Lock()
	pre := append([]preActionJSON{}, notes.hooks...)
	notes.mu.Unlock()
	var rejected *RejectedError
	switch {
	case errors.As(err, &rejected):
		ctlJSON(w, http.StatusOK, map[string]any{"stored": false, "pre_action": pre})
	case errors.Is(err, ErrNoConversation):
		ctlError(w, http.StatusNotFound, err.Error())
	case err != nil:
		ctlError(w, http.StatusBadRequest, err.Error())
	default:
		ctlJSON(w, http.StatusCreated, map[string]any{
			"stored":           true,
			"message_sid":      sid,
			"conversation_sid": s.messageConversation(sid),
			"pre_action":       pre,
		})
	}
}

// messageConversation returns the SID of the conversation holding the
// message sid, or "" if it is gone.
func (s *Server) messageConversation(sid string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, svc := range s.st.services {
		for _, c := range svc.conversations {
			if c.messages[sid] != nil {
				return c.sid
			}
		}
	}
	return ""
}

// deliveryJSON is a Delivery as the control plane lists it.
type deliveryJSON struct {
	URL             string              `json:"url"`
	Method          string              `json:"method"`
	EventType       string              `json:"event_type"`
	PreAction       bool                `json:"pre_action"`
	ConversationSID string              `json:"conversation_sid,omitempty"`
	Form            map[string][]string `json:"form"`
	Header          map[string][]string `json:"header"`
	Status          int                 `json:"status"`
	Body            string              `json:"body"`
	Error           string              `json:"error,omitempty"`
}

// ctlWait honours a request's ?wait=<Go duration, at most 1m>: it runs
// wait with a context bounded by that duration. It reports whether the
// handler may go on; when not, it has written the error (400 for a bad
// duration, 504 with "<pending> after <wait>" when wait did not finish).
func ctlWait(w http.ResponseWriter, r *http.Request, wait func(context.Context) error, pending string) bool {
	v := r.URL.Query().Get("wait")
	if v == "" {
		return true
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || d > time.Minute {
		ctlError(w, http.StatusBadRequest, fmt.Sprintf("wait %q is not a Go duration between 0 and 1m", v))
		return false
	}
	ctx, cancel := context.WithTimeout(r.Context(), d)
	defer cancel()
	if err := wait(ctx); err != nil {
		ctlError(w, http.StatusGatewayTimeout, pending+" after "+v)
		return false
	}
	return true
}

func (s *Server) ctlWebhooks(w http.ResponseWriter, r *http.Request) {
	if !ctlWait(w, r, s.WaitDeliveries, "webhooks still in flight") {
		return
	}
	ds := s.Deliveries()
	out := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		out[i] = deliveryJSON{
			URL: d.URL, Method: d.Method, EventType: d.EventType, PreAction: d.PreAction,
			ConversationSID: d.ConversationSID, Form: d.Form, Header: d.Header,
			Status: d.Status, Body: d.Body,
		}
		if out[i].Form == nil {
			out[i].Form = map[string][]string{}
		}
		if d.Err != nil {
			out[i].Error = d.Err.Error()
		}
	}
	ctlJSON(w, http.StatusOK, map[string]any{"deliveries": out})
}

func (s *Server) ctlClearWebhooks(w http.ResponseWriter, _ *http.Request) {
	s.ResetDeliveries()
	ctlJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
}

func (s *Server) ctlGetState(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	if err := s.SaveState(&b); err != nil {
		ctlError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b.Bytes())
}

func (s *Server) ctlPutState(w http.ResponseWriter, r *http.Request) {
	if err := s.LoadState(http.MaxBytesReader(w, r.Body, maxStateBody)); err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctlJSON(w, http.StatusOK, map[string]string{"status": "loaded"})
}

// WithRequestHistory makes the fake keep only the n most recent entries
// (none when n is 0) of each of its recorded histories, instead of every
// one: requests (Requests, LastRequest), webhook deliveries (Deliveries),
// and Event Streams deliveries and events (StreamDeliveries,
// StreamEvents). That is what a long-running fake
// (cmd/conversations-emulator) needs to keep its memory bounded. A
// negative n keeps everything, the default.
func WithRequestHistory(n int) Option {
	return func(s *Server) {
		if n < 0 {
			s.history = nil
			return
		}
		s.history = &n
	}
}

// trimHistory drops entries of list beyond history (nil: keep all);
// amortized O(1) per append: the slice is cut back to n when it reaches
// 2n. The caller holds list's lock.
func trimHistory[T any](list []T, history *int) []T {
	if history == nil {
		return list
	}
	n := *history
	if n == 0 {
		return nil
	}
	if len(list) >= 2*n {
		return append([]T(nil), list[len(list)-n:]...)
	}
	return list
}

// keptHistory is the part of list within history (nil: all of it). The
// caller holds list's lock.
func keptHistory[T any](list []T, history *int) []T {
	if history != nil && len(list) > *history {
		return list[len(list)-*history:]
	}
	return list
}

// trimRequests drops requests beyond the history. recMu is held.
func (s *Server) trimRequests() { s.requests = trimHistory(s.requests, s.history) }

// keptRequests is the part of the recorded requests within the history.
// recMu is held.
func (s *Server) keptRequests() []Request { return keptHistory(s.requests, s.history) }

// requestJSON is a Request as the control plane lists it: the
// Authorization header (the credentials) is left out.
type requestJSON struct {
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Query  map[string][]string `json:"query"`
	Form   map[string][]string `json:"form"`
	Header map[string][]string `json:"header"`
	Body   string              `json:"body"`
}

func (s *Server) ctlRequests(w http.ResponseWriter, _ *http.Request) {
	rs := s.Requests()
	out := make([]requestJSON, len(rs))
	for i, r := range rs {
		h := r.Header.Clone()
		h.Del("Authorization")
		out[i] = requestJSON{Method: r.Method, Path: r.Path, Query: r.Query, Form: r.Form, Header: h, Body: r.Body}
		if out[i].Query == nil {
			out[i].Query = map[string][]string{}
		}
		if out[i].Form == nil {
			out[i].Form = map[string][]string{}
		}
	}
	ctlJSON(w, http.StatusOK, map[string]any{"requests": out})
}

func (s *Server) ctlClearRequests(w http.ResponseWriter, _ *http.Request) {
	s.ResetRequests()
	ctlJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
}
