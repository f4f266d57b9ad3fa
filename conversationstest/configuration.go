package conversationstest

import (
	"strings"
	"time"
)

// Account configuration

func (rc *reqCtx) routeAccountConfiguration(segs []string) (result, *apiError) {
	switch {
	case len(segs) == 0:
		return rc.dispatch(methods{get: rc.fetchConfiguration, post: rc.updateConfiguration})
	case segs[0] == "Webhooks" && len(segs) == 1:
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderConfigurationWebhook()) },
			post: rc.updateConfigurationWebhook,
		})
	case segs[0] == "Addresses":
		return rc.routeAddresses(segs[1:])
	}
	return rc.notFound()
}

func (rc *reqCtx) fetchConfiguration() (result, *apiError) {
	return ok(rc.renderConfiguration())
}

func (rc *reqCtx) renderConfiguration() obj {
	st := rc.s.st
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"default_chat_service_sid", st.defaultSvc},
		{"default_messaging_service_sid", nstr(st.config.messagingServiceSID)},
		{"default_inactive_timer", nstr(st.config.inactiveTimer)},
		{"default_closed_timer", nstr(st.config.closedTimer)},
		{"url", rc.s.URL + "/v1/Configuration"},
		{"links", obj{
			{"service", rc.s.URL + "/v1/Services/" + st.defaultSvc + "/Configuration"},
			{"webhooks", rc.s.URL + "/v1/Configuration/Webhooks"},
		}},
	}
}

func (rc *reqCtx) updateConfiguration() (result, *apiError) {
	p := rc.p
	chat := p.sid("DefaultChatServiceSid", "IS")
	msg := p.sid("DefaultMessagingServiceSid", "MG")
	inactive := p.duration("DefaultInactiveTimer", time.Minute)
	closed := p.duration("DefaultClosedTimer", 10*time.Minute)
	if p.err != nil {
		return fail(p.err)
	}
	st := rc.s.st
	if chat != nil {
		if st.services[*chat] == nil {
			return fail(errInvalid("DefaultChatServiceSid", "Conversation Service "+*chat+" does not exist"))
		}
		st.defaultSvc = *chat
	}
	setStr(&st.config.messagingServiceSID, msg)
	setStr(&st.config.inactiveTimer, inactive)
	setStr(&st.config.closedTimer, closed)
	return ok(rc.renderConfiguration())
}

func (rc *reqCtx) renderConfigurationWebhook() obj {
	h := rc.s.st.configHook
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"method", h.method},
		{"filters", strs(h.filters)},
		{"pre_webhook_url", nstr(h.pre)},
		{"post_webhook_url", nstr(h.post)},
		{"target", h.target},
		{"url", rc.s.URL + "/v1/Configuration/Webhooks"},
	}
}

func (rc *reqCtx) updateConfigurationWebhook() (result, *apiError) {
	p := rc.p
	method := p.enum("Method", "GET", "POST")
	pre, post := p.opt("PreWebhookUrl"), p.opt("PostWebhookUrl")
	target := p.enum("Target", "webhook", "flex")
	if p.err != nil {
		return fail(p.err)
	}
	h := &rc.s.st.configHook
	setStr(&h.method, method)
	setStr(&h.pre, pre)
	setStr(&h.post, post)
	setStr(&h.target, target)
	if p.has("Filters") {
		h.filters = p.list("Filters")
	}
	return ok(rc.renderConfigurationWebhook())
}

// Address configurations

var addressTypes = []string{"sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"}

func (rc *reqCtx) routeAddresses(segs []string) (result, *apiError) {
	st := rc.s.st
	if len(segs) == 0 {
		return rc.dispatch(methods{get: rc.listAddresses, post: rc.createAddress})
	}
	a := st.addresses[segs[0]]
	if a == nil {
		for _, x := range st.addresses {
			if x.address == segs[0] {
				a = x
			}
		}
	}
	if a == nil || len(segs) > 1 {
		return rc.notFound()
	}
	return rc.dispatch(methods{
		get:  func() (result, *apiError) { return ok(rc.renderAddress(a)) },
		post: func() (result, *apiError) { return rc.updateAddress(a) },
		del:  func() (result, *apiError) { delete(st.addresses, a.sid); return noContent() },
	})
}

func renderAutoCreation(ac autoCreation) obj {
	o := obj{{"enabled", ac.enabled}}
	if ac.typ != "" {
		o = append(o, kv{"type", ac.typ})
	}
	if ac.serviceSID != "" {
		o = append(o, kv{"conversation_service_sid", ac.serviceSID})
	}
	if ac.webhookURL != "" {
		o = append(o, kv{"webhook_url", ac.webhookURL})
	}
	if ac.webhookMethod != "" {
		o = append(o, kv{"webhook_method", strings.ToUpper(ac.webhookMethod)})
	}
	if ac.webhookFilters != nil {
		o = append(o, kv{"webhook_filters", ac.webhookFilters})
	}
	if ac.studioFlowSID != "" {
		o = append(o, kv{"studio_flow_sid", ac.studioFlowSID})
	}
	if ac.studioRetries != nil {
		o = append(o, kv{"studio_retry_count", *ac.studioRetries})
	}
	return o
}

func (rc *reqCtx) renderAddress(a *addressConfig) obj {
	return obj{
		{"sid", a.sid},
		{"account_sid", rc.s.AccountSID},
		{"type", a.typ},
		{"address", a.address},
		{"friendly_name", nstr(a.friendlyName)},
		{"auto_creation", renderAutoCreation(a.auto)},
		{"date_created", ts(a.created)},
		{"date_updated", ts(a.updated)},
		{"url", rc.s.URL + "/v1/Configuration/Addresses/" + a.sid},
		{"address_country", nstr(a.country)},
	}
}

// readAutoCreation applies the AutoCreation.* params to a copy of ac.
func readAutoCreation(p *params, ac autoCreation) autoCreation {
	if v := p.boolean("AutoCreation.Enabled"); v != nil {
		ac.enabled = *v
	}
	setStr(&ac.typ, p.enum("AutoCreation.Type", "webhook", "studio", "default"))
	setStr(&ac.serviceSID, p.sid("AutoCreation.ConversationServiceSid", "IS"))
	setStr(&ac.webhookURL, p.opt("AutoCreation.WebhookUrl"))
	setStr(&ac.webhookMethod, p.enum("AutoCreation.WebhookMethod", "get", "post"))
	if p.has("AutoCreation.WebhookFilters") {
		ac.webhookFilters = p.list("AutoCreation.WebhookFilters")
	}
	setStr(&ac.studioFlowSID, p.sid("AutoCreation.StudioFlowSid", "FW"))
	if n, _ := p.integer("AutoCreation.StudioRetryCount", false); n != nil {
		ac.studioRetries = n
	}
	return ac
}

func (rc *reqCtx) createAddress() (result, *apiError) {
	p := rc.p
	typ := p.enum("Type", addressTypes...)
	if typ == nil {
		p.required("Type")
	}
	address := p.required("Address")
	name := p.opt("FriendlyName")
	country := p.opt("AddressCountry")
	ac := readAutoCreation(p, autoCreation{})
	if p.err != nil {
		return fail(p.err)
	}
	a := &addressConfig{base: rc.s.st.newBase("IG", rc.now), typ: *typ, address: address, auto: ac}
	setStr(&a.friendlyName, name)
	setStr(&a.country, country)
	rc.s.st.addresses[a.sid] = a
	return created(rc.renderAddress(a))
}

func (rc *reqCtx) updateAddress(a *addressConfig) (result, *apiError) {
	p := rc.p
	name := p.opt("FriendlyName")
	ac := readAutoCreation(p, a.auto)
	if p.err != nil {
		return fail(p.err)
	}
	setStr(&a.friendlyName, name)
	a.auto = ac
	a.updated = rc.now
	return ok(rc.renderAddress(a))
}

func (rc *reqCtx) listAddresses() (result, *apiError) {
	lr := listReq{key: "address_configurations", max: 50}
	typ := rc.p.opt("Type")
	if typ != nil {
		lr.filters = [][2]string{{"Type", *typ}}
	}
	var items []item
	for _, a := range sorted(rc.s.st.addresses, func(a *addressConfig) int64 { return a.seq }) {
		if typ == nil || strings.EqualFold(a.typ, *typ) {
			items = append(items, item{a.sid, a.seq, rc.renderAddress(a)})
		}
	}
	return rc.page(lr, items)
}
