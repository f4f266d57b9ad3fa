package conversations

// How a v1 resource method becomes a request of the core (internal/rest):
// the method names its kind, path template, params and options; newCall
// turns them into a rest.Request (method, escaped path, query or form body,
// retry rule, limit key) and one, remove, list and all pick its decoder.

import (
	"context"
	"net/http"
	"strings"

	"github.com/conversations-go/conversations/internal/form"
	"github.com/conversations-go/conversations/internal/rest"
)

// RequestOption changes one call: extra headers, the webhook header, a
// per-call retry policy, an idempotency key, the limiter's failure mode, or
// access to the raw response. The same options serve every API of this
// module.
type RequestOption = rest.RequestOption

// WithWebhookEnabled sets the X-Twilio-Webhook-Enabled header ("true" or
// "false"), which tells Twilio whether this call should fire the configured
// webhooks. The operations that accept it say so in their doc comments.
func WithWebhookEnabled(enabled bool) RequestOption {
	v := "false"
	if enabled {
		v = "true"
	}
	return WithHeader(webhookEnabledHeader, v)
}

const webhookEnabledHeader = "X-Twilio-Webhook-Enabled"

// WithHeader adds a header to the request. The SDK's own Authorization,
// Content-Type, Content-Size, Idempotency-Key and User-Agent headers cannot
// be replaced this way. A name that is not an HTTP token, or a value with
// CR, LF, NUL or another control character, makes the call fail with a
// *ValidationError before anything is sent.
func WithHeader(key, value string) RequestOption { return rest.WithHeader(key, value) }

// WithCallRetry replaces the client's retry policy for this call. The call
// still draws on the client's retry budget unless p.NoRetryBudget is set.
func WithCallRetry(p RetryPolicy) RequestOption { return rest.WithCallRetry(p) }

// WithResponse stores the final *http.Response of the call in *dst, so that
// callers can read its status and headers. Its body is already consumed and
// closed.
func WithResponse(dst **http.Response) RequestOption { return rest.WithResponse(dst) }

// WithIdempotencyKey sends key as the Idempotency-Key header of every
// attempt of the call. The v2 (Conversation Orchestrator) operations that
// honour the header otherwise send a new random key per logical call, the
// same on each of its attempts; pass your own to make a call idempotent
// across processes (a key of a job you may run again). A key with a control
// character is a *ValidationError. v1 operations do not honour the header:
// it does not make a v1 create retryable.
func WithIdempotencyKey(key string) RequestOption { return rest.WithIdempotencyKey(key) }

// WithCallLimiterFailureMode sets what this call does when the client's
// Limiter cannot decide, instead of the client's WithLimiterFailureMode.
func WithCallLimiterFailureMode(m LimiterFailureMode) RequestOption {
	return rest.WithCallLimiterFailureMode(m)
}

// CallOptions is what a list of RequestOptions sets, as RequestOptions reads
// it back. A mock or fake of an ...API interface uses it to assert the
// options a caller passed, or to honour WithResponse.
type CallOptions struct {
	// Header holds the headers added with WithHeader and
	// WithWebhookEnabled, in the order given; nil when none was.
	Header http.Header
	// WebhookEnabled is what WithWebhookEnabled (or a WithHeader of
	// X-Twilio-Webhook-Enabled) asked for, the last one winning; nil when
	// neither was passed or the value is neither "true" nor "false".
	WebhookEnabled *bool
	// Retry is the policy of WithCallRetry (the last one); nil when the
	// client's policy applies.
	Retry *RetryPolicy
	// IdempotencyKey is the key of WithIdempotencyKey (the last one); ""
	// when none was passed.
	IdempotencyKey string
	// LimiterFailureMode is the mode of WithCallLimiterFailureMode (the last
	// one); nil when the client's mode applies.
	LimiterFailureMode *LimiterFailureMode
	// Response is the destination of WithResponse (the last one); nil when
	// none was passed. A mock may store a response there.
	Response **http.Response
}

// RequestOptions reads back what opts set, for mocks of the ...API
// interfaces, which receive the options as opaque funcs:
//
//	func (m *mockMessages) Create(ctx context.Context, conversationSID string, p *conversations.MessageCreateParams, opts ...conversations.RequestOption) (*conversations.Message, error) {
//		o := conversations.RequestOptions(opts...)
//		if o.WebhookEnabled == nil || *o.WebhookEnabled {
//			m.t.Error("webhooks not disabled")
//		}
//		...
//	}
//
// Each call returns a new CallOptions; nothing is validated (the client
// checks header names and values when it sends).
func RequestOptions(opts ...RequestOption) CallOptions {
	s := rest.Inspect(opts)
	o := CallOptions{
		Header:             s.Header,
		Retry:              s.Retry,
		IdempotencyKey:     s.IdempotencyKey,
		LimiterFailureMode: s.LimiterFailureMode,
		Response:           s.Response,
	}
	if vs := s.Header.Values(webhookEnabledHeader); len(vs) > 0 {
		switch vs[len(vs)-1] {
		case "true":
			o.WebhookEnabled = Ptr(true)
		case "false":
			o.WebhookEnabled = Ptr(false)
		}
	}
	return o
}

// kind tells what a v1 call does, which decides its HTTP method, whether
// it may be sent again after the server may have seen it, and whether it
// counts against a write limit.
type kind uint8

const (
	kindRead   kind = iota // GET: fetch or list
	kindCreate             // POST that creates: never replayed once sent
	kindUpdate             // POST to an existing resource: idempotent
	kindDelete             // DELETE
)

func (k kind) method() string {
	switch k {
	case kindCreate, kindUpdate:
		return http.MethodPost
	case kindDelete:
		return http.MethodDelete
	}
	return http.MethodGet
}

// newCall validates params and the path arguments and builds the request:
// params become the query (reads) or the form body (creates and updates).
// Nothing is sent.
func (s scopeRef) newCall(k kind, tmpl string, params any, opts []RequestOption, args ...string) (rest.Request, error) {
	p, err := s.path(tmpl, args...)
	if err != nil {
		return rest.Request{}, err
	}
	if v, ok := params.(validator); ok {
		if err := v.validate(); err != nil {
			return rest.Request{}, err
		}
	}
	r := rest.Request{Method: k.method(), Path: p, RoutePrefix: s.routePrefix(), Route: tmpl,
		Replay: k != kindCreate, Options: opts}
	if k != kindRead && s.core.Limited() {
		r.LimitKey = limitKey(s, k, tmpl, args)
	}
	if params != nil {
		enc, err := form.Encode(params)
		if err != nil {
			return rest.Request{}, &ValidationError{Param: "params", Reason: "cannot be encoded: " + err.Error()}
		}
		if k == kindCreate || k == kindUpdate {
			r.Body = rest.FormBody(enc)
		} else {
			r.Query = enc
		}
	}
	return r, nil
}

// path builds the escaped request path (after the base URL) from tmpl, a
// path below /v1 with {Name} placeholders, and args, one per placeholder in
// order. For service-scoped services it inserts Services/{ChatServiceSid}.
// Each value is checked and escaped as a single path segment
// (rest.AppendPath).
func (s scopeRef) path(tmpl string, args ...string) (string, error) {
	var b strings.Builder
	b.Grow(len(tmpl) + 48 + 40*len(args))
	b.WriteString("/v1/")
	if s.scoped {
		if err := rest.CheckSegment("ChatServiceSid", s.service); err != nil {
			return "", err
		}
		b.WriteString("Services/")
		rest.EscapeSegment(&b, s.service)
		b.WriteByte('/')
	}
	if err := rest.AppendPath(&b, tmpl, args); err != nil {
		return "", err
	}
	return b.String(), nil
}

// routePrefix is what comes before a path template in the call's route.
func (s scopeRef) routePrefix() string {
	if s.scoped {
		return "/v1/Services/{ChatServiceSid}/"
	}
	return "/v1/"
}

// one sends a call that answers with one resource.
func one[T any](ctx context.Context, s scopeRef, k kind, tmpl string, params any, opts []RequestOption, args ...string) (*T, error) {
	r, err := s.newCall(k, tmpl, params, opts, args...)
	if err != nil {
		return nil, err
	}
	out := new(T)
	r.Decoder = rest.JSON(out)
	if err := s.core.Do(ctx, &r); err != nil {
		return nil, err
	}
	return out, nil
}

// remove sends a DELETE, which answers 204 with no body.
func remove(ctx context.Context, s scopeRef, tmpl string, opts []RequestOption, args ...string) error {
	r, err := s.newCall(kindDelete, tmpl, nil, opts, args...)
	if err != nil {
		return err
	}
	return s.core.Do(ctx, &r)
}
