package conversationstest

import (
	"net/http"
	"strings"

	"github.com/conversations-go/conversations"
)

// bindingTypeOf derives a non-chat participant's channel from its address,
// the way Twilio names them in messaging_binding.type.
func bindingTypeOf(address string) string {
	for _, ch := range []string{"whatsapp", "messenger", "gbm", "rcs", "apple", "email"} {
		if strings.HasPrefix(strings.ToLower(address), ch+":") {
			return ch
		}
	}
	if strings.Contains(address, "@") {
		return "email"
	}
	return "sms"
}

func (rc *reqCtx) participantURL(p *participant) string {
	return rc.conversationURL(p.conv) + "/Participants/" + p.sid
}

func renderMessagingBinding(p *participant) any {
	if p.address == "" && p.projectedAddress == "" {
		return nil
	}
	o := obj{{"type", p.bindingType}}
	if p.address != "" {
		o = append(o, kv{"address", p.address})
	}
	if p.proxyAddress != "" {
		o = append(o, kv{"proxy_address", p.proxyAddress})
	}
	if p.projectedAddress != "" {
		o = append(o, kv{"projected_address", p.projectedAddress})
	}
	return o
}

func (rc *reqCtx) renderParticipant(p *participant) obj {
	o := obj{{"account_sid", rc.s.AccountSID}}
	if rc.sc.scoped {
		o = append(o, kv{"chat_service_sid", p.conv.svc.sid})
	}
	return append(o,
		kv{"conversation_sid", p.conv.sid},
		kv{"sid", p.sid},
		kv{"identity", nstr(p.identity)},
		kv{"attributes", p.attributes},
		kv{"messaging_binding", renderMessagingBinding(p)},
		kv{"role_sid", nstr(p.roleSID)},
		kv{"date_created", ts(p.created)},
		kv{"date_updated", ts(p.updated)},
		kv{"url", rc.participantURL(p)},
		kv{"last_read_message_index", nptr(p.lastReadIndex)},
		kv{"last_read_timestamp", nstr(p.lastReadTimestamp)},
	)
}

// errClosed is Twilio's answer to changing a closed conversation.
// https://www.twilio.com/docs/api/errors/50377
func errClosed() *apiError {
	return errBad(50377, "Can't update conversation as it's in final closed state")
}

// bindingOwner finds a conversation (not closed, anywhere in the account)
// that already has a participant with this address and proxy address. It
// looks the pair up in the binding index, dropping stale entries.
func (st *state) bindingOwner(address, proxy string) *conversation {
	k := [2]string{address, proxy}
	var owner *conversation
	live := st.bindingIdx[k][:0]
	for _, p := range st.bindingIdx[k] {
		c := p.conv
		if c.deleted || c.participants[p.sid] != p || p.address != address || p.proxyAddress != proxy {
			continue
		}
		live = append(live, p)
		if owner == nil && c.state != "closed" {
			owner = c
		}
	}
	if len(live) == 0 {
		delete(st.bindingIdx, k)
	} else {
		st.bindingIdx[k] = live
	}
	return owner
}

// indexBinding records a non-chat participant's address and proxy address
// in the binding index.
func (st *state) indexBinding(p *participant) {
	if p.address != "" {
		k := [2]string{p.address, p.proxyAddress}
		st.bindingIdx[k] = append(st.bindingIdx[k], p)
	}
}

// newParticipant validates the params of a participant for c and builds it
// without storing it. pending are participants of the same request not
// stored yet (ConversationWithParticipants).
func (rc *reqCtx) newParticipant(c *conversation, pp *params, pending []*participant) (*participant, *apiError) {
	identity := pp.opt("Identity")
	address := pp.opt("MessagingBinding.Address")
	proxy := pp.opt("MessagingBinding.ProxyAddress")
	projected := pp.opt("MessagingBinding.ProjectedAddress")
	dateCreated := pp.time("DateCreated")
	dateUpdated := pp.time("DateUpdated")
	attributes := pp.jsonStr("Attributes")
	roleSID := pp.sid("RoleSid", "RL")
	if pp.err != nil {
		return nil, pp.err
	}
	if c.state == "closed" {
		return nil, errClosed()
	}
	p := &participant{conv: c, attributes: attrs(attributes), notificationLevel: "default", roleSID: c.svc.cfg.conversationRoleSID}
	setStr(&p.identity, identity)
	setStr(&p.address, address)
	setStr(&p.proxyAddress, proxy)
	setStr(&p.projectedAddress, projected)
	setStr(&p.roleSID, roleSID)
	all := append(sorted(c.participants, func(p *participant) int64 { return p.seq }), pending...)
	switch {
	case p.identity == "" && p.address == "":
		return nil, errMissing("Identity or MessagingBinding.Address", pp.where)
	case p.identity != "" && p.address != "":
		return nil, errInvalid("Identity", "a participant has either an Identity (chat) or a MessagingBinding.Address, not both")
	case p.identity != "":
		if isSID(p.identity, "US") {
			return nil, errBad(conversations.CodeIdentityIsUserSID, "Identity should not match user SID pattern")
		}
		for _, o := range all {
			if o.identity == p.identity {
				return nil, errConflict(conversations.CodeParticipantExists, "Participant already exists")
			}
		}
		if p.projectedAddress != "" {
			p.bindingType = "sms"
		}
	default:
		if p.proxyAddress == "" && !hasProjected(all) {
			return nil, errMissing("MessagingBinding.ProxyAddress", pp.where)
		}
		p.bindingType = bindingTypeOf(p.address)
		owner := rc.s.st.bindingOwner(p.address, p.proxyAddress)
		for _, o := range pending {
			if o.address == p.address && o.proxyAddress == p.proxyAddress {
				owner = c
			}
		}
		if owner != nil {
			return nil, errConflict(conversations.CodeParticipantBindingExists, "A binding for this participant and proxy address already exists in Conversation "+owner.sid)
		}
	}
	p.base = rc.s.st.newBase("MB", rc.now)
	if dateCreated != nil {
		p.created, p.updated = *dateCreated, *dateCreated
	}
	if dateUpdated != nil {
		p.updated = *dateUpdated
	}
	return p, nil
}

func hasProjected(ps []*participant) bool {
	for _, p := range ps {
		if p.projectedAddress != "" {
			return true
		}
	}
	return false
}

// addParticipant stores p and, for a chat participant, makes sure its
// Conversation User exists, as Twilio creates one on the fly.
func (rc *reqCtx) addParticipant(p *participant) {
	c := p.conv
	c.participants[p.sid] = p
	rc.s.st.indexBinding(p)
	if p.identity != "" && c.svc.userByKey(p.identity) == nil {
		u := &user{base: rc.s.st.newBase("US", rc.now), svc: c.svc, identity: p.identity, attributes: "{}", roleSID: c.svc.cfg.serviceRoleSID}
		c.svc.storeUser(u)
	}
}

func (rc *reqCtx) createParticipant(c *conversation) (result, *apiError) {
	p, err := rc.newParticipant(c, rc.p, nil)
	if err != nil {
		return fail(err)
	}
	rc.addParticipant(p)
	rc.emitParticipant(onParticipantAdded, p)
	return created(rc.renderParticipant(p))
}

func (rc *reqCtx) updateParticipant(p *participant) (result, *apiError) {
	pp := rc.p
	dateCreated := pp.time("DateCreated")
	dateUpdated := pp.time("DateUpdated")
	identity := pp.opt("Identity")
	attributes := pp.jsonStr("Attributes")
	roleSID := pp.sid("RoleSid", "RL")
	proxy := pp.opt("MessagingBinding.ProxyAddress")
	projected := pp.opt("MessagingBinding.ProjectedAddress")
	lastIndex, clearIndex := pp.integer("LastReadMessageIndex", true)
	lastTS := pp.time("LastReadTimestamp")
	if pp.err != nil {
		return fail(pp.err)
	}
	if p.conv.state == "closed" {
		return fail(errClosed())
	}
	if identity != nil && *identity != p.identity {
		if p.identity != "" || p.projectedAddress == "" && (projected == nil || *projected == "") {
			return fail(errBad(conversations.CodeIdentityNotAllowed, "Failed to add an identity to a participant"))
		}
		for _, o := range p.conv.participants {
			if o != p && o.identity == *identity {
				return fail(errConflict(conversations.CodeParticipantExists, "Participant already exists"))
			}
		}
		p.identity = *identity
	}
	if attributes != nil {
		p.attributes = attrs(attributes)
	}
	setStr(&p.roleSID, roleSID)
	clearable := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
			if strings.EqualFold(*v, "null") {
				*dst = ""
			}
		}
	}
	oldProxy := p.proxyAddress
	clearable(&p.proxyAddress, proxy)
	if p.proxyAddress != oldProxy {
		rc.s.st.indexBinding(p)
	}
	clearable(&p.projectedAddress, projected)
	if p.projectedAddress != "" && p.bindingType == "" {
		p.bindingType = "sms"
	}
	switch {
	case clearIndex:
		p.lastReadIndex = nil
	case lastIndex != nil:
		p.lastReadIndex = lastIndex
	}
	if lastTS != nil {
		p.lastReadTimestamp = ts(*lastTS)
	}
	if identity != nil && p.identity != "" {
		rc.addParticipant(p)
	}
	if dateCreated != nil {
		p.created = *dateCreated
	}
	p.updated = rc.now
	if dateUpdated != nil {
		p.updated = *dateUpdated
	}
	rc.emitParticipant(onParticipantUpdated, p)
	return ok(rc.renderParticipant(p))
}

func (rc *reqCtx) listParticipants(c *conversation) (result, *apiError) {
	lr := listReq{key: "participants", max: 100}
	var items []item
	for _, p := range sorted(c.participants, func(p *participant) int64 { return p.seq }) {
		items = append(items, item{p.sid, p.seq, rc.renderParticipant(p)})
	}
	return rc.page(lr, items)
}

func renderParticipantBinding(p *participant) any {
	if p.address == "" && p.projectedAddress == "" {
		return nil
	}
	return obj{
		{"address", nstr(p.address)},
		{"proxy_address", nstr(p.proxyAddress)},
		{"type", p.bindingType},
		{"level", nil},
		{"name", nil},
		{"projected_address", nstr(p.projectedAddress)},
	}
}

// renderParticipantConversation renders one entry of
// ParticipantConversations: the participant p and its conversation.
func (rc *reqCtx) renderParticipantConversation(p *participant) obj {
	c := p.conv
	var userSID any
	if p.identity != "" {
		if u := c.svc.userByKey(p.identity); u != nil {
			userSID = u.sid
		}
	}
	return obj{
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", c.svc.sid},
		{"participant_sid", p.sid},
		{"participant_user_sid", userSID},
		{"participant_identity", nstr(p.identity)},
		{"participant_messaging_binding", renderParticipantBinding(p)},
		{"conversation_sid", c.sid},
		{"conversation_unique_name", nstr(c.uniqueName)},
		{"conversation_friendly_name", nstr(c.friendlyName)},
		{"conversation_attributes", c.attributes},
		{"conversation_date_created", ts(c.created)},
		{"conversation_date_updated", ts(c.updated)},
		{"conversation_created_by", nstr(c.createdBy)},
		{"conversation_state", c.state},
		{"conversation_timers", renderTimers(c)},
		{"links", obj{
			{"participant", rc.participantURL(p)},
			{"conversation", rc.conversationURL(c)},
		}},
	}
}

func (rc *reqCtx) listParticipantConversations() (result, *apiError) {
	identity, address := rc.p.opt("Identity"), rc.p.opt("Address")
	lr := listReq{key: "conversations", max: 50}
	switch {
	case identity != nil && address != nil:
		return fail(&apiError{http.StatusBadRequest, conversations.CodeIdentityAndAddress, "One user identifier parameter for lookup at a time is allowed. Please, use either Identity or Address."})
	case identity != nil:
		lr.filters = [][2]string{{"Identity", *identity}}
	case address != nil:
		lr.filters = [][2]string{{"Address", *address}}
	default:
		return fail(errMissing("Identity or Address", "query"))
	}
	var ps []*participant
	for _, c := range rc.sc.svc.conversations {
		for _, p := range c.participants {
			if (identity != nil && p.identity == *identity) || (address != nil && p.address == *address) {
				ps = append(ps, p)
			}
		}
	}
	var items []item
	for _, p := range sortedSlice(ps, func(p *participant) int64 { return p.seq }) {
		items = append(items, item{p.sid, p.seq, rc.renderParticipantConversation(p)})
	}
	return rc.page(lr, items)
}

// removeParticipant deletes p from its conversation.
func (rc *reqCtx) removeParticipant(p *participant) {
	delete(p.conv.participants, p.sid)
	rc.emit(p.conv.svc, p.conv, onParticipantRemoved, removed(participantFields(p), rc.now), "")
}
