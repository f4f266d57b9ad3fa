package conversationstest

import (
	"crypto/rand"
	"encoding/binary"
	"sort"
	"time"
)

// The v2 (Conversation Orchestrator) state of the fake. It lives in
// state.v2, so Reset drops it with the rest, and like the rest it is
// guarded by Server.mu.

type v2State struct {
	seq int64 // creation order of every v2 record, for listing and page tokens

	configs     map[string]*v2Config
	configOrder []*v2Config // live configurations in creation order

	convs     map[string]*v2Conv
	convOrder []*v2Conv // live conversations in creation order

	ops     map[string]*v2Operation
	actions map[string]*v2Action // by action id, every conversation

	idem map[string]*v2IdemEntry // Idempotency-Key -> first answer

	profiles map[string]string // address -> mem_profile_ id, for CUSTOMER participants

	armed map[*v2Conv]bool // conversations whose lifecycle timers may still fire (v2_lifecycle.go)

	// bridge state (v2_bridge.go): the v1 conversation each bridged v2
	// conversation mirrors, and how far its messages were copied.
	bridged map[string]*v2Bridged // v1 conversation SID -> mirror
}

func (st *state) v2State() *v2State {
	if st.v2 == nil {
		st.v2 = &v2State{
			configs:  map[string]*v2Config{},
			convs:    map[string]*v2Conv{},
			ops:      map[string]*v2Operation{},
			actions:  map[string]*v2Action{},
			idem:     map[string]*v2IdemEntry{},
			profiles: map[string]string{},
			armed:    map[*v2Conv]bool{},
			bridged:  map[string]*v2Bridged{},
		}
	}
	return st.v2
}

func (v *v2State) next() int64 { v.seq++; return v.seq }

// v2Config is a stored configuration. Optional fields with a documented
// default hold it (false, empty list) when never set or set to null.
type v2Config struct {
	id               string
	seq              int64
	displayName      string
	description      string
	grouping         string
	memoryStoreID    string
	channelSettings  map[string]v2ChannelSetting
	statusCallbacks  []v2Callback
	intelligenceIDs  []string
	memoryExtraction bool
	bridgeServiceID  string // conversationsV1Bridge.serviceId, "" when none
	created, updated time.Time
	version          int64
	pendingOp        string // a PENDING operation that will change this configuration
	creating         bool   // created by an operation still PENDING: not visible yet
}

type v2ChannelSetting struct {
	timeouts     *v2Timeouts
	captureRules []v2CaptureRule // nil: not sent
}

type v2Timeouts struct {
	inactive, closed *int64
}

type v2CaptureRule struct {
	from, to string
	metadata map[string]string
}

type v2Callback struct {
	url, method string
}

// clone returns a deep copy, so that a conversation's snapshot and a
// pending update never share maps or slices with the live record.
func (c *v2Config) clone() *v2Config {
	cp := *c
	if c.channelSettings != nil {
		cp.channelSettings = make(map[string]v2ChannelSetting, len(c.channelSettings))
		for k, v := range c.channelSettings {
			cs := v2ChannelSetting{}
			if v.timeouts != nil {
				t := *v.timeouts
				cs.timeouts = &t
			}
			if v.captureRules != nil {
				cs.captureRules = make([]v2CaptureRule, len(v.captureRules))
				for i, r := range v.captureRules {
					cs.captureRules[i] = v2CaptureRule{from: r.from, to: r.to, metadata: cloneMap(r.metadata)}
				}
			}
			cp.channelSettings[k] = cs
		}
	}
	cp.statusCallbacks = append([]v2Callback(nil), c.statusCallbacks...)
	cp.intelligenceIDs = append([]string(nil), c.intelligenceIDs...)
	return &cp
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// v2Conv is a stored conversation.
type v2Conv struct {
	id        string
	seq       int64
	configID  string
	status    string
	name      *string
	created   time.Time
	updated   time.Time
	cfg       *v2Config // the configuration as it applies to this conversation
	metadata  map[string]string
	parts     []*v2Part // in creation order
	partByID  map[string]*v2Part
	comms     []*v2Comm // in creation order
	commByID  map[string]*v2Comm
	commByRes map[string]*v2Comm // resourceId -> communication
	pendingOp string             // a PENDING delete
	v1SID     string             // the classic conversation it mirrors (bridge), "" otherwise
	// lastActivity is when the last communication arrived (or the status
	// was set to ACTIVE); lastChannel is that communication's channel,
	// whose statusTimeouts run the lifecycle timers (v2_lifecycle.go).
	lastActivity time.Time
	lastChannel  string
}

type v2Address struct {
	channel, address, channelID string
}

type v2Part struct {
	id        string
	seq       int64
	conv      *v2Conv
	name      *string
	typ       string
	profileID string
	addresses []v2Address
	created   time.Time
	updated   time.Time
	v1SID     string // the classic participant it mirrors (bridge)
}

type v2Endpoint struct {
	address, channel, participantID, deliveryStatus string
}

type v2Word struct {
	text, start, end string
}

type v2Content struct {
	typ        string // TEXT or TRANSCRIPTION
	text       string
	hasTrans   bool
	channel    *int64
	confidence *float64
	engine     *string
	words      []v2Word
	hasWords   bool
}

type v2Comm struct {
	id         string
	seq        int64
	conv       *v2Conv
	author     v2Endpoint
	content    v2Content
	channelID  string
	resourceID string
	recipients []v2Endpoint
	created    time.Time
	updated    time.Time
	occurred   time.Time
}

// v2Action is a SEND_MESSAGE action.
type v2Action struct {
	id         string
	typ        string
	status     string // PENDING, COMPLETED, FAILED
	conv       *v2Conv
	convID     string
	messageSID string
	commID     string
	failure    string
	created    time.Time
	updated    time.Time
	completed  time.Time
	pollsLeft  int  // fetches still answered PENDING (AsyncPlan.PendingPolls)
	held       bool // waits for CompleteAction/FailAction
	failWith   *Problem
	from       v2Endpoint
	to         []v2Endpoint
	text       string
}

// sortedKeys returns the keys of m in order, for stable rendering.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// crockford is the lower-case Crockford base32 alphabet of Twilio's v2 IDs
// (type prefix + 26 characters, as in conv_configuration_01h9d8r0vte3hz8tykdj329t7r).
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// newV2ID returns prefix followed by a ULID in lower-case Crockford base32:
// 48 bits of milliseconds of the fake's clock and 80 random bits, 26
// characters whose first is 0-7, the shape of the spec's IDs
// (conv_conversation_…, proc_job_…).
func newV2ID(prefix string, now time.Time) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	binary.BigEndian.PutUint16(b[0:2], uint16(ms>>32))
	binary.BigEndian.PutUint32(b[2:6], uint32(ms))
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err)
	}
	hi := binary.BigEndian.Uint64(b[0:8])
	lo := binary.BigEndian.Uint64(b[8:16])
	out := make([]byte, 26)
	// 128 bits as 26 base32 digits (130 bits, the top two are zero).
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return prefix + string(out)
}

// The ID prefixes of the spec's examples.
const (
	v2PrefixConfiguration = "conv_configuration_"
	v2PrefixConversation  = "conv_conversation_"
	v2PrefixParticipant   = "conv_participant_"
	v2PrefixCommunication = "conv_communication_"
	v2PrefixAction        = "conv_action_"
	v2PrefixOperation     = "proc_job_"
	v2PrefixProfile       = "mem_profile_"
)
