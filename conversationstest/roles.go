package conversationstest

// Roles

var roleTypes = []string{"conversation", "service"}

func (rc *reqCtx) renderRole(r *role) obj {
	return obj{
		{"sid", r.sid},
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", r.svc.sid},
		{"friendly_name", nstr(r.friendlyName)},
		{"type", r.typ},
		{"permissions", strs(r.permissions)},
		{"date_created", ts(r.created)},
		{"date_updated", ts(r.updated)},
		{"url", rc.sc.url("/Roles/" + r.sid)},
	}
}

func (rc *reqCtx) routeRoles(segs []string) (result, *apiError) {
	svc := rc.sc.svc
	if len(segs) == 0 {
		return rc.dispatch(methods{get: rc.listRoles, post: rc.createRole})
	}
	r := svc.roles[segs[0]]
	if r == nil || len(segs) > 1 {
		return rc.notFound()
	}
	return rc.dispatch(methods{
		get:  func() (result, *apiError) { return ok(rc.renderRole(r)) },
		post: func() (result, *apiError) { return rc.updateRole(r) },
		del:  func() (result, *apiError) { delete(svc.roles, r.sid); return noContent() },
	})
}

func (rc *reqCtx) createRole() (result, *apiError) {
	p := rc.p
	name := p.required("FriendlyName")
	typ := p.enum("Type", roleTypes...)
	if typ == nil {
		p.required("Type")
	}
	perms := p.list("Permission")
	if len(perms) == 0 {
		p.required("Permission")
	}
	if p.err != nil {
		return fail(p.err)
	}
	r := &role{base: rc.s.st.newBase("RL", rc.now), svc: rc.sc.svc, friendlyName: name, typ: *typ, permissions: perms}
	rc.sc.svc.roles[r.sid] = r
	return created(rc.renderRole(r))
}

func (rc *reqCtx) updateRole(r *role) (result, *apiError) {
	perms := rc.p.list("Permission")
	if len(perms) == 0 {
		rc.p.required("Permission")
		return fail(rc.p.err)
	}
	r.permissions = perms
	r.updated = rc.now
	return ok(rc.renderRole(r))
}

func (rc *reqCtx) listRoles() (result, *apiError) {
	lr := listReq{key: "roles", max: 50}
	var items []item
	for _, r := range sorted(rc.sc.svc.roles, func(r *role) int64 { return r.seq }) {
		items = append(items, item{r.sid, r.seq, rc.renderRole(r)})
	}
	return rc.page(lr, items)
}
