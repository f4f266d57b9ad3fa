package conversationstest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
	"unicode/utf8"
)

// visible reports whether a configuration exists for readers: one whose
// create operation is still PENDING does not yet.
func (c *v2Config) visible() bool { return !c.creating }

func (v *v2ctx) config(id string) *v2Config {
	if c := v.st.configs[id]; c != nil && c.visible() {
		return c
	}
	return nil
}

func (v *v2ctx) listConfigurations() v2Answer {
	return v2Page(v, "configurations", []string{"memoryStoreId"}, v.st.configOrder,
		func(c *v2Config) int64 { return c.seq },
		func(q url.Values) (func(*v2Config) bool, *apiError) {
			store := q.Get("memoryStoreId")
			if store != "" && !v2MemoryStorePattern.MatchString(store) {
				return nil, errInvalid("memoryStoreId", fmt.Sprintf("%q does not match ^mem_(store|service)_[0-7][0-9a-z]{25}$", store))
			}
			return func(c *v2Config) bool { return c.visible() && (store == "" || c.memoryStoreID == store) }, nil
		},
		v.renderConfiguration)
}

func (v *v2ctx) fetchConfiguration(id string) v2Answer {
	c := v.config(id)
	if c == nil {
		return v.notFound()
	}
	return v2JSON(http.StatusOK, v.renderConfiguration(c))
}

// configWrite is how a body changes a configuration.
type configWrite int

const (
	configCreate configWrite = iota
	configPut                // full replacement
	configPatch              // JSON merge patch
)

// readConfiguration applies a create, PUT or PATCH body to c, checking it
// against the request schema. PUT replaces: an omitted optional field goes
// back to its default (displayName, which PUT does not require, is kept).
// PATCH merges: an omitted field is kept, null removes (back to the
// default), and channelSettings merges per channel.
func (v *v2ctx) readConfiguration(b *jobj, c *v2Config, mode configWrite) {
	b.allow("displayName", "description", "conversationGroupingType", "memoryStoreId", "channelSettings",
		"statusCallbacks", "intelligenceConfigurationIds", "memoryExtractionEnabled", "conversationsV1Bridge")
	if mode == configPatch {
		for _, k := range []string{"displayName", "description", "conversationGroupingType", "memoryStoreId"} {
			if b.isNull(k) {
				b.fail(k, "is required by the configuration and cannot be removed")
			}
		}
	}
	if s, ok := b.nonEmpty("displayName", mode == configCreate); ok {
		switch {
		case utf8.RuneCountInString(s) > 32:
			b.fail("displayName", "is longer than 32 characters")
		case !v2DisplayNamePattern.MatchString(s):
			b.fail("displayName", "may hold only letters, digits, '-', '_' and spaces")
		default:
			c.displayName = s
		}
	}
	if s, ok := b.nonEmpty("description", mode != configPatch); ok {
		if utf8.RuneCountInString(s) > 512 {
			b.fail("description", "is longer than 512 characters")
		} else {
			c.description = s
		}
	}
	if s, ok := b.enum("conversationGroupingType", mode != configPatch, v2GroupingTypes...); ok {
		c.grouping = s
	}
	if s, ok := b.nonEmpty("memoryStoreId", mode != configPatch); ok {
		c.memoryStoreID = s
	}

	// channelSettings: required by PUT; PATCH merges channel by channel.
	switch {
	case b.isNull("channelSettings") && mode == configPatch:
		c.channelSettings = nil
	case b.present("channelSettings", mode == configPut):
		cs := b.obj("channelSettings", false)
		if cs == nil {
			break
		}
		next := map[string]v2ChannelSetting{}
		if mode == configPatch {
			for k, s := range c.channelSettings {
				next[k] = s
			}
		}
		for _, ch := range sortedKeys(cs.m) {
			if !slices.Contains(v2SettingChannels, ch) {
				cs.fail(cs.name(ch), "is not a channel type (VOICE, SMS, RCS, WHATSAPP, CHAT)")
				break
			}
			if mode == configPatch && cs.isNull(ch) {
				delete(next, ch)
				continue
			}
			if set, ok := readChannelSetting(cs.obj(ch, true)); ok {
				next[ch] = set
			}
		}
		c.channelSettings = next
	case mode == configPut:
		c.channelSettings = nil
	}

	switch {
	case b.isNull("statusCallbacks") || (mode == configPut && !b.has("statusCallbacks")):
		c.statusCallbacks = nil
	case b.has("statusCallbacks"):
		if cbs, ok := readCallbacks(b, "statusCallbacks", v2MaxConfigCallbacks); ok {
			c.statusCallbacks = cbs
		}
	}
	switch {
	case b.isNull("intelligenceConfigurationIds") || (mode == configPut && !b.has("intelligenceConfigurationIds")):
		c.intelligenceIDs = nil
	case b.has("intelligenceConfigurationIds"):
		if ids, ok := b.strList("intelligenceConfigurationIds", v2MaxIntelligenceIDs); ok {
			c.intelligenceIDs = ids
		}
	}
	switch {
	case b.isNull("memoryExtractionEnabled") || (mode == configPut && !b.has("memoryExtractionEnabled")):
		c.memoryExtraction = false
	case b.has("memoryExtractionEnabled"):
		if on, ok := b.boolean("memoryExtractionEnabled"); ok {
			c.memoryExtraction = on
		}
	}
	switch {
	case b.isNull("conversationsV1Bridge") || (mode == configPut && !b.has("conversationsV1Bridge")):
		c.bridgeServiceID = ""
	case b.has("conversationsV1Bridge"):
		if br := b.obj("conversationsV1Bridge", false); br != nil {
			br.allow("serviceId")
			if id, ok := br.str("serviceId", true); ok {
				switch {
				case id == "":
					// No bridge: twilio-go v1.31.0 sends
					// {"serviceId":""} when none is set (its struct
					// field is not a pointer, so omitempty keeps it).
					c.bridgeServiceID = ""
				case !v2ServiceIDPattern.MatchString(id):
					br.fail("conversationsV1Bridge.serviceId", fmt.Sprintf("%q does not match ^IS[0-9a-f]{32}$", id))
				case v.s.st.services[id] == nil:
					br.fail("conversationsV1Bridge.serviceId", "no Conversation Service "+id+" in this account")
				default:
					c.bridgeServiceID = id
				}
			}
		}
	}
}

func readChannelSetting(o *jobj) (v2ChannelSetting, bool) {
	var set v2ChannelSetting
	if o == nil {
		return set, false
	}
	o.allow("statusTimeouts", "captureRules")
	if t := o.obj("statusTimeouts", false); t != nil {
		t.allow("inactive", "closed")
		set.timeouts = &v2Timeouts{}
		if n, ok := t.integer("inactive", 1); ok {
			set.timeouts.inactive = &n
		}
		if n, ok := t.integer("closed", 1); ok {
			set.timeouts.closed = &n
		}
	}
	if rules, ok := o.arr("captureRules", false, 0, -1); ok {
		set.captureRules = []v2CaptureRule{}
		for i := range rules {
			r := o.item("captureRules", rules, i)
			if r == nil {
				break
			}
			r.allow("from", "to", "metadata")
			from, _ := r.nonEmpty("from", true)
			to, _ := r.nonEmpty("to", true)
			md, _ := r.strMap("metadata", -1)
			set.captureRules = append(set.captureRules, v2CaptureRule{from: from, to: to, metadata: md})
		}
	}
	return set, o.failed() == nil
}

func readCallbacks(b *jobj, key string, max int) ([]v2Callback, bool) {
	a, ok := b.arr(key, false, 0, max)
	if !ok {
		return nil, false
	}
	out := []v2Callback{}
	for i := range a {
		o := b.item(key, a, i)
		if o == nil {
			return nil, false
		}
		o.allow("url", "method")
		u, ok := o.str("url", true)
		if ok && !absoluteURL(u) {
			o.fail(o.name("url"), fmt.Sprintf("%q is not an absolute http(s) URL", u))
		}
		m := "POST"
		if s, ok := o.enum("method", false, v2CallbackMethods...); ok {
			m = s
		}
		out = append(out, v2Callback{url: u, method: m})
	}
	return out, b.failed() == nil
}

// bridgeOwner returns the configuration other than self that bridges the
// Conversation Service id: "One configuration per V1 Service SID".
func (v *v2ctx) bridgeOwner(id string, self *v2Config) *v2Config {
	if id == "" {
		return nil
	}
	for _, c := range v.st.configOrder {
		if c != self && c.bridgeServiceID == id {
			return c
		}
	}
	return nil
}

func (v *v2ctx) createConfiguration(b *jobj) v2Answer {
	c := &v2Config{}
	v.readConfiguration(b, c, configCreate)
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if other := v.bridgeOwner(c.bridgeServiceID, nil); other != nil {
		return v2Conflict("Conversation Service "+c.bridgeServiceID+" is already bridged by configuration "+other.id, other.id)
	}
	c.id = newV2ID(v2PrefixConfiguration, v.now)
	c.seq = v.st.next()
	c.created, c.updated, c.version = v.now, v.now, 1
	c.creating = true
	v.st.configs[c.id] = c
	v.st.configOrder = append(v.st.configOrder, c)
	ans, op := v.startOperation("configurationId", c.id,
		func(time.Time) *Problem {
			if c.bridgeServiceID != "" && v.s.st.services[c.bridgeServiceID] == nil {
				return problemOf(errInvalid("conversationsV1Bridge.serviceId", "no Conversation Service "+c.bridgeServiceID+" in this account"))
			}
			c.creating = false
			return nil
		},
		func(completed bool) {
			c.pendingOp = ""
			if !completed {
				v.removeConfiguration(c)
			}
		})
	if op.status == "PENDING" {
		c.pendingOp = op.id
	}
	return ans
}

func (v *v2ctx) removeConfiguration(c *v2Config) {
	delete(v.st.configs, c.id)
	v.st.configOrder = slices.DeleteFunc(v.st.configOrder, func(x *v2Config) bool { return x == c })
}

// busy answers 409 when a PENDING operation already holds the resource.
func busy(kind, id, opID string) v2Answer {
	return v2Conflict("The "+kind+" "+id+" has an operation in progress ("+opID+"); poll it and try again", opID)
}

func (v *v2ctx) updateConfiguration(id string, b *jobj, patch bool) v2Answer {
	c := v.config(id)
	if c == nil {
		return v.notFound()
	}
	if c.pendingOp != "" {
		return busy("configuration", id, c.pendingOp)
	}
	next := c.clone()
	mode := configPut
	if patch {
		mode = configPatch
	}
	v.readConfiguration(b, next, mode)
	if e := b.failed(); e != nil {
		return v2Fail(e)
	}
	if other := v.bridgeOwner(next.bridgeServiceID, c); other != nil {
		return v2Conflict("Conversation Service "+next.bridgeServiceID+" is already bridged by configuration "+other.id, other.id)
	}
	ans, op := v.startOperation("configurationId", c.id,
		func(now time.Time) *Problem {
			// A bridge this write sets must still name a service when it
			// completes (one it keeps is left alone, even if dangling).
			if next.bridgeServiceID != c.bridgeServiceID && next.bridgeServiceID != "" && v.s.st.services[next.bridgeServiceID] == nil {
				return problemOf(errInvalid("conversationsV1Bridge.serviceId", "no Conversation Service "+next.bridgeServiceID+" in this account"))
			}
			next.updated = now
			next.version = c.version + 1
			next.pendingOp = ""
			*c = *next
			return nil
		},
		func(bool) { c.pendingOp = "" })
	if op.status == "PENDING" {
		c.pendingOp = op.id
	}
	return ans
}

func (v *v2ctx) deleteConfiguration(id string) v2Answer {
	c := v.config(id)
	if c == nil {
		return v.notFound()
	}
	if c.pendingOp != "" {
		return busy("configuration", id, c.pendingOp)
	}
	ans, op := v.startOperation("configurationId", c.id,
		func(time.Time) *Problem {
			v.removeConfiguration(c)
			return nil
		},
		func(bool) { c.pendingOp = "" })
	if op.status == "PENDING" {
		c.pendingOp = op.id
	}
	return ans
}

// renderConfigurationFields renders the settings a configuration and a
// conversation's copy of it share.
func renderConfigurationFields(c *v2Config) obj {
	o := obj{
		{"displayName", c.displayName},
		{"description", c.description},
		{"conversationGroupingType", c.grouping},
		{"memoryStoreId", c.memoryStoreID},
		{"channelSettings", renderChannelSettings(c.channelSettings)},
		{"statusCallbacks", renderCallbacks(c.statusCallbacks)},
		{"intelligenceConfigurationIds", strs(c.intelligenceIDs)},
		{"memoryExtractionEnabled", c.memoryExtraction},
	}
	if c.bridgeServiceID != "" {
		o = append(o, kv{"conversationsV1Bridge", obj{{"serviceId", c.bridgeServiceID}}})
	}
	return o
}

func (v *v2ctx) renderConfiguration(c *v2Config) obj {
	o := obj{{"id", c.id}}
	o = append(o, renderConfigurationFields(c)...)
	return append(o,
		kv{"createdAt", ts2(c.created)},
		kv{"updatedAt", ts2(c.updated)},
		kv{"version", c.version},
	)
}

func renderChannelSettings(m map[string]v2ChannelSetting) obj {
	out := obj{}
	for _, ch := range sortedKeys(m) {
		s := m[ch]
		o := obj{}
		if s.timeouts != nil {
			t := obj{}
			if s.timeouts.inactive != nil {
				t = append(t, kv{"inactive", *s.timeouts.inactive})
			}
			if s.timeouts.closed != nil {
				t = append(t, kv{"closed", *s.timeouts.closed})
			}
			o = append(o, kv{"statusTimeouts", t})
		}
		if s.captureRules != nil {
			rules := make([]obj, 0, len(s.captureRules))
			for _, r := range s.captureRules {
				md := r.metadata
				if md == nil {
					md = map[string]string{}
				}
				rules = append(rules, obj{{"from", r.from}, {"to", r.to}, {"metadata", md}})
			}
			o = append(o, kv{"captureRules", rules})
		}
		out = append(out, kv{ch, o})
	}
	return out
}

func renderCallbacks(cbs []v2Callback) []obj {
	out := make([]obj, 0, len(cbs))
	for _, cb := range cbs {
		out = append(out, obj{{"url", cb.url}, {"method", cb.method}})
	}
	return out
}
