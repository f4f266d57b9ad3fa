package conversationstest

import "github.com/conversations-go/conversations"

func (rc *reqCtx) userURL(u *user) string { return rc.sc.url("/Users/" + u.sid) }

// renderUser renders a user. is_online and is_notifiable are only known to
// single-resource answers; lists send null, as Twilio documents.
func (rc *reqCtx) renderUser(u *user, inList bool) obj {
	var online, notifiable any
	if !inList {
		online = false
		n := false
		for _, b := range u.svc.bindings {
			if b.identity == u.identity {
				n = true
			}
		}
		notifiable = n
	}
	return obj{
		{"sid", u.sid},
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", u.svc.sid},
		{"role_sid", nstr(u.roleSID)},
		{"identity", u.identity},
		{"friendly_name", nstr(u.friendlyName)},
		{"attributes", u.attributes},
		{"is_online", online},
		{"is_notifiable", notifiable},
		{"date_created", ts(u.created)},
		{"date_updated", ts(u.updated)},
		{"url", rc.userURL(u)},
		{"links", obj{{"user_conversations", rc.userURL(u) + "/Conversations"}}},
	}
}

func (rc *reqCtx) routeUsers(segs []string) (result, *apiError) {
	svc := rc.sc.svc
	if len(segs) == 0 {
		return rc.dispatch(methods{get: rc.listUsers, post: rc.createUser})
	}
	u := svc.userByKey(segs[0])
	if u == nil {
		return rc.notFound()
	}
	switch {
	case len(segs) == 1:
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderUser(u, false)) },
			post: func() (result, *apiError) { return rc.updateUser(u) },
			del:  func() (result, *apiError) { return rc.deleteUser(u) },
		})
	case segs[1] != "Conversations" || len(segs) > 3:
		return rc.notFound()
	case len(segs) == 2:
		return rc.dispatch(methods{get: func() (result, *apiError) { return rc.listUserConversations(u) }})
	}
	c := svc.conversations[segs[2]] // by SID only, as the spec documents
	if c == nil {
		return rc.notFound()
	}
	p := c.participantByKey(u.identity)
	if p == nil || p.identity != u.identity {
		return rc.notFound()
	}
	return rc.dispatch(methods{
		get:  func() (result, *apiError) { return ok(rc.renderUserConversation(u, p)) },
		post: func() (result, *apiError) { return rc.updateUserConversation(u, p) },
		del:  func() (result, *apiError) { rc.removeParticipant(p); return noContent() },
	})
}

func (rc *reqCtx) createUser() (result, *apiError) {
	p := rc.p
	identity := p.required("Identity")
	friendlyName := p.opt("FriendlyName")
	attributes := p.jsonStr("Attributes")
	roleSID := p.sid("RoleSid", "RL")
	if p.err != nil {
		return fail(p.err)
	}
	svc := rc.sc.svc
	if isSID(identity, "US") {
		return fail(errBad(conversations.CodeIdentityIsUserSID, "Identity should not match user SID pattern"))
	}
	if svc.userByKey(identity) != nil {
		return fail(errConflict(conversations.CodeUserExists, "User already exists"))
	}
	u := &user{base: rc.s.st.newBase("US", rc.now), svc: svc, identity: identity, attributes: attrs(attributes), roleSID: svc.cfg.serviceRoleSID}
	setStr(&u.friendlyName, friendlyName)
	setStr(&u.roleSID, roleSID)
	svc.storeUser(u)
	rc.emitUser(onUserAdded, u)
	return created(rc.renderUser(u, false))
}

func (rc *reqCtx) updateUser(u *user) (result, *apiError) {
	p := rc.p
	friendlyName := p.opt("FriendlyName")
	attributes := p.jsonStr("Attributes")
	roleSID := p.sid("RoleSid", "RL")
	if p.err != nil {
		return fail(p.err)
	}
	setStr(&u.friendlyName, friendlyName)
	setStr(&u.roleSID, roleSID)
	if attributes != nil {
		u.attributes = attrs(attributes)
	}
	u.updated = rc.now
	rc.emitUser(onUserUpdated, u)
	return ok(rc.renderUser(u, false))
}

// deleteUser removes the user and, with it, its chat participants in the
// service's conversations.
func (rc *reqCtx) deleteUser(u *user) (result, *apiError) {
	for _, c := range u.svc.conversations {
		for sid, p := range c.participants {
			if p.identity == u.identity {
				delete(c.participants, sid)
			}
		}
	}
	u.svc.deleteUser(u)
	return noContent()
}

func (rc *reqCtx) listUsers() (result, *apiError) {
	lr := listReq{key: "users", max: 50}
	return pageOf(rc, lr, inOrder(rc.sc.svc.userOrder, false,
		func(u *user) int64 { return u.seq },
		func(u *user) string { return u.sid },
		func(u *user) obj { return rc.renderUser(u, true) }))
}

func (rc *reqCtx) renderUserConversation(u *user, p *participant) obj {
	c := p.conv
	var unread any
	if p.lastReadIndex != nil {
		n := 0
		for _, m := range c.messages {
			if m.index > *p.lastReadIndex {
				n++
			}
		}
		unread = n
	}
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", c.svc.sid},
		{"conversation_sid", c.sid},
		{"unread_messages_count", unread},
		{"last_read_message_index", nptr(p.lastReadIndex)},
		{"participant_sid", p.sid},
		{"user_sid", u.sid},
		{"friendly_name", nstr(c.friendlyName)},
		{"conversation_state", c.state},
		{"timers", renderTimers(c)},
		{"attributes", c.attributes},
		{"date_created", ts(c.created)},
		{"date_updated", ts(c.updated)},
		{"created_by", nstr(c.createdBy)},
		{"notification_level", p.notificationLevel},
		{"unique_name", nstr(c.uniqueName)},
		{"url", rc.userURL(u) + "/Conversations/" + c.sid},
		{"links", obj{
			{"participant", rc.participantURL(p)},
			{"conversation", rc.conversationURL(c)},
		}},
	}
}

func (rc *reqCtx) updateUserConversation(u *user, p *participant) (result, *apiError) {
	pp := rc.p
	level := pp.enum("NotificationLevel", "default", "muted")
	lastTS := pp.time("LastReadTimestamp")
	lastIndex, clearIndex := pp.integer("LastReadMessageIndex", true)
	if pp.err != nil {
		return fail(pp.err)
	}
	setStr(&p.notificationLevel, level)
	if lastTS != nil {
		p.lastReadTimestamp = ts(*lastTS)
	}
	switch {
	case clearIndex:
		p.lastReadIndex = nil
	case lastIndex != nil:
		p.lastReadIndex = lastIndex
	}
	p.updated = rc.now
	return ok(rc.renderUserConversation(u, p))
}

func (rc *reqCtx) listUserConversations(u *user) (result, *apiError) {
	lr := listReq{key: "conversations", max: 50}
	var ps []*participant
	for _, c := range u.svc.conversations {
		for _, p := range c.participants {
			if p.identity == u.identity {
				ps = append(ps, p)
			}
		}
	}
	var items []item
	for _, p := range sortedSlice(ps, func(p *participant) int64 { return p.seq }) {
		items = append(items, item{p.sid, p.seq, rc.renderUserConversation(u, p)})
	}
	return rc.page(lr, items)
}
