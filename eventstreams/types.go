package eventstreams

import (
	"encoding/json"
	"time"
)

// EventType is the CloudEvents "type" of an event, such as
// "com.twilio.conversations.message.added".
type EventType string

// The Conversations event types Event Streams publishes, one page per
// resource under "Event Types" → "Conversations" in Twilio's Event Streams
// documentation (https://www.twilio.com/docs/events/event-types/conversations/conversation,
// .../conversation-state, .../message, .../participant, .../user). They are
// the post-action events of "Conversations Webhooks" except onDeliveryUpdated
// ("All post-action events are supported, except for onDeliveryUpdated";
// com.twilio.conversations.delivery.updated is listed as discontinued).
const (
	// ConversationAdded: a conversation was created (webhook onConversationAdded).
	ConversationAdded EventType = "com.twilio.conversations.conversation.added"
	// ConversationUpdated: a conversation changed (onConversationUpdated).
	ConversationUpdated EventType = "com.twilio.conversations.conversation.updated"
	// ConversationRemoved: a conversation was deleted (onConversationRemoved).
	ConversationRemoved EventType = "com.twilio.conversations.conversation.removed"
	// ConversationStateUpdated: a conversation's state changed (active,
	// inactive, closed; onConversationStateUpdated).
	ConversationStateUpdated EventType = "com.twilio.conversations.conversation-state.updated"
	// MessageAdded: a message was added (onMessageAdded).
	MessageAdded EventType = "com.twilio.conversations.message.added"
	// MessageUpdated: a message changed (onMessageUpdated).
	MessageUpdated EventType = "com.twilio.conversations.message.updated"
	// MessageRemoved: a message was deleted (onMessageRemoved).
	MessageRemoved EventType = "com.twilio.conversations.message.removed"
	// ParticipantAdded: a participant joined (onParticipantAdded).
	ParticipantAdded EventType = "com.twilio.conversations.participant.added"
	// ParticipantUpdated: a participant changed (onParticipantUpdated).
	ParticipantUpdated EventType = "com.twilio.conversations.participant.updated"
	// ParticipantRemoved: a participant left or was removed (onParticipantRemoved).
	ParticipantRemoved EventType = "com.twilio.conversations.participant.removed"
	// UserAdded: a Conversation User was created (onUserAdded).
	UserAdded EventType = "com.twilio.conversations.user.added"
	// UserUpdated: a Conversation User changed (onUserUpdated).
	UserUpdated EventType = "com.twilio.conversations.user.updated"
)

// ConversationsTypes lists the Conversations event types above, in the
// order of Twilio's pages.
var ConversationsTypes = []EventType{
	ConversationAdded, ConversationUpdated, ConversationRemoved,
	ConversationStateUpdated,
	MessageAdded, MessageUpdated, MessageRemoved,
	ParticipantAdded, ParticipantUpdated, ParticipantRemoved,
	UserAdded, UserUpdated,
}

// Event is one event of a batch. Its dynamic type is *ConversationEvent,
// *ConversationStateEvent, *MessageEvent, *ParticipantEvent or *UserEvent
// for the Conversations types, and *GenericEvent for every other type (an
// Event Streams sink may be subscribed to other products too). Use a type
// switch, or Base for the envelope every event has.
type Event interface {
	// Base returns the CloudEvents envelope of the event.
	Base() *Envelope
}

// Envelope is the CloudEvents 1.0 envelope of one event (the "context
// attributes" of CloudEvents, https://github.com/cloudevents/spec/blob/v1.0/spec.md)
// as Event Streams fills it, plus the event as received.
type Envelope struct {
	// ID is the event's "id", a SID like EZ00000000000000000000000000000000.
	// "Two events are the same event if they have the same id" ("Event
	// delivery retries and event duplication"): the Handler deduplicates on
	// it.
	ID string
	// Type is the event's "type".
	Type EventType
	// Source is the event's "source".
	Source string
	// SpecVersion is "specversion", "1.0".
	SpecVersion string
	// Time is the event's "time" (RFC 3339); zero when absent or not a
	// date.
	Time time.Time
	// DataSchema is "dataschema", the URL of the JSON schema of Data, e.g.
	// https://events-schemas.twilio.com/Conversations.MessageAdded/2.
	DataSchema string
	// SchemaVersion is the version at the end of DataSchema (2 for the
	// example above), the "schema version" a subscription names; 0 when
	// DataSchema does not end in a number.
	SchemaVersion int
	// DataContentType is "datacontenttype", normally "application/json".
	DataContentType string
	// Data is the event's "data" as received.
	Data json.RawMessage
	// Raw is the whole event object as received.
	Raw json.RawMessage
}

// Base returns e; it makes every event type that embeds Envelope an Event.
func (e *Envelope) Base() *Envelope { return e }

// GenericEvent is an event whose type this package does not type (any
// non-Conversations type). Its data is in Data.
type GenericEvent struct {
	Envelope
}

// Media is one element of the Media array of conversation and message
// events: "Media properties ... as an array of JSON objects" with MediaSid,
// Filename, ContentType and Size (events-schemas.twilio.com
// Conversations.ConversationAdded and Conversations.MessageAdded).
type Media struct {
	// SID is MediaSid, the media SID (ME...).
	SID string
	// Filename is the file name.
	Filename string
	// ContentType is the MIME type.
	ContentType string
	// Size is the size in bytes.
	Size int64
}

// MessagingBinding is the MessagingBinding object of conversation and
// participant events. Twilio's schemas list Address, ProxyAddress and
// ProjectedAddress for both, AuthorAddress for conversations, and Type,
// Level and Name for participants.
type MessagingBinding struct {
	// Address is the participant's (or conversation creator's) own address,
	// e.g. "whatsapp:+14567890123".
	Address string
	// ProxyAddress is the Twilio address the participant talks to.
	ProxyAddress string
	// ProjectedAddress is the Twilio address used for a chat participant
	// in Group MMS.
	ProjectedAddress string
	// AuthorAddress is the message author's address when a conversation is
	// created automatically (conversation events).
	AuthorAddress string
	// Type is the binding type, e.g. "SMS" (participant events).
	Type string
	// Level is the address level, e.g. "cc" (participant events).
	Level string
	// Name is the address name (participant events).
	Name string
}

// EmailBinding is Bindings.Email of a conversation event: the default name
// and address used for outbound email in the conversation.
type EmailBinding struct {
	// Name is Bindings.Email.Name.
	Name string
	// ProjectedAddress is Bindings.Email.ProjectedAddress.
	ProjectedAddress string
}

// ConversationEvent is com.twilio.conversations.conversation.added,
// .updated or .removed.
//
// Source: "Conversation" under Event Types → Conversations
// (https://www.twilio.com/docs/events/event-types/conversations/conversation)
// and its schemas (https://events-schemas.twilio.com/Conversations.ConversationAdded/2, ...).
// Which fields are set depends on the type and on how the conversation was
// made; fields Twilio does not send stay at their zero value.
type ConversationEvent struct {
	Envelope
	// AccountSID is AccountSid.
	AccountSID string
	// ConversationSID is ConversationSid (CH...).
	ConversationSID string
	// FriendlyName is FriendlyName.
	FriendlyName string
	// UniqueName is UniqueName.
	UniqueName string
	// State is State: "active", "inactive" or "closed".
	State string
	// MessagingServiceSID is MessagingServiceSid (MG...).
	MessagingServiceSID string
	// Attributes is Attributes as sent: the schemas give it as a JSON
	// object ("Conversation metadata as set by the customer"); a JSON
	// string is passed on as it is too.
	Attributes json.RawMessage
	// DateCreated is DateCreated.
	DateCreated time.Time
	// DateUpdated is DateUpdated (updated and removed events).
	DateUpdated time.Time
	// MessageBody is MessageBody, the first message of a conversation
	// created from an inbound message.
	MessageBody string
	// MessageSubject is MessageSubject, that message's subject.
	MessageSubject string
	// AuthorFriendlyName is AuthorFriendlyName, its author's friendly name.
	AuthorFriendlyName string
	// Media is Media, that message's media.
	Media []Media
	// MessagingBinding is the creator's MessagingBinding.
	MessagingBinding MessagingBinding
	// EmailBinding is Bindings.Email.
	EmailBinding EmailBinding
	// Extra holds the data fields this type does not map, as received, so
	// fields Twilio adds later are not lost. Never nil.
	Extra map[string]json.RawMessage
}

// ConversationStateEvent is
// com.twilio.conversations.conversation-state.updated.
//
// Source: "Conversation State" under Event Types → Conversations
// (https://www.twilio.com/docs/events/event-types/conversations/conversation-state)
// and https://events-schemas.twilio.com/Conversations.ConversationStateUpdated/1.
type ConversationStateEvent struct {
	Envelope
	// AccountSID is AccountSid.
	AccountSID string
	// ConversationSID is ConversationSid.
	ConversationSID string
	// MessagingServiceSID is MessagingServiceSid.
	MessagingServiceSID string
	// StateUpdated is StateUpdated, when the state changed.
	StateUpdated time.Time
	// StateFrom is StateFrom, the previous state.
	StateFrom string
	// StateTo is StateTo, the new state.
	StateTo string
	// Reason is Reason: "API", "TIMER" or "EVENT".
	Reason string
	// Extra holds the data fields this type does not map. Never nil.
	Extra map[string]json.RawMessage
}

// MessageEvent is com.twilio.conversations.message.added, .updated or
// .removed.
//
// Source: "Message" under Event Types → Conversations
// (https://www.twilio.com/docs/events/event-types/conversations/message)
// and its schemas (https://events-schemas.twilio.com/Conversations.MessageAdded/2, ...).
type MessageEvent struct {
	Envelope
	// AccountSID is AccountSid.
	AccountSID string
	// ConversationSID is ConversationSid.
	ConversationSID string
	// MessageSID is MessageSid (IM...).
	MessageSID string
	// Index is Index, the message's index in the conversation; nil when
	// absent.
	Index *int
	// Author is Author, "the channel specific identifier of the message's
	// author" ("system" by default).
	Author string
	// ParticipantSID is ParticipantSid, the author's participant (MB...);
	// empty for a message sent by the system.
	ParticipantSID string
	// MessageBody is MessageBody, the text.
	MessageBody string
	// MessageSubject is MessageSubject.
	MessageSubject string
	// MessagingServiceSID is MessagingServiceSid.
	MessagingServiceSID string
	// ContentSID is ContentSid, the Content Template (HX...), if any.
	ContentSID string
	// Attributes is Attributes as sent (a JSON object in the schemas).
	Attributes json.RawMessage
	// Media is Media.
	Media []Media
	// DateCreated is DateCreated.
	DateCreated time.Time
	// DateUpdated is DateUpdated (updated and removed events).
	DateUpdated time.Time
	// Extra holds the data fields this type does not map. Never nil.
	Extra map[string]json.RawMessage
}

// ParticipantEvent is com.twilio.conversations.participant.added, .updated
// or .removed.
//
// Source: "Participant" under Event Types → Conversations
// (https://www.twilio.com/docs/events/event-types/conversations/participant)
// and https://events-schemas.twilio.com/Conversations.ParticipantAdded/2,
// .../Conversations.ParticipantUpdated/2.
type ParticipantEvent struct {
	Envelope
	// AccountSID is AccountSid.
	AccountSID string
	// ConversationSID is ConversationSid.
	ConversationSID string
	// ParticipantSID is ParticipantSid (MB...).
	ParticipantSID string
	// Identity is Identity, the chat identity; empty for SMS and WhatsApp
	// participants.
	Identity string
	// RoleSID is RoleSid (RL...).
	RoleSID string
	// Attributes is Attributes as sent (a JSON object in the schemas).
	Attributes json.RawMessage
	// MessagingBinding is MessagingBinding.
	MessagingBinding MessagingBinding
	// DateCreated is DateCreated.
	DateCreated time.Time
	// DateUpdated is DateUpdated (updated and removed events).
	DateUpdated time.Time
	// Extra holds the data fields this type does not map. Never nil.
	Extra map[string]json.RawMessage
}

// UserEvent is com.twilio.conversations.user.added or .updated.
//
// Source: "User" under Event Types → Conversations
// (https://www.twilio.com/docs/events/event-types/conversations/user) and
// https://events-schemas.twilio.com/Conversations.UserAdded/2,
// .../Conversations.UserUpdated/2.
type UserEvent struct {
	Envelope
	// AccountSID is AccountSid.
	AccountSID string
	// UserSID is UserSid (US...).
	UserSID string
	// Identity is Identity.
	Identity string
	// FriendlyName is FriendlyName.
	FriendlyName string
	// RoleSID is RoleSid.
	RoleSID string
	// Attributes is Attributes as sent (a JSON object in the schemas).
	Attributes json.RawMessage
	// DateCreated is DateCreated.
	DateCreated time.Time
	// DateUpdated is DateUpdated (updated events).
	DateUpdated time.Time
	// IsOnline is IsOnline (updated events); nil when absent.
	IsOnline *bool
	// IsNotifiable is IsNotifiable (updated events); nil when absent.
	IsNotifiable *bool
	// Extra holds the data fields this type does not map. Never nil.
	Extra map[string]json.RawMessage
}
