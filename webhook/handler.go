package webhook

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultMaxBodyBytes is the largest request body Handler reads when
// MaxBodyBytes is zero: 1 MiB, far above any Conversations webhook (a message
// body is at most 1,600 characters; attributes are bounded too) and small
// enough that a flood of oversized posts cannot exhaust memory.
const DefaultMaxBodyBytes = 1 << 20

// Errors returned by Handler.ReadEvent. Handler answers the first three with
// 401 Unauthorized, ErrBodyTooLarge with 413 and ErrMalformed with 400.
var (
	// ErrMissingSignature: the request has no X-Twilio-Signature header.
	ErrMissingSignature = errors.New("webhook: missing " + SignatureHeader + " header")
	// ErrInvalidSignature: the signature does not match the URL and
	// parameters (wrong auth token, tampered or replayed request, or a URL
	// that differs from the one Twilio called).
	ErrInvalidSignature = errors.New("webhook: invalid " + SignatureHeader)
	// ErrBodyHashMismatch: the body of a JSON request does not match the
	// bodySHA256 query parameter.
	ErrBodyHashMismatch = errors.New("webhook: body does not match " + BodyHashParam)
	// ErrBodyTooLarge: the body is longer than the handler's limit.
	ErrBodyTooLarge = errors.New("webhook: request body too large")
	// ErrMalformed: the body cannot be decoded (bad form encoding, or a JSON
	// body that is not an object), or the request has no EventType.
	ErrMalformed = errors.New("webhook: malformed request")
)

// Handler is an http.Handler for Conversations webhooks. For each request it
//
//  1. accepts POST and GET only (Conversations sends either, as configured);
//  2. reads at most MaxBodyBytes of the body (413 beyond that);
//  3. checks X-Twilio-Signature against AuthToken and the URL returned by
//     URL — the form variant, or the bodySHA256 variant when the URL carries
//     that parameter (401 on failure; no callback is called);
//  4. parses the parameters into a typed Event;
//  5. calls the callback for the event's type — OnMessage for message
//     events and so on, OnEvent for events without a specific callback
//     (including event types this package does not know);
//  6. writes the Response the callback returned; Allow when no callback
//     applies.
//
// A Handler must not be modified after it starts serving; it is then safe
// for concurrent use.
type Handler struct {
	// AuthToken is the account's (primary) auth token, the key Twilio signs
	// webhooks with. A Handler without one answers every request with 500.
	AuthToken string

	// URL returns the URL Twilio requested, which is what Twilio signed. nil
	// means RequestURL: the scheme, Host header and request URI as the
	// server received them. Behind a proxy or load balancer that changes the
	// scheme, host or port, use FixedOrigin (or your own function) so the
	// URL is the public one configured in Twilio.
	URL func(r *http.Request) string

	// MaxBodyBytes bounds the body read; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// OnConversation handles onConversationAdd/Added/Update/Updated/
	// Remove/Removed.
	OnConversation func(r *http.Request, e *ConversationEvent) Response
	// OnConversationState handles onConversationStateUpdated.
	OnConversationState func(r *http.Request, e *ConversationStateEvent) Response
	// OnMessage handles onMessageAdd/Added/Update/Updated/Remove/Removed.
	OnMessage func(r *http.Request, e *MessageEvent) Response
	// OnParticipant handles onParticipantAdd/Added/Update/Updated/Remove/
	// Removed.
	OnParticipant func(r *http.Request, e *ParticipantEvent) Response
	// OnDelivery handles onDeliveryUpdated.
	OnDelivery func(r *http.Request, e *DeliveryEvent) Response
	// OnUser handles onUserAdded/Update/Updated.
	OnUser func(r *http.Request, e *UserEvent) Response
	// OnEvent handles every event that has no callback above, including a
	// *GenericEvent for an unknown event type.
	OnEvent func(r *http.Request, e Event) Response

	// Logger, if set, receives a record for every request turned away
	// before the callback (bad signature, oversized body, ...).
	Logger *slog.Logger
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if h.AuthToken == "" {
		h.log(r, "webhook handler has no auth token", nil)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	ev, err := h.ReadEvent(r)
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, ErrMissingSignature), errors.Is(err, ErrInvalidSignature),
			errors.Is(err, ErrBodyHashMismatch):
			status = http.StatusUnauthorized
		case errors.Is(err, ErrBodyTooLarge):
			status = http.StatusRequestEntityTooLarge
		}
		h.log(r, "webhook request refused", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	h.dispatch(r, ev).Send(w)
}

// ReadEvent authenticates r and returns its event, without calling any
// callback or writing a response. It is what ServeHTTP does before the
// callback, for callers that want their own routing or response logic.
// It reads (and consumes) the body.
func (h *Handler) ReadEvent(r *http.Request) (Event, error) {
	values, err := h.verify(r)
	if err != nil {
		return nil, err
	}
	ev, err := ParseEvent(values)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return ev, nil
}

// verify reads the body (bounded), checks the signature and returns the
// event parameters.
func (h *Handler) verify(r *http.Request) (url.Values, error) {
	if h.AuthToken == "" {
		return nil, errors.New("webhook: Handler.AuthToken is empty")
	}
	body, err := h.readBody(r)
	if err != nil {
		return nil, err
	}
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		return nil, ErrMissingSignature
	}
	urlFn := h.URL
	if urlFn == nil {
		urlFn = RequestURL
	}
	fullURL := urlFn(r)

	switch {
	case r.Method == http.MethodGet:
		// A GET webhook carries its parameters in the query string, which
		// is part of the signed URL; there are no POST parameters.
		// ("Security": "If the request is a GET, the final URL includes all
		// of the Twilio request parameters appended in the query string".)
		if !ValidateSignature(h.AuthToken, sig, fullURL, nil) {
			return nil, ErrInvalidSignature
		}
		return r.URL.Query(), nil

	case hasBodyHash(fullURL):
		// JSON body: signature over the URL alone, body bound by bodySHA256
		// ("Security", "A few notes").
		if !ValidateSignature(h.AuthToken, sig, fullURL, nil) {
			return nil, ErrInvalidSignature
		}
		want, _ := bodyHashFromURL(fullURL)
		if subtle.ConstantTimeCompare([]byte(ComputeBodyHash(body)), []byte(strings.ToLower(want))) != 1 {
			return nil, ErrBodyHashMismatch
		}
		values, err := jsonToValues(body)
		if err != nil {
			return nil, err
		}
		return values, nil

	default:
		// Form body: "Conversations Webhooks": "Each HTTP request is issued
		// with the Content-Type header application/x-www-form-urlencoded."
		form, err := url.ParseQuery(string(body))
		if err != nil {
			// Cannot be verified, so nothing in it is trusted.
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if !ValidateSignature(h.AuthToken, sig, fullURL, form) {
			return nil, ErrInvalidSignature
		}
		return form, nil
	}
}

func (h *Handler) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if r.ContentLength > limit {
		return nil, ErrBodyTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading body: %v", ErrMalformed, err)
	}
	if int64(len(body)) > limit {
		return nil, ErrBodyTooLarge
	}
	return body, nil
}

func (h *Handler) dispatch(r *http.Request, ev Event) Response {
	switch e := ev.(type) {
	case *ConversationEvent:
		if h.OnConversation != nil {
			return h.OnConversation(r, e)
		}
	case *ConversationStateEvent:
		if h.OnConversationState != nil {
			return h.OnConversationState(r, e)
		}
	case *MessageEvent:
		if h.OnMessage != nil {
			return h.OnMessage(r, e)
		}
	case *ParticipantEvent:
		if h.OnParticipant != nil {
			return h.OnParticipant(r, e)
		}
	case *DeliveryEvent:
		if h.OnDelivery != nil {
			return h.OnDelivery(r, e)
		}
	case *UserEvent:
		if h.OnUser != nil {
			return h.OnUser(r, e)
		}
	}
	if h.OnEvent != nil {
		return h.OnEvent(r, ev)
	}
	return Allow()
}

func (h *Handler) log(r *http.Request, msg string, err error) {
	if h.Logger == nil {
		return
	}
	attrs := []any{slog.String("method", r.Method), slog.String("path", r.URL.Path)}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	h.Logger.Warn(msg, attrs...)
}

func hasBodyHash(rawURL string) bool {
	_, ok := bodyHashFromURL(rawURL)
	return ok
}

// jsonToValues turns a JSON object body into parameters: strings as they
// are, numbers and booleans in their JSON spelling, null as "", and nested
// objects or arrays as their JSON text.
func jsonToValues(body []byte) (url.Values, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, fmt.Errorf("%w: JSON body is not an object", ErrMalformed)
	}
	out := url.Values{}
	for k, raw := range obj {
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := v.(type) {
		case string:
			out.Set(k, t)
		case json.Number:
			out.Set(k, t.String())
		case bool:
			out.Set(k, strconv.FormatBool(t))
		case nil:
			out.Set(k, "")
		default:
			out.Set(k, string(raw))
		}
	}
	return out, nil
}

// RequestURL reconstructs the URL of r as the server received it: "https"
// if the connection is TLS and "http" otherwise, the Host header, and the
// request URI exactly as sent (path and query, not re-encoded). It is right
// when Twilio reaches the Go server directly; behind a TLS-terminating proxy
// the scheme (and often host and port) differ from what Twilio signed — use
// FixedOrigin there.
func RequestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + requestURI(r)
}

// FixedOrigin returns a Handler.URL function that joins origin — the
// scheme, host and optional port (and path prefix, if a proxy strips one)
// of the public webhook URL configured in Twilio, such as
// "https://hooks.example.com" — with the request URI as received.
func FixedOrigin(origin string) func(*http.Request) string {
	origin = strings.TrimRight(origin, "/")
	return func(r *http.Request) string {
		return origin + requestURI(r)
	}
}

// ForwardedURL is a Handler.URL function that takes the scheme and host from
// the X-Forwarded-Proto and X-Forwarded-Host headers (first value of each)
// when they are present, and otherwise behaves like RequestURL. Use it only
// behind a proxy that sets these headers itself: a client can send them
// too.
func ForwardedURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := firstHeaderValue(r, "X-Forwarded-Proto"); p != "" {
		scheme = strings.ToLower(p)
	}
	host := r.Host
	if fh := firstHeaderValue(r, "X-Forwarded-Host"); fh != "" {
		host = fh
	}
	return scheme + "://" + host + requestURI(r)
}

func firstHeaderValue(r *http.Request, name string) string {
	v := r.Header.Get(name)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// requestURI is the path and query as the client sent them. For a server
// request r.RequestURI is the unmodified request-target (so http.StripPrefix
// and similar rewrites of r.URL do not change what is validated).
func requestURI(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
