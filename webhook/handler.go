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

// ErrConfig is returned (wrapped, with the reason) by NewHandler for a
// Config that cannot work.
var ErrConfig = errors.New("webhook: invalid handler configuration")

// SignatureError is the error a Handler reports for a request whose
// signature matches none of the spellings of its URL. It wraps
// ErrInvalidSignature, so errors.Is(err, ErrInvalidSignature) holds, lists
// the URL spellings that were tried (see CandidateURLs), and, when it can
// tell, names the likely cause: the handler also checks the signature
// against the URL with the other scheme, with the host (and port) the
// request carried in its Host, X-Forwarded-Host and X-Forwarded-Port
// headers, and with the other trailing slash. Such a match is never
// accepted — it only explains the rejection. A password in the URL's user
// info is shown as "xxxxx"; the auth token and the signature are never part
// of it.
//
// A wrong Config.PublicOrigin (or a proxy that changes the scheme, host or
// port) turns every request into a 401, and on a pre-action webhook a 401
// means "reject": log these errors (Config.Logger or Config.OnReject).
type SignatureError struct {
	// Tried are the URL spellings the signature was checked against, the
	// URL the handler reconstructed first.
	Tried []string
	// Cause is the likely cause: CauseScheme, CauseHost, CausePort or
	// CauseTrailingSlash when the signature matches the URL changed in that
	// way, "" when no such change explains it (a wrong or rotated auth
	// token, a request not sent by Twilio, or a path or query that differs).
	Cause string
	// Hint says in a sentence what matched, or what the request carried
	// (scheme, Host and X-Forwarded-* headers) when nothing did, and what
	// to change.
	Hint string
}

// The likely causes SignatureError.Cause names.
const (
	// CauseScheme: Twilio called the other scheme (https, usually, with
	// TLS terminated by a proxy in front of the server).
	CauseScheme = "scheme"
	// CauseHost: Twilio called another host than the one the URL was
	// rebuilt with (a wrong PublicOrigin, or a proxy that rewrites Host).
	CauseHost = "host"
	// CausePort: the same host with another port.
	CausePort = "port"
	// CauseTrailingSlash: the URL configured in Twilio and the request
	// differ by a trailing slash of the path.
	CauseTrailingSlash = "trailing-slash"
)

// Error implements error.
func (e *SignatureError) Error() string {
	msg := ErrInvalidSignature.Error() + "; tried URL spellings: " + strings.Join(e.Tried, ", ")
	if e.Hint != "" {
		msg += "; likely cause: " + e.Hint
	}
	return msg
}

// Unwrap returns ErrInvalidSignature.
func (e *SignatureError) Unwrap() error { return ErrInvalidSignature }

// Config configures a Handler. Pass it to NewHandler, which checks it and
// copies it; changing a Config afterwards does not affect the Handler.
type Config struct {
	// AuthToken is the account's (primary) auth token, the key Twilio signs
	// webhooks with. Required.
	AuthToken string

	// PublicOrigin, if set, is the scheme, host and optional port (and path
	// prefix, if a proxy strips one) of the public webhook URL configured
	// in Twilio, such as "https://hooks.example.com". The URL validated is
	// PublicOrigin followed by the request URI as received. Use it behind a
	// proxy or load balancer that changes the scheme, host or port. It must
	// be an absolute http or https URL with a host and without query or
	// fragment; NewHandler refuses anything else. Not together with URL.
	PublicOrigin string

	// URL, if set, returns the URL Twilio requested, which is what Twilio
	// signed; for example ForwardedURL. When neither URL nor PublicOrigin
	// is set, the handler uses RequestURL: the scheme, Host header and
	// request URI as the server received them.
	URL func(r *http.Request) string

	// MaxBodyBytes bounds the body read; 0 means DefaultMaxBodyBytes.
	// Negative values are refused.
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

	// Logger, if set, receives a Warn record for every request turned away
	// before the callback (bad signature, oversized body, ...). For a bad
	// signature the record lists the URL spellings tried (attribute
	// "tried"); it never contains the auth token or the signature.
	Logger *slog.Logger

	// OnReject, if set, is called by ServeHTTP with every request it turns
	// away before the callback and the reason, after the response is
	// written. A bad signature is reported as a *SignatureError. (ReadEvent
	// returns the same errors to its caller instead.)
	OnReject func(r *http.Request, err error)
}

// Handler is an http.Handler for Conversations webhooks; build one with
// NewHandler. For each request it
//
//  1. accepts POST and GET only (Conversations sends either, as configured);
//  2. reads at most MaxBodyBytes of the body (413 beyond that);
//  3. checks X-Twilio-Signature against the auth token and the request's
//     public URL — the form variant, or the bodySHA256 variant when the URL
//     carries that parameter (401 on failure; no callback is called);
//  4. parses the parameters into a typed Event;
//  5. calls the callback for the event's type — OnMessage for message
//     events and so on, OnEvent for events without a specific callback
//     (including event types this package does not know);
//  6. writes the Response the callback returned; Allow when no callback
//     applies.
//
// A Handler is safe for concurrent use. The zero Handler answers every
// request with 500.
type Handler struct {
	cfg   Config
	urlFn func(*http.Request) string
}

// NewHandler checks cfg and returns a Handler for it. A Config that cannot
// work — no auth token, a negative MaxBodyBytes, a PublicOrigin that is not
// an absolute http(s) URL with a host (for example "hooks.example.com"
// without a scheme), or both PublicOrigin and URL — is refused with an error
// wrapping ErrConfig, so the mistake shows when the server starts rather
// than as 401s for every genuine request.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.AuthToken == "" {
		return nil, fmt.Errorf("%w: AuthToken is empty", ErrConfig)
	}
	if cfg.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("%w: MaxBodyBytes %d is negative", ErrConfig, cfg.MaxBodyBytes)
	}
	h := &Handler{cfg: cfg, urlFn: cfg.URL}
	if cfg.PublicOrigin != "" {
		if cfg.URL != nil {
			return nil, fmt.Errorf("%w: set PublicOrigin or URL, not both", ErrConfig)
		}
		origin, err := checkOrigin(cfg.PublicOrigin)
		if err != nil {
			return nil, err
		}
		h.urlFn = func(r *http.Request) string { return origin + requestURI(r) }
	}
	if h.urlFn == nil {
		h.urlFn = RequestURL
	}
	return h, nil
}

// checkOrigin validates a PublicOrigin and returns it without trailing
// slashes. Error messages never show a password in its user info.
func checkOrigin(origin string) (string, error) {
	u, err := url.Parse(origin)
	if err != nil {
		return "", fmt.Errorf("%w: PublicOrigin is not a URL", ErrConfig)
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%w: PublicOrigin %q must start with https:// or http://", ErrConfig, shown)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("%w: PublicOrigin %q has no host", ErrConfig, shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(origin, "?#"):
		return "", fmt.Errorf("%w: PublicOrigin %q must not have a query or fragment (the request's own are appended)", ErrConfig, shown)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%w: PublicOrigin %q has an invalid port", ErrConfig, shown)
		}
	}
	return strings.TrimRight(origin, "/"), nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if h.cfg.AuthToken == "" {
		h.reject(r, errors.New("webhook: Handler not built with NewHandler"))
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
		http.Error(w, http.StatusText(status), status)
		h.reject(r, err)
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

// ReadBody authenticates r exactly as ServeHTTP does — it reads at most
// MaxBodyBytes of the body (ErrBodyTooLarge beyond), requires
// X-Twilio-Signature (ErrMissingSignature) and checks it against the
// request's public URL: the bodySHA256 variant when that URL carries
// bodySHA256 (ErrInvalidSignature, as a *SignatureError, or
// ErrBodyHashMismatch), the form variant otherwise, the query for a GET —
// and returns the raw body, without parsing it as a Conversations webhook.
// It is the one signature check of this module: package eventstreams
// authenticates Event Streams batches (JSON bodies signed with bodySHA256)
// through it. It reads (and consumes) the body.
func (h *Handler) ReadBody(r *http.Request) ([]byte, error) {
	body, _, err := h.verifyBody(r)
	return body, err
}

// verify reads the body (bounded), checks the signature and returns the
// event parameters.
func (h *Handler) verify(r *http.Request) (url.Values, error) {
	body, values, err := h.verifyBody(r)
	if err != nil {
		return nil, err
	}
	if values == nil { // the bodySHA256 variant: a JSON body
		return jsonToValues(body)
	}
	return values, nil
}

// verifyBody reads the body (bounded) and checks the signature; it returns
// the body and the signed parameters: the query of a GET, the form of a
// form POST, nil for the bodySHA256 variant.
func (h *Handler) verifyBody(r *http.Request) ([]byte, url.Values, error) {
	if h.cfg.AuthToken == "" {
		return nil, nil, errors.New("webhook: Handler not built with NewHandler")
	}
	body, err := h.readBody(r)
	if err != nil {
		return nil, nil, err
	}
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		return nil, nil, ErrMissingSignature
	}
	fullURL := h.urlFn(r)

	switch {
	case r.Method == http.MethodGet:
		// A GET webhook carries its parameters in the query string, which
		// is part of the signed URL; there are no POST parameters.
		// ("Security": "If the request is a GET, the final URL includes all
		// of the Twilio request parameters appended in the query string".)
		if !ValidateSignature(h.cfg.AuthToken, sig, fullURL, nil) {
			return nil, nil, h.signatureError(r, sig, fullURL, nil)
		}
		return body, r.URL.Query(), nil

	case hasBodyHash(fullURL):
		// JSON body: signature over the URL alone, body bound by bodySHA256
		// ("Security", "A few notes").
		if !ValidateSignature(h.cfg.AuthToken, sig, fullURL, nil) {
			return nil, nil, h.signatureError(r, sig, fullURL, nil)
		}
		want, _ := bodyHashFromURL(fullURL)
		if subtle.ConstantTimeCompare([]byte(ComputeBodyHash(body)), []byte(strings.ToLower(want))) != 1 {
			return nil, nil, ErrBodyHashMismatch
		}
		return body, nil, nil

	default:
		// Form body: "Conversations Webhooks": "Each HTTP request is issued
		// with the Content-Type header application/x-www-form-urlencoded."
		form, err := url.ParseQuery(string(body))
		if err != nil {
			// Cannot be verified, so nothing in it is trusted.
			return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if !ValidateSignature(h.cfg.AuthToken, sig, fullURL, form) {
			return nil, nil, h.signatureError(r, sig, fullURL, form)
		}
		return body, form, nil
	}
}

func (h *Handler) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	limit := h.cfg.MaxBodyBytes
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
		if h.cfg.OnConversation != nil {
			return h.cfg.OnConversation(r, e)
		}
	case *ConversationStateEvent:
		if h.cfg.OnConversationState != nil {
			return h.cfg.OnConversationState(r, e)
		}
	case *MessageEvent:
		if h.cfg.OnMessage != nil {
			return h.cfg.OnMessage(r, e)
		}
	case *ParticipantEvent:
		if h.cfg.OnParticipant != nil {
			return h.cfg.OnParticipant(r, e)
		}
	case *DeliveryEvent:
		if h.cfg.OnDelivery != nil {
			return h.cfg.OnDelivery(r, e)
		}
	case *UserEvent:
		if h.cfg.OnUser != nil {
			return h.cfg.OnUser(r, e)
		}
	}
	if h.cfg.OnEvent != nil {
		return h.cfg.OnEvent(r, ev)
	}
	return Allow()
}

// reject reports a request turned away before the callback to the logger
// and the OnReject hook.
func (h *Handler) reject(r *http.Request, err error) {
	if h.cfg.Logger != nil {
		attrs := []any{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error())}
		var se *SignatureError
		if errors.As(err, &se) {
			attrs[2] = slog.String("error", ErrInvalidSignature.Error())
			attrs = append(attrs, slog.Any("tried", se.Tried), slog.String("cause", se.Cause), slog.String("hint", se.Hint))
		}
		h.cfg.Logger.Warn("webhook request refused", attrs...)
	}
	if h.cfg.OnReject != nil {
		h.cfg.OnReject(r, err)
	}
}

// signatureError lists the spellings of rawURL that were tried, with any
// password in the user info masked, and the likely cause (see diagnose).
func (h *Handler) signatureError(r *http.Request, sig, rawURL string, params url.Values) error {
	tried := CandidateURLs(rawURL)
	for i, u := range tried {
		tried[i] = maskPassword(u)
	}
	cause, hint := diagnose(h.cfg.AuthToken, sig, rawURL, r, params)
	return &SignatureError{Tried: tried, Cause: cause, Hint: hint}
}

// diagnose looks for the spelling of rawURL the signature was computed
// over among the changes a proxy or a wrong PublicOrigin makes: the other
// scheme, the host (and port) of the Host, X-Forwarded-Host and
// X-Forwarded-Port headers (with X-Forwarded-Proto's scheme), and the other
// trailing slash. It returns the cause and a hint; the hint names URLs
// (passwords masked) and headers, never the token or the signature. It runs
// only for a request already refused, and its matches are never accepted.
func diagnose(token, sig, rawURL string, r *http.Request, params url.Values) (cause, hint string) {
	parts, ok := splitURL(rawURL)
	if !ok {
		return "", ""
	}
	shown := maskPassword(rawURL)
	other := map[string]string{"http": "https", "https": "http"}[parts.scheme]
	try := func(u string) bool { return ValidateSignature(token, sig, u, params) }

	// Scheme.
	if other != "" {
		if u := parts.with(other, parts.authority, parts.tail); try(u) {
			return CauseScheme, fmt.Sprintf("the signature matches %s, not %s: Twilio called %s (a proxy or load balancer terminating TLS?); set Config.PublicOrigin to %q",
				maskPassword(u), shown, other, other+"://"+parts.authority)
		}
	}
	// Host and port, from the headers the request carried.
	type hostSource struct{ host, via, scheme string }
	var sources []hostSource
	if r.Host != "" {
		sources = append(sources, hostSource{r.Host, "Host header", ""})
	}
	fwdProto := strings.ToLower(firstHeaderValue(r, "X-Forwarded-Proto"))
	if fh := firstHeaderValue(r, "X-Forwarded-Host"); fh != "" {
		sources = append(sources, hostSource{fh, "X-Forwarded-Host header", fwdProto})
	}
	if fp := firstHeaderValue(r, "X-Forwarded-Port"); fp != "" {
		host, _ := splitHostPort(parts.authority)
		sources = append(sources, hostSource{joinHostPort(host, fp), "X-Forwarded-Port header", fwdProto})
	}
	for _, src := range sources {
		if strings.EqualFold(src.host, parts.authority) {
			continue
		}
		schemes := []string{parts.scheme, other}
		if src.scheme != "" {
			schemes = []string{src.scheme}
		}
		for _, sc := range schemes {
			if sc == "" {
				continue
			}
			u := parts.with(sc, src.host, parts.tail)
			if !try(u) {
				continue
			}
			gotHost, _ := splitHostPort(src.host)
			wantHost, _ := splitHostPort(parts.authority)
			cause = CauseHost
			what := "host"
			if strings.EqualFold(gotHost, wantHost) {
				cause, what = CausePort, "port"
			}
			return cause, fmt.Sprintf("the signature matches %s, not %s: the %s differs; the request carried %q in its %s; set Config.PublicOrigin to %q",
				maskPassword(u), shown, what, src.host, src.via, sc+"://"+src.host)
		}
	}
	// Trailing slash of a non-empty path.
	path, rest := parts.tail, ""
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path, rest = path[:i], path[i:]
	}
	if path != "" && path != "/" {
		toggled := path + "/"
		if strings.HasSuffix(path, "/") {
			toggled = strings.TrimSuffix(path, "/")
		}
		if u := parts.with(parts.scheme, parts.authority, toggled+rest); try(u) {
			return CauseTrailingSlash, fmt.Sprintf("the signature matches %s, not %s: the URL configured in Twilio and the request differ by a trailing slash; configure the same path in Twilio and in your routes",
				maskPassword(u), shown)
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	carried := fmt.Sprintf("the request arrived over %s with Host %q", scheme, r.Host)
	for _, name := range []string{"X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port"} {
		if v := firstHeaderValue(r, name); v != "" {
			carried += fmt.Sprintf(", %s %q", name, v)
		}
	}
	return "", "no other scheme, host, port or trailing slash matches either (" + carried +
		"): check the auth token (a rotated or secondary token?), that the path and query are those configured in Twilio, and that the request comes from Twilio"
}

// urlParts is an absolute URL split the way CandidateURLs splits it.
type urlParts struct {
	scheme    string // lower case
	userinfo  string // "user:pass@" or ""
	authority string // host[:port]
	tail      string // path, query and fragment
}

func splitURL(rawURL string) (urlParts, bool) {
	schemeEnd := strings.Index(rawURL, "://")
	if schemeEnd <= 0 {
		return urlParts{}, false
	}
	rest := rawURL[schemeEnd+3:]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	p := urlParts{scheme: strings.ToLower(rawURL[:schemeEnd]), authority: rest[:authEnd], tail: rest[authEnd:]}
	if at := strings.LastIndex(p.authority, "@"); at >= 0 {
		p.userinfo, p.authority = p.authority[:at+1], p.authority[at+1:]
	}
	return p, true
}

func (p urlParts) with(scheme, authority, tail string) string {
	return scheme + "://" + p.userinfo + authority + tail
}

// maskPassword replaces the password of the user info of rawURL, if any,
// with "xxxxx" (as url.URL.Redacted does), leaving the rest byte for byte.
func maskPassword(rawURL string) string {
	schemeEnd := strings.Index(rawURL, "://")
	if schemeEnd <= 0 {
		return rawURL
	}
	rest := rawURL[schemeEnd+3:]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	at := strings.LastIndex(rest[:authEnd], "@")
	if at < 0 {
		return rawURL
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return rawURL
	}
	return rawURL[:schemeEnd+3] + rest[:colon+1] + "xxxxx" + rest[at:]
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
// the scheme (and often host and port) differ from what Twilio signed — set
// Config.PublicOrigin there.
func RequestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + requestURI(r)
}

// ForwardedURL is a Config.URL function that takes the scheme and host from
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
