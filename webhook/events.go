package webhook

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Event is a parsed Conversations webhook. Its dynamic type is one of
// *ConversationEvent, *ConversationStateEvent, *MessageEvent,
// *ParticipantEvent, *DeliveryEvent, *UserEvent or, for an event type this
// package does not know, *GenericEvent. Use a type switch, or Base for the
// fields every event has.
type Event interface {
	// Base returns the parameters common to every event, with the raw and
	// unrecognised parameters.
	Base() *Common
}

// Common holds the parameters every Conversations webhook carries, and the
// request's parameters as received.
//
// Source: "Conversations Webhooks"
// (https://www.twilio.com/docs/conversations/conversations-webhooks),
// section "Webhook Bodies by Event Type": "each request also contains the
// following parameters": AccountSid, EventType, Source, ClientIdentity.
type Common struct {
	// EventType is the EventType parameter, e.g. OnMessageAdd.
	EventType EventType
	// AccountSID is the SID of the account the conversation belongs to.
	AccountSID string
	// Source is the source of the action: "SDK" or "API".
	Source string
	// ClientIdentity is the identity of the user that performed the action;
	// set for SDK-originated events only.
	ClientIdentity string

	// Raw holds every parameter of the request as received, including those
	// copied into typed fields. A typed field whose value does not parse
	// (a malformed date or number) is left at its zero value; the original
	// text is still here.
	Raw url.Values
	// Extra holds the parameters this package does not map to a typed
	// field, so that parameters Twilio adds later are not lost. It is never
	// nil.
	Extra url.Values
}

// Base returns c; it makes every event type that embeds Common an Event.
func (c *Common) Base() *Common { return c }

// IsPreAction reports whether the event is a pre-action event, whose
// response can reject (or modify) the action.
func (c *Common) IsPreAction() bool { return c.EventType.IsPreAction() }

// MessagingBinding is the non-chat address of a participant or of the
// participant that created a conversation (the MessagingBinding.* parameters
// of "Conversations Webhooks"). For a chat-only participant the addresses
// are empty.
type MessagingBinding struct {
	// ProxyAddress is MessagingBinding.ProxyAddress: the Twilio number the
	// participant talks to.
	ProxyAddress string
	// Address is MessagingBinding.Address: the participant's own address
	// (phone number). For an automatically created Group MMS conversation
	// Twilio documents this as a list of addresses; it is passed on as sent.
	Address string
	// ProjectedAddress is MessagingBinding.ProjectedAddress: the Twilio
	// address used for a chat participant in Group MMS.
	ProjectedAddress string
	// AuthorAddress is MessagingBinding.AuthorAddress: the message author's
	// number when a Group MMS conversation is created automatically
	// (conversation events only).
	AuthorAddress string
	// Type is MessagingBinding.Type: "SMS", "CHAT" or "WHATSAPP"
	// (participant events only).
	Type string
}

// IsZero reports whether no MessagingBinding parameter was present.
func (b MessagingBinding) IsZero() bool { return b == MessagingBinding{} }

// Media is one element of the Media parameter, "Stringified JSON array of
// attached media objects" ("Conversations Webhooks").
//
// The document does not spell out the keys of these objects. Keys are
// matched without regard to case or underscores, so both the REST
// resource's spelling (sid, content_type, filename, size, category) and a
// capitalised one (Sid or MediaSid, ContentType, Filename, Size) decode;
// the element as sent is kept in Raw.
type Media struct {
	// SID is the media SID (ME...).
	SID string
	// Filename is the file name, if one was given.
	Filename string
	// ContentType is the MIME type.
	ContentType string
	// Size is the size in bytes.
	Size int64
	// Category is the media category, e.g. "media".
	Category string
	// Raw is the JSON object as received.
	Raw json.RawMessage
}

// UnmarshalJSON decodes one media object; see Media for the keys accepted.
func (m *Media) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	*m = Media{Raw: append(json.RawMessage(nil), data...)}
	str := func(raw json.RawMessage) string {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	for k, raw := range fields {
		switch strings.ToLower(strings.ReplaceAll(k, "_", "")) {
		case "sid", "mediasid":
			m.SID = str(raw)
		case "filename":
			m.Filename = str(raw)
		case "contenttype":
			m.ContentType = str(raw)
		case "category":
			m.Category = str(raw)
		case "size":
			var n json.Number
			if json.Unmarshal(raw, &n) == nil {
				m.Size, _ = n.Int64()
			} else if s := str(raw); s != "" {
				m.Size, _ = strconv.ParseInt(s, 10, 64)
			}
		}
	}
	return nil
}

// ConversationEvent is onConversationAdd, onConversationAdded,
// onConversationUpdate, onConversationUpdated, onConversationRemove or
// onConversationRemoved. Which fields are set depends on the event type;
// the parameters of each are listed in "Conversations Webhooks"
// (https://www.twilio.com/docs/conversations/conversations-webhooks).
type ConversationEvent struct {
	Common
	// ConversationSID is the conversation's SID (CH...). Not sent with
	// onConversationAdd, whose conversation does not exist yet.
	ConversationSID string
	// DateCreated is the conversation's creation time.
	DateCreated time.Time
	// DateUpdated is the conversation's last modification time.
	DateUpdated time.Time
	// DateRemoved is the removal time (onConversationRemoved).
	DateRemoved time.Time
	// FriendlyName is the conversation's friendly name, if set.
	FriendlyName string
	// UniqueName is the conversation's unique name.
	UniqueName string
	// Attributes is the conversation's metadata, a JSON string.
	Attributes string
	// ChatServiceSID is the Conversation Service SID (IS...).
	ChatServiceSID string
	// MessagingServiceSID is the Messaging Service SID (MG...).
	MessagingServiceSID string
	// MessagingBinding is the creator's messaging binding (onConversationAdd
	// and onConversationAdded).
	MessagingBinding MessagingBinding
	// MessageBody is the initial message of a conversation created from an
	// inbound message (onConversationAdd).
	MessageBody string
	// Media is the media of that initial message (onConversationAdd).
	Media []Media
	// State is the conversation's state: "active", "inactive" or "closed".
	State string
}

// ConversationStateEvent is onConversationStateUpdated.
//
// Source: "Conversations Webhooks", "onConversationStateUpdated".
type ConversationStateEvent struct {
	Common
	// ConversationSID is the conversation's SID.
	ConversationSID string
	// ChatServiceSID is the Conversation Service SID.
	ChatServiceSID string
	// MessagingServiceSID is the Messaging Service SID.
	MessagingServiceSID string
	// StateUpdated is when the state changed.
	StateUpdated time.Time
	// StateFrom is the previous state: "active", "inactive" or "closed".
	StateFrom string
	// StateTo is the new state.
	StateTo string
	// Reason is the source of the change: "API", "TIMER" or "EVENT".
	Reason string
}

// MessageEvent is onMessageAdd, onMessageAdded, onMessageUpdate,
// onMessageUpdated, onMessageRemove or onMessageRemoved.
//
// Source: "Conversations Webhooks", the sections of those six events.
type MessageEvent struct {
	Common
	// ConversationSID is the SID of the conversation the message is in.
	ConversationSID string
	// ChatServiceSID is the Conversation Service SID (IS...) of the
	// conversation.
	ChatServiceSID string
	// MessageSID is the message's SID (IM...). Not sent with onMessageAdd,
	// whose message does not exist yet.
	MessageSID string
	// MessagingServiceSID is the Messaging Service SID of the conversation
	// (onMessageAdded).
	MessagingServiceSID string
	// Index is the message's index in the conversation; nil when the
	// parameter is absent (onMessageAdd).
	Index *int
	// DateCreated is the message's creation time.
	DateCreated time.Time
	// DateUpdated is the message's last modification time.
	DateUpdated time.Time
	// DateRemoved is the removal time (onMessageRemoved).
	DateRemoved time.Time
	// Body is the message text.
	Body string
	// Author is the message author.
	Author string
	// ParticipantSID is the author's participant SID (MB...), if any.
	ParticipantSID string
	// Attributes is the message's metadata, a JSON string.
	Attributes string
	// Media is the attached media, decoded from the Media parameter.
	Media []Media
}

// ParticipantEvent is onParticipantAdd, onParticipantAdded,
// onParticipantUpdate, onParticipantUpdated, onParticipantRemove or
// onParticipantRemoved.
//
// Source: "Conversations Webhooks", the sections of those six events. A
// participant has either an Identity (chat) or MessagingBinding addresses
// (SMS, WhatsApp).
type ParticipantEvent struct {
	Common
	// ConversationSID is the conversation's SID.
	ConversationSID string
	// ChatServiceSID is the Conversation Service SID (IS...) of the
	// conversation.
	ChatServiceSID string
	// ParticipantSID is the participant's SID (MB...). Not sent with
	// onParticipantAdd.
	ParticipantSID string
	// DateCreated is the participant's creation time.
	DateCreated time.Time
	// DateUpdated is the participant's last modification time.
	DateUpdated time.Time
	// DateRemoved is the removal time (onParticipantRemoved).
	DateRemoved time.Time
	// Identity is the chat identity, empty for SMS and WhatsApp participants.
	Identity string
	// RoleSID is the participant's role SID (RL...).
	RoleSID string
	// Attributes is the participant's metadata, a JSON string.
	Attributes string
	// MessagingBinding is the participant's messaging binding.
	MessagingBinding MessagingBinding
	// LastReadMessageIndex is the index of the last message the participant
	// read (onParticipantUpdated); nil when absent.
	LastReadMessageIndex *int
}

// DeliveryEvent is onDeliveryUpdated.
//
// Source: "Conversations Webhooks", "onDeliveryUpdated".
type DeliveryEvent struct {
	Common
	// ConversationSID is the conversation's SID.
	ConversationSID string
	// ChatServiceSID is the Conversation Service SID.
	ChatServiceSID string
	// MessageSID is the conversation message's SID (IM...).
	MessageSID string
	// DeliveryReceiptSID is the delivery receipt's SID (DY...).
	DeliveryReceiptSID string
	// ChannelMessageSID is the channel message's SID (SM... for SMS, WA...
	// for WhatsApp).
	ChannelMessageSID string
	// ParticipantSID is the recipient participant's SID.
	ParticipantSID string
	// Status is "read", "failed", "delivered", "undelivered" or "sent".
	Status string
	// ErrorCode is Twilio's numeric error code; nil when absent.
	ErrorCode *int
	// DateCreated is the receipt's creation time.
	DateCreated time.Time
	// DateUpdated is the receipt's last update time.
	DateUpdated time.Time
}

// UserEvent is onUserAdded, onUserUpdate or onUserUpdated.
//
// Source: "Conversations Webhooks", the sections of those three events.
type UserEvent struct {
	Common
	// ChatServiceSID is the Conversation Service SID.
	ChatServiceSID string
	// UserSID is the user's SID (US...).
	UserSID string
	// DateCreated is the user's creation time.
	DateCreated time.Time
	// DateUpdated is the user's last modification time.
	DateUpdated time.Time
	// Identity is the user's identity.
	Identity string
	// RoleSID is the user's role SID.
	RoleSID string
	// Attributes is the user's metadata, a JSON string.
	Attributes string
	// FriendlyName is the user's friendly name.
	FriendlyName string
	// IsOnline is the isOnline parameter (onUserUpdated): whether the user
	// is connected to the service; nil when absent.
	IsOnline *bool
	// IsNotifiable is the isNotifiable parameter (onUserUpdated): whether
	// the user has a push registration; nil when absent.
	IsNotifiable *bool
}

// GenericEvent is an event whose EventType this package does not know. All
// its parameters other than the common ones are in Extra.
type GenericEvent struct {
	Common
}

// ErrNoEventType is returned by ParseEvent when the parameters have no
// EventType.
var ErrNoEventType = errors.New("webhook: request has no EventType parameter")

// ParseEvent builds the typed event for the parameters of a Conversations
// webhook (the decoded form body, or the query of a GET webhook). An event
// type this package does not know yields a *GenericEvent, not an error; the
// only error is a missing EventType.
//
// Parsing is lenient: a date (ISO 8601) or number that does not parse leaves
// its field at the zero value, and the original text stays in Raw.
func ParseEvent(values url.Values) (Event, error) {
	p := &params{v: values, used: map[string]bool{}}
	c := Common{
		EventType:      EventType(p.str("EventType")),
		AccountSID:     p.str("AccountSid"),
		Source:         p.str("Source"),
		ClientIdentity: p.str("ClientIdentity"),
		Raw:            values,
	}
	if c.EventType == "" {
		return nil, ErrNoEventType
	}
	var ev Event
	switch c.EventType {
	case OnConversationAdd, OnConversationAdded, OnConversationUpdate,
		OnConversationUpdated, OnConversationRemove, OnConversationRemoved:
		ev = &ConversationEvent{
			Common:              c,
			ConversationSID:     p.str("ConversationSid"),
			DateCreated:         p.time("DateCreated"),
			DateUpdated:         p.time("DateUpdated"),
			DateRemoved:         p.time("DateRemoved"),
			FriendlyName:        p.str("FriendlyName"),
			UniqueName:          p.str("UniqueName"),
			Attributes:          p.str("Attributes"),
			ChatServiceSID:      p.str("ChatServiceSid"),
			MessagingServiceSID: p.str("MessagingServiceSid"),
			MessagingBinding:    p.binding(),
			MessageBody:         p.str("MessageBody"),
			Media:               p.media("Media"),
			State:               p.str("State"),
		}
	case OnConversationStateUpdated:
		ev = &ConversationStateEvent{
			Common:              c,
			ConversationSID:     p.str("ConversationSid"),
			ChatServiceSID:      p.str("ChatServiceSid"),
			MessagingServiceSID: p.str("MessagingServiceSid"),
			StateUpdated:        p.time("StateUpdated"),
			StateFrom:           p.str("StateFrom"),
			StateTo:             p.str("StateTo"),
			Reason:              p.str("Reason"),
		}
	case OnMessageAdd, OnMessageAdded, OnMessageUpdate, OnMessageUpdated,
		OnMessageRemove, OnMessageRemoved:
		ev = &MessageEvent{
			Common:              c,
			ConversationSID:     p.str("ConversationSid"),
			ChatServiceSID:      p.str("ChatServiceSid"),
			MessageSID:          p.str("MessageSid"),
			MessagingServiceSID: p.str("MessagingServiceSid"),
			Index:               p.intp("Index"),
			DateCreated:         p.time("DateCreated"),
			DateUpdated:         p.time("DateUpdated"),
			DateRemoved:         p.time("DateRemoved"),
			Body:                p.str("Body"),
			Author:              p.str("Author"),
			ParticipantSID:      p.str("ParticipantSid"),
			Attributes:          p.str("Attributes"),
			Media:               p.media("Media"),
		}
	case OnParticipantAdd, OnParticipantAdded, OnParticipantUpdate,
		OnParticipantUpdated, OnParticipantRemove, OnParticipantRemoved:
		ev = &ParticipantEvent{
			Common:               c,
			ConversationSID:      p.str("ConversationSid"),
			ChatServiceSID:       p.str("ChatServiceSid"),
			ParticipantSID:       p.str("ParticipantSid"),
			DateCreated:          p.time("DateCreated"),
			DateUpdated:          p.time("DateUpdated"),
			DateRemoved:          p.time("DateRemoved"),
			Identity:             p.str("Identity"),
			RoleSID:              p.str("RoleSid"),
			Attributes:           p.str("Attributes"),
			MessagingBinding:     p.binding(),
			LastReadMessageIndex: p.intp("LastReadMessageIndex"),
		}
	case OnDeliveryUpdated:
		ev = &DeliveryEvent{
			Common:             c,
			ConversationSID:    p.str("ConversationSid"),
			ChatServiceSID:     p.str("ChatServiceSid"),
			MessageSID:         p.str("MessageSid"),
			DeliveryReceiptSID: p.str("DeliveryReceiptSid"),
			ChannelMessageSID:  p.str("ChannelMessageSid"),
			ParticipantSID:     p.str("ParticipantSid"),
			Status:             p.str("Status"),
			ErrorCode:          p.intp("ErrorCode"),
			DateCreated:        p.time("DateCreated"),
			DateUpdated:        p.time("DateUpdated"),
		}
	case OnUserAdded, OnUserUpdate, OnUserUpdated:
		ev = &UserEvent{
			Common:         c,
			ChatServiceSID: p.str("ChatServiceSid"),
			UserSID:        p.str("UserSid"),
			DateCreated:    p.time("DateCreated"),
			DateUpdated:    p.time("DateUpdated"),
			Identity:       p.str("Identity"),
			RoleSID:        p.str("RoleSid"),
			Attributes:     p.str("Attributes"),
			FriendlyName:   p.str("FriendlyName"),
			// Spelled with a lower-case i in the document.
			IsOnline:     p.boolp("isOnline"),
			IsNotifiable: p.boolp("isNotifiable"),
		}
	default:
		ev = &GenericEvent{Common: c}
	}
	ev.Base().Extra = p.extra()
	return ev, nil
}

// params reads typed values out of url.Values and remembers which keys
// were read, so the rest can go to Extra.
type params struct {
	v    url.Values
	used map[string]bool
}

func (p *params) str(key string) string {
	p.used[key] = true
	return p.v.Get(key)
}

func (p *params) time(key string) time.Time {
	s := p.str(key)
	if s == "" {
		return time.Time{}
	}
	// ISO 8601 as documented; time.RFC3339 also accepts fractional seconds.
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (p *params) intp(key string) *int {
	s := p.str(key)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	return &n
}

func (p *params) boolp(key string) *bool {
	s := p.str(key)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil
	}
	return &b
}

func (p *params) media(key string) []Media {
	s := p.str(key)
	if s == "" {
		return nil
	}
	var m []Media
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	return m
}

func (p *params) binding() MessagingBinding {
	return MessagingBinding{
		ProxyAddress:     p.str("MessagingBinding.ProxyAddress"),
		Address:          p.str("MessagingBinding.Address"),
		ProjectedAddress: p.str("MessagingBinding.ProjectedAddress"),
		AuthorAddress:    p.str("MessagingBinding.AuthorAddress"),
		Type:             p.str("MessagingBinding.Type"),
	}
}

func (p *params) extra() url.Values {
	out := url.Values{}
	for k, vs := range p.v {
		if !p.used[k] {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}
