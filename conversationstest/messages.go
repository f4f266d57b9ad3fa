package conversationstest

import "time"

func (rc *reqCtx) messageURL(m *message) string {
	return rc.conversationURL(m.conv) + "/Messages/" + m.sid
}

// amount summarises how many of total recipients are in a status.
func amount(n, total int) string {
	switch {
	case n == 0:
		return "none"
	case n == total:
		return "all"
	}
	return "some"
}

// renderDelivery summarises a message's receipts; null when the message
// had no non-chat recipient.
func renderDelivery(m *message) any {
	total := len(m.receipts)
	if total == 0 {
		return nil
	}
	var sent, delivered, read, failed, undelivered int
	for _, r := range m.receipts {
		switch r.status {
		case "read":
			read++
			delivered++
			sent++
		case "delivered":
			delivered++
			sent++
		case "sent":
			sent++
		case "failed":
			failed++
		case "undelivered":
			undelivered++
		}
	}
	return obj{
		{"total", total},
		{"sent", amount(sent, total)},
		{"delivered", amount(delivered, total)},
		{"read", amount(read, total)},
		{"failed", amount(failed, total)},
		{"undelivered", amount(undelivered, total)},
	}
}

func (rc *reqCtx) renderMessage(m *message) obj {
	u := rc.messageURL(m)
	links := obj{
		{"delivery_receipts", u + "/Receipts"},
		{"channel_metadata", u + "/ChannelMetadata"},
	}
	o := obj{{"account_sid", rc.s.AccountSID}}
	if rc.sc.scoped {
		o = append(o, kv{"chat_service_sid", m.conv.svc.sid})
	}
	o = append(o,
		kv{"conversation_sid", m.conv.sid},
		kv{"sid", m.sid},
		kv{"index", m.index},
		kv{"author", nstr(m.author)},
		kv{"body", nstr(m.body)},
		kv{"media", rc.messageMedia(m)},
		kv{"attributes", m.attributes},
		kv{"participant_sid", nstr(m.participantSID)},
		kv{"date_created", ts(m.created)},
		kv{"date_updated", ts(m.updated)},
	)
	if rc.sc.scoped {
		o = append(o, kv{"delivery", renderDelivery(m)}, kv{"url", u})
	} else {
		o = append(o, kv{"url", u}, kv{"delivery", renderDelivery(m)})
	}
	return append(o, kv{"links", links}, kv{"content_sid", nstr(m.contentSID)})
}

// authorParticipant finds the participant a message author names: by
// identity, or by address for a non-chat participant.
func authorParticipant(c *conversation, author string) *participant {
	if author == "" {
		return nil
	}
	for _, p := range c.participants {
		if p.identity == author || (p.address != "" && p.address == author) {
			return p
		}
	}
	return nil
}

func (rc *reqCtx) createMessage(c *conversation) (result, *apiError) {
	p := rc.p
	author := p.opt("Author")
	body := p.opt("Body")
	dateCreated := p.time("DateCreated")
	dateUpdated := p.time("DateUpdated")
	attributes := p.jsonStr("Attributes")
	mediaSID := p.sid("MediaSid", "ME")
	contentSID := p.sid("ContentSid", "HX")
	p.jsonStr("ContentVariables")
	subject := p.opt("Subject")
	if p.err != nil {
		return fail(p.err)
	}
	if c.state == "closed" {
		return fail(errClosed())
	}
	media, merr := rc.s.st.attachableMedia(c, mediaSID, rc.now)
	if merr != nil {
		return fail(merr)
	}
	m := &message{conv: c, author: "system", attributes: attrs(attributes), receipts: map[string]*receipt{}}
	setStr(&m.author, author)
	setStr(&m.body, body)
	setStr(&m.mediaSID, mediaSID)
	setStr(&m.contentSID, contentSID)
	setStr(&m.subject, subject)
	m.base = rc.s.st.newBase("IM", rc.now)
	if dateCreated != nil {
		m.created, m.updated = *dateCreated, *dateCreated
	}
	if dateUpdated != nil {
		m.updated = *dateUpdated
	}
	woke := rc.s.st.addMessage(c, m, rc.now)
	media.attach(m)
	rc.emitMessage(onMessageAdded, m)
	if woke {
		rc.emitState(c, "inactive", "active", "EVENT")
	}
	return created(rc.renderMessage(m))
}

func (rc *reqCtx) updateMessage(m *message) (result, *apiError) {
	p := rc.p
	author := p.opt("Author")
	body := p.opt("Body")
	dateCreated := p.time("DateCreated")
	dateUpdated := p.time("DateUpdated")
	attributes := p.jsonStr("Attributes")
	subject := p.opt("Subject")
	if p.err != nil {
		return fail(p.err)
	}
	if m.conv.state == "closed" {
		return fail(errClosed())
	}
	if author != nil {
		m.author = *author
		m.participantSID = ""
		if ap := authorParticipant(m.conv, m.author); ap != nil {
			m.participantSID = ap.sid
		}
	}
	setStr(&m.body, body)
	setStr(&m.subject, subject)
	if attributes != nil {
		m.attributes = attrs(attributes)
	}
	if dateCreated != nil {
		m.created = *dateCreated
	}
	m.updated = rc.now
	if dateUpdated != nil {
		m.updated = *dateUpdated
	}
	rc.emitMessage(onMessageUpdated, m)
	return ok(rc.renderMessage(m))
}

func (rc *reqCtx) deleteMessage(m *message) (result, *apiError) {
	rc.s.st.dropMessageMedia(m)
	for sid := range m.receipts {
		delete(rc.s.st.receiptIndex, sid)
	}
	c := m.conv
	delete(c.messages, m.sid)
	c.msgOrder = removeOrdered(c.msgOrder, m.seq, func(m *message) int64 { return m.seq })
	rc.emit(c.svc, c, onMessageRemoved, removed(messageFields(m, true), rc.now), m.body)
	return noContent()
}

func (rc *reqCtx) listMessages(c *conversation) (result, *apiError) {
	lr := listReq{key: "messages", max: 100}
	order := rc.p.enum("Order", "asc", "desc")
	if rc.p.err != nil {
		return fail(rc.p.err)
	}
	if order != nil {
		lr.filters = [][2]string{{"Order", *order}}
		lr.desc = *order == "desc"
	}
	return pageOf(rc, lr, inOrder(c.msgOrder, lr.desc,
		func(m *message) int64 { return m.seq },
		func(m *message) string { return m.sid },
		rc.renderMessage))
}

func (rc *reqCtx) renderReceipt(r *receipt) obj {
	m := r.msg
	o := obj{{"account_sid", rc.s.AccountSID}}
	if rc.sc.scoped {
		o = append(o,
			kv{"chat_service_sid", m.conv.svc.sid},
			kv{"conversation_sid", m.conv.sid},
			kv{"message_sid", m.sid},
			kv{"sid", r.sid},
		)
	} else {
		o = append(o,
			kv{"conversation_sid", m.conv.sid},
			kv{"sid", r.sid},
			kv{"message_sid", m.sid},
		)
	}
	return append(o,
		kv{"channel_message_sid", r.channelMessageSID},
		kv{"participant_sid", r.participantSID},
		kv{"status", r.status},
		kv{"error_code", r.errorCode},
		kv{"date_created", ts(r.created)},
		kv{"date_updated", ts(r.updated)},
		kv{"url", rc.messageURL(m) + "/Receipts/" + r.sid},
	)
}

func (rc *reqCtx) listReceipts(m *message) (result, *apiError) {
	lr := listReq{key: "delivery_receipts", max: 50}
	var items []item
	for _, r := range sorted(m.receipts, func(r *receipt) int64 { return r.seq }) {
		items = append(items, item{r.sid, r.seq, rc.renderReceipt(r)})
	}
	return rc.page(lr, items)
}

// addMessage stores m, whose base is set, in c: the next index, the author's
// participant, a delivery receipt for every non-chat participant but the
// author. A new message wakes an inactive conversation up (it reports
// whether it did) and restarts its timers.
func (st *state) addMessage(c *conversation, m *message, now time.Time) (woke bool) {
	m.index = c.nextIndex
	c.nextIndex++
	authorP := authorParticipant(c, m.author)
	if authorP != nil {
		m.participantSID = authorP.sid
	}
	for _, rp := range sorted(c.participants, func(p *participant) int64 { return p.seq }) {
		if rp.chat() || rp == authorP {
			continue
		}
		prefix := "SM"
		if rp.bindingType == "whatsapp" {
			prefix = "WA"
		}
		r := &receipt{base: st.newBase("DY", now), msg: m, participantSID: rp.sid, channelMessageSID: newSID(prefix), status: "sent"}
		m.receipts[r.sid] = r
		st.receiptIndex[r.sid] = r
	}
	c.storeMessage(m)
	if c.state == "inactive" {
		c.state = "active"
		c.updated = now
		woke = true
	}
	st.resetTimers(c, now)
	return woke
}
