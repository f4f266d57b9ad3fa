package conversationstest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Event types the fake sends. The names, and which are pre- or
// post-action, are the table "Webhook Action Triggers" of "Conversations
// Webhooks" (https://www.twilio.com/docs/conversations/conversations-webhooks).
const (
	onConversationAdded        = "onConversationAdded"
	onConversationUpdated      = "onConversationUpdated"
	onConversationRemoved      = "onConversationRemoved"
	onConversationStateUpdated = "onConversationStateUpdated"
	onMessageAdd               = "onMessageAdd"
	onMessageAdded             = "onMessageAdded"
	onMessageUpdated           = "onMessageUpdated"
	onMessageRemoved           = "onMessageRemoved"
	onParticipantAdded         = "onParticipantAdded"
	onParticipantUpdated       = "onParticipantUpdated"
	onParticipantRemoved       = "onParticipantRemoved"
	onUserAdded                = "onUserAdded"
	onUserUpdated              = "onUserUpdated"
	onDeliveryUpdated          = "onDeliveryUpdated"
)

// hookTime is the date format of webhook parameters: ISO 8601 in UTC with
// milliseconds, as in the examples of "Conversations Webhooks".
const hookTime = "2006-01-02T15:04:05.000Z"

// serviceTargets returns the service-level (or account-level) target of an
// event in svc: the pre-action URL for a pre-action event, the post-action
// URL otherwise, when the event is in the filters.
//
// "If configured, service-scoped webhooks will override your global webhook
// settings such that only the service-scoped hooks will fire. This applies
// only to the services where service-level hooks are configured."
// ("Per-Service Webhook Resource"). The account-level configuration
// (/v1/Configuration/Webhooks, "Webhook Configuration Resource") applies to
// the account's default Conversation Service, unless its Target is flex.
// Filters name the events that fire ("Events not configured here will not
// fire"): no filters, no webhooks.
func (st *state) serviceTarget(svc *service, event string, pre bool) (hookTarget, bool) {
	var preURL, postURL, method string
	var filters []string
	switch {
	case svc.hook.pre != "" || svc.hook.post != "":
		preURL, postURL, method, filters = svc.hook.pre, svc.hook.post, svc.hook.method, svc.hook.filters
	case svc.sid == st.defaultSvc && st.configHook.target != "flex":
		h := st.configHook
		preURL, postURL, method, filters = h.pre, h.post, h.method, h.filters
	default:
		return hookTarget{}, false
	}
	u := postURL
	if pre {
		u = preURL
	}
	if u == "" || !slices.Contains(filters, event) {
		return hookTarget{}, false
	}
	return hookTarget{url: u, method: hookMethod(method)}, true
}

func hookMethod(m string) string {
	if strings.EqualFold(m, http.MethodGet) {
		return http.MethodGet
	}
	return http.MethodPost
}

// scopedTargets returns the conversation-scoped webhooks of c an event
// goes to ("Conversation Scoped Webhook Resource"); they are post-action
// only. Target "webhook" sends the events named in Configuration.Filters.
// Target "trigger" sends onMessageAdded when the message body holds one of
// Configuration.Triggers as a word (case-insensitive; the document does not
// say how keywords match, the README does). Target "studio" starts a
// Studio Flow, which the fake does not model: nothing is sent.
func scopedTargets(c *conversation, event, body string) []hookTarget {
	if c == nil {
		return nil
	}
	var out []hookTarget
	for _, w := range sorted(c.webhooks, func(w *webhook) int64 { return w.seq }) {
		hit := false
		switch w.target {
		case "webhook":
			hit = slices.Contains(w.filters, event)
		case "trigger":
			hit = event == onMessageAdded && matchesTrigger(body, w.triggers)
		}
		if hit && w.url != "" {
			out = append(out, hookTarget{url: w.url, method: hookMethod(w.method), webhookSID: w.sid, webhookType: w.target})
		}
	}
	return out
}

func matchesTrigger(body string, keywords []string) bool {
	for _, word := range strings.Fields(body) {
		for _, k := range keywords {
			if strings.EqualFold(strings.Trim(word, ".,;:!?\"'()"), k) {
				return true
			}
		}
	}
	return false
}

// postJobs builds the post-action webhooks of one event: service-level (or
// account-level) first, then the conversation's scoped webhooks.
func (s *Server) postJobs(svc *service, c *conversation, event, source string, fields url.Values, body string) []hookJob {
	var targets []hookTarget
	if t, ok := s.st.serviceTarget(svc, event, false); ok {
		targets = append(targets, t)
	}
	targets = append(targets, scopedTargets(c, event, body)...)
	if len(targets) == 0 {
		return nil
	}
	convSID := ""
	if c != nil {
		convSID = c.sid
	}
	jobs := make([]hookJob, 0, len(targets))
	for _, t := range targets {
		jobs = append(jobs, hookJob{
			target:   t,
			event:    event,
			convSID:  convSID,
			form:     s.eventForm(svc, event, source, fields, t),
			queueKey: svc.sid + "/" + convSID,
		})
	}
	return jobs
}

// eventForm is the parameters of one webhook: those every event carries
// ("Conversations Webhooks", "Webhook Bodies by Event Type": AccountSid,
// EventType, Source, plus ChatServiceSid and RetryCount), the event's own,
// and for a conversation-scoped webhook its WebhookSid and WebhookType.
func (s *Server) eventForm(svc *service, event, source string, fields url.Values, t hookTarget) url.Values {
	f := url.Values{
		"AccountSid":     {s.AccountSID},
		"EventType":      {event},
		"Source":         {source},
		"ChatServiceSid": {svc.sid},
		"RetryCount":     {"0"},
	}
	for k, v := range fields {
		f[k] = slices.Clone(v)
	}
	if t.webhookSID != "" {
		f.Set("WebhookSid", t.webhookSID)
		f.Set("WebhookType", t.webhookType)
	}
	return f
}

// fields collects event parameters, leaving out empty ones as Twilio does
// for unset values.
type fields url.Values

func (f fields) set(k, v string) {
	if v != "" {
		f[k] = []string{v}
	}
}

func (f fields) time(k string, t time.Time) {
	if !t.IsZero() {
		f[k] = []string{t.UTC().Format(hookTime)}
	}
}

func conversationFields(c *conversation) url.Values {
	f := fields{}
	f.set("ConversationSid", c.sid)
	f.time("DateCreated", c.created)
	f.time("DateUpdated", c.updated)
	f.set("FriendlyName", c.friendlyName)
	f.set("UniqueName", c.uniqueName)
	f.set("Attributes", c.attributes)
	f.set("MessagingServiceSid", c.messagingServiceSID)
	f.set("State", c.state)
	return url.Values(f)
}

func messageFields(m *message, withSID bool) url.Values {
	f := fields{}
	f.set("ConversationSid", m.conv.sid)
	f.set("MessagingServiceSid", m.conv.messagingServiceSID)
	f.set("Body", m.body)
	f.set("Author", m.author)
	f.set("ParticipantSid", m.participantSID)
	f.set("Attributes", m.attributes)
	if withSID {
		f.set("MessageSid", m.sid)
		f.set("Index", strconv.Itoa(m.index))
		f.time("DateCreated", m.created)
		f.time("DateUpdated", m.updated)
	}
	if m.mediaSID != "" {
		f.set("Media", `[{"Sid":"`+m.mediaSID+`"}]`)
	}
	return url.Values(f)
}

func participantFields(p *participant) url.Values {
	f := fields{}
	f.set("ConversationSid", p.conv.sid)
	f.set("ParticipantSid", p.sid)
	f.time("DateCreated", p.created)
	f.time("DateUpdated", p.updated)
	f.set("Identity", p.identity)
	f.set("RoleSid", p.roleSID)
	f.set("Attributes", p.attributes)
	f.set("MessagingBinding.Address", p.address)
	f.set("MessagingBinding.ProxyAddress", p.proxyAddress)
	f.set("MessagingBinding.ProjectedAddress", p.projectedAddress)
	if p.bindingType != "" {
		f.set("MessagingBinding.Type", strings.ToUpper(p.bindingType))
	}
	if p.lastReadIndex != nil {
		f.set("LastReadMessageIndex", strconv.Itoa(*p.lastReadIndex))
	}
	return url.Values(f)
}

func userFields(u *user) url.Values {
	f := fields{}
	f.set("UserSid", u.sid)
	f.time("DateCreated", u.created)
	f.time("DateUpdated", u.updated)
	f.set("Identity", u.identity)
	f.set("RoleSid", u.roleSID)
	f.set("Attributes", u.attributes)
	f.set("FriendlyName", u.friendlyName)
	return url.Values(f)
}

func receiptFields(r *receipt) url.Values {
	f := fields{}
	f.set("ConversationSid", r.msg.conv.sid)
	f.set("MessageSid", r.msg.sid)
	f.set("DeliveryReceiptSid", r.sid)
	f.set("ChannelMessageSid", r.channelMessageSID)
	f.set("ParticipantSid", r.participantSID)
	f.set("Status", r.status)
	if r.errorCode != 0 {
		f.set("ErrorCode", strconv.Itoa(r.errorCode))
	}
	f.time("DateCreated", r.created)
	f.time("DateUpdated", r.updated)
	return url.Values(f)
}

// webhooksEnabled reports whether a REST request asks for webhooks. Per
// "Conversations Webhooks", actions made through the REST API fire no
// webhooks unless the request carries X-Twilio-Webhook-Enabled: true:
// "Requests bearing this header will yield webhooks to the configured
// Post-Event webhook target". Pre-action webhooks never fire for REST
// actions.
func (rc *reqCtx) webhooksEnabled() bool {
	return strings.EqualFold(rc.r.Header.Get("X-Twilio-Webhook-Enabled"), "true")
}

// emit queues the post-action webhooks of a REST action, if the request
// asked for them, and publishes its Event Streams event (eventstreams.go).
func (rc *reqCtx) emit(svc *service, c *conversation, event string, f url.Values, body string) {
	rc.s.publishStream(rc.now, svc, event, f)
	if rc.webhooksEnabled() {
		rc.s.enqueue(rc.s.postJobs(svc, c, event, "API", f, body))
	}
}

func (rc *reqCtx) emitConversation(event string, c *conversation) {
	rc.emit(c.svc, c, event, conversationFields(c), "")
}

func (rc *reqCtx) emitMessage(event string, m *message) {
	rc.emit(m.conv.svc, m.conv, event, messageFields(m, true), m.body)
}

func (rc *reqCtx) emitParticipant(event string, p *participant) {
	rc.emit(p.conv.svc, p.conv, event, participantFields(p), "")
}

func (rc *reqCtx) emitUser(event string, u *user) {
	rc.emit(u.svc, nil, event, userFields(u), "")
}

// removed adds DateRemoved to the fields of a removal event.
func removed(f url.Values, now time.Time) url.Values {
	f.Set("DateRemoved", now.UTC().Format(hookTime))
	return f
}

// stateFields are the parameters of onConversationStateUpdated.
func stateFields(c *conversation, from, to, reason string, at time.Time) url.Values {
	f := fields{}
	f.set("ConversationSid", c.sid)
	f.set("MessagingServiceSid", c.messagingServiceSID)
	f.time("StateUpdated", at)
	f.set("StateFrom", from)
	f.set("StateTo", to)
	f.set("Reason", reason)
	return url.Values(f)
}

// emitState queues onConversationStateUpdated for a state change made by
// a REST request (Reason "API") or caused by one (a message waking the
// conversation up: "EVENT").
func (rc *reqCtx) emitState(c *conversation, from, to, reason string) {
	rc.emit(c.svc, c, onConversationStateUpdated, stateFields(c, from, to, reason, rc.now), "")
}

// stateChange is a state timer that fired.
type stateChange struct {
	conv     *conversation
	from, to string
	at       time.Time
}

// fireTimersLocked runs the due state timers and queues their
// onConversationStateUpdated webhooks (Reason "TIMER"). Timers are not REST
// actions, so they fire webhooks whatever the request's headers; Source is
// "API" (the document lists only SDK and API).
func (s *Server) fireTimersLocked(now time.Time) {
	for _, ch := range s.st.fireTimers(now) {
		c := ch.conv
		s.enqueue(s.postJobs(c.svc, c, onConversationStateUpdated, "API", stateFields(c, ch.from, ch.to, "TIMER", ch.at), ""))
		s.publishStream(ch.at, c.svc, onConversationStateUpdated, stateFields(c, ch.from, ch.to, "TIMER", ch.at))
	}
}
