package conversationstest

import (
	"sort"
	"time"
)

// The in-memory state of the fake. Everything is guarded by Server.mu.

// base is what every stored resource has.
type base struct {
	sid     string
	seq     int64 // creation order, for stable listing and page tokens
	created time.Time
	updated time.Time
}

type state struct {
	seq   int64
	seqOf map[string]int64 // every id ever listed, even after deletion

	services     map[string]*service
	defaultSvc   string // the Conversation Service the /v1/Conversations... routes use
	credentials  map[string]*credential
	addresses    map[string]*addressConfig
	config       accountConfig
	configHook   accountWebhook
	receiptIndex map[string]*receipt // receipt SID -> receipt, for SetReceiptStatus
	media        *mediaStore         // see media.go; nil until first used
}

type accountConfig struct {
	messagingServiceSID string
	inactiveTimer       string
	closedTimer         string
}

type accountWebhook struct {
	method  string
	filters []string
	pre     string
	post    string
	target  string
}

type service struct {
	base
	friendlyName  string
	conversations map[string]*conversation
	users         map[string]*user
	roles         map[string]*role
	bindings      map[string]*binding
	cfg           serviceConfig
	notif         serviceNotification
	hook          serviceWebhook
}

type serviceConfig struct {
	creatorRoleSID      string
	conversationRoleSID string
	serviceRoleSID      string
	reachability        bool
}

type notifSettings struct {
	enabled  bool
	template string
	sound    string
}

type serviceNotification struct {
	logEnabled        bool
	newMessage        notifSettings
	badgeCount        bool
	withMediaEnabled  bool
	withMediaTemplate string
	added             notifSettings
	removed           notifSettings
}

type serviceWebhook struct {
	pre     string
	post    string
	filters []string // nil: never set (null)
	method  string
}

type conversation struct {
	base
	svc                 *service
	friendlyName        string
	uniqueName          string
	attributes          string
	messagingServiceSID string
	state               string
	timerInactive       string // ISO 8601 durations as sent
	timerClosed         string
	dateInactive        time.Time
	dateClosed          time.Time
	emailAddress        string
	emailName           string
	createdBy           string
	nextIndex           int
	participants        map[string]*participant
	messages            map[string]*message
	webhooks            map[string]*webhook
}

type participant struct {
	base
	conv              *conversation
	identity          string
	attributes        string
	roleSID           string
	bindingType       string
	address           string
	proxyAddress      string
	projectedAddress  string
	lastReadIndex     *int
	lastReadTimestamp string
	notificationLevel string
}

// chat reports whether the participant talks through the Conversations SDK
// (it has an identity and no address).
func (p *participant) chat() bool { return p.address == "" }

type message struct {
	base
	conv           *conversation
	index          int
	author         string
	body           string
	attributes     string
	participantSID string
	mediaSID       string
	contentSID     string
	subject        string
	receipts       map[string]*receipt
}

type receipt struct {
	base
	msg               *message
	participantSID    string
	channelMessageSID string
	status            string
	errorCode         int
}

type webhook struct {
	base
	conv        *conversation
	target      string
	url         string
	method      string
	filters     []string
	triggers    []string
	flowSID     string
	replayAfter *int
}

type user struct {
	base
	svc          *service
	identity     string
	friendlyName string
	attributes   string
	roleSID      string
}

type role struct {
	base
	svc          *service
	friendlyName string
	typ          string
	permissions  []string
}

type binding struct {
	base
	svc           *service
	credentialSID string
	endpoint      string
	identity      string
	bindingType   string
	messageTypes  []string
}

type credential struct {
	base
	friendlyName string
	typ          string
	sandbox      bool
}

type autoCreation struct {
	enabled        bool
	typ            string
	serviceSID     string
	webhookURL     string
	webhookMethod  string
	webhookFilters []string
	studioFlowSID  string
	studioRetries  *int
}

type addressConfig struct {
	base
	typ          string
	address      string
	friendlyName string
	country      string
	auto         autoCreation
}

// newBase stamps a new resource with a fresh SID, the next sequence number
// and now as both dates.
func (st *state) newBase(prefix string, now time.Time) base {
	st.seq++
	sid := newSID(prefix)
	st.seqOf[sid] = st.seq
	return base{sid: sid, seq: st.seq, created: now, updated: now}
}

func newService(b base, friendlyName string) *service {
	return &service{
		base:          b,
		friendlyName:  friendlyName,
		conversations: map[string]*conversation{},
		users:         map[string]*user{},
		roles:         map[string]*role{},
		bindings:      map[string]*binding{},
	}
}

// sorted returns the values of m in creation order.
func sorted[T any](m map[string]T, seq func(T) int64) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return seq(out[i]) < seq(out[j]) })
	return out
}

// conversationByKey finds a conversation of svc by SID or unique name.
func (svc *service) conversationByKey(key string) *conversation {
	if c, ok := svc.conversations[key]; ok {
		return c
	}
	if key == "" {
		return nil
	}
	for _, c := range svc.conversations {
		if c.uniqueName == key {
			return c
		}
	}
	return nil
}

// userByKey finds a user of svc by SID or identity.
func (svc *service) userByKey(key string) *user {
	if u, ok := svc.users[key]; ok {
		return u
	}
	for _, u := range svc.users {
		if u.identity == key {
			return u
		}
	}
	return nil
}

// participantByKey finds a participant of c by SID or identity.
func (c *conversation) participantByKey(key string) *participant {
	if p, ok := c.participants[key]; ok {
		return p
	}
	if key == "" {
		return nil
	}
	for _, p := range c.participants {
		if p.identity == key {
			return p
		}
	}
	return nil
}

// resetTimers restarts the state timers from now, as activity does.
func (c *conversation) resetTimers(now time.Time) {
	c.dateInactive, c.dateClosed = time.Time{}, time.Time{}
	if c.state == "closed" {
		return
	}
	if d, err := parseDuration(c.timerInactive); err == nil && c.state == "active" {
		c.dateInactive = now.Add(d)
	}
	if d, err := parseDuration(c.timerClosed); err == nil {
		c.dateClosed = now.Add(d)
	}
}

// fireTimers moves conversations whose timers are due to inactive or
// closed. It runs before every request, on the fake's clock.
func (st *state) fireTimers(now time.Time) {
	for _, svc := range st.services {
		for _, c := range svc.conversations {
			if c.state == "closed" {
				continue
			}
			if !c.dateClosed.IsZero() && !now.Before(c.dateClosed) {
				c.state = "closed"
				c.updated = c.dateClosed
				continue
			}
			if c.state == "active" && !c.dateInactive.IsZero() && !now.Before(c.dateInactive) {
				c.state = "inactive"
				c.updated = c.dateInactive
			}
		}
	}
}

// deleteConversation removes c and everything in it.
func (st *state) deleteConversation(c *conversation) {
	for _, m := range c.messages {
		st.dropMessageMedia(m)
		for rs := range m.receipts {
			delete(st.receiptIndex, rs)
		}
	}
	delete(c.svc.conversations, c.sid)
}

// deleteService removes svc and everything in it.
func (st *state) deleteService(svc *service) {
	for _, c := range svc.conversations {
		st.deleteConversation(c)
	}
	delete(st.services, svc.sid)
}

// sortedSlice sorts s in creation order.
func sortedSlice[T any](s []T, seq func(T) int64) []T {
	sort.Slice(s, func(i, j int) bool { return seq(s[i]) < seq(s[j]) })
	return s
}
