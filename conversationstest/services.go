package conversationstest

import (
	"strings"

	"github.com/conversations-go/conversations"
)

func (rc *reqCtx) renderService(svc *service) obj {
	u := rc.s.URL + "/v1/Services/" + svc.sid
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"sid", svc.sid},
		{"friendly_name", nstr(svc.friendlyName)},
		{"date_created", ts(svc.created)},
		{"date_updated", ts(svc.updated)},
		{"url", u},
		{"links", obj{
			{"conversations", u + "/Conversations"},
			{"users", u + "/Users"},
			{"roles", u + "/Roles"},
			{"bindings", u + "/Bindings"},
			{"configuration", u + "/Configuration"},
			{"participant_conversations", u + "/ParticipantConversations"},
			{"conversation_with_participants", u + "/ConversationWithParticipants"},
		}},
	}
}

func (rc *reqCtx) createService() (result, *apiError) {
	name := rc.p.required("FriendlyName")
	if rc.p.err != nil {
		return fail(rc.p.err)
	}
	svc := newService(rc.s.st.newBase("IS", rc.now), name)
	rc.s.st.services[svc.sid] = svc
	return created(rc.renderService(svc))
}

func (rc *reqCtx) deleteService(svc *service) (result, *apiError) {
	if svc.sid == rc.s.st.defaultSvc {
		return fail(errBad(conversations.CodeBadRequest, "The account's default Conversation Service "+svc.sid+" cannot be deleted; make another service the default first (POST /v1/Configuration DefaultChatServiceSid)"))
	}
	rc.s.st.deleteService(svc)
	return noContent()
}

func (rc *reqCtx) listServices() (result, *apiError) {
	lr := listReq{key: "services", max: 100}
	var items []item
	for _, svc := range sorted(rc.s.st.services, func(s *service) int64 { return s.seq }) {
		items = append(items, item{svc.sid, svc.seq, rc.renderService(svc)})
	}
	return rc.page(lr, items)
}

// Bindings

var bindingTypes = []string{"apn", "gcm", "fcm", "twilsock"}

func (rc *reqCtx) renderBinding(b *binding) obj {
	return obj{
		{"sid", b.sid},
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", b.svc.sid},
		{"credential_sid", nstr(b.credentialSID)},
		{"date_created", ts(b.created)},
		{"date_updated", ts(b.updated)},
		{"endpoint", nstr(b.endpoint)},
		{"identity", nstr(b.identity)},
		{"binding_type", b.bindingType},
		{"message_types", strs(b.messageTypes)},
		{"url", rc.sc.url("/Bindings/" + b.sid)},
	}
}

func (rc *reqCtx) routeBindings(segs []string) (result, *apiError) {
	svc := rc.sc.svc
	if len(segs) == 0 {
		return rc.dispatch(methods{get: rc.listBindings})
	}
	b := svc.bindings[segs[0]]
	if b == nil || len(segs) > 1 {
		return rc.notFound()
	}
	return rc.dispatch(methods{
		get: func() (result, *apiError) { return ok(rc.renderBinding(b)) },
		del: func() (result, *apiError) { delete(svc.bindings, b.sid); return noContent() },
	})
}

func (rc *reqCtx) listBindings() (result, *apiError) {
	lr := listReq{key: "bindings", max: 100}
	types := rc.p.list("BindingType")
	for _, t := range types {
		found := false
		for _, bt := range bindingTypes {
			found = found || strings.EqualFold(t, bt)
		}
		if !found {
			return fail(errInvalid("BindingType", t+" is not one of "+strings.Join(bindingTypes, ", ")))
		}
		lr.filters = append(lr.filters, [2]string{"BindingType", t})
	}
	identities := rc.p.list("Identity")
	for _, id := range identities {
		lr.filters = append(lr.filters, [2]string{"Identity", id})
	}
	in := func(v string, set []string, fold bool) bool {
		if len(set) == 0 {
			return true
		}
		for _, s := range set {
			if s == v || (fold && strings.EqualFold(s, v)) {
				return true
			}
		}
		return false
	}
	var items []item
	for _, b := range sorted(rc.sc.svc.bindings, func(b *binding) int64 { return b.seq }) {
		if in(b.bindingType, types, true) && in(b.identity, identities, false) {
			items = append(items, item{b.sid, b.seq, rc.renderBinding(b)})
		}
	}
	return rc.page(lr, items)
}

// Service configuration, notifications and webhook configuration

func (rc *reqCtx) routeServiceConfiguration(segs []string) (result, *apiError) {
	svc := rc.sc.svc
	switch {
	case len(segs) == 0:
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderServiceConfiguration(svc)) },
			post: func() (result, *apiError) { return rc.updateServiceConfiguration(svc) },
		})
	case len(segs) > 1:
	case segs[0] == "Notifications":
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderNotification(svc)) },
			post: func() (result, *apiError) { return rc.updateNotification(svc) },
		})
	case segs[0] == "Webhooks":
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderServiceWebhook(svc)) },
			post: func() (result, *apiError) { return rc.updateServiceWebhook(svc) },
		})
	}
	return rc.notFound()
}

func (rc *reqCtx) renderServiceConfiguration(svc *service) obj {
	u := rc.sc.url("/Configuration")
	return obj{
		{"chat_service_sid", svc.sid},
		{"default_conversation_creator_role_sid", nstr(svc.cfg.creatorRoleSID)},
		{"default_conversation_role_sid", nstr(svc.cfg.conversationRoleSID)},
		{"default_chat_service_role_sid", nstr(svc.cfg.serviceRoleSID)},
		{"url", u},
		{"links", obj{
			{"notifications", u + "/Notifications"},
			{"webhooks", u + "/Webhooks"},
		}},
		{"reachability_enabled", svc.cfg.reachability},
	}
}

func (rc *reqCtx) updateServiceConfiguration(svc *service) (result, *apiError) {
	p := rc.p
	creator := p.sid("DefaultConversationCreatorRoleSid", "RL")
	conv := p.sid("DefaultConversationRoleSid", "RL")
	svcRole := p.sid("DefaultChatServiceRoleSid", "RL")
	reach := p.boolean("ReachabilityEnabled")
	if p.err != nil {
		return fail(p.err)
	}
	for name, sid := range map[string]*string{"DefaultConversationCreatorRoleSid": creator, "DefaultConversationRoleSid": conv, "DefaultChatServiceRoleSid": svcRole} {
		if sid != nil && *sid != "" && svc.roles[*sid] == nil {
			return fail(errInvalid(name, "role "+*sid+" does not exist in service "+svc.sid))
		}
	}
	setStr(&svc.cfg.creatorRoleSID, creator)
	setStr(&svc.cfg.conversationRoleSID, conv)
	setStr(&svc.cfg.serviceRoleSID, svcRole)
	if reach != nil {
		svc.cfg.reachability = *reach
	}
	return ok(rc.renderServiceConfiguration(svc))
}

func renderNotif(n notifSettings) obj {
	return obj{{"enabled", n.enabled}, {"template", nstr(n.template)}, {"sound", nstr(n.sound)}}
}

func (rc *reqCtx) renderNotification(svc *service) obj {
	n := svc.notif
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", svc.sid},
		{"log_enabled", n.logEnabled},
		{"added_to_conversation", renderNotif(n.added)},
		{"new_message", obj{
			{"enabled", n.newMessage.enabled},
			{"template", nstr(n.newMessage.template)},
			{"badge_count_enabled", n.badgeCount},
			{"sound", nstr(n.newMessage.sound)},
			{"with_media", obj{{"enabled", n.withMediaEnabled}, {"template", nstr(n.withMediaTemplate)}}},
		}},
		{"removed_from_conversation", renderNotif(n.removed)},
		{"url", rc.sc.url("/Configuration/Notifications")},
	}
}

func (rc *reqCtx) updateNotification(svc *service) (result, *apiError) {
	p := rc.p
	n := svc.notif // copy: nothing changes unless every param is valid
	setBool := func(dst *bool, name string) {
		if v := p.boolean(name); v != nil {
			*dst = *v
		}
	}
	setBool(&n.logEnabled, "LogEnabled")
	setBool(&n.newMessage.enabled, "NewMessage.Enabled")
	setStr(&n.newMessage.template, p.opt("NewMessage.Template"))
	setStr(&n.newMessage.sound, p.opt("NewMessage.Sound"))
	setBool(&n.badgeCount, "NewMessage.BadgeCountEnabled")
	setBool(&n.added.enabled, "AddedToConversation.Enabled")
	setStr(&n.added.template, p.opt("AddedToConversation.Template"))
	setStr(&n.added.sound, p.opt("AddedToConversation.Sound"))
	setBool(&n.removed.enabled, "RemovedFromConversation.Enabled")
	setStr(&n.removed.template, p.opt("RemovedFromConversation.Template"))
	setStr(&n.removed.sound, p.opt("RemovedFromConversation.Sound"))
	setBool(&n.withMediaEnabled, "NewMessage.WithMedia.Enabled")
	setStr(&n.withMediaTemplate, p.opt("NewMessage.WithMedia.Template"))
	if p.err != nil {
		return fail(p.err)
	}
	svc.notif = n
	return ok(rc.renderNotification(svc))
}

func (rc *reqCtx) renderServiceWebhook(svc *service) obj {
	h := svc.hook
	var filters any
	if h.filters != nil {
		filters = h.filters
	}
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", svc.sid},
		{"pre_webhook_url", nstr(h.pre)},
		{"post_webhook_url", nstr(h.post)},
		{"filters", filters},
		{"method", nstr(h.method)},
		{"url", rc.sc.url("/Configuration/Webhooks")},
	}
}

func (rc *reqCtx) updateServiceWebhook(svc *service) (result, *apiError) {
	p := rc.p
	pre, post := p.opt("PreWebhookUrl"), p.opt("PostWebhookUrl")
	method := p.enum("Method", "GET", "POST")
	if p.err != nil {
		return fail(p.err)
	}
	setStr(&svc.hook.pre, pre)
	setStr(&svc.hook.post, post)
	setStr(&svc.hook.method, method)
	if p.has("Filters") {
		svc.hook.filters = strs(p.list("Filters"))
	}
	return ok(rc.renderServiceWebhook(svc))
}
