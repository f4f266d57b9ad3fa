package conversations

import (
	"context"
	"iter"
	"time"
)

// ParticipantMessagingBinding tells how a non-chat participant exchanges
// messages with a conversation: the channel type and its addresses. The
// spec leaves this object untyped; the fields are the keys seen in its
// examples (SMS, WhatsApp, RCS, Group MMS, email). Keys that are absent or
// null decode as "", and unknown keys are ignored.
type ParticipantMessagingBinding struct {
	// Type is the channel, e.g. "sms", "whatsapp", "rcs" or "email". RCS
	// participants that fell back to SMS report "sms".
	Type string `json:"type"`
	// Address is the participant's own address, e.g. "+15558675310",
	// "whatsapp:+15558675310" or "rcs:+15558675310".
	Address string `json:"address"`
	// ProxyAddress is the Twilio address the participant is in contact
	// with, e.g. "+15017122661".
	ProxyAddress string `json:"proxy_address"`
	// ProjectedAddress is the Twilio number used in Group MMS for a chat
	// participant (one with an Identity).
	ProjectedAddress string `json:"projected_address"`
	// Level is the participant's level in the conversation, when the
	// channel has one (for example an email recipient field). It appears
	// (as null) in the Participant Conversation examples only.
	Level string `json:"level"`
	// Name is the participant's display name, when the channel has one (for
	// example email). It appears (as null) in the Participant Conversation
	// examples only.
	Name string `json:"name"`
}

// Participant is a member of a conversation: either a chat (SDK) user,
// identified by Identity, or a non-chat address (SMS, WhatsApp, ...),
// described by MessagingBinding.
type Participant struct {
	// AccountSID is the Account that owns the participant.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the participant belongs
	// to. Only the service-scoped schema has this field: it is filled by
	// the Client.Service(sid).Participants calls and empty otherwise.
	ChatServiceSID string `json:"chat_service_sid"`
	// ConversationSID is the conversation the participant belongs to (CH...).
	ConversationSID string `json:"conversation_sid"`
	// SID identifies the participant (MB...).
	SID string `json:"sid"`
	// Identity is the participant's Conversation User identity. It is set if
	// (and only if) the participant uses the Conversations SDK.
	Identity string `json:"identity"`
	// Attributes is a JSON document kept as a string ("{}" when not set);
	// see UnmarshalAttributes.
	Attributes string `json:"attributes"`
	// MessagingBinding describes how a non-chat participant exchanges
	// messages (type and addresses). It is nil for chat participants whose
	// binding is null.
	MessagingBinding *ParticipantMessagingBinding `json:"messaging_binding"`
	// RoleSID is the conversation-level Role assigned to the participant (RL...).
	RoleSID string `json:"role_sid"`
	// DateCreated is when the participant was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the participant was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the participant's absolute API URL.
	URL string `json:"url"`
	// LastReadMessageIndex is the index of the last message the participant
	// has read; nil when none is recorded (null), which differs from 0.
	LastReadMessageIndex *int `json:"last_read_message_index"`
	// LastReadTimestamp is the date of the last message the participant has
	// read; nil when none is recorded (null).
	LastReadTimestamp *time.Time `json:"last_read_timestamp"`
}

// ParticipantConversation is one conversation a participant belongs to, as
// listed by ParticipantConversations: the participant's side (participant_*)
// and a summary of the conversation (conversation_*).
type ParticipantConversation struct {
	// AccountSID is the Account that owns the conversation.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the conversation belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// ParticipantSID identifies the participant (MB...).
	ParticipantSID string `json:"participant_sid"`
	// ParticipantUserSID is the Conversation User of a chat participant
	// (US...); empty for non-chat participants.
	ParticipantUserSID string `json:"participant_user_sid"`
	// ParticipantIdentity is the Conversation User identity of a chat
	// participant; empty for non-chat participants.
	ParticipantIdentity string `json:"participant_identity"`
	// ParticipantMessagingBinding describes how a non-chat participant
	// exchanges messages; nil when the binding is null (chat participants).
	ParticipantMessagingBinding *ParticipantMessagingBinding `json:"participant_messaging_binding"`
	// ConversationSID identifies the conversation (CH...).
	ConversationSID string `json:"conversation_sid"`
	// ConversationUniqueName is the conversation's application-defined
	// unique name.
	ConversationUniqueName string `json:"conversation_unique_name"`
	// ConversationFriendlyName is the conversation's human-readable name.
	ConversationFriendlyName string `json:"conversation_friendly_name"`
	// ConversationAttributes is the conversation's JSON attributes kept as a
	// string ("{}" when not set); see UnmarshalAttributes.
	ConversationAttributes string `json:"conversation_attributes"`
	// ConversationDateCreated is when the conversation was created.
	ConversationDateCreated time.Time `json:"conversation_date_created"`
	// ConversationDateUpdated is when the conversation was last updated.
	ConversationDateUpdated time.Time `json:"conversation_date_updated"`
	// ConversationCreatedBy is the identity of the conversation's creator.
	ConversationCreatedBy string `json:"conversation_created_by"`
	// ConversationState is the conversation's state: inactive, active or
	// closed.
	ConversationState ConversationState `json:"conversation_state"`
	// ConversationTimers holds when the conversation's state timers fire.
	ConversationTimers ConversationTimers `json:"conversation_timers"`
	// Links holds the absolute URLs of the participant and the conversation
	// (keys "participant" and "conversation").
	Links map[string]string `json:"links"`
}

// ParticipantCreateParams are the parameters of Participants.Create. The
// same parameters exist in both scopes. A participant is either a chat user
// (set Identity, and MessagingBindingProjectedAddress for Group MMS) or a
// non-chat address (set MessagingBindingAddress and
// MessagingBindingProxyAddress).
type ParticipantCreateParams struct {
	// Identity is the Conversation User identity of a chat (SDK)
	// participant, up to 256 characters.
	Identity *string `url:"Identity,omitempty"`
	// MessagingBindingAddress is the participant's device address, e.g. a
	// phone or WhatsApp number. With the proxy address it identifies a
	// non-chat participant uniquely.
	MessagingBindingAddress *string `url:"MessagingBinding.Address,omitempty"`
	// MessagingBindingProxyAddress is the Twilio phone (or WhatsApp) number
	// the participant is in contact with.
	MessagingBindingProxyAddress *string `url:"MessagingBinding.ProxyAddress,omitempty"`
	// DateCreated overrides the creation date.
	DateCreated *time.Time `url:"DateCreated,omitempty"`
	// DateUpdated overrides the last-update date.
	DateUpdated *time.Time `url:"DateUpdated,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// MessagingBindingProjectedAddress is the Twilio phone number used in
	// Group MMS: the communication mask of a participant with Identity.
	MessagingBindingProjectedAddress *string `url:"MessagingBinding.ProjectedAddress,omitempty"`
	// RoleSID is a conversation-level Role to assign (RL...).
	RoleSID *string `url:"RoleSid,omitempty"`
}

// ParticipantUpdateParams are the parameters of Participants.Update. The
// same parameters exist in both scopes.
type ParticipantUpdateParams struct {
	// DateCreated overrides the creation date.
	DateCreated *time.Time `url:"DateCreated,omitempty"`
	// DateUpdated overrides the last-update date.
	DateUpdated *time.Time `url:"DateUpdated,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// RoleSID is a conversation-level Role to assign (RL...).
	RoleSID *string `url:"RoleSid,omitempty"`
	// MessagingBindingProxyAddress is the Twilio phone number the
	// participant is in contact with: Set(addr) sets it, Null[string]()
	// removes it (sends null), unset leaves it.
	MessagingBindingProxyAddress Nullable[string] `url:"MessagingBinding.ProxyAddress,omitempty"`
	// MessagingBindingProjectedAddress is the Twilio phone number used in
	// Group MMS: Set(addr) sets it, Null[string]() removes it (sends
	// null), unset leaves it.
	MessagingBindingProjectedAddress Nullable[string] `url:"MessagingBinding.ProjectedAddress,omitempty"`
	// Identity is the Conversation User identity of a chat (SDK)
	// participant, up to 256 characters.
	Identity *string `url:"Identity,omitempty"`
	// LastReadMessageIndex is the index of the last message the participant
	// has read: Set(n) sets it, Null[int]() clears it, unset leaves it.
	LastReadMessageIndex Nullable[int] `url:"LastReadMessageIndex,omitempty"`
	// LastReadTimestamp is the date of the last message the participant has
	// read (sent as RFC 3339 in UTC).
	LastReadTimestamp *time.Time `url:"LastReadTimestamp,omitempty"`
}

// ParticipantListParams are the parameters of Participants.List and All.
type ParticipantListParams struct {
	// ListParams holds PageSize (1 to 100, default 50), Page and PageToken.
	ListParams
}

func (p *ParticipantListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(100)
}

// ParticipantConversationListParams are the parameters of
// ParticipantConversations.List and All. The same parameters exist in both
// scopes. Give one of Identity and Address.
//
// The spec describes the operation as: "Retrieve a list of all
// Conversations that this Participant belongs to by identity or by address.
// Only one parameter should be specified." Twilio's error 50451 ("Request
// should contain either Identity or Address parameter, not both",
// https://www.twilio.com/docs/api/errors/50451) shows the API refuses both,
// so the SDK rejects that before sending.
type ParticipantConversationListParams struct {
	// Identity selects the participant by Conversation User identity (chat
	// participants), up to 256 characters.
	Identity *string `url:"Identity,omitempty"`
	// Address selects a non-chat participant by its messaging_binding
	// address, e.g. "+375255555555". Give it unencoded: the SDK URL-encodes
	// it once, as the spec asks.
	Address *string `url:"Address,omitempty"`
	// ListParams holds PageSize (1 to 50, default 50), Page and PageToken.
	ListParams
}

func (p *ParticipantConversationListParams) validate() error {
	if p == nil {
		return nil
	}
	if p.Identity != nil && p.Address != nil {
		return &ValidationError{Param: "Identity/Address", Reason: "are exclusive: give one of them (Twilio error 50451)"}
	}
	return p.ListParams.validate(50)
}

// ParticipantsAPI is the interface of ParticipantsService, for mocking.
type ParticipantsAPI interface {
	Create(ctx context.Context, conversationSID string, params *ParticipantCreateParams, opts ...RequestOption) (*Participant, error)
	Fetch(ctx context.Context, conversationSID, sid string, opts ...RequestOption) (*Participant, error)
	Update(ctx context.Context, conversationSID, sid string, params *ParticipantUpdateParams, opts ...RequestOption) (*Participant, error)
	Delete(ctx context.Context, conversationSID, sid string, opts ...RequestOption) error
	List(ctx context.Context, conversationSID string, params *ParticipantListParams, opts ...RequestOption) (*Page[Participant], error)
	All(ctx context.Context, conversationSID string, params *ParticipantListParams, opts ...RequestOption) iter.Seq2[*Participant, error]
}

var _ ParticipantsAPI = (*ParticipantsService)(nil)

// ParticipantsService manages the participants of a conversation, in the
// account's default Conversation Service (Client.Participants) or in one
// service (Client.Service(sid).Participants).
type ParticipantsService struct{ s scopeRef }

// Create adds a participant to a conversation. It accepts
// WithWebhookEnabled.
//
// Known error codes: CodeParticipantExists and CodeParticipantBindingExists
// (IsConflict), CodeConversationClosed, CodeNotFound.
//
// Operation: CreateConversationParticipant (POST /v1/Conversations/{ConversationSid}/Participants)
// Operation: CreateServiceConversationParticipant (POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants)
func (r *ParticipantsService) Create(ctx context.Context, conversationSID string, params *ParticipantCreateParams, opts ...RequestOption) (*Participant, error) {
	return one[Participant](ctx, r.s, kindCreate, "Conversations/{ConversationSid}/Participants", params, opts, conversationSID)
}

// Fetch fetches a participant by SID, or by the identity of a chat
// participant.
//
// Operation: FetchConversationParticipant (GET /v1/Conversations/{ConversationSid}/Participants/{Sid})
// Operation: FetchServiceConversationParticipant (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants/{Sid})
func (r *ParticipantsService) Fetch(ctx context.Context, conversationSID, sid string, opts ...RequestOption) (*Participant, error) {
	return one[Participant](ctx, r.s, kindRead, "Conversations/{ConversationSid}/Participants/{Sid}", nil, opts, conversationSID, sid)
}

// Update updates a participant. It accepts WithWebhookEnabled.
//
// Known error codes: CodeIdentityNotAllowed, CodeConversationClosed,
// CodeNotFound.
//
// Operation: UpdateConversationParticipant (POST /v1/Conversations/{ConversationSid}/Participants/{Sid})
// Operation: UpdateServiceConversationParticipant (POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants/{Sid})
func (r *ParticipantsService) Update(ctx context.Context, conversationSID, sid string, params *ParticipantUpdateParams, opts ...RequestOption) (*Participant, error) {
	return one[Participant](ctx, r.s, kindUpdate, "Conversations/{ConversationSid}/Participants/{Sid}", params, opts, conversationSID, sid)
}

// Delete removes a participant from a conversation; their earlier messages
// stay. It accepts WithWebhookEnabled.
//
// Operation: DeleteConversationParticipant (DELETE /v1/Conversations/{ConversationSid}/Participants/{Sid})
// Operation: DeleteServiceConversationParticipant (DELETE /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants/{Sid})
func (r *ParticipantsService) Delete(ctx context.Context, conversationSID, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Conversations/{ConversationSid}/Participants/{Sid}", opts, conversationSID, sid)
}

// List fetches one page of a conversation's participants.
//
// Operation: ListConversationParticipant (GET /v1/Conversations/{ConversationSid}/Participants)
// Operation: ListServiceConversationParticipant (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants)
func (r *ParticipantsService) List(ctx context.Context, conversationSID string, params *ParticipantListParams, opts ...RequestOption) (*Page[Participant], error) {
	return list[Participant](ctx, r.s, "Conversations/{ConversationSid}/Participants", params, opts, conversationSID)
}

// All iterates over every participant of a conversation, fetching pages as
// needed.
//
// Operation: ListConversationParticipant (GET /v1/Conversations/{ConversationSid}/Participants)
// Operation: ListServiceConversationParticipant (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants)
func (r *ParticipantsService) All(ctx context.Context, conversationSID string, params *ParticipantListParams, opts ...RequestOption) iter.Seq2[*Participant, error] {
	return all[Participant](ctx, r.s, "Conversations/{ConversationSid}/Participants", params, opts, conversationSID)
}

// ParticipantConversationsAPI is the interface of
// ParticipantConversationsService, for mocking.
type ParticipantConversationsAPI interface {
	List(ctx context.Context, params *ParticipantConversationListParams, opts ...RequestOption) (*Page[ParticipantConversation], error)
	All(ctx context.Context, params *ParticipantConversationListParams, opts ...RequestOption) iter.Seq2[*ParticipantConversation, error]
}

var _ ParticipantConversationsAPI = (*ParticipantConversationsService)(nil)

// ParticipantConversationsService lists the conversations a participant
// belongs to, found by identity or by address, in the account's default
// Conversation Service (Client.ParticipantConversations) or in one service
// (Client.Service(sid).ParticipantConversations).
type ParticipantConversationsService struct{ s scopeRef }

// List fetches one page of the conversations a participant belongs to.
//
// Known error codes: CodeIdentityAndAddress (the SDK reports both filters
// together as a *ValidationError before sending).
//
// Operation: ListParticipantConversation (GET /v1/ParticipantConversations)
// Operation: ListServiceParticipantConversation (GET /v1/Services/{ChatServiceSid}/ParticipantConversations)
func (r *ParticipantConversationsService) List(ctx context.Context, params *ParticipantConversationListParams, opts ...RequestOption) (*Page[ParticipantConversation], error) {
	return list[ParticipantConversation](ctx, r.s, "ParticipantConversations", params, opts)
}

// All iterates over every conversation a participant belongs to, fetching
// pages as needed.
//
// Operation: ListParticipantConversation (GET /v1/ParticipantConversations)
// Operation: ListServiceParticipantConversation (GET /v1/Services/{ChatServiceSid}/ParticipantConversations)
func (r *ParticipantConversationsService) All(ctx context.Context, params *ParticipantConversationListParams, opts ...RequestOption) iter.Seq2[*ParticipantConversation, error] {
	return all[ParticipantConversation](ctx, r.s, "ParticipantConversations", params, opts)
}
