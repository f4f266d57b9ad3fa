package conversationstest

// Credentials

var credentialTypes = []string{"apn", "gcm", "fcm"}

func (rc *reqCtx) routeCredentials(segs []string) (result, *apiError) {
	st := rc.s.st
	if len(segs) == 0 {
		return rc.dispatch(methods{get: rc.listCredentials, post: rc.createCredential})
	}
	c := st.credentials[segs[0]]
	if c == nil || len(segs) > 1 {
		return rc.notFound()
	}
	return rc.dispatch(methods{
		get:  func() (result, *apiError) { return ok(rc.renderCredential(c)) },
		post: func() (result, *apiError) { return rc.updateCredential(c) },
		del:  func() (result, *apiError) { delete(st.credentials, c.sid); return noContent() },
	})
}

func (rc *reqCtx) renderCredential(c *credential) obj {
	sandbox := "False"
	if c.sandbox {
		sandbox = "True"
	}
	return obj{
		{"sid", c.sid},
		{"account_sid", rc.s.AccountSID},
		{"friendly_name", nstr(c.friendlyName)},
		{"type", c.typ},
		{"sandbox", sandbox},
		{"date_created", ts(c.created)},
		{"date_updated", ts(c.updated)},
		{"url", rc.s.URL + "/v1/Credentials/" + c.sid},
	}
}

// readCredential reads the params of create and update. The secrets
// (Certificate, PrivateKey, ApiKey, Secret) are accepted and dropped: the
// API never returns them.
func readCredential(p *params, c *credential) {
	setStr(&c.friendlyName, p.opt("FriendlyName"))
	if v := p.boolean("Sandbox"); v != nil {
		c.sandbox = *v
	}
}

func (rc *reqCtx) createCredential() (result, *apiError) {
	p := rc.p
	typ := p.enum("Type", credentialTypes...)
	if typ == nil {
		p.required("Type")
	}
	c := &credential{}
	readCredential(p, c)
	if p.err != nil {
		return fail(p.err)
	}
	c.typ = *typ
	c.base = rc.s.st.newBase("CR", rc.now)
	rc.s.st.credentials[c.sid] = c
	return created(rc.renderCredential(c))
}

func (rc *reqCtx) updateCredential(c *credential) (result, *apiError) {
	p := rc.p
	typ := p.enum("Type", credentialTypes...)
	next := *c
	readCredential(p, &next)
	if p.err != nil {
		return fail(p.err)
	}
	setStr(&next.typ, typ)
	next.updated = rc.now
	*c = next
	return ok(rc.renderCredential(c))
}

func (rc *reqCtx) listCredentials() (result, *apiError) {
	lr := listReq{key: "credentials", max: 100}
	var items []item
	for _, c := range sorted(rc.s.st.credentials, func(c *credential) int64 { return c.seq }) {
		items = append(items, item{c.sid, c.seq, rc.renderCredential(c)})
	}
	return rc.page(lr, items)
}
