package conversationstest

import (
	"fmt"
	"net/http"
	"slices"
)

// readSendParticipant resolves the from or one to of a SEND_MESSAGE
// payload the three ways the spec allows: participantId and channel (the
// participant's address on that channel), participantId alone (its only
// address), or address and channel. The channel must be one that can send
// (SMS, RCS, WHATSAPP, CHAT).
func readSendParticipant(c *v2Conv, o *jobj) v2Endpoint {
	var e v2Endpoint
	if o == nil {
		return e
	}
	o.allow("participantId", "address", "channel")
	id, hasID := o.nonEmpty("participantId", false)
	addr, hasAddr := o.nonEmpty("address", false)
	ch, hasCh := o.enum("channel", false, v2Channels...)
	if hasCh && !slices.Contains(v2SendChannels, ch) {
		o.fail(o.name("channel"), ch+" cannot send (VOICE and VIDEO are receive-only); use SMS, RCS, WHATSAPP or CHAT")
		return e
	}
	switch {
	case hasAddr:
		if !hasCh {
			o.fail(o.name("channel"), "is required with address")
			return e
		}
		e = v2Endpoint{address: addr, channel: ch}
		if hasID {
			p := c.partByID[id]
			if p == nil {
				o.fail(o.name("participantId"), "no participant "+id+" in conversation "+c.id)
				return e
			}
			e.participantID = id
		} else if p := participantAt(c, ch, addr); p != nil {
			e.participantID = p.id
		}
	case hasID:
		p := c.partByID[id]
		if p == nil {
			o.fail(o.name("participantId"), "no participant "+id+" in conversation "+c.id)
			return e
		}
		var match []v2Address
		for _, a := range p.addresses {
			if !hasCh || a.channel == ch {
				match = append(match, a)
			}
		}
		switch {
		case len(match) == 1:
			e = v2Endpoint{address: match[0].address, channel: match[0].channel, participantID: id}
			if !slices.Contains(v2SendChannels, e.channel) {
				o.fail(o.path, "participant "+id+" has only a "+e.channel+" address, which cannot send")
			}
		case hasCh:
			o.fail(o.path, fmt.Sprintf("participant %s has %d %s addresses", id, len(match), ch))
		default:
			o.fail(o.name("channel"), fmt.Sprintf("is required: participant %s has %d addresses", id, len(match)))
		}
	default:
		o.fail(o.path, "needs participantId, or address and channel")
	}
	return e
}

func (v *v2ctx) createAction(c *v2Conv, b *jobj) v2Answer {
	b.allow("type", "payload")
	typ, _ := b.enum("type", true, "SEND_MESSAGE")
	a := &v2Action{typ: typ, conv: c, convID: c.id}
	if p := b.obj("payload", true); p != nil {
		p.allow("from", "to", "content", "channelSettings")
		a.from = readSendParticipant(c, p.obj("from", true))
		if to, ok := p.arr("to", true, 1, -1); ok {
			for i := range to {
				a.to = append(a.to, readSendParticipant(c, p.item("to", to, i)))
			}
		}
		if ct := p.obj("content", true); ct != nil {
			ct.allow("text", "contentId", "variables", "mediaUrls")
			text, hasText := ct.str("text", false)
			_, hasContent := ct.nonEmpty("contentId", false)
			ct.strMap("variables", -1)
			urls, hasMedia := ct.strList("mediaUrls", -1)
			for i, u := range urls {
				if !absoluteURL(u) {
					ct.fail(fmt.Sprintf("%s[%d]", ct.name("mediaUrls"), i), fmt.Sprintf("%q is not an absolute http(s) URL", u))
				}
			}
			if !hasText && !hasContent && !hasMedia {
				ct.fail(ct.path, "needs text, contentId or mediaUrls")
			}
			a.text = text
		}
		p.obj("channelSettings", false) // passed through to the sender as is: any object
	}
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if c.status == "CLOSED" {
		return v2Fail(errV2Closed(c))
	}
	plan := v.s.v2.plan
	a.id = newV2ID(v2PrefixAction, v.now)
	a.status = "PENDING"
	a.messageSID = newSID("SM")
	a.created, a.updated = v.now, v.now
	a.pollsLeft, a.held = plan.PendingPolls, plan.Hold
	if plan.Fail != nil {
		p := *plan.Fail
		a.failWith = &p
	}
	v.st.actions[a.id] = a
	// The answer is the Action in PENDING status, whatever the plan; under
	// the zero plan it settles right after, so the first fetch sees it done.
	ans := v2JSON(http.StatusAccepted, v.renderAction(a))
	if !a.held && a.pollsLeft <= 0 {
		v.settleAction(a, "")
	}
	return ans
}

func (v *v2ctx) fetchAction(c *v2Conv, id string) v2Answer {
	a := v.st.actions[id]
	if a == nil || a.conv != c {
		return v.notFound()
	}
	if a.status == "PENDING" && !a.held {
		if a.pollsLeft > 0 {
			a.pollsLeft--
		} else {
			v.settleAction(a, "")
		}
	}
	return v2JSON(http.StatusOK, v.renderAction(a))
}

// settleAction ends a PENDING action: FAILED with the reason given or the
// plan's, or COMPLETED, when the message is "delivered": a Communication
// from the sender to the recipients is added to the conversation, its
// recipients DELIVERED, channelId and resourceId the message SID.
func (v *v2ctx) settleAction(a *v2Action, reason string) {
	if a.status != "PENDING" {
		return
	}
	if reason == "" && a.failWith != nil {
		reason = v.fillProblem(*a.failWith, a.id).Detail
	}
	a.updated, a.completed = v.now, v.now
	if reason != "" {
		a.status, a.failure = "FAILED", reason
		return
	}
	m := &v2Comm{
		author:     a.from,
		content:    v2Content{typ: "TEXT", text: a.text},
		channelID:  a.messageSID,
		resourceID: a.messageSID,
	}
	for _, to := range a.to {
		to.deliveryStatus = "DELIVERED"
		m.recipients = append(m.recipients, to)
	}
	v.addCommunication(a.conv, m)
	v.toClassic(m)
	a.status, a.commID = "COMPLETED", m.id
}

func (v *v2ctx) renderAction(a *v2Action) obj {
	related := obj{}
	if a.status != "FAILED" {
		related = append(related, kv{"messageSid", a.messageSID})
	}
	if a.commID != "" {
		related = append(related, kv{"communicationId", a.commID})
	}
	o := obj{
		{"id", a.id},
		{"type", a.typ},
		{"status", a.status},
		{"conversationId", a.convID},
		{"related", related},
		{"createdAt", ts2(a.created)},
		{"updatedAt", ts2(a.updated)},
	}
	if a.status != "PENDING" {
		o = append(o, kv{"completedAt", ts2(a.completed)})
	}
	return append(o, kv{"failureReason", nstr(a.failure)})
}

// CompleteAction settles a PENDING v2 Action (one held by AsyncPlan.Hold,
// or still counting PendingPolls) as COMPLETED: its message is added to
// the conversation as a Communication.
func (s *Server) CompleteAction(id string) error { return s.settleActionByID(id, "") }

// FailAction settles a PENDING v2 Action as FAILED with reason as its
// failureReason ("The action failed." when empty).
func (s *Server) FailAction(id, reason string) error {
	if reason == "" {
		reason = "The action failed."
	}
	return s.settleActionByID(id, reason)
}

func (s *Server) settleActionByID(id, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &v2ctx{s: s, now: s.nowLocked(), st: s.st.v2State()}
	v.syncBridgesLocked() // classic messages first, so the action's comes after them
	a := v.st.actions[id]
	if a == nil {
		return fmt.Errorf("conversationstest: no v2 action %q", id)
	}
	if a.status != "PENDING" {
		return fmt.Errorf("conversationstest: v2 action %s is already %s", id, a.status)
	}
	v.settleAction(a, reason)
	return nil
}
