package conversationstest

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// InboundMessage is a message a non-chat participant (SMS, WhatsApp, ...)
// sends to a conversation through the carrier; see ReceiveMessage.
type InboundMessage struct {
	// Address is the sender's messaging binding address, e.g.
	// "+15558675310" or "whatsapp:+15558675310".
	Address string
	// ProxyAddress is the Twilio address it wrote to, e.g. "+15017122661".
	ProxyAddress string
	// Body is the message text.
	Body string
	// Attributes is the message's metadata, a JSON object as a string;
	// "{}" when empty.
	Attributes string
	// MediaSID attaches a media item (ME...); optional.
	MediaSID string
}

// RejectedError is ReceiveMessage's error when a pre-action webhook
// rejected the message (answered 4xx or 5xx): nothing was stored.
type RejectedError struct {
	// URL is the pre-action webhook that rejected the message.
	URL string
	// Status is the HTTP status it answered with.
	Status int
}

// Error implements error.
func (e *RejectedError) Error() string {
	return fmt.Sprintf("conversationstest: pre-action webhook %s rejected the message with HTTP %d", e.URL, e.Status)
}

// ErrNoConversation is ReceiveMessage's error when no open conversation
// has a participant with the message's address and proxy address.
var ErrNoConversation = errors.New("conversationstest: no open conversation has a participant with this address and proxy address")

// ReceiveMessage plays an inbound message from a non-chat participant as
// the carrier delivers it to Conversations, and returns the new message's
// SID (IM...):
//
//	sid, err := srv.ReceiveMessage(ctx, conversationstest.InboundMessage{
//		Address:      "+15558675310", // the participant's messaging binding address
//		ProxyAddress: "+15017122661", // the Twilio number it wrote to
//		Body:         "hi",
//	})
//
// It routes the message to the open (not closed) conversation whose
// participant has that address and proxy address (ErrNoConversation if
// none). Messages from SMS and WhatsApp participants fire webhooks
// ("Conversations Webhooks"): the pre-action onMessageAdd webhook, if the
// service (or account) configuration has a PreWebhookUrl and the event in
// its filters, is sent synchronously. A 4xx or 5xx answer rejects the
// message: ReceiveMessage returns a *RejectedError and stores nothing. A
// 200 answer with a JSON body ({"body": ..., "author": ..., "attributes":
// ...}) modifies the message. Any other answer, or none within the
// webhook timeout (WithWebhookTimeout), lets it through unmodified. Then the
// message is stored, with Author the sender's address, and its post-action
// webhooks (onMessageAdded, to the service and to the conversation's
// scoped webhooks) are queued; Source is the binding type in capitals
// ("SMS", "WHATSAPP").
func (s *Server) ReceiveMessage(ctx context.Context, in InboundMessage) (string, error) {
	if in.Address == "" || in.ProxyAddress == "" {
		return "", errors.New("conversationstest: an inbound message needs an Address and a ProxyAddress")
	}
	if in.MediaSID != "" && !isSID(in.MediaSID, "ME") {
		return "", fmt.Errorf("conversationstest: %q is not a media SID (ME...)", in.MediaSID)
	}
	attributes := in.Attributes
	if attributes == "" {
		attributes = "{}"
	}

	s.mu.Lock()
	now := s.nowLocked()
	s.fireTimersLocked(now)
	c, p := s.st.inboundParticipant(in.Address, in.ProxyAddress)
	if c == nil {
		s.mu.Unlock()
		return "", ErrNoConversation
	}
	svc, convSID, partSID := c.svc, c.sid, p.sid
	source := strings.ToUpper(p.bindingType)
	var pre []hookJob
	if t, ok := s.st.serviceTarget(svc, onMessageAdd, true); ok {
		// onMessageAdd: the message does not exist yet, so no MessageSid
		// or Index.
		draft := &message{conv: c, author: in.Address, body: in.Body, attributes: attributes, participantSID: partSID, mediaSID: in.MediaSID}
		pre = append(pre, hookJob{
			target:  t,
			event:   onMessageAdd,
			pre:     true,
			convSID: convSID,
			form:    s.eventForm(svc, onMessageAdd, source, messageFields(draft, false), t),
		})
	}
	s.mu.Unlock()

	author, body := in.Address, in.Body
	for _, j := range pre {
		rec := s.sendPre(ctx, j)
		d := decide(rec)
		notePreAction(ctx, rec, d) // control.go: the control plane's answer
		if d.reject {
			return "", &RejectedError{URL: j.target.url, Status: d.status}
		}
		setStr(&author, d.author)
		setStr(&body, d.body)
		setStr(&attributes, d.attributes)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c = svc.conversations[convSID]
	if c == nil || c.state == "closed" || c.participants[partSID] == nil {
		return "", ErrNoConversation
	}
	now = s.nowLocked()
	m := &message{conv: c, author: author, body: body, attributes: attributes, mediaSID: in.MediaSID, receipts: map[string]*receipt{}}
	m.base = s.st.newBase("IM", now)
	woke := s.st.addMessage(c, m, now)
	if m.participantSID == "" {
		// A modified author that names nobody: the message still came
		// from the participant.
		m.participantSID = partSID
	}
	jobs := s.postJobs(svc, c, onMessageAdded, source, messageFields(m, true), m.body)
	if woke {
		jobs = append(jobs, s.postJobs(svc, c, onConversationStateUpdated, source, stateFields(c, "inactive", "active", "EVENT", now), "")...)
	}
	s.enqueue(jobs)
	s.publishStream(now, svc, onMessageAdded, messageFields(m, true))
	if woke {
		s.publishStream(now, svc, onConversationStateUpdated, stateFields(c, "inactive", "active", "EVENT", now))
	}
	return m.sid, nil
}

// inboundParticipant finds the open conversation, and its participant,
// with this address and proxy address.
func (st *state) inboundParticipant(address, proxy string) (*conversation, *participant) {
	c := st.bindingOwner(address, proxy)
	if c == nil {
		return nil, nil
	}
	for _, p := range c.participants {
		if p.address == address && p.proxyAddress == proxy {
			return c, p
		}
	}
	return nil, nil
}
