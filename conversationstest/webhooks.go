package conversationstest

func renderWebhookConfiguration(w *webhook) obj {
	o := obj{}
	if w.url != "" {
		o = append(o, kv{"url", w.url})
	}
	if w.method != "" {
		o = append(o, kv{"method", w.method})
	}
	if w.filters != nil {
		o = append(o, kv{"filters", w.filters})
	}
	if w.triggers != nil {
		o = append(o, kv{"triggers", w.triggers})
	}
	if w.flowSID != "" {
		o = append(o, kv{"flow_sid", w.flowSID})
	}
	if w.replayAfter != nil {
		o = append(o, kv{"replay_after", *w.replayAfter})
	}
	return o
}

func (rc *reqCtx) renderWebhook(w *webhook) obj {
	o := obj{{"sid", w.sid}, {"account_sid", rc.s.AccountSID}}
	if rc.sc.scoped {
		o = append(o, kv{"chat_service_sid", w.conv.svc.sid})
	}
	return append(o,
		kv{"conversation_sid", w.conv.sid},
		kv{"target", w.target},
		kv{"url", rc.conversationURL(w.conv) + "/Webhooks/" + w.sid},
		kv{"configuration", renderWebhookConfiguration(w)},
		kv{"date_created", ts(w.created)},
		kv{"date_updated", ts(w.updated)},
	)
}

// readWebhookConfiguration applies the Configuration.* params to w.
func readWebhookConfiguration(p *params, w *webhook) {
	url := p.opt("Configuration.Url")
	method := p.enum("Configuration.Method", "get", "post")
	flowSID := p.sid("Configuration.FlowSid", "FW")
	if p.err != nil {
		return
	}
	setStr(&w.url, url)
	setStr(&w.method, method)
	setStr(&w.flowSID, flowSID)
	if p.has("Configuration.Filters") {
		w.filters = p.list("Configuration.Filters")
	}
	if p.has("Configuration.Triggers") {
		w.triggers = p.list("Configuration.Triggers")
	}
}

func (rc *reqCtx) createWebhook(c *conversation) (result, *apiError) {
	p := rc.p
	target := p.enum("Target", "webhook", "trigger", "studio")
	if target == nil && p.err == nil {
		p.required("Target")
	}
	w := &webhook{conv: c}
	readWebhookConfiguration(p, w)
	replay, _ := p.integer("Configuration.ReplayAfter", false)
	if p.err != nil {
		return fail(p.err)
	}
	w.target = *target
	w.replayAfter = replay
	switch {
	case w.target == "studio" && w.flowSID == "":
		return fail(errMissing("Configuration.FlowSid", p.where))
	case w.target != "studio" && w.url == "":
		return fail(errMissing("Configuration.Url", p.where))
	}
	w.base = rc.s.st.newBase("WH", rc.now)
	c.webhooks[w.sid] = w
	return created(rc.renderWebhook(w))
}

func (rc *reqCtx) updateWebhook(w *webhook) (result, *apiError) {
	readWebhookConfiguration(rc.p, w)
	if rc.p.err != nil {
		return fail(rc.p.err)
	}
	w.updated = rc.now
	return ok(rc.renderWebhook(w))
}

func (rc *reqCtx) listWebhooks(c *conversation) (result, *apiError) {
	lr := listReq{key: "webhooks", max: 5}
	var items []item
	for _, w := range sorted(c.webhooks, func(w *webhook) int64 { return w.seq }) {
		items = append(items, item{w.sid, w.seq, rc.renderWebhook(w)})
	}
	return rc.page(lr, items)
}
