package conversationstest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

func (v *v2ctx) listConversations() v2Answer {
	return v2Page(v, "conversations", []string{"status", "channelId"}, v.st.convOrder,
		func(c *v2Conv) int64 { return c.seq },
		func(q url.Values) (func(*v2Conv) bool, *apiError) {
			var statuses []string
			for _, s := range q["status"] {
				for _, one := range strings.Split(s, ",") {
					if !slices.Contains(v2ConversationStatus, one) {
						return nil, errInvalid("status", fmt.Sprintf("%q is not one of ACTIVE, INACTIVE, CLOSED", one))
					}
					statuses = append(statuses, one)
				}
			}
			channelID := q.Get("channelId")
			return func(c *v2Conv) bool {
				return (len(statuses) == 0 || slices.Contains(statuses, c.status)) && (channelID == "" || c.hasChannelID(channelID))
			}, nil
		},
		v.renderConversation)
}

// hasChannelID reports whether a communication or a participant address of
// the conversation carries the resource identifier id (a call or message
// SID): the channelId filter of ListConversationByAccount.
func (c *v2Conv) hasChannelID(id string) bool {
	for _, m := range c.comms {
		if m.channelID == id || m.resourceID == id {
			return true
		}
	}
	for _, p := range c.parts {
		for _, a := range p.addresses {
			if a.channelID == id {
				return true
			}
		}
	}
	return false
}

func (v *v2ctx) fetchConversation(id string) v2Answer {
	c := v.st.convs[id]
	if c == nil {
		return v.notFound()
	}
	return v2JSON(http.StatusOK, v.renderConversation(c))
}

// readMetadata reads customer metadata: at most 8 entries, keys of up to
// 128 letters, digits, '.', '_' or '-', values of up to 512 characters.
// With merge, a null value removes the key from cur (a JSON merge patch).
func readMetadata(b *jobj, cur map[string]string, merge bool) (map[string]string, bool) {
	o := b.obj("metadata", false)
	if o == nil {
		return nil, false
	}
	out := map[string]string{}
	if merge {
		for k, val := range cur {
			out[k] = val
		}
	}
	for _, k := range sortedKeys(o.m) {
		if !v2MetadataKeyPattern.MatchString(k) {
			o.fail(o.name(k), "keys have 1 to 128 letters, digits, '.', '_' or '-'")
			return nil, false
		}
		if merge && o.isNull(k) {
			delete(out, k)
			continue
		}
		s, ok := o.str(k, true)
		if !ok {
			return nil, false
		}
		if utf8.RuneCountInString(s) > 512 {
			o.fail(o.name(k), "is longer than 512 characters")
			return nil, false
		}
		out[k] = s
	}
	if len(out) > v2MaxMetadataEntries {
		o.fail("metadata", fmt.Sprintf("would hold %d entries, the maximum is %d", len(out), v2MaxMetadataEntries))
		return nil, false
	}
	return out, true
}

// readAddresses reads a participant's addresses.
func readAddresses(b *jobj, required bool) ([]v2Address, bool) {
	a, ok := b.arr("addresses", required, 0, -1)
	if !ok {
		return nil, false
	}
	out := make([]v2Address, 0, len(a))
	for i := range a {
		o := b.item("addresses", a, i)
		if o == nil {
			return nil, false
		}
		o.allow("channel", "address", "channelId")
		ch, _ := o.enum("channel", true, v2Channels...)
		addr, _ := o.nonEmpty("address", true)
		cid, _ := o.str("channelId", false)
		for _, prev := range out {
			if prev.channel == ch && prev.address == addr {
				o.fail(o.path, "repeats the address "+ch+" "+addr)
			}
		}
		out = append(out, v2Address{channel: ch, address: addr, channelID: cid})
	}
	return out, b.failed() == nil
}

// participantFields reads the name, type, profileId and addresses of a
// participant body into p (replacing all four).
func (v *v2ctx) participantFields(b *jobj, p *v2Part, addressesRequired bool) {
	b.allow("name", "type", "profileId", "addresses")
	p.name = nil
	if s, ok := b.str("name", false); ok {
		p.name = &s
	}
	p.typ, _ = b.enum("type", false, v2ParticipantTypes...)
	p.profileID, _ = b.nonEmpty("profileId", false)
	p.addresses, _ = readAddresses(b, addressesRequired)
	if p.addresses == nil {
		p.addresses = []v2Address{}
	}
	if p.profileID == "" && p.typ == "CUSTOMER" && len(p.addresses) > 0 {
		p.profileID = v.profileFor(p.addresses[0].address)
	}
}

// profileFor resolves a CUSTOMER's profile the way a memory store would:
// one profile per address, created on first sight.
func (v *v2ctx) profileFor(address string) string {
	id := v.st.profiles[address]
	if id == "" {
		id = newV2ID(v2PrefixProfile, v.now)
		v.st.profiles[address] = id
	}
	return id
}

func (v *v2ctx) createConversation(b *jobj) v2Answer {
	b.allow("configurationId", "name", "configuration", "participants", "metadata")
	cfgID, _ := b.nonEmpty("configurationId", true)
	name, hasName := b.str("name", false)
	var intel []string
	hasIntel := false
	if co := b.obj("configuration", false); co != nil {
		co.allow("intelligenceConfigurationIds", "traitExtractionStrategyIds", "observationExtractionStrategyIds", "workflows")
		intel, hasIntel = co.strList("intelligenceConfigurationIds", v2MaxIntelligenceIDs)
		co.strList("traitExtractionStrategyIds", 1)
		co.strList("observationExtractionStrategyIds", 1)
		if wf, ok := co.arr("workflows", false, 0, 5); ok {
			for i := range wf {
				if w := co.item("workflows", wf, i); w != nil {
					w.allow("flowId")
					if id, ok := w.str("flowId", true); ok && !v2FlowIDPattern.MatchString(id) {
						w.fail(w.name("flowId"), fmt.Sprintf("%q does not match ^FW[0-9a-fA-F]{32}$", id))
					}
				}
			}
		}
	}
	metadata, _ := readMetadata(b, nil, false)
	var parts []*v2Part
	if ps, ok := b.arr("participants", false, 0, v2MaxCreateParticipants); ok {
		for i := range ps {
			o := b.item("participants", ps, i)
			if o == nil {
				break
			}
			p := &v2Part{}
			v.participantFields(o, p, false)
			parts = append(parts, p)
		}
	}
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	cfg := v.config(cfgID)
	if cfg == nil {
		return v2Fail(errNotFound(v2ConfigurationsPath + cfgID))
	}
	for i, p := range parts {
		for _, q := range parts[:i] {
			if a, clash := sharedAddress(p.addresses, q.addresses); clash {
				return v2Fail(errInvalid(fmt.Sprintf("participants[%d].addresses", i), "repeats the address "+a.channel+" "+a.address+" of another participant"))
			}
		}
	}
	c := v.newConversation(cfg, v.now)
	if hasName {
		c.name = &name
	}
	if hasIntel {
		c.cfg.intelligenceIDs = intel
	}
	c.metadata = metadata
	for _, p := range parts {
		v.addParticipant(c, p)
	}
	return v2JSON(http.StatusCreated, v.renderConversation(c))
}

const v2ConfigurationsPath = "/v2/ControlPlane/Configurations/"

// newConversation stores a new ACTIVE conversation of cfg, which keeps a
// copy of the configuration's settings.
func (v *v2ctx) newConversation(cfg *v2Config, now time.Time) *v2Conv {
	snap := cfg.clone()
	snap.pendingOp = ""
	c := &v2Conv{
		id:        newV2ID(v2PrefixConversation, now),
		seq:       v.st.next(),
		configID:  cfg.id,
		status:    "ACTIVE",
		created:   now,
		updated:   now,
		cfg:       snap,
		partByID:  map[string]*v2Part{},
		commByID:  map[string]*v2Comm{},
		commByRes: map[string]*v2Comm{},
	}
	v.st.convs[c.id] = c
	v.st.convOrder = append(v.st.convOrder, c)
	return c
}

func (v *v2ctx) addParticipant(c *v2Conv, p *v2Part) {
	p.id = newV2ID(v2PrefixParticipant, v.now)
	p.seq = v.st.next()
	p.conv = c
	p.created, p.updated = v.now, v.now
	c.parts = append(c.parts, p)
	c.partByID[p.id] = p
}

func sharedAddress(a, b []v2Address) (v2Address, bool) {
	for _, x := range a {
		for _, y := range b {
			if x.channel == y.channel && x.address == y.address {
				return x, true
			}
		}
	}
	return v2Address{}, false
}

func (v *v2ctx) updateConversation(id string, b *jobj, patch bool) v2Answer {
	c := v.st.convs[id]
	if c == nil {
		return v.notFound()
	}
	name := c.name
	status := c.status
	metadata := c.metadata
	callbacks, setCallbacks := c.cfg.statusCallbacks, false
	if patch {
		b.allow("name", "status", "configuration", "metadata")
		if b.isNull("name") {
			name = nil
		} else if s, ok := b.str("name", false); ok {
			name = &s
		}
		if b.isNull("status") {
			b.fail("status", "is required by the conversation and cannot be removed")
		}
		if s, ok := b.enum("status", false, v2ConversationStatus...); ok {
			status = s
		}
		if co := b.obj("configuration", false); co != nil {
			co.allow("statusCallbacks")
			if co.isNull("statusCallbacks") {
				callbacks, setCallbacks = nil, true
			} else if cbs, ok := readCallbacks(co, "statusCallbacks", v2MaxConvCallbacks); ok {
				callbacks, setCallbacks = cbs, true
			}
		}
		if b.has("metadata") && !b.isNull("metadata") {
			metadata, _ = readMetadata(b, c.metadata, true)
		} else if b.isNull("metadata") {
			metadata = nil
		}
	} else {
		b.allow("name", "status", "metadata")
		name = nil
		if s, ok := b.str("name", false); ok {
			name = &s
		}
		status, _ = b.enum("status", true, v2ConversationStatus...)
		metadata, _ = readMetadata(b, nil, false)
	}
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if c.status == "CLOSED" && status != "CLOSED" {
		return v2Fail(errInvalid("status", "conversation "+c.id+" is CLOSED and cannot be reopened"))
	}
	if status == "ACTIVE" && c.status != "ACTIVE" {
		c.lastActivity = v.now // the timers count again from now
	}
	c.name, c.status, c.metadata = name, status, metadata
	v.arm(c)
	if setCallbacks {
		c.cfg.statusCallbacks = callbacks
	}
	c.updated = v.now
	return v2JSON(http.StatusOK, v.renderConversation(c))
}

func (v *v2ctx) deleteConversation(id string) v2Answer {
	c := v.st.convs[id]
	if c == nil {
		return v.notFound()
	}
	if c.pendingOp != "" {
		return busy("conversation", id, c.pendingOp)
	}
	ans, op := v.startOperation("conversationId", c.id,
		func(time.Time) *Problem {
			v.removeConversation(c)
			return nil
		},
		func(bool) { c.pendingOp = "" })
	if op.status == "PENDING" {
		c.pendingOp = op.id
	}
	return ans
}

// removeConversation deletes a conversation "and all associated data":
// its participants, communications and actions.
func (v *v2ctx) removeConversation(c *v2Conv) {
	delete(v.st.convs, c.id)
	v.st.convOrder = slices.DeleteFunc(v.st.convOrder, func(x *v2Conv) bool { return x == c })
	for id, a := range v.st.actions {
		if a.conv == c {
			delete(v.st.actions, id)
		}
	}
	if c.v1SID != "" {
		if m := v.st.bridged[c.v1SID]; m != nil && m.conv == c {
			m.deleted = true // the classic conversation is not mirrored again
		}
	}
}

func (v *v2ctx) renderConversation(c *v2Conv) obj {
	parts := make([]obj, 0, len(c.parts))
	for _, p := range c.parts {
		parts = append(parts, v.renderParticipant(p))
	}
	md := c.metadata
	if md == nil {
		md = map[string]string{}
	}
	return obj{
		{"id", c.id},
		{"accountId", v.s.AccountSID},
		{"configurationId", c.configID},
		{"status", c.status},
		{"name", nullable(c.name)},
		{"createdAt", ts2(c.created)},
		{"updatedAt", ts2(c.updated)},
		{"configuration", renderConfigurationFields(c.cfg)},
		{"metadata", md},
		{"participants", parts},
	}
}

// Participants.

func (v *v2ctx) listParticipants(c *v2Conv) v2Answer {
	return v2Page(v, "participants", nil, c.parts,
		func(p *v2Part) int64 { return p.seq }, noFilter[*v2Part], v.renderParticipant)
}

func (v *v2ctx) fetchParticipant(c *v2Conv, id string) v2Answer {
	p := c.partByID[id]
	if p == nil {
		return v.notFound()
	}
	return v2JSON(http.StatusOK, v.renderParticipant(p))
}

// addressOwner returns the participant of c other than self that has one
// of the addresses.
func addressOwner(c *v2Conv, addrs []v2Address, self *v2Part) (*v2Part, v2Address) {
	for _, p := range c.parts {
		if p == self {
			continue
		}
		if a, ok := sharedAddress(addrs, p.addresses); ok {
			return p, a
		}
	}
	return nil, v2Address{}
}

func (v *v2ctx) createParticipant(c *v2Conv, b *jobj) v2Answer {
	p := &v2Part{}
	v.participantFields(b, p, true)
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if c.status == "CLOSED" {
		return v2Fail(errV2Closed(c))
	}
	if other, a := addressOwner(c, p.addresses, nil); other != nil {
		return v2Conflict("Participant "+other.id+" already has the address "+a.channel+" "+a.address+" in this conversation", other.id)
	}
	v.addParticipant(c, p)
	return v2JSON(http.StatusCreated, v.renderParticipant(p))
}

func (v *v2ctx) updateParticipant(c *v2Conv, id string, b *jobj) v2Answer {
	p := c.partByID[id]
	if p == nil {
		return v.notFound()
	}
	next := &v2Part{}
	v.participantFields(b, next, false)
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if other, a := addressOwner(c, next.addresses, p); other != nil {
		return v2Conflict("Participant "+other.id+" already has the address "+a.channel+" "+a.address+" in this conversation", other.id)
	}
	p.name, p.typ, p.profileID, p.addresses = next.name, next.typ, next.profileID, next.addresses
	p.updated = v.now
	return v2JSON(http.StatusOK, v.renderParticipant(p))
}

func (v *v2ctx) renderParticipant(p *v2Part) obj {
	o := obj{
		{"id", p.id},
		{"conversationId", p.conv.id},
		{"accountId", v.s.AccountSID},
		{"name", nullable(p.name)},
	}
	if p.typ != "" {
		o = append(o, kv{"type", p.typ})
	}
	if p.profileID != "" {
		o = append(o, kv{"profileId", p.profileID})
	}
	addrs := make([]obj, 0, len(p.addresses))
	for _, a := range p.addresses {
		ao := obj{{"channel", a.channel}, {"address", a.address}}
		if a.channelID != "" {
			ao = append(ao, kv{"channelId", a.channelID})
		}
		addrs = append(addrs, ao)
	}
	return append(o,
		kv{"addresses", addrs},
		kv{"createdAt", ts2(p.created)},
		kv{"updatedAt", ts2(p.updated)},
	)
}

// participantAt finds the participant of c with the address.
func participantAt(c *v2Conv, channel, address string) *v2Part {
	for _, p := range c.parts {
		for _, a := range p.addresses {
			if a.channel == channel && a.address == address {
				return p
			}
		}
	}
	return nil
}

// Communications.

func (v *v2ctx) listCommunications(c *v2Conv) v2Answer {
	return v2Page(v, "communications", []string{"channelId"}, c.comms,
		func(m *v2Comm) int64 { return m.seq },
		func(q url.Values) (func(*v2Comm) bool, *apiError) {
			id := q.Get("channelId")
			return func(m *v2Comm) bool { return id == "" || m.channelID == id || m.resourceID == id }, nil
		},
		v.renderCommunication)
}

func (v *v2ctx) fetchCommunication(c *v2Conv, id string) v2Answer {
	m := c.commByID[id]
	if m == nil {
		return v.notFound()
	}
	return v2JSON(http.StatusOK, v.renderCommunication(m))
}

// readEndpoint reads an author or recipient: address and channel, and a
// participantId that must be a participant of c. Without one, the
// participant holding the address (if any) is named.
func readEndpoint(c *v2Conv, o *jobj) v2Endpoint {
	o.allow("address", "channel", "participantId")
	e := v2Endpoint{}
	e.address, _ = o.nonEmpty("address", true)
	e.channel, _ = o.enum("channel", true, v2Channels...)
	if id, ok := o.nonEmpty("participantId", false); ok {
		if c.partByID[id] == nil {
			o.fail(o.name("participantId"), "no participant "+id+" in conversation "+c.id)
		}
		e.participantID = id
	} else if p := participantAt(c, e.channel, e.address); p != nil {
		e.participantID = p.id
	}
	return e
}

func readContent(b *jobj) v2Content {
	o := b.obj("content", true)
	var ct v2Content
	if o == nil {
		return ct
	}
	ct.typ, _ = o.enum("type", true, "TEXT", "TRANSCRIPTION")
	o.allow("type", "text", "transcription")
	ct.text, _ = o.str("text", true)
	if ct.typ == "TEXT" {
		// twilio-go v1.31.0 sends "transcription":{} with TEXT content
		// (a struct field, which omitempty keeps): an empty one is
		// ignored, anything in it is an error.
		if t := o.obj("transcription", false); t != nil && len(t.m) > 0 {
			o.fail(o.name("transcription"), "is only for TRANSCRIPTION content")
		}
		return ct
	}
	if t := o.obj("transcription", false); t != nil {
		ct.hasTrans = true
		t.allow("channel", "confidence", "engine", "words")
		if n, ok := t.integer("channel", 0); ok {
			ct.channel = &n
		}
		if f, ok := t.number("confidence", 0, 1); ok {
			ct.confidence = &f
		}
		if s, ok := t.str("engine", false); ok {
			ct.engine = &s
		}
		if ws, ok := t.arr("words", false, 0, -1); ok {
			ct.hasWords = true
			for i := range ws {
				w := t.item("words", ws, i)
				if w == nil {
					break
				}
				w.allow("text", "startTime", "endTime")
				word := v2Word{}
				word.text, _ = w.str("text", true)
				if ts, ok := w.dateTime("startTime"); ok {
					word.start = ts2(ts)
				}
				if ts, ok := w.dateTime("endTime"); ok {
					word.end = ts2(ts)
				}
				ct.words = append(ct.words, word)
			}
		}
	}
	return ct
}

// createCommunication stores a communication; one whose resourceId is
// already in the conversation updates that communication instead, as the
// spec says.
func (v *v2ctx) createCommunication(c *v2Conv, b *jobj) v2Answer {
	b.allow("author", "content", "channelId", "resourceId", "recipients", "occurredAt")
	m := &v2Comm{}
	if a := b.obj("author", true); a != nil {
		m.author = readEndpoint(c, a)
	}
	m.content = readContent(b)
	m.channelID, _ = b.str("channelId", false)
	m.resourceID, _ = b.nonEmpty("resourceId", false)
	if rs, ok := b.arr("recipients", true, 1, -1); ok {
		for i := range rs {
			o := b.item("recipients", rs, i)
			if o == nil {
				break
			}
			m.recipients = append(m.recipients, readEndpoint(c, o))
		}
	}
	occurred, hasOccurred := b.dateTime("occurredAt")
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if old := c.commByRes[m.resourceID]; m.resourceID != "" && old != nil {
		old.author, old.content, old.channelID, old.recipients = m.author, m.content, m.channelID, m.recipients
		if hasOccurred {
			old.occurred = occurred
		}
		old.updated = v.now
		return v2JSON(http.StatusCreated, v.renderCommunication(old))
	}
	if c.status == "CLOSED" {
		return v2Fail(errV2Closed(c))
	}
	if !hasOccurred {
		occurred = v.now
	}
	m.occurred = occurred
	v.addCommunication(c, m)
	v.toClassic(m)
	return v2JSON(http.StatusCreated, v.renderCommunication(m))
}

func (v *v2ctx) addCommunication(c *v2Conv, m *v2Comm) {
	m.id = newV2ID(v2PrefixCommunication, v.now)
	m.seq = v.st.next()
	m.conv = c
	m.created, m.updated = v.now, v.now
	if m.occurred.IsZero() {
		m.occurred = v.now
	}
	c.comms = append(c.comms, m)
	c.commByID[m.id] = m
	c.lastActivity, c.lastChannel = v.now, m.author.channel
	if c.status == "INACTIVE" {
		// "An INACTIVE conversation returns to ACTIVE when new traffic
		// arrives from any participant."
		c.status, c.updated = "ACTIVE", v.now
	}
	v.arm(c)
	if m.resourceID != "" {
		c.commByRes[m.resourceID] = m
	}
}

func renderEndpoint(e v2Endpoint) obj {
	o := obj{{"address", e.address}, {"channel", e.channel}}
	if e.participantID != "" {
		o = append(o, kv{"participantId", e.participantID})
	}
	if e.deliveryStatus != "" {
		o = append(o, kv{"deliveryStatus", e.deliveryStatus})
	}
	return o
}

func (v *v2ctx) renderCommunication(m *v2Comm) obj {
	content := obj{{"type", m.content.typ}, {"text", m.content.text}}
	if m.content.hasTrans {
		t := obj{}
		if m.content.channel != nil {
			t = append(t, kv{"channel", *m.content.channel})
		}
		if m.content.confidence != nil {
			t = append(t, kv{"confidence", *m.content.confidence})
		}
		if m.content.engine != nil {
			t = append(t, kv{"engine", *m.content.engine})
		}
		if m.content.hasWords {
			words := make([]obj, 0, len(m.content.words))
			for _, w := range m.content.words {
				wo := obj{{"text", w.text}}
				if w.start != "" {
					wo = append(wo, kv{"startTime", w.start})
				}
				if w.end != "" {
					wo = append(wo, kv{"endTime", w.end})
				}
				words = append(words, wo)
			}
			t = append(t, kv{"words", words})
		}
		content = append(content, kv{"transcription", t})
	}
	recipients := make([]obj, 0, len(m.recipients))
	for _, r := range m.recipients {
		recipients = append(recipients, renderEndpoint(r))
	}
	o := obj{
		{"id", m.id},
		{"conversationId", m.conv.id},
		{"accountId", v.s.AccountSID},
		{"author", renderEndpoint(m.author)},
		{"content", content},
	}
	if m.channelID != "" {
		o = append(o, kv{"channelId", m.channelID})
	}
	if m.resourceID != "" {
		o = append(o, kv{"resourceId", m.resourceID})
	}
	return append(o,
		kv{"recipients", recipients},
		kv{"createdAt", ts2(m.created)},
		kv{"updatedAt", ts2(m.updated)},
		kv{"occurredAt", ts2(m.occurred)},
	)
}
