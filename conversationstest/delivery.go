package conversationstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	signing "github.com/conversations-go/conversations/webhook"
)

// The fake calls webhooks back the way Twilio does. The rules come from
// Twilio's documents, cited where they apply:
//
//   - "Conversations Webhooks",
//     https://www.twilio.com/docs/conversations/conversations-webhooks:
//     which events exist and are pre- or post-action, their parameters, the
//     pre-action response contract, the 5-second timeout, and that REST
//     actions fire only post-action webhooks and only with
//     X-Twilio-Webhook-Enabled: true.
//   - "Webhook Configuration Resource",
//     https://www.twilio.com/docs/conversations/api/webhook-configuration-resource,
//     and "Per-Service Webhook Resource",
//     https://www.twilio.com/docs/conversations/api/per-service-webhook-resource:
//     account-level and service-level targets, and that service-level hooks,
//     where configured, override the account-level ones.
//   - "Conversation Scoped Webhook Resource",
//     https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource:
//     Configuration.Url/Method/Filters/Triggers of a conversation's webhooks.
//   - "Webhooks security", https://www.twilio.com/docs/usage/webhooks/webhooks-security:
//     the X-Twilio-Signature header, computed here with
//     webhook.ComputeSignature over the exact URL called.

// Headers the fake sends with every webhook. Twilio's webhook requests
// carry the User-Agent "TwilioProxy/1.1"; a form-encoded POST body is
// described in "Webhooks FAQ"
// (https://www.twilio.com/docs/usage/webhooks/webhooks-faq).
const (
	webhookUserAgent   = "TwilioProxy/1.1"
	webhookContentType = "application/x-www-form-urlencoded"
	// DefaultWebhookTimeout is how long the fake waits for a webhook's
	// answer: "Conversations webhooks have a maximum timeout of 5 seconds"
	// ("Conversations Webhooks"). A pre-action webhook that does not answer
	// in time lets the action proceed unmodified.
	DefaultWebhookTimeout = 5 * time.Second
	maxHookResponse       = 64 << 10
)

// WithWebhookTimeout sets how long the fake waits for a webhook's answer
// (DefaultWebhookTimeout unless set), so that a test of the "no answer in
// time" rule need not wait 5 seconds. A d of 0 or less keeps the default.
func WithWebhookTimeout(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.hookTimeout = d
		}
	}
}

// WithWebhookHosts allows the fake to deliver webhooks to these hosts (host
// names or IP addresses, without port) besides loopback addresses. By
// default the fake delivers only to 127.0.0.0/8, ::1 and "localhost" and
// records any other target as a failed Delivery without sending anything.
func WithWebhookHosts(hosts ...string) Option {
	return func(s *Server) {
		for _, h := range hosts {
			s.hookHosts[strings.ToLower(h)] = true
		}
	}
}

// WithWebhookClient makes the fake send webhooks (and Event Streams
// batches) with hc instead of its own client (for instance one that trusts
// an httptest TLS server). The loopback rule and the timeout still apply,
// to every request, whatever hc does: the fake uses a copy of hc that never
// follows a redirect, refuses a URL whose host is neither loopback nor
// allowed with WithWebhookHosts, and — when hc's transport is an
// *http.Transport — drops its proxy and dials only such hosts. A nil hc
// keeps the fake's own client.
func WithWebhookClient(hc *http.Client) Option {
	return func(s *Server) {
		if hc != nil {
			s.hookClient = hc
		}
	}
}

// Delivery is one webhook the fake sent, or tried to send.
type Delivery struct {
	// URL is the URL called, query string included (a GET webhook carries
	// its parameters there). It is the URL the signature covers.
	URL string
	// Method is "POST" or "GET".
	Method string
	// EventType is the EventType parameter, e.g. "onMessageAdded".
	EventType string
	// PreAction reports whether this was a pre-action webhook, sent
	// synchronously before the action.
	PreAction bool
	// ConversationSID is the conversation the event is about, if any.
	ConversationSID string
	// Form holds the parameters sent.
	Form url.Values
	// Header holds the request headers sent, X-Twilio-Signature included.
	Header http.Header
	// Status is the HTTP status of the answer; 0 when there was none (see
	// Err).
	Status int
	// Body is the start of the answer's body (at most 64 KiB).
	Body string
	// Err is why no answer came: a timeout, a refused connection, or a
	// host the fake does not deliver to.
	Err error
}

// ErrHostNotAllowed is the Delivery.Err of a webhook whose URL names a
// host that is neither loopback nor allowed with WithWebhookHosts.
var ErrHostNotAllowed = errors.New("conversationstest: webhook host is not loopback and not allowed with WithWebhookHosts")

// hookJob is one webhook to send.
type hookJob struct {
	target   hookTarget
	event    string
	pre      bool
	convSID  string
	form     url.Values
	queueKey string
}

// hookTarget is where one event goes, and how.
type hookTarget struct {
	url         string
	method      string // "GET" or "POST"
	webhookSID  string // set for conversation-scoped webhooks
	webhookType string
}

// deliveries is the webhook sender's state; guarded by its own mutex so
// that request handlers (holding Server.mu) can queue events.
type deliveries struct {
	mu      sync.Mutex
	done    []Delivery
	queues  map[string][]hookJob // per-conversation FIFO of post events
	pending int                  // queued or in flight
	idle    chan struct{}        // closed when pending drops to 0
	closed  bool
	wg      sync.WaitGroup
}

// Deliveries returns every webhook delivered (or attempted) so far, in the
// order they finished (the most recent ones only, with WithRequestHistory). Post-action webhooks are asynchronous: call
// WaitDeliveries first to see the ones still in flight.
func (s *Server) Deliveries() []Delivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	kept := keptHistory(s.hooks.done, s.history) // control.go: WithRequestHistory
	out := make([]Delivery, len(kept))
	copy(out, kept)
	return out
}

// ResetDeliveries forgets the recorded deliveries.
func (s *Server) ResetDeliveries() {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.done = nil
}

// WaitDeliveries waits until every queued post-action webhook has been
// delivered (or has failed), or ctx is done.
func (s *Server) WaitDeliveries(ctx context.Context) error {
	d := &s.hooks
	d.mu.Lock()
	if d.pending == 0 {
		d.mu.Unlock()
		return nil
	}
	if d.idle == nil {
		d.idle = make(chan struct{})
	}
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// enqueue queues post-action webhooks. Jobs with the same queue key (one
// conversation) are sent one after the other, in order; different
// conversations are delivered concurrently.
func (s *Server) enqueue(jobs []hookJob) {
	d := &s.hooks
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	for _, j := range jobs {
		d.pending++
		q, running := d.queues[j.queueKey]
		d.queues[j.queueKey] = append(q, j)
		if !running {
			d.wg.Add(1)
			go s.drain(j.queueKey)
		}
	}
}

// drain sends the queue's jobs in order until it is empty.
func (s *Server) drain(key string) {
	d := &s.hooks
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			return
		}
		j := q[0]
		d.mu.Unlock()

		rec := s.send(s.bgCtx, j)

		d.mu.Lock()
		d.done = trimHistory(append(d.done, rec), s.history)
		d.queues[key] = d.queues[key][1:]
		d.pending--
		if d.pending == 0 && d.idle != nil {
			close(d.idle)
			d.idle = nil
		}
		d.mu.Unlock()
	}
}

// sendPre sends a pre-action webhook synchronously and records it.
func (s *Server) sendPre(ctx context.Context, j hookJob) Delivery {
	rec := s.send(ctx, j)
	s.hooks.mu.Lock()
	s.hooks.done = trimHistory(append(s.hooks.done, rec), s.history)
	s.hooks.mu.Unlock()
	return rec
}

// send makes one webhook request, signed with the fake's auth token.
func (s *Server) send(ctx context.Context, j hookJob) Delivery {
	rec := Delivery{
		URL:             j.target.url,
		Method:          j.target.method,
		EventType:       j.event,
		PreAction:       j.pre,
		ConversationSID: j.convSID,
		Form:            j.form,
		Header:          http.Header{},
	}
	u, err := url.Parse(j.target.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		rec.Err = fmt.Errorf("conversationstest: webhook URL %q is not an absolute http(s) URL", j.target.url)
		return rec
	}
	if !s.hostAllowed(u.Hostname()) {
		rec.Err = ErrHostNotAllowed
		return rec
	}
	var body io.Reader
	sigParams := j.form
	if j.target.method == http.MethodGet {
		// A GET webhook carries its parameters in the query string; the
		// signature then covers the full URL and no body parameters.
		q := u.Query()
		for k, vs := range j.form {
			q[k] = append(q[k], vs...)
		}
		u.RawQuery = q.Encode()
		rec.URL = u.String()
		sigParams = nil
	} else {
		body = strings.NewReader(j.form.Encode())
		rec.Header.Set("Content-Type", webhookContentType)
	}
	rec.Header.Set("User-Agent", webhookUserAgent)
	rec.Header.Set("I-Twilio-Idempotency-Token", newSID("ID")[2:])
	rec.Header.Set("X-Twilio-Signature", signing.ComputeSignature(s.AuthToken, rec.URL, sigParams))

	rec.Status, rec.Body, rec.Err = s.sendHook(ctx, j.target.method, rec.URL, rec.Header, body)
	return rec
}

// sendHook sends one outbound request of the fake (a webhook, an Event
// Streams batch) within the hook timeout, with a copy of header. It returns
// the status and at most maxHookResponse bytes of the response; err is the
// request's or the read's error (status and response are kept on a read
// error).
func (s *Server) sendHook(ctx context.Context, method, u string, header http.Header, body io.Reader) (status int, response string, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.hookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, "", err
	}
	req.Header = header.Clone()
	resp, err := s.hookClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxHookResponse))
	return resp.StatusCode, string(b), err
}

// hostAllowed reports whether the fake may send to host: loopback, or
// allowed with WithWebhookHosts.
func (s *Server) hostAllowed(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	return s.hookHosts[strings.ToLower(host)]
}

// closeDeliveries stops queueing, cancels requests in flight and waits for
// the senders to finish.
func (s *Server) closeDeliveries() {
	s.hooks.mu.Lock()
	s.hooks.closed = true
	s.hooks.mu.Unlock()
	s.bgCancel()
	s.hooks.wg.Wait()
}

// preDecision is what a pre-action webhook's answer means.
type preDecision struct {
	reject bool
	status int
	// Modifications from a 200 answer with a JSON body; nil when absent.
	body, author, attributes *string
}

// decide reads a pre-action webhook's answer per "Conversations Webhooks",
// "Pre-action webhook responses": HTTP 200 with an empty body (or {})
// lets the action proceed; 200 with a JSON body modifies it; a 4xx or 5xx
// status rejects it. No answer (timeout, connection failure) lets the
// action proceed unmodified, as does any other status (the document is
// silent about them; the README says so).
func decide(d Delivery) preDecision {
	switch {
	case d.Err != nil || d.Status == 0:
		return preDecision{}
	case d.Status >= 400 && d.Status <= 599:
		return preDecision{reject: true, status: d.Status}
	case d.Status != http.StatusOK:
		return preDecision{}
	}
	var m struct {
		Body       *string         `json:"body"`
		Author     *string         `json:"author"`
		Attributes json.RawMessage `json:"attributes"`
	}
	if strings.TrimSpace(d.Body) == "" || json.Unmarshal([]byte(d.Body), &m) != nil {
		return preDecision{}
	}
	pd := preDecision{body: m.Body, author: m.Author}
	if len(m.Attributes) > 0 && string(m.Attributes) != "null" {
		// attributes is a string holding JSON; accept a JSON object too.
		var s string
		if json.Unmarshal(m.Attributes, &s) == nil {
			pd.attributes = &s
		} else {
			s = string(m.Attributes)
			pd.attributes = &s
		}
	}
	return pd
}
