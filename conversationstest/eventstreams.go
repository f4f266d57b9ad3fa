package conversationstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	signing "github.com/conversations-go/conversations/webhook"
)

// The fake delivers Event Streams the way a webhook sink receives them.
// The rules come from Twilio's documents, cited where they apply:
//
//   - "Conversations Webhooks", section "Conversations Webhooks vs. Event
//     Streams": Event Streams carries every post-action event except
//     onDeliveryUpdated.
//   - The event type pages under Event Types → Conversations
//     (https://www.twilio.com/docs/events/event-types/conversations/conversation,
//     .../conversation-state, .../message, .../participant, .../user) and
//     their schemas at https://events-schemas.twilio.com/: the type
//     strings, the CloudEvents envelope and the data fields.
//   - "Event delivery retries and event duplication"
//     (https://www.twilio.com/docs/events/event-delivery-and-duplication):
//     at-least-once delivery, no guaranteed order, a 429 or 5xx answer
//     retried, another 4xx discarded; "Deduplication"
//     (https://www.twilio.com/docs/events/faq/at-least-once-delivery): the
//     id is a SID like EZ...
//   - "Webhook Quickstart" (https://www.twilio.com/docs/events/webhook-quickstart):
//     the signature, validated like any Twilio webhook, and the 5-second
//     answer timeout. The body is JSON, so the signature covers the URL
//     with a bodySHA256 parameter ("Security", "A few notes").

// Defaults of EventStreamsSink.
const (
	// DefaultStreamBatchSize is the most events the fake puts in one
	// request unless EventStreamsSink.BatchSize says otherwise.
	DefaultStreamBatchSize = 10
	// DefaultStreamAttempts is how often the fake sends a batch answered
	// 429 or 5xx (or not answered) before it gives up, unless
	// EventStreamsSink.MaxAttempts says otherwise. Twilio retries for four
	// hours; a test needs fewer.
	DefaultStreamAttempts = 5
	// DefaultStreamInterval is how often the fake delivers the events
	// published since the last delivery, unless EventStreamsSink.Interval
	// says otherwise.
	DefaultStreamInterval = 50 * time.Millisecond
	// DefaultStreamSchemaVersion is the dataschema version of the events
	// (the latest on Twilio's pages) unless EventStreamsSink.SchemaVersion
	// says otherwise.
	DefaultStreamSchemaVersion = 2
)

// EventStreamsSink configures the Event Streams webhook sink the fake
// delivers to (see WithEventStreams).
type EventStreamsSink struct {
	// URL is the sink's destination. The loopback rule of webhooks applies
	// (WithWebhookHosts allows other hosts). The fake adds the bodySHA256
	// parameter to it and signs the result.
	URL string
	// Types are the subscribed event types (e.g.
	// "com.twilio.conversations.message.added"); nil means every
	// Conversations type.
	Types []string
	// SchemaVersion is the version in each event's dataschema; 0 means
	// DefaultStreamSchemaVersion.
	SchemaVersion int
	// BatchSize is the most events per request; 0 means
	// DefaultStreamBatchSize.
	BatchSize int
	// Redeliver makes the fake deliver every event this many more times
	// (duplicates, as Event Streams' at-least-once delivery does), with the
	// same id, in the same delivery round after the originals.
	Redeliver int
	// Reorder shuffles the events of each delivery round (originals and
	// duplicates together) before they are cut into batches, as Event
	// Streams does not guarantee order. The shuffle is seeded by Seed, so
	// a test is reproducible.
	Reorder bool
	// Seed seeds Reorder's shuffle.
	Seed uint64
	// MaxAttempts is how often a batch answered 429 or 5xx, or not answered,
	// is sent before the fake gives up on it; 0 means
	// DefaultStreamAttempts. A batch answered another 4xx is discarded at
	// once, as Twilio does.
	MaxAttempts int
	// Interval is how often the events published since the last round are
	// delivered in the background; 0 means DefaultStreamInterval, and a
	// negative Interval delivers only on FlushEventStreams.
	Interval time.Duration
}

// WithEventStreams gives the fake an Event Streams webhook sink: every
// action that fires a post-action webhook event other than
// onDeliveryUpdated publishes the matching Event Streams event
// (com.twilio.conversations.message.added for onMessageAdded, and so on),
// and the fake posts the events, in batches, as signed JSON arrays of
// CloudEvents to sink.URL. Unlike webhooks, publishing does not depend on
// webhook targets, filters or the X-Twilio-Webhook-Enabled header of a
// REST request (an Event Streams subscription is not a webhook; Twilio
// documents no such gate for it). Inspect what was sent with
// StreamDeliveries and StreamEvents; FlushEventStreams delivers what is
// pending and waits.
func WithEventStreams(sink EventStreamsSink) Option {
	return func(s *Server) {
		if sink.BatchSize <= 0 {
			sink.BatchSize = DefaultStreamBatchSize
		}
		if sink.MaxAttempts <= 0 {
			sink.MaxAttempts = DefaultStreamAttempts
		}
		if sink.SchemaVersion <= 0 {
			sink.SchemaVersion = DefaultStreamSchemaVersion
		}
		if sink.Interval == 0 {
			sink.Interval = DefaultStreamInterval
		}
		if sink.Redeliver < 0 {
			sink.Redeliver = 0
		}
		sink.Types = slices.Clone(sink.Types)
		s.streams = &streams{sink: sink, kick: make(chan struct{}, 1), rng: rand.New(rand.NewPCG(sink.Seed, sink.Seed))}
	}
}

// StreamEvent is one Event Streams event the fake published.
type StreamEvent struct {
	// ID is the event's id (EZ...).
	ID string
	// Type is its type, e.g. "com.twilio.conversations.message.added".
	Type string
	// JSON is the CloudEvent as sent.
	JSON json.RawMessage
}

// StreamDelivery is one request the fake sent to the Event Streams sink,
// or tried to send.
type StreamDelivery struct {
	// URL is the URL called, with its bodySHA256 parameter: the URL the
	// signature covers.
	URL string
	// Header holds the request headers sent, X-Twilio-Signature included.
	Header http.Header
	// Body is the JSON array of CloudEvents sent.
	Body []byte
	// EventIDs are the ids of the events in Body, in order.
	EventIDs []string
	// Attempt is 1 for the first send of this batch, 2 for its first
	// retry, and so on.
	Attempt int
	// Status is the HTTP status of the answer; 0 when there was none.
	Status int
	// Response is the start of the answer's body (at most 64 KiB).
	Response string
	// Err is why no answer came, or ErrHostNotAllowed.
	Err error
	// Outcome is what the fake did next: "delivered" (2xx), "retry" (429,
	// 5xx or no answer, attempts left), "discarded" (another status, as
	// Twilio does with a 4xx) or "dropped" (no attempts left).
	Outcome string
}

// streams is the Event Streams state of a Server; guarded by its own mutex
// so that request handlers (holding Server.mu) can publish.
type streams struct {
	sink EventStreamsSink
	kick chan struct{}
	rng  *rand.Rand // used by the sender goroutine only

	mu        sync.Mutex
	started   bool
	pending   []StreamEvent
	inFlight  int
	idle      chan struct{} // closed when nothing is pending or in flight
	published []StreamEvent
	done      []StreamDelivery
}

// Event Streams types and schema names of the post-action events.
var streamTypes = map[string]struct{ typ, schema string }{
	onConversationAdded:        {"com.twilio.conversations.conversation.added", "Conversations.ConversationAdded"},
	onConversationUpdated:      {"com.twilio.conversations.conversation.updated", "Conversations.ConversationUpdated"},
	onConversationRemoved:      {"com.twilio.conversations.conversation.removed", "Conversations.ConversationRemoved"},
	onConversationStateUpdated: {"com.twilio.conversations.conversation-state.updated", "Conversations.ConversationStateUpdated"},
	onMessageAdded:             {"com.twilio.conversations.message.added", "Conversations.MessageAdded"},
	onMessageUpdated:           {"com.twilio.conversations.message.updated", "Conversations.MessageUpdated"},
	onMessageRemoved:           {"com.twilio.conversations.message.removed", "Conversations.MessageRemoved"},
	onParticipantAdded:         {"com.twilio.conversations.participant.added", "Conversations.ParticipantAdded"},
	onParticipantUpdated:       {"com.twilio.conversations.participant.updated", "Conversations.ParticipantUpdated"},
	onParticipantRemoved:       {"com.twilio.conversations.participant.removed", "Conversations.ParticipantRemoved"},
	onUserAdded:                {"com.twilio.conversations.user.added", "Conversations.UserAdded"},
	onUserUpdated:              {"com.twilio.conversations.user.updated", "Conversations.UserUpdated"},
}

// streamFields are the data fields each event family carries, in the
// order written, as listed on Twilio's event type pages; the webhook
// parameter each comes from is the same name unless noted in streamData.
var streamFields = map[string][]string{
	"conversation": {"AccountSid", "ConversationSid", "FriendlyName", "UniqueName", "State", "MessagingServiceSid", "Attributes", "DateCreated", "DateUpdated"},
	"state":        {"AccountSid", "ConversationSid", "MessagingServiceSid", "StateUpdated", "StateFrom", "StateTo", "Reason"},
	"message":      {"AccountSid", "ConversationSid", "MessageSid", "Index", "Author", "ParticipantSid", "MessageBody", "MessagingServiceSid", "Attributes", "Media", "DateCreated", "DateUpdated"},
	"participant":  {"AccountSid", "ConversationSid", "ParticipantSid", "Identity", "RoleSid", "Attributes", "MessagingBinding", "DateCreated", "DateUpdated"},
	"user":         {"AccountSid", "UserSid", "Identity", "FriendlyName", "RoleSid", "Attributes", "DateCreated", "DateUpdated"},
}

// publishStream publishes the Event Streams event of a post-action event,
// if the server has a sink subscribed to it. fields are the webhook
// parameters of the event (events.go); at is when it happened.
func (s *Server) publishStream(at time.Time, svc *service, event string, fields url.Values) {
	es := s.streams
	if es == nil {
		return
	}
	st, ok := streamTypes[event]
	if !ok || (es.sink.Types != nil && !slices.Contains(es.sink.Types, st.typ)) {
		return
	}
	family := strings.SplitN(strings.TrimPrefix(st.typ, "com.twilio.conversations."), ".", 2)[0]
	if family == "conversation-state" {
		family = "state"
	}
	data := streamData(family, strings.HasSuffix(st.typ, ".added"), s.AccountSID, fields)
	id := newSID("EZ")
	ev := struct {
		SpecVersion     string          `json:"specversion"`
		Type            string          `json:"type"`
		Source          string          `json:"source"`
		ID              string          `json:"id"`
		DataSchema      string          `json:"dataschema"`
		DataContentType string          `json:"datacontenttype"`
		Time            string          `json:"time"`
		Data            json.RawMessage `json:"data"`
	}{"1.0", st.typ, streamSource(svc, fields), id,
		"https://events-schemas.twilio.com/" + st.schema + "/" + strconv.Itoa(es.sink.SchemaVersion),
		"application/json", at.UTC().Format(hookTime), data}
	raw, err := json.Marshal(ev)
	if err != nil {
		panic(err) // only strings and valid JSON
	}
	se := StreamEvent{ID: id, Type: st.typ, JSON: raw}

	s.hooks.mu.Lock() // the sender goroutine counts as a webhook sender for Close
	if s.hooks.closed {
		s.hooks.mu.Unlock()
		return
	}
	es.mu.Lock()
	start := !es.started
	if start {
		es.started = true
		s.hooks.wg.Add(1)
	}
	es.published = trimHistory(append(es.published, se), s.history)
	es.pending = append(es.pending, se)
	es.mu.Unlock()
	s.hooks.mu.Unlock()
	if start {
		go s.streamSender()
	}
}

// streamData builds the data object of one event from the webhook
// parameters: Body becomes MessageBody, Index an integer, Attributes the
// JSON object it holds (a string when it is not an object), Media the
// array of {MediaSid}, the MessagingBinding.* parameters an object;
// DateUpdated is left out of added events, as on Twilio's pages.
func streamData(family string, added bool, accountSID string, f url.Values) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	put := func(k string, v any) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	for _, k := range streamFields[family] {
		switch k {
		case "AccountSid":
			put(k, accountSID)
		case "DateUpdated":
			if v := f.Get(k); v != "" && !added {
				put(k, v)
			}
		case "MessageBody":
			if v := f.Get("Body"); v != "" {
				put(k, v)
			}
		case "Index":
			if n, err := strconv.Atoi(f.Get(k)); err == nil {
				put(k, n)
			}
		case "Attributes":
			if v := f.Get(k); v != "" {
				if strings.HasPrefix(strings.TrimSpace(v), "{") && json.Valid([]byte(v)) {
					put(k, json.RawMessage(v))
				} else {
					put(k, v)
				}
			}
		case "Media":
			var in []struct{ Sid string }
			if json.Unmarshal([]byte(f.Get(k)), &in) == nil && len(in) > 0 {
				out := make([]map[string]string, len(in))
				for i, m := range in {
					out[i] = map[string]string{"MediaSid": m.Sid}
				}
				put(k, out)
			}
		case "MessagingBinding":
			mb := map[string]string{}
			for _, sub := range []string{"Address", "ProxyAddress", "ProjectedAddress", "Type"} {
				if v := f.Get("MessagingBinding." + sub); v != "" {
					mb[sub] = v
				}
			}
			if len(mb) > 0 {
				put(k, mb)
			}
		default:
			if v := f.Get(k); v != "" {
				put(k, v)
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// streamSource is the event's CloudEvents source: the REST path of the
// resource the event is about. (Twilio's examples show an opaque
// identifier; the fake's choice is documented in the README.)
func streamSource(svc *service, f url.Values) string {
	base := "/v1/Services/" + svc.sid
	switch {
	case f.Get("UserSid") != "":
		return base + "/Users/" + f.Get("UserSid")
	case f.Get("MessageSid") != "":
		return base + "/Conversations/" + f.Get("ConversationSid") + "/Messages/" + f.Get("MessageSid")
	case f.Get("ParticipantSid") != "" && f.Get("DeliveryReceiptSid") == "":
		return base + "/Conversations/" + f.Get("ConversationSid") + "/Participants/" + f.Get("ParticipantSid")
	default:
		return base + "/Conversations/" + f.Get("ConversationSid")
	}
}

// streamSender delivers published events in rounds: every Interval, and
// when FlushEventStreams asks. It stops when the server closes.
func (s *Server) streamSender() {
	defer s.hooks.wg.Done()
	es := s.streams
	var tick <-chan time.Time
	if es.sink.Interval > 0 {
		t := time.NewTicker(es.sink.Interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-s.bgCtx.Done():
			return
		case <-es.kick:
		case <-tick:
		}
		s.streamRound()
	}
}

// streamRound delivers every pending event: with its duplicates, shuffled
// if asked, cut into batches, each batch retried as Twilio would.
func (s *Server) streamRound() {
	es := s.streams
	es.mu.Lock()
	events := es.pending
	es.pending = nil
	es.inFlight += len(events)
	es.mu.Unlock()
	if len(events) == 0 {
		s.streamSettled(0)
		return
	}
	list := make([]StreamEvent, 0, len(events)*(1+es.sink.Redeliver))
	list = append(list, events...)
	for i := 0; i < es.sink.Redeliver; i++ {
		list = append(list, events...)
	}
	if es.sink.Reorder {
		es.rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
	}
	for len(list) > 0 && s.bgCtx.Err() == nil {
		n := min(es.sink.BatchSize, len(list))
		s.sendStreamBatch(list[:n])
		list = list[n:]
	}
	s.streamSettled(len(events))
}

// streamSettled marks n events as no longer in flight and wakes
// FlushEventStreams when nothing is left.
func (s *Server) streamSettled(n int) {
	es := s.streams
	es.mu.Lock()
	defer es.mu.Unlock()
	es.inFlight -= n
	if es.inFlight == 0 && len(es.pending) == 0 && es.idle != nil {
		close(es.idle)
		es.idle = nil
	}
}

// sendStreamBatch posts one batch, retrying a 429, 5xx or missing answer
// up to MaxAttempts times.
func (s *Server) sendStreamBatch(batch []StreamEvent) {
	es := s.streams
	var body bytes.Buffer
	ids := make([]string, len(batch))
	body.WriteByte('[')
	for i, e := range batch {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(e.JSON)
		ids[i] = e.ID
	}
	body.WriteByte(']')
	for attempt := 1; attempt <= es.sink.MaxAttempts; attempt++ {
		d := s.sendStream(body.Bytes(), ids, attempt)
		retry := d.Err != nil || d.Status == http.StatusTooManyRequests || d.Status >= 500
		switch {
		case d.Err == nil && d.Status >= 200 && d.Status < 300:
			d.Outcome = "delivered"
		case retry && attempt < es.sink.MaxAttempts && !errors.Is(d.Err, ErrHostNotAllowed):
			d.Outcome = "retry"
		case retry:
			d.Outcome = "dropped"
		default:
			d.Outcome = "discarded"
		}
		es.mu.Lock()
		es.done = trimHistory(append(es.done, d), s.history)
		es.mu.Unlock()
		if d.Outcome != "retry" || s.bgCtx.Err() != nil {
			return
		}
	}
}

// sendStream makes one request to the sink.
func (s *Server) sendStream(body []byte, ids []string, attempt int) StreamDelivery {
	es := s.streams
	d := StreamDelivery{Header: http.Header{}, Body: body, EventIDs: ids, Attempt: attempt}
	u, err := url.Parse(es.sink.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.URL = es.sink.URL
		d.Err = fmt.Errorf("conversationstest: Event Streams sink URL %q is not an absolute http(s) URL", es.sink.URL)
		return d
	}
	sep := "?"
	if strings.Contains(es.sink.URL, "?") {
		sep = "&"
	}
	d.URL = es.sink.URL + sep + signing.BodyHashParam + "=" + signing.ComputeBodyHash(body)
	if !s.hostAllowed(u.Hostname()) {
		d.Err = ErrHostNotAllowed
		return d
	}
	d.Header.Set("Content-Type", "application/json")
	d.Header.Set("User-Agent", webhookUserAgent)
	d.Header.Set(signing.SignatureHeader, signing.ComputeSignature(s.AuthToken, d.URL, nil))

	d.Status, d.Response, d.Err = s.sendHook(s.bgCtx, http.MethodPost, d.URL, d.Header, bytes.NewReader(body))
	return d
}

// FlushEventStreams delivers every Event Streams event published so far
// (with its duplicates and retries) and waits until that is done, or ctx
// ends, or the server is closed (an error then). Without an Event Streams
// sink it returns nil at once.
func (s *Server) FlushEventStreams(ctx context.Context) error {
	es := s.streams
	if es == nil {
		return nil
	}
	es.mu.Lock()
	if !es.started || (len(es.pending) == 0 && es.inFlight == 0) {
		es.mu.Unlock()
		return nil
	}
	if es.idle == nil {
		es.idle = make(chan struct{})
	}
	idle := es.idle
	es.mu.Unlock()
	select {
	case es.kick <- struct{}{}:
	default: // a round is already asked for
	}
	select {
	case <-idle:
		return nil
	case <-s.bgCtx.Done():
		return errors.New("conversationstest: server closed with Event Streams events undelivered")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// StreamDeliveries returns every request sent (or tried) to the Event
// Streams sink, in the order they finished (the most recent ones only, with
// WithRequestHistory). Call FlushEventStreams first to see the events still
// pending.
func (s *Server) StreamDeliveries() []StreamDelivery {
	if s.streams == nil {
		return nil
	}
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	return slices.Clone(keptHistory(s.streams.done, s.history))
}

// ResetStreamDeliveries forgets the recorded Event Streams deliveries and
// published events.
func (s *Server) ResetStreamDeliveries() {
	if s.streams == nil {
		return
	}
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	s.streams.done, s.streams.published = nil, nil
}

// StreamEvents returns every Event Streams event published so far, in the
// order published (each once, whatever its duplicates; the most recent ones
// only, with WithRequestHistory).
func (s *Server) StreamEvents() []StreamEvent {
	if s.streams == nil {
		return nil
	}
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	return slices.Clone(keptHistory(s.streams.published, s.history))
}
