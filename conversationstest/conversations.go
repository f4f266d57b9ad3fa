package conversationstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
)

var conversationStates = []string{"initializing", "inactive", "active", "closed"}

func (rc *reqCtx) conversationURL(c *conversation) string {
	return rc.sc.url("/Conversations/" + c.sid)
}

func renderTimers(c *conversation) obj {
	t := obj{}
	if !c.dateInactive.IsZero() {
		t = append(t, kv{"date_inactive", ts(c.dateInactive)})
	}
	if !c.dateClosed.IsZero() {
		t = append(t, kv{"date_closed", ts(c.dateClosed)})
	}
	return t
}

func renderBindings(c *conversation) obj {
	if c.emailAddress == "" && c.emailName == "" {
		return obj{}
	}
	return obj{{"email", obj{{"projected_address", nstr(c.emailAddress)}, {"name", nstr(c.emailName)}}}}
}

// renderConversation renders conversations.v1.conversation, or with
// withParticipants conversations.v1.conversation_with_participants (same
// fields in another order, no export link).
func (rc *reqCtx) renderConversation(c *conversation, withParticipants bool) obj {
	u := rc.conversationURL(c)
	links := obj{
		{"participants", u + "/Participants"},
		{"messages", u + "/Messages"},
		{"webhooks", u + "/Webhooks"},
	}
	o := obj{
		{"account_sid", rc.s.AccountSID},
		{"chat_service_sid", c.svc.sid},
		{"messaging_service_sid", nstr(c.messagingServiceSID)},
		{"sid", c.sid},
		{"friendly_name", nstr(c.friendlyName)},
		{"unique_name", nstr(c.uniqueName)},
		{"attributes", c.attributes},
		{"state", c.state},
		{"date_created", ts(c.created)},
		{"date_updated", ts(c.updated)},
		{"timers", renderTimers(c)},
	}
	if withParticipants {
		return append(o, kv{"links", links}, kv{"bindings", renderBindings(c)}, kv{"url", u})
	}
	links = append(links, kv{"export", u + "/Export"})
	return append(o, kv{"url", u}, kv{"links", links}, kv{"bindings", renderBindings(c)})
}

// conversationParams are the form params shared by create and update.
type conversationParams struct {
	friendlyName, uniqueName, attributes, messagingServiceSID, state *string
	timerInactive, timerClosed, emailAddress, emailName              *string
	dateCreated, dateUpdated                                         *time.Time
}

func readConversationParams(p *params) conversationParams {
	return conversationParams{
		friendlyName:        p.opt("FriendlyName"),
		uniqueName:          p.opt("UniqueName"),
		dateCreated:         p.time("DateCreated"),
		dateUpdated:         p.time("DateUpdated"),
		messagingServiceSID: p.sid("MessagingServiceSid", "MG"),
		attributes:          p.jsonStr("Attributes"),
		state:               p.enum("State", conversationStates...),
		timerInactive:       p.duration("Timers.Inactive", time.Minute),
		timerClosed:         p.duration("Timers.Closed", 10*time.Minute),
		emailAddress:        p.opt("Bindings.Email.Address"),
		emailName:           p.opt("Bindings.Email.Name"),
	}
}

// checkUniqueName applies the unique name rules within svc; self is the
// conversation being updated (nil on create).
func checkUniqueName(svc *service, name string, self *conversation) *apiError {
	if name == "" {
		return nil
	}
	if isSID(name, "CH") {
		return errBad(conversations.CodeUniqueNameIsSID, "Unique name should not match conversation sid pattern")
	}
	if c := svc.byUniqueName[name]; c != nil && c != self {
		return errConflict(conversations.CodeConversationUniqueNameExists, "Conversation with provided unique name already exists")
	}
	return nil
}

// newConversation validates the params and builds a conversation of the
// scope's service, without storing it.
func (rc *reqCtx) newConversation() (*conversation, *apiError) {
	cp := readConversationParams(rc.p)
	if rc.p.err != nil {
		return nil, rc.p.err
	}
	svc := rc.sc.svc
	c := &conversation{
		svc:                 svc,
		attributes:          attrs(cp.attributes),
		messagingServiceSID: rc.s.st.config.messagingServiceSID,
		state:               "active",
		createdBy:           "system",
		participants:        map[string]*participant{},
		messages:            map[string]*message{},
		webhooks:            map[string]*webhook{},
		timerInactive:       rc.s.st.config.inactiveTimer,
		timerClosed:         rc.s.st.config.closedTimer,
	}
	setStr(&c.friendlyName, cp.friendlyName)
	setStr(&c.uniqueName, cp.uniqueName)
	setStr(&c.messagingServiceSID, cp.messagingServiceSID)
	setStr(&c.state, cp.state)
	setStr(&c.timerInactive, cp.timerInactive)
	setStr(&c.timerClosed, cp.timerClosed)
	setStr(&c.emailAddress, cp.emailAddress)
	setStr(&c.emailName, cp.emailName)
	if err := checkUniqueName(svc, c.uniqueName, nil); err != nil {
		return nil, err
	}
	c.base = rc.s.st.newBase("CH", rc.now)
	if cp.dateCreated != nil {
		c.created = *cp.dateCreated
		c.updated = *cp.dateCreated
	}
	if cp.dateUpdated != nil {
		c.updated = *cp.dateUpdated
	}
	rc.s.st.resetTimers(c, rc.now)
	return c, nil
}

func (rc *reqCtx) createConversation() (result, *apiError) {
	c, err := rc.newConversation()
	if err != nil {
		return fail(err)
	}
	c.svc.storeConversation(c)
	rc.emitConversation(onConversationAdded, c)
	return created(rc.renderConversation(c, false))
}

func (rc *reqCtx) updateConversation(c *conversation) (result, *apiError) {
	cp := readConversationParams(rc.p)
	if rc.p.err != nil {
		return fail(rc.p.err)
	}
	if c.state == "closed" {
		// https://www.twilio.com/docs/api/errors/50377
		return fail(errBad(50377, "Can't update conversation as it's in final closed state"))
	}
	if cp.uniqueName != nil {
		if err := checkUniqueName(c.svc, *cp.uniqueName, c); err != nil {
			return fail(err)
		}
	}
	setStr(&c.friendlyName, cp.friendlyName)
	if cp.uniqueName != nil {
		c.svc.setUniqueName(c, *cp.uniqueName)
	}
	setStr(&c.messagingServiceSID, cp.messagingServiceSID)
	if cp.attributes != nil {
		c.attributes = attrs(cp.attributes)
	}
	setStr(&c.emailAddress, cp.emailAddress)
	setStr(&c.emailName, cp.emailName)
	setStr(&c.timerInactive, cp.timerInactive)
	setStr(&c.timerClosed, cp.timerClosed)
	restart := cp.timerInactive != nil || cp.timerClosed != nil
	fromState := c.state
	if cp.state != nil && *cp.state != c.state {
		c.state = *cp.state
		restart = true
	}
	if restart {
		rc.s.st.resetTimers(c, rc.now)
	}
	if cp.dateCreated != nil {
		c.created = *cp.dateCreated
	}
	c.updated = rc.now
	if cp.dateUpdated != nil {
		c.updated = *cp.dateUpdated
	}
	rc.emitConversation(onConversationUpdated, c)
	if c.state != fromState {
		rc.emitState(c, fromState, c.state, "API")
	}
	return ok(rc.renderConversation(c, false))
}

func (rc *reqCtx) listConversations() (result, *apiError) {
	p := rc.p
	lr := listReq{key: "conversations", max: 100}
	start, end := p.opt("StartDate"), p.opt("EndDate")
	var from, to time.Time
	if start != nil {
		lr.filters = append(lr.filters, [2]string{"StartDate", *start})
		t, err := parseTime(*start)
		if err != nil {
			return fail(errInvalid("StartDate", err.Error()))
		}
		from = t
	}
	if end != nil {
		lr.filters = append(lr.filters, [2]string{"EndDate", *end})
		t, err := parseTime(*end)
		if err != nil {
			return fail(errInvalid("EndDate", err.Error()))
		}
		if !strings.Contains(*end, "T") {
			t = t.Add(24*time.Hour - time.Second) // a plain date covers the whole day
		}
		to = t
	}
	state := p.enum("State", conversationStates...)
	if p.err != nil {
		return fail(p.err)
	}
	if state != nil {
		lr.filters = append(lr.filters, [2]string{"State", *state})
	}
	keep := func(c *conversation) bool {
		if (start != nil && c.created.Before(from)) || (end != nil && c.created.After(to)) {
			return false
		}
		return state == nil || c.state == *state
	}
	render := func(c *conversation) obj { return rc.renderConversation(c, false) }
	sid := func(c *conversation) string { return c.sid }
	seq := func(c *conversation) int64 { return c.seq }
	if start == nil && end == nil {
		v := inOrder(rc.sc.svc.convOrder, false, seq, sid, render)
		v.keep = keep
		return pageOf(rc, lr, v)
	}
	// "If this filter is used, the returned list is sorted by latest
	// conversation creation date in descending order." Dates can be set
	// by the caller, so this order is not creation order: sort the
	// conversations in the date range.
	var convs []*conversation
	for _, c := range rc.sc.svc.convOrder {
		if keep(c) {
			convs = append(convs, c)
		}
	}
	sort.SliceStable(convs, func(i, j int) bool {
		if !convs[i].created.Equal(convs[j].created) {
			return convs[i].created.After(convs[j].created)
		}
		return convs[i].seq > convs[j].seq
	})
	lr.desc = true
	return pageOf(rc, lr, listView[*conversation]{
		n: len(convs), at: func(i int) *conversation { return convs[i] },
		seq: seq, id: sid, render: render,
	})
}

// participantSpec is one element of ConversationWithParticipants'
// Participant param: a JSON object with the Participant resource's params.
type participantSpec struct {
	Identity         *string `json:"identity"`
	Attributes       any     `json:"attributes"`
	RoleSID          *string `json:"role_sid"`
	DateCreated      *string `json:"date_created"`
	DateUpdated      *string `json:"date_updated"`
	MessagingBinding *struct {
		Address          *string `json:"address"`
		ProxyAddress     *string `json:"proxy_address"`
		ProjectedAddress *string `json:"projected_address"`
	} `json:"messaging_binding"`
}

// toParams turns the JSON participant into the form params of
// CreateConversationParticipant, so that one code path validates both.
func (ps participantSpec) toParams() (*params, error) {
	v := map[string][]string{}
	put := func(k string, s *string) {
		if s != nil {
			v[k] = []string{*s}
		}
	}
	put("Identity", ps.Identity)
	put("RoleSid", ps.RoleSID)
	put("DateCreated", ps.DateCreated)
	put("DateUpdated", ps.DateUpdated)
	switch a := ps.Attributes.(type) {
	case nil:
	case string:
		v["Attributes"] = []string{a}
	default:
		b, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		v["Attributes"] = []string{string(b)}
	}
	if mb := ps.MessagingBinding; mb != nil {
		put("MessagingBinding.Address", mb.Address)
		put("MessagingBinding.ProxyAddress", mb.ProxyAddress)
		put("MessagingBinding.ProjectedAddress", mb.ProjectedAddress)
	}
	return &params{v: v, where: "post body"}, nil
}

func (rc *reqCtx) createConversationWithParticipants() (result, *apiError) {
	specs := rc.p.list("Participant")
	if len(specs) > 10 {
		return fail(errInvalid("Participant", "at most 10 participants can be added in one request"))
	}
	var pps []*params
	for i, s := range specs {
		var ps participantSpec
		dec := json.NewDecoder(strings.NewReader(s))
		if err := dec.Decode(&ps); err != nil {
			return fail(errInvalid("Participant", fmt.Sprintf("element %d is not a JSON object: %v", i, err)))
		}
		pp, err := ps.toParams()
		if err != nil {
			return fail(errInvalid("Participant", err.Error()))
		}
		pps = append(pps, pp)
	}
	c, err := rc.newConversation()
	if err != nil {
		return fail(err)
	}
	// Validate every participant before storing anything: the request
	// succeeds or fails as a whole.
	var parts []*participant
	for _, pp := range pps {
		p, err := rc.newParticipant(c, pp, parts)
		if err != nil {
			return fail(err)
		}
		parts = append(parts, p)
	}
	c.svc.storeConversation(c)
	rc.emitConversation(onConversationAdded, c)
	for _, p := range parts {
		rc.addParticipant(p)
		rc.emitParticipant(onParticipantAdded, p)
	}
	return result{http.StatusCreated, rc.renderConversation(c, true)}, nil
}
