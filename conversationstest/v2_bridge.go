package conversationstest

import (
	"sort"
	"strings"
)

// The classic bridge. A configuration's conversationsV1Bridge names a
// Conversation Service (IS…) of this fake; Twilio's guide "Connect
// Conversations API (classic)"
// (https://www.twilio.com/docs/conversations/orchestrator/guides/classic-bridge)
// says messages then sync between the classic service and Conversation
// Orchestrator, and that one lists the classic traffic with
// GET /v2/Conversations. The fake mirrors classic → v2 at the start of
// every v2 request (so "wait three seconds for the bridge to sync" is
// never needed): each conversation of the bridged service gets one v2
// conversation of the configuration, each classic participant a v2
// participant, each classic message a v2 communication. v2 → classic,
// toClassic copies the communications added through v2.

// v2Bridged is the v2 mirror of one classic conversation.
type v2Bridged struct {
	conv      *v2Conv
	parts     map[string]*v2Part // classic participant SID -> mirror
	lastIndex int                // index of the last classic message mirrored, -1 for none
	deleted   bool               // the mirror was deleted through v2: never mirrored again
}

// syncBridgesLocked brings the mirrors of every bridged service up to
// date. It costs one pass over the bridged services' conversations plus
// the records that are new since the last pass.
func (v *v2ctx) syncBridgesLocked() {
	for _, cfg := range v.st.configOrder {
		if cfg.bridgeServiceID == "" || !cfg.visible() {
			continue
		}
		svc := v.s.st.services[cfg.bridgeServiceID]
		if svc == nil {
			continue
		}
		for _, c := range svc.convOrder {
			v.mirror(cfg, c)
		}
	}
}

func (v *v2ctx) mirror(cfg *v2Config, c *conversation) {
	m := v.st.bridged[c.sid]
	if m == nil {
		m = v.newMirror(cfg, c, -1)
	}
	if m.deleted || v.st.convs[m.conv.id] != m.conv {
		return
	}
	// Messages not mirrored yet are at the end of msgOrder (index order).
	start := len(c.msgOrder)
	for start > 0 && c.msgOrder[start-1].index > m.lastIndex {
		start--
	}
	if start < len(c.msgOrder) && m.conv.status == "CLOSED" {
		// "Once CLOSED, a conversation can't be reopened: any matching
		// traffic starts a new conversation."
		m = v.newMirror(cfg, c, m.lastIndex)
	}
	if len(m.parts) < len(c.participants) {
		ps := make([]*participant, 0, len(c.participants))
		for _, p := range c.participants {
			if m.parts[p.sid] == nil {
				ps = append(ps, p)
			}
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].seq < ps[j].seq })
		for _, p := range ps {
			m.parts[p.sid] = v.mirrorParticipant(m.conv, p)
		}
	}
	for _, msg := range c.msgOrder[start:] {
		v.mirrorMessage(m, msg)
		m.lastIndex = msg.index
	}
}

// newMirror starts the v2 conversation of a classic one, whose messages
// up to lastIndex are already mirrored elsewhere.
func (v *v2ctx) newMirror(cfg *v2Config, c *conversation, lastIndex int) *v2Bridged {
	created := c.created
	if lastIndex >= 0 {
		created = v.now
	}
	conv := v.newConversation(cfg, created)
	conv.v1SID = c.sid
	name := c.friendlyName
	if name == "" {
		name = c.uniqueName
	}
	if name != "" {
		conv.name = &name
	}
	m := &v2Bridged{conv: conv, parts: map[string]*v2Part{}, lastIndex: lastIndex}
	v.st.bridged[c.sid] = m
	return m
}

// classicAddress is a classic participant's address on the v2 side: its
// identity on CHAT, or its phone address on WHATSAPP, RCS or SMS.
func classicAddress(p *participant) v2Address {
	switch {
	case p.chat():
		return v2Address{channel: "CHAT", address: p.identity}
	case strings.HasPrefix(p.address, "whatsapp:"):
		return v2Address{channel: "WHATSAPP", address: p.address}
	case strings.HasPrefix(p.address, "rcs:"):
		return v2Address{channel: "RCS", address: p.address}
	}
	return v2Address{channel: "SMS", address: p.address}
}

// mirrorParticipant adds the v2 participant of a classic one: a chat
// identity is of type UNKNOWN (the classic API does not say who it is), an
// SMS, WhatsApp or RCS address a CUSTOMER, whose profile is resolved.
func (v *v2ctx) mirrorParticipant(conv *v2Conv, p *participant) *v2Part {
	a := classicAddress(p)
	mp := &v2Part{typ: "UNKNOWN", addresses: []v2Address{}, v1SID: p.sid}
	if a.address != "" {
		mp.addresses = append(mp.addresses, a)
	}
	if !p.chat() {
		mp.typ = "CUSTOMER"
		mp.profileID = v.profileFor(p.address)
	}
	v.addParticipant(conv, mp)
	mp.created, mp.updated = p.created, p.created
	return mp
}

// mirrorMessage adds the v2 communication of a classic message: authored
// by the mirror of its participant (or its author on CHAT), sent to every
// other mirrored participant, resourceId and channelId the message SID.
func (v *v2ctx) mirrorMessage(m *v2Bridged, msg *message) {
	author := v2Endpoint{address: msg.author, channel: "CHAT"}
	var from *v2Part
	if msg.participantSID != "" {
		from = m.parts[msg.participantSID]
	}
	if from != nil && len(from.addresses) > 0 {
		author = v2Endpoint{address: from.addresses[0].address, channel: from.addresses[0].channel, participantID: from.id}
	}
	comm := &v2Comm{
		author:     author,
		content:    v2Content{typ: "TEXT", text: msg.body},
		channelID:  msg.sid,
		resourceID: msg.sid,
		occurred:   msg.created,
		recipients: []v2Endpoint{},
	}
	for _, p := range m.conv.parts {
		if p == from || len(p.addresses) == 0 {
			continue
		}
		a := p.addresses[0]
		comm.recipients = append(comm.recipients, v2Endpoint{address: a.address, channel: a.channel, participantID: p.id})
	}
	v.addCommunication(m.conv, comm)
	comm.created, comm.updated = msg.created, msg.created
	m.conv.lastActivity = msg.created
}

// toClassic copies a communication added through v2 to a mirrored
// conversation into the classic conversation it mirrors, the other half of
// "messages sync bidirectionally": a classic message from the author (the
// classic participant's identity or address when the author is a mirrored
// participant, else the author's address) with the communication's text.
// The copy is marked as mirrored, so it does not come back. Classic
// webhooks are not called for it.
func (v *v2ctx) toClassic(comm *v2Comm) {
	conv := comm.conv
	if conv.v1SID == "" {
		return
	}
	m := v.st.bridged[conv.v1SID]
	if m == nil || m.conv != conv {
		return
	}
	var classic *conversation
	for _, svc := range v.s.st.services {
		if c := svc.conversations[conv.v1SID]; c != nil {
			classic = c
			break
		}
	}
	if classic == nil || classic.deleted || classic.state == "closed" {
		return
	}
	author := comm.author.address
	if p := conv.partByID[comm.author.participantID]; p != nil && p.v1SID != "" {
		if cp := classic.participants[p.v1SID]; cp != nil {
			author = cp.identity
			if !cp.chat() {
				author = cp.address
			}
		}
	}
	msg := &message{conv: classic, author: author, body: comm.content.text, attributes: "{}", receipts: map[string]*receipt{}}
	msg.base = v.s.st.newBase("IM", v.now)
	v.s.st.addMessage(classic, msg, v.now)
	m.lastIndex = msg.index
}
