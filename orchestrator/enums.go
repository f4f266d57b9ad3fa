package orchestrator

// The documented enums of the v2 spec. Each is a named string type with one
// constant per documented value; a value the SDK does not know yet decodes
// without error, and request validation accepts only the documented values.

// Channel is the channel of an address or a communication.
type Channel string

// Known channels.
const (
	ChannelVoice    Channel = "VOICE"
	ChannelSMS      Channel = "SMS"
	ChannelRCS      Channel = "RCS"
	ChannelWhatsApp Channel = "WHATSAPP"
	ChannelChat     Channel = "CHAT"
	ChannelVideo    Channel = "VIDEO"
)

func (v Channel) valid() bool {
	switch v {
	case ChannelVoice, ChannelSMS, ChannelRCS, ChannelWhatsApp, ChannelChat, ChannelVideo:
		return true
	}
	return false
}

// validSettingsKey reports whether v may key a configuration's
// channelSettings map: the spec lists VOICE, SMS, RCS, WHATSAPP and CHAT
// (not VIDEO, which has no capture rules).
func (v Channel) validSettingsKey() bool { return v.valid() && v != ChannelVideo }

// ConversationStatus is the lifecycle status of a conversation.
type ConversationStatus string

// Known conversation statuses.
const (
	ConversationStatusActive   ConversationStatus = "ACTIVE"
	ConversationStatusInactive ConversationStatus = "INACTIVE"
	ConversationStatusClosed   ConversationStatus = "CLOSED"
)

func (v ConversationStatus) valid() bool {
	return v == ConversationStatusActive || v == ConversationStatusInactive || v == ConversationStatusClosed
}

// GroupingType is a configuration's strategy for grouping communications
// into conversations (conversationGroupingType).
type GroupingType string

// Known grouping types.
const (
	// GroupByProfile groups communications by the profile resolved from
	// the memory store, whatever the address or channel.
	GroupByProfile GroupingType = "GROUP_BY_PROFILE"
	// GroupByParticipantAddresses groups communications by participant
	// addresses across all channels.
	GroupByParticipantAddresses GroupingType = "GROUP_BY_PARTICIPANT_ADDRESSES"
	// GroupByParticipantAddressesAndChannelType groups communications by
	// participant addresses and channel.
	GroupByParticipantAddressesAndChannelType GroupingType = "GROUP_BY_PARTICIPANT_ADDRESSES_AND_CHANNEL_TYPE"
)

func (v GroupingType) valid() bool {
	return v == GroupByProfile || v == GroupByParticipantAddresses || v == GroupByParticipantAddressesAndChannelType
}

// ParticipantType is the role of a participant in a conversation.
type ParticipantType string

// Known participant types.
const (
	ParticipantTypeHumanAgent ParticipantType = "HUMAN_AGENT"
	ParticipantTypeCustomer   ParticipantType = "CUSTOMER"
	ParticipantTypeAIAgent    ParticipantType = "AI_AGENT"
	ParticipantTypeAgent      ParticipantType = "AGENT"
	ParticipantTypeUnknown    ParticipantType = "UNKNOWN"
)

func (v ParticipantType) valid() bool {
	switch v {
	case ParticipantTypeHumanAgent, ParticipantTypeCustomer, ParticipantTypeAIAgent, ParticipantTypeAgent, ParticipantTypeUnknown:
		return true
	}
	return false
}

// DeliveryStatus is the delivery status of a communication to one recipient.
type DeliveryStatus string

// Known delivery statuses.
const (
	DeliveryStatusInitiated  DeliveryStatus = "INITIATED"
	DeliveryStatusInProgress DeliveryStatus = "IN_PROGRESS"
	DeliveryStatusDelivered  DeliveryStatus = "DELIVERED"
	DeliveryStatusRead       DeliveryStatus = "READ"
	// DeliveryStatusCompleted is documented as deprecated and never sent.
	DeliveryStatusCompleted DeliveryStatus = "COMPLETED"
	DeliveryStatusFailed    DeliveryStatus = "FAILED"
)

// ActionStatus is the lifecycle status of an action.
type ActionStatus string

// Known action statuses.
const (
	ActionStatusPending   ActionStatus = "PENDING"
	ActionStatusCompleted ActionStatus = "COMPLETED"
	ActionStatusFailed    ActionStatus = "FAILED"
)

// ActionType is the type of an action request. SEND_MESSAGE is the only
// one the API accepts.
type ActionType string

// Known action types.
const (
	ActionTypeSendMessage ActionType = "SEND_MESSAGE"
)

// OperationStatus is the lifecycle status of a long-running operation.
type OperationStatus string

// Known operation statuses. COMPLETED and FAILED are terminal.
const (
	OperationStatusPending   OperationStatus = "PENDING"
	OperationStatusCompleted OperationStatus = "COMPLETED"
	OperationStatusFailed    OperationStatus = "FAILED"
)

// Terminal reports whether s is COMPLETED or FAILED.
func (s OperationStatus) Terminal() bool {
	return s == OperationStatusCompleted || s == OperationStatusFailed
}

// CallbackMethod is the HTTP method of a status callback.
type CallbackMethod string

// Known callback methods.
const (
	CallbackMethodPOST CallbackMethod = "POST"
	CallbackMethodGET  CallbackMethod = "GET"
)

func (v CallbackMethod) valid() bool { return v == CallbackMethodPOST || v == CallbackMethodGET }

// ContentType is the type of a communication's content.
type ContentType string

// Known content types.
const (
	ContentTypeText          ContentType = "TEXT"
	ContentTypeTranscription ContentType = "TRANSCRIPTION"
)

func (v ContentType) valid() bool { return v == ContentTypeText || v == ContentTypeTranscription }
