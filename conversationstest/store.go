package conversationstest

import (
	"container/heap"
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
	timers       timerHeap           // armed conversation state timers, soonest first
	// bindingIdx holds the non-chat participants by address and proxy
	// address; entries go stale (deleted, changed) and are dropped lazily.
	bindingIdx map[[2]string][]*participant
	media      *mediaStore // see media.go; nil until first used
	v2         *v2State    // see v2_store.go; nil until first used
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

	convOrder    []*conversation          // conversations in creation order
	byUniqueName map[string]*conversation // unique name -> conversation
	byIdentity   map[string]*user         // identity -> user
	userOrder    []*user                  // users in creation order
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
	msgOrder            []*message // messages in creation (= index) order
	timerGen            int        // bumped by resetTimers; older heap entries are stale
	deleted             bool
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
		byUniqueName:  map[string]*conversation{},
		byIdentity:    map[string]*user{},
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
	return svc.byUniqueName[key]
}

// userByKey finds a user of svc by SID or identity.
func (svc *service) userByKey(key string) *user {
	if u, ok := svc.users[key]; ok {
		return u
	}
	return svc.byIdentity[key]
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

// resetTimers restarts the state timers of c from now, as activity does,
// and arms them on the state's timer heap.
func (st *state) resetTimers(c *conversation, now time.Time) {
	c.dateInactive, c.dateClosed = time.Time{}, time.Time{}
	c.timerGen++
	if c.state == "closed" {
		return
	}
	if d, err := parseDuration(c.timerInactive); err == nil && c.state == "active" {
		c.dateInactive = now.Add(d)
		heap.Push(&st.timers, timerEntry{c.dateInactive, c, c.timerGen})
	}
	if d, err := parseDuration(c.timerClosed); err == nil {
		c.dateClosed = now.Add(d)
		heap.Push(&st.timers, timerEntry{c.dateClosed, c, c.timerGen})
	}
}

// fireTimers moves conversations whose timers are due to inactive or
// closed. It runs before every request, on the fake's clock, and costs
// O(log n) per timer due: only the heap's due entries are looked at.
func (st *state) fireTimers(now time.Time) []stateChange {
	var out []stateChange
	for len(st.timers) > 0 && !now.Before(st.timers[0].due) {
		e := heap.Pop(&st.timers).(timerEntry)
		c := e.conv
		if c.deleted || e.gen != c.timerGen || c.state == "closed" {
			continue
		}
		if !c.dateClosed.IsZero() && !now.Before(c.dateClosed) {
			out = append(out, stateChange{c, c.state, "closed", c.dateClosed})
			c.state = "closed"
			c.updated = c.dateClosed
			continue
		}
		if c.state == "active" && !c.dateInactive.IsZero() && !now.Before(c.dateInactive) {
			out = append(out, stateChange{c, c.state, "inactive", c.dateInactive})
			c.state = "inactive"
			c.updated = c.dateInactive
		}
	}
	return out
}

// timerEntry is one armed state timer of a conversation.
type timerEntry struct {
	due  time.Time
	conv *conversation
	gen  int
}

// timerHeap is a min-heap of timer entries by due time (container/heap).
type timerHeap []timerEntry

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timerEntry)) }
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// storeConversation adds c to its service.
func (svc *service) storeConversation(c *conversation) {
	svc.conversations[c.sid] = c
	svc.convOrder = append(svc.convOrder, c)
	if c.uniqueName != "" {
		svc.byUniqueName[c.uniqueName] = c
	}
}

// setUniqueName renames c, keeping the service's index in step.
func (svc *service) setUniqueName(c *conversation, name string) {
	if c.uniqueName != "" && svc.byUniqueName[c.uniqueName] == c {
		delete(svc.byUniqueName, c.uniqueName)
	}
	c.uniqueName = name
	if name != "" {
		svc.byUniqueName[name] = c
	}
}

// storeUser adds u to its service.
func (svc *service) storeUser(u *user) {
	svc.users[u.sid] = u
	svc.byIdentity[u.identity] = u
	svc.userOrder = append(svc.userOrder, u)
}

// deleteUser removes u from its service.
func (svc *service) deleteUser(u *user) {
	delete(svc.users, u.sid)
	svc.userOrder = removeOrdered(svc.userOrder, u.seq, func(u *user) int64 { return u.seq })
	if svc.byIdentity[u.identity] == u {
		delete(svc.byIdentity, u.identity)
	}
}

// storeMessage adds m to its conversation.
func (c *conversation) storeMessage(m *message) {
	c.messages[m.sid] = m
	c.msgOrder = append(c.msgOrder, m)
}

// removeOrdered removes the record with creation order seq from s, which is
// in creation order, finding it by binary search.
func removeOrdered[T any](s []T, seq int64, seqOf func(T) int64) []T {
	i := sort.Search(len(s), func(i int) bool { return seqOf(s[i]) >= seq })
	if i < len(s) && seqOf(s[i]) == seq {
		return append(s[:i], s[i+1:]...)
	}
	return s
}

// deleteConversation removes c and everything in it.
func (st *state) deleteConversation(c *conversation) {
	for _, m := range c.messages {
		st.dropMessageMedia(m)
		for rs := range m.receipts {
			delete(st.receiptIndex, rs)
		}
	}
	svc := c.svc
	delete(svc.conversations, c.sid)
	svc.convOrder = removeOrdered(svc.convOrder, c.seq, func(c *conversation) int64 { return c.seq })
	if c.uniqueName != "" && svc.byUniqueName[c.uniqueName] == c {
		delete(svc.byUniqueName, c.uniqueName)
	}
	c.deleted = true
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
