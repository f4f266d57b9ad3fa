package webhook

// EventType is the value of the EventType parameter of a Conversations
// webhook, such as "onMessageAdd".
type EventType string

// The Conversations webhook event types. The list, and which ones are
// pre-action (sent before the action is published, answered with allow,
// reject or modify) and which are post-action (sent after publication, for
// information), is the table "Webhook Action Triggers" of "Conversations
// Webhooks" (https://www.twilio.com/docs/conversations/conversations-webhooks).
// The same 23 names are the values the REST API accepts in a webhook
// configuration's Filters.
const (
	// OnConversationAdd is the pre-action event for a new conversation. The
	// response may modify friendly_name.
	OnConversationAdd EventType = "onConversationAdd"
	// OnConversationAdded is the post-action event for a new conversation.
	OnConversationAdded EventType = "onConversationAdded"
	// OnConversationUpdate is the pre-action event for a change to a
	// conversation. The response may modify friendly_name.
	OnConversationUpdate EventType = "onConversationUpdate"
	// OnConversationUpdated is the post-action event for a change to a
	// conversation.
	OnConversationUpdated EventType = "onConversationUpdated"
	// OnConversationRemove is the pre-action event for the removal of a
	// conversation.
	OnConversationRemove EventType = "onConversationRemove"
	// OnConversationRemoved is the post-action event for the removal of a
	// conversation.
	OnConversationRemoved EventType = "onConversationRemoved"
	// OnConversationStateUpdated is the post-action event for a change of a
	// conversation's state (active, inactive, closed). It has no pre-action
	// counterpart.
	OnConversationStateUpdated EventType = "onConversationStateUpdated"

	// OnMessageAdd is the pre-action event for a new message. The response
	// may modify body, author and attributes.
	OnMessageAdd EventType = "onMessageAdd"
	// OnMessageAdded is the post-action event for a new message.
	OnMessageAdded EventType = "onMessageAdded"
	// OnMessageUpdate is the pre-action event for a change to a message. The
	// response may modify body, author and attributes.
	OnMessageUpdate EventType = "onMessageUpdate"
	// OnMessageUpdated is the post-action event for a change to a message.
	OnMessageUpdated EventType = "onMessageUpdated"
	// OnMessageRemove is the pre-action event for the removal of a message.
	OnMessageRemove EventType = "onMessageRemove"
	// OnMessageRemoved is the post-action event for the removal of a message.
	OnMessageRemoved EventType = "onMessageRemoved"

	// OnParticipantAdd is the pre-action event for a participant joining a
	// conversation.
	OnParticipantAdd EventType = "onParticipantAdd"
	// OnParticipantAdded is the post-action event for a participant joining
	// a conversation.
	OnParticipantAdded EventType = "onParticipantAdded"
	// OnParticipantUpdate is the pre-action event for a change to a
	// participant.
	OnParticipantUpdate EventType = "onParticipantUpdate"
	// OnParticipantUpdated is the post-action event for a change to a
	// participant.
	OnParticipantUpdated EventType = "onParticipantUpdated"
	// OnParticipantRemove is the pre-action event for the removal of a
	// participant.
	OnParticipantRemove EventType = "onParticipantRemove"
	// OnParticipantRemoved is the post-action event for the removal of a
	// participant.
	OnParticipantRemoved EventType = "onParticipantRemoved"

	// OnDeliveryUpdated is the post-action event for a change of a delivery
	// receipt's status. It has no pre-action counterpart.
	OnDeliveryUpdated EventType = "onDeliveryUpdated"

	// OnUserAdded is the post-action event for a new user. It has no
	// pre-action counterpart.
	OnUserAdded EventType = "onUserAdded"
	// OnUserUpdate is the pre-action event for a change to a user.
	OnUserUpdate EventType = "onUserUpdate"
	// OnUserUpdated is the post-action event for a change to a user.
	OnUserUpdated EventType = "onUserUpdated"
)

// eventTypes lists every documented event type with whether it is a
// pre-action event ("Conversations Webhooks", "Webhook Action Triggers").
var eventTypes = []struct {
	t   EventType
	pre bool
}{
	{OnConversationAdd, true}, {OnConversationAdded, false},
	{OnConversationUpdate, true}, {OnConversationUpdated, false},
	{OnConversationRemove, true}, {OnConversationRemoved, false},
	{OnConversationStateUpdated, false},
	{OnMessageAdd, true}, {OnMessageAdded, false},
	{OnMessageUpdate, true}, {OnMessageUpdated, false},
	{OnMessageRemove, true}, {OnMessageRemoved, false},
	{OnParticipantAdd, true}, {OnParticipantAdded, false},
	{OnParticipantUpdate, true}, {OnParticipantUpdated, false},
	{OnParticipantRemove, true}, {OnParticipantRemoved, false},
	{OnDeliveryUpdated, false},
	{OnUserAdded, false},
	{OnUserUpdate, true}, {OnUserUpdated, false},
}

// EventTypes returns every event type documented in "Conversations
// Webhooks", pre-action and post-action, in the order of that document's
// table.
func EventTypes() []EventType {
	out := make([]EventType, len(eventTypes))
	for i, e := range eventTypes {
		out[i] = e.t
	}
	return out
}

// Known reports whether t is one of the documented event types.
func (t EventType) Known() bool {
	for _, e := range eventTypes {
		if e.t == t {
			return true
		}
	}
	return false
}

// IsPreAction reports whether t is a documented pre-action event: one that
// Conversations sends before publishing the action and whose response can
// reject it (and, for onConversationAdd/Update and onMessageAdd/Update,
// modify it).
func (t EventType) IsPreAction() bool {
	for _, e := range eventTypes {
		if e.t == t {
			return e.pre
		}
	}
	return false
}

// IsPostAction reports whether t is a documented post-action event: one that
// Conversations sends after publishing the action, for information only.
func (t EventType) IsPostAction() bool {
	return t.Known() && !t.IsPreAction()
}

// String returns the event type's wire name.
func (t EventType) String() string { return string(t) }
