package eventstreams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/conversations-go/conversations/webhook"
)

// DefaultMaxBodyBytes is the largest batch Handler reads when MaxBodyBytes
// is zero: 4 MiB. Twilio does not document a batch size; a Conversations
// event is at most a few kilobytes (a message body is at most 1,600
// characters), so this leaves room for hundreds of events while a flood of
// oversized posts cannot exhaust memory.
const DefaultMaxBodyBytes = 4 << 20

// ErrConfig is returned (wrapped, with the reason) by NewHandler for a
// Config that cannot work.
var ErrConfig = errors.New("eventstreams: invalid handler configuration")

// ErrMissingBodyHash is the error for a request whose URL has no
// bodySHA256 parameter: Event Streams signs its JSON bodies with it, so
// such a request is not from Event Streams. Handler answers it with 401.
var ErrMissingBodyHash = errors.New("eventstreams: request URL has no " + webhook.BodyHashParam + " parameter")

// Config configures a Handler. Pass it to NewHandler, which checks it and
// copies it.
type Config struct {
	// AuthToken is the account's auth token, the key Event Streams signs
	// requests with. Required.
	AuthToken string
	// PublicOrigin is the scheme, host and optional port (and path prefix)
	// of the sink's destination URL as configured in Twilio, when a proxy
	// in front of the server changes them; as in webhook.Config.
	PublicOrigin string
	// URL, if set, returns the URL Twilio requested (not with
	// PublicOrigin); as in webhook.Config.
	URL func(r *http.Request) string
	// MaxBodyBytes bounds the body read; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// Seen is the set of event ids already processed; nil means a new
	// NewMemorySeenSet(DefaultSeenCapacity) for this Handler. Give every
	// replica of a fleet the same shared SeenSet.
	Seen SeenSet
	// SeenTTL is how long an id is remembered; 0 means DefaultSeenTTL.
	// Keep it at least four hours, Twilio's retry window.
	SeenTTL time.Duration

	// OnConversation handles conversation.added, .updated and .removed.
	OnConversation func(ctx context.Context, e *ConversationEvent) error
	// OnConversationState handles conversation-state.updated.
	OnConversationState func(ctx context.Context, e *ConversationStateEvent) error
	// OnMessage handles message.added, .updated and .removed.
	OnMessage func(ctx context.Context, e *MessageEvent) error
	// OnParticipant handles participant.added, .updated and .removed.
	OnParticipant func(ctx context.Context, e *ParticipantEvent) error
	// OnUser handles user.added and .updated.
	OnUser func(ctx context.Context, e *UserEvent) error
	// OnEvent handles every event without a callback above, including a
	// *GenericEvent of another product. An event with no callback at all
	// is acknowledged and ignored.
	OnEvent func(ctx context.Context, e Event) error

	// Logger, if set, receives a Warn record for every request turned away
	// before any callback and an Error record for every event whose
	// callback failed (its id, type and error; never the auth token, the
	// signature or the event's data).
	Logger *slog.Logger
	// OnReject, if set, is called with every request turned away before
	// any callback and the reason (a *webhook.SignatureError for a bad
	// signature), after the response is written.
	OnReject func(r *http.Request, err error)
}

// Handler is an http.Handler for an Event Streams webhook sink; build one
// with NewHandler. For each request it
//
//  1. accepts POST only (405 otherwise; create the sink with "method":
//     "POST");
//  2. authenticates it through package webhook's one signature check
//     (webhook.Handler.ReadBody): at most MaxBodyBytes of body (413
//     beyond), X-Twilio-Signature over the URL with bodySHA256, bodySHA256
//     equal to the SHA-256 of the body (401 when unsigned, not signed with
//     bodySHA256 or signed wrongly);
//  3. parses the body as a JSON array of CloudEvents (400 when it is not
//     JSON, not an array, or an event has no id or type) — a refused
//     request is never processed, not even in part;
//  4. for each event, in the order received: claims its id in the
//     SeenSet (an id already claimed is a duplicate: skipped), calls the
//     event's callback, and releases the id again if the callback failed
//     (returned an error or panicked) or the SeenSet could not answer;
//  5. answers 200 when every event was processed or skipped as a
//     duplicate, and 500 when one failed.
//
// # What Twilio does with the answer
//
// Twilio's "Event delivery retries and event duplication" page
// (https://www.twilio.com/docs/events/event-delivery-and-duplication,
// "Error behavior for each sink", webhook sink) documents: a 429 or any 5xx
// answer is retried ("retry delivery") with exponential backoff for up to
// four hours; any other 4xx is discarded ("discard event"); and a sink
// must answer 200 for a duplicate it discards. It documents no way to
// acknowledge some events of a request and not others, so a request is
// retried as a whole. Hence the 500 for a batch with a failed event: Twilio
// redelivers the batch, the events already processed are claimed in the
// SeenSet and skipped as duplicates, and only the failed one — released —
// is processed again. The 4xx answers above are for requests that are not
// genuine Event Streams deliveries (or that no retry could fix); note that
// Twilio discards what they carried, so a wrong AuthToken or PublicOrigin
// loses events: watch Logger or OnReject.
//
// # Guarantee
//
// An event whose callback failed is never left marked as seen: its id is
// released before the answer is written, so Twilio's redelivery is
// processed. (If the SeenSet's Release itself fails — a shared store that
// went away — the failure is logged and the answer is still 500; the id
// then stays claimed until its TTL passes, and the redelivery is skipped.)
// An event whose callback succeeded stays claimed for SeenTTL, so a
// redelivery within that time is acknowledged without calling back.
//
// A Handler is safe for concurrent use: two deliveries of one event at the
// same time call back once (Claim is atomic). Twilio waits at most 5
// seconds for a webhook sink's answer ("Webhook Quickstart"); a slow
// callback makes Twilio retry the batch, so keep callbacks fast (hand work
// to a queue).
type Handler struct {
	cfg    Config
	verify *webhook.Handler
	seen   SeenSet
	ttl    time.Duration
}

// NewHandler checks cfg and returns a Handler for it. A Config without an
// auth token, without any callback, with a negative MaxBodyBytes or
// SeenTTL, with a SeenTTL shorter than four hours, or with a PublicOrigin
// package webhook refuses is refused with an error wrapping ErrConfig.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.OnConversation == nil && cfg.OnConversationState == nil && cfg.OnMessage == nil &&
		cfg.OnParticipant == nil && cfg.OnUser == nil && cfg.OnEvent == nil {
		return nil, fmt.Errorf("%w: no callback is set", ErrConfig)
	}
	if cfg.SeenTTL < 0 || (cfg.SeenTTL > 0 && cfg.SeenTTL < 4*time.Hour) {
		return nil, fmt.Errorf("%w: SeenTTL %v is shorter than Event Streams' four-hour retry window", ErrConfig, cfg.SeenTTL)
	}
	maxBody := cfg.MaxBodyBytes
	if maxBody == 0 {
		maxBody = DefaultMaxBodyBytes
	}
	v, err := webhook.NewHandler(webhook.Config{
		AuthToken:    cfg.AuthToken,
		PublicOrigin: cfg.PublicOrigin,
		URL:          cfg.URL,
		MaxBodyBytes: maxBody,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrConfig, strings.TrimPrefix(err.Error(), webhook.ErrConfig.Error()+": "))
	}
	h := &Handler{cfg: cfg, verify: v, seen: cfg.Seen, ttl: cfg.SeenTTL}
	if h.seen == nil {
		h.seen = NewMemorySeenSet(DefaultSeenCapacity)
	}
	if h.ttl == 0 {
		h.ttl = DefaultSeenTTL
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if h.verify == nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	events, err := h.ReadBatch(r)
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, webhook.ErrMissingSignature), errors.Is(err, webhook.ErrInvalidSignature),
			errors.Is(err, webhook.ErrBodyHashMismatch), errors.Is(err, ErrMissingBodyHash):
			status = http.StatusUnauthorized
		case errors.Is(err, webhook.ErrBodyTooLarge):
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, http.StatusText(status), status)
		h.reject(r, err)
		return
	}
	if err := h.Process(r.Context(), events); err != nil {
		var be *BatchError
		msg := http.StatusText(http.StatusInternalServerError)
		if errors.As(err, &be) {
			msg = strconv.Itoa(len(be.Failed)) + " of " + strconv.Itoa(be.Total) + " events failed; redeliver the batch"
		}
		http.Error(w, msg, http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// ReadBatch authenticates r (see Handler) and parses its batch, without
// processing it. It reads (and consumes) the body.
func (h *Handler) ReadBatch(r *http.Request) ([]Event, error) {
	if h.verify == nil {
		return nil, errors.New("eventstreams: Handler not built with NewHandler")
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || q.Get(webhook.BodyHashParam) == "" {
		return nil, ErrMissingBodyHash
	}
	body, err := h.verify.ReadBody(r)
	if err != nil {
		return nil, err
	}
	return ParseBatch(body)
}

// BatchError is the error Process returns when events of a batch failed.
type BatchError struct {
	// Total is the number of events in the batch.
	Total int
	// Failed are the events that failed, in batch order.
	Failed []EventError
}

// EventError is one failed event of a BatchError.
type EventError struct {
	// ID is the failed event's id.
	ID string
	// Type is the failed event's type.
	Type EventType
	// Err is the callback's error (or the SeenSet's).
	Err error
}

// Error implements error. It lists the ids, types and errors of the failed
// events.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "eventstreams: %d of %d events failed", len(e.Failed), e.Total)
	for _, f := range e.Failed {
		fmt.Fprintf(&b, "; %s (%s): %v", f.ID, f.Type, f.Err)
	}
	return b.String()
}

// Unwrap returns the errors of the failed events.
func (e *BatchError) Unwrap() []error {
	out := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		out[i] = f.Err
	}
	return out
}

// Process runs the events of a batch as ServeHTTP does after parsing:
// dedupe, callback, release on failure. It returns nil when every event was
// processed or skipped as a duplicate, and a *BatchError otherwise. Use it
// for batches that arrive another way (a queue fed by a Kinesis sink, say).
func (h *Handler) Process(ctx context.Context, events []Event) error {
	var failed []EventError
	for _, e := range events {
		if err := h.processOne(ctx, e); err != nil {
			env := e.Base()
			failed = append(failed, EventError{ID: env.ID, Type: env.Type, Err: err})
			if h.cfg.Logger != nil {
				h.cfg.Logger.Error("event stream event failed; it will be redelivered",
					slog.String("id", env.ID), slog.String("type", string(env.Type)), slog.String("error", err.Error()))
			}
		}
	}
	if failed != nil {
		return &BatchError{Total: len(events), Failed: failed}
	}
	return nil
}

// processOne claims, calls back and releases on failure.
func (h *Handler) processOne(ctx context.Context, e Event) (err error) {
	call := h.callback(e)
	if call == nil {
		return nil
	}
	id := e.Base().ID
	claimed, err := h.seen.Claim(ctx, id, h.ttl)
	if err != nil {
		return fmt.Errorf("eventstreams: seen-set claim: %w", err)
	}
	if !claimed {
		return nil // a duplicate: already processed (or being processed)
	}
	released := false
	release := func() {
		if released {
			return
		}
		released = true
		// A fresh context: the request's may be what failed.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if rerr := h.seen.Release(rctx, id); rerr != nil && h.cfg.Logger != nil {
			h.cfg.Logger.Error("event stream seen-set release failed; the event's redelivery will be skipped until its TTL passes",
				slog.String("id", id), slog.String("error", rerr.Error()))
		}
	}
	defer func() {
		if p := recover(); p != nil {
			release()
			panic(p)
		}
	}()
	if err := call(ctx); err != nil {
		release()
		return err
	}
	return nil
}

// callback returns the callback for e bound to it, nil when none applies.
func (h *Handler) callback(e Event) func(context.Context) error {
	c := &h.cfg
	switch ev := e.(type) {
	case *ConversationEvent:
		if c.OnConversation != nil {
			return func(ctx context.Context) error { return c.OnConversation(ctx, ev) }
		}
	case *ConversationStateEvent:
		if c.OnConversationState != nil {
			return func(ctx context.Context) error { return c.OnConversationState(ctx, ev) }
		}
	case *MessageEvent:
		if c.OnMessage != nil {
			return func(ctx context.Context) error { return c.OnMessage(ctx, ev) }
		}
	case *ParticipantEvent:
		if c.OnParticipant != nil {
			return func(ctx context.Context) error { return c.OnParticipant(ctx, ev) }
		}
	case *UserEvent:
		if c.OnUser != nil {
			return func(ctx context.Context) error { return c.OnUser(ctx, ev) }
		}
	}
	if c.OnEvent != nil {
		return func(ctx context.Context) error { return c.OnEvent(ctx, e) }
	}
	return nil
}

// reject reports a request turned away before any callback.
func (h *Handler) reject(r *http.Request, err error) {
	if h.cfg.Logger != nil {
		attrs := []any{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error())}
		var se *webhook.SignatureError
		if errors.As(err, &se) {
			attrs[2] = slog.String("error", webhook.ErrInvalidSignature.Error())
			attrs = append(attrs, slog.Any("tried", se.Tried), slog.String("cause", se.Cause), slog.String("hint", se.Hint))
		}
		h.cfg.Logger.Warn("event stream request refused", attrs...)
	}
	if h.cfg.OnReject != nil {
		h.cfg.OnReject(r, err)
	}
}
