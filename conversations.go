package conversations

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"
)

// ConversationState is the state of a conversation. Values the SDK does not
// know yet decode without error.
type ConversationState string

// Known conversation states.
const (
	ConversationStateInitializing ConversationState = "initializing"
	ConversationStateInactive     ConversationState = "inactive"
	ConversationStateActive       ConversationState = "active"
	ConversationStateClosed       ConversationState = "closed"
)

// ConversationTimers holds the dates at which a conversation's state timers
// fire. A timer that is not set is the zero time.
type ConversationTimers struct {
	// DateInactive is when the conversation becomes inactive.
	DateInactive time.Time `json:"date_inactive"`
	// DateClosed is when the conversation becomes closed.
	DateClosed time.Time `json:"date_closed"`
}

// ConversationBindings holds a conversation's default channel bindings.
type ConversationBindings struct {
	// Email is the default email binding; nil when none is set.
	Email *EmailBinding `json:"email,omitempty"`
}

// EmailBinding is the default email identity of a conversation.
type EmailBinding struct {
	// ProjectedAddress is the email address outbound emails are sent from.
	ProjectedAddress string `json:"projected_address"`
	// Name is the display name outbound emails are sent with.
	Name string `json:"name"`
}

// Conversation is an omnichannel group conversation with an ordered list of
// messages and a participant roster.
type Conversation struct {
	// AccountSID is the Account that owns the conversation.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the conversation belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// MessagingServiceSID is the Messaging Service the conversation uses.
	MessagingServiceSID string `json:"messaging_service_sid"`
	// SID identifies the conversation (CH...).
	SID string `json:"sid"`
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName string `json:"friendly_name"`
	// UniqueName is an application-defined unique name; it can replace the
	// SID in paths.
	UniqueName string `json:"unique_name"`
	// Attributes is a JSON document kept as a string; see UnmarshalAttributes.
	Attributes string `json:"attributes"`
	// State is the conversation's current state.
	State ConversationState `json:"state"`
	// DateCreated is when the conversation was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the conversation was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// Timers holds when the state timers fire.
	Timers ConversationTimers `json:"timers"`
	// URL is the conversation's absolute API URL.
	URL string `json:"url"`
	// Links holds the URLs of related resources (participants, messages,
	// webhooks, export).
	Links map[string]string `json:"links"`
	// Bindings holds the default channel bindings.
	Bindings ConversationBindings `json:"bindings"`
}

// ConversationCreateParams are the parameters of Conversations.Create.
type ConversationCreateParams struct {
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// UniqueName is an application-defined unique name.
	UniqueName *string `url:"UniqueName,omitempty"`
	// DateCreated overrides the creation date.
	DateCreated *time.Time `url:"DateCreated,omitempty"`
	// DateUpdated overrides the last-update date.
	DateUpdated *time.Time `url:"DateUpdated,omitempty"`
	// MessagingServiceSID is the Messaging Service to use (MG...).
	MessagingServiceSID *string `url:"MessagingServiceSid,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// State is the initial state (default active).
	State *ConversationState `url:"State,omitempty"`
	// TimersInactive is the ISO 8601 duration after which the conversation
	// becomes inactive (at least PT1M).
	TimersInactive *string `url:"Timers.Inactive,omitempty"`
	// TimersClosed is the ISO 8601 duration after which the conversation
	// becomes closed (at least PT10M).
	TimersClosed *string `url:"Timers.Closed,omitempty"`
	// BindingsEmailAddress is the default address outbound emails are sent from.
	BindingsEmailAddress *string `url:"Bindings.Email.Address,omitempty"`
	// BindingsEmailName is the default name outbound emails are sent with.
	BindingsEmailName *string `url:"Bindings.Email.Name,omitempty"`
}

// ConversationUpdateParams are the parameters of Conversations.Update.
type ConversationUpdateParams struct {
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// DateCreated overrides the creation date.
	DateCreated *time.Time `url:"DateCreated,omitempty"`
	// DateUpdated overrides the last-update date.
	DateUpdated *time.Time `url:"DateUpdated,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// MessagingServiceSID is the Messaging Service to use (MG...).
	MessagingServiceSID *string `url:"MessagingServiceSid,omitempty"`
	// State is the new state.
	State *ConversationState `url:"State,omitempty"`
	// TimersInactive is the ISO 8601 duration after which the conversation
	// becomes inactive (at least PT1M).
	TimersInactive *string `url:"Timers.Inactive,omitempty"`
	// TimersClosed is the ISO 8601 duration after which the conversation
	// becomes closed (at least PT10M).
	TimersClosed *string `url:"Timers.Closed,omitempty"`
	// UniqueName is an application-defined unique name.
	UniqueName *string `url:"UniqueName,omitempty"`
	// BindingsEmailAddress is the default address outbound emails are sent from.
	BindingsEmailAddress *string `url:"Bindings.Email.Address,omitempty"`
	// BindingsEmailName is the default name outbound emails are sent with.
	BindingsEmailName *string `url:"Bindings.Email.Name,omitempty"`
}

// ConversationListParams are the parameters of Conversations.List and All.
type ConversationListParams struct {
	// StartDate keeps conversations created on or after this instant (sent
	// as RFC 3339 in UTC; Twilio documents filtering by whole days, so pass
	// midnight UTC for exact results); results are then newest first.
	StartDate *time.Time `url:"StartDate,omitempty"`
	// EndDate keeps conversations created on or before this instant (sent
	// as RFC 3339 in UTC).
	EndDate *time.Time `url:"EndDate,omitempty"`
	// State keeps conversations in this state.
	State *ConversationState `url:"State,omitempty"`
	// ListParams holds PageSize (1 to 100, default 50), Page and PageToken.
	ListParams
}

func (p *ConversationListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(100)
}

// ConversationWithParticipantsCreateParams are the parameters of
// Conversations.CreateWithParticipants.
type ConversationWithParticipantsCreateParams struct {
	// ConversationCreateParams are the conversation's own parameters, the
	// same as Conversations.Create takes.
	ConversationCreateParams
	// Participants are the conversation's first participants, at most 10.
	Participants InitialParticipants `url:"Participant,omitempty"`
}

func (p *ConversationWithParticipantsCreateParams) validate() error {
	if p == nil {
		return nil
	}
	if len(p.Participants) > 10 {
		return &ValidationError{Param: "Participant", Reason: "takes at most 10 participants"}
	}
	for i, pt := range p.Participants {
		if pt.Identity == "" && pt.MessagingBindingAddress == "" && pt.MessagingBindingProjectedAddress == "" {
			return &ValidationError{Param: fmt.Sprintf("Participant[%d]", i), Reason: "needs an Identity (chat) or a MessagingBindingAddress or MessagingBindingProjectedAddress (SMS, WhatsApp, group MMS)"}
		}
		if pt.Identity != "" && pt.MessagingBindingAddress != "" {
			return &ValidationError{Param: fmt.Sprintf("Participant[%d]", i), Reason: "cannot have both an Identity and a MessagingBindingAddress"}
		}
	}
	return nil
}

// InitialParticipant is one participant of
// Conversations.CreateWithParticipants: a chat participant (Identity) or a
// non-chat one (MessagingBindingAddress, with the Twilio number in
// MessagingBindingProxyAddress), with the Participant resource's parameters.
type InitialParticipant struct {
	// Identity is the chat participant's identity (a Conversation User).
	Identity string `json:"identity,omitempty"`
	// MessagingBindingAddress is the non-chat participant's address, e.g. a
	// phone number or "whatsapp:+15558675310".
	MessagingBindingAddress string `json:"-"`
	// MessagingBindingProxyAddress is the Twilio address the non-chat
	// participant writes to.
	MessagingBindingProxyAddress string `json:"-"`
	// MessagingBindingProjectedAddress is the address a chat participant
	// is projected as in group MMS.
	MessagingBindingProjectedAddress string `json:"-"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes string `json:"attributes,omitempty"`
	// RoleSID is the participant's role (RL...).
	RoleSID string `json:"role_sid,omitempty"`
}

// InitialParticipants are the participants of
// ConversationWithParticipantsCreateParams. Each is sent as one Participant
// form value holding the JSON object the API documents, e.g.
// {"identity":"alice"} or
// {"messaging_binding":{"address":"+15558675310","proxy_address":"+15017122661"}}.
type InitialParticipants []InitialParticipant

// formValues returns one Participant form value per participant.
func (ps InitialParticipants) formValues() ([]string, error) {
	vals := make([]string, 0, len(ps))
	type binding struct {
		Address          string `json:"address,omitempty"`
		ProxyAddress     string `json:"proxy_address,omitempty"`
		ProjectedAddress string `json:"projected_address,omitempty"`
	}
	for _, p := range ps {
		w := struct {
			InitialParticipant
			MessagingBinding *binding `json:"messaging_binding,omitempty"`
		}{InitialParticipant: p}
		if b := (binding{p.MessagingBindingAddress, p.MessagingBindingProxyAddress, p.MessagingBindingProjectedAddress}); b != (binding{}) {
			w.MessagingBinding = &b
		}
		j, err := json.Marshal(w)
		if err != nil {
			return nil, err
		}
		vals = append(vals, string(j))
	}
	return vals, nil
}

// ConversationsAPI is the interface of ConversationsService, for mocking.
type ConversationsAPI interface {
	Create(ctx context.Context, params *ConversationCreateParams, opts ...RequestOption) (*Conversation, error)
	CreateWithParticipants(ctx context.Context, params *ConversationWithParticipantsCreateParams, opts ...RequestOption) (*Conversation, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Conversation, error)
	Update(ctx context.Context, sid string, params *ConversationUpdateParams, opts ...RequestOption) (*Conversation, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *ConversationListParams, opts ...RequestOption) (*Page[Conversation], error)
	All(ctx context.Context, params *ConversationListParams, opts ...RequestOption) iter.Seq2[*Conversation, error]
}

var _ ConversationsAPI = (*ConversationsService)(nil)

// ConversationsService manages conversations, in the account's default
// Conversation Service (Client.Conversations) or in one service
// (Client.Service(sid).Conversations).
type ConversationsService struct{ s scopeRef }

// Create creates a conversation. It accepts WithWebhookEnabled.
//
// Known error codes: CodeConversationUniqueNameExists (the unique name is
// taken; IsConflict), CodeUniqueNameIsSID.
//
// Operation: CreateConversation (POST /v1/Conversations)
// Operation: CreateServiceConversation (POST /v1/Services/{ChatServiceSid}/Conversations)
func (r *ConversationsService) Create(ctx context.Context, params *ConversationCreateParams, opts ...RequestOption) (*Conversation, error) {
	return one[Conversation](ctx, r.s, kindCreate, "Conversations", params, opts)
}

// CreateWithParticipants creates a conversation and adds up to 10
// participants in one call. The API answers 201 or 202 (participants still
// being added) with the same body. It accepts WithWebhookEnabled.
//
// Known error codes: CodeConversationUniqueNameExists (IsConflict),
// CodeUniqueNameIsSID, CodeParticipantBindingExists (IsConflict).
//
// Operation: CreateConversationWithParticipants (POST /v1/ConversationWithParticipants)
// Operation: CreateServiceConversationWithParticipants (POST /v1/Services/{ChatServiceSid}/ConversationWithParticipants)
func (r *ConversationsService) CreateWithParticipants(ctx context.Context, params *ConversationWithParticipantsCreateParams, opts ...RequestOption) (*Conversation, error) {
	return one[Conversation](ctx, r.s, kindCreate, "ConversationWithParticipants", params, opts)
}

// Fetch fetches a conversation by SID or unique name.
//
// Operation: FetchConversation (GET /v1/Conversations/{Sid})
// Operation: FetchServiceConversation (GET /v1/Services/{ChatServiceSid}/Conversations/{Sid})
func (r *ConversationsService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Conversation, error) {
	return one[Conversation](ctx, r.s, kindRead, "Conversations/{Sid}", nil, opts, sid)
}

// Update updates a conversation, addressed by SID or unique name. It accepts
// WithWebhookEnabled.
//
// Known error codes: CodeConversationUniqueNameExists (IsConflict),
// CodeUniqueNameIsSID, CodeConversationClosed, CodeNotFound.
//
// Operation: UpdateConversation (POST /v1/Conversations/{Sid})
// Operation: UpdateServiceConversation (POST /v1/Services/{ChatServiceSid}/Conversations/{Sid})
func (r *ConversationsService) Update(ctx context.Context, sid string, params *ConversationUpdateParams, opts ...RequestOption) (*Conversation, error) {
	return one[Conversation](ctx, r.s, kindUpdate, "Conversations/{Sid}", params, opts, sid)
}

// Delete deletes a conversation, addressed by SID or unique name, with its
// messages and participants. It accepts WithWebhookEnabled.
//
// Operation: DeleteConversation (DELETE /v1/Conversations/{Sid})
// Operation: DeleteServiceConversation (DELETE /v1/Services/{ChatServiceSid}/Conversations/{Sid})
func (r *ConversationsService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Conversations/{Sid}", opts, sid)
}

// List fetches one page of conversations.
//
// Operation: ListConversation (GET /v1/Conversations)
// Operation: ListServiceConversation (GET /v1/Services/{ChatServiceSid}/Conversations)
func (r *ConversationsService) List(ctx context.Context, params *ConversationListParams, opts ...RequestOption) (*Page[Conversation], error) {
	return list[Conversation](ctx, r.s, "Conversations", params, opts)
}

// All iterates over every conversation, fetching pages as needed.
//
// Operation: ListConversation (GET /v1/Conversations)
// Operation: ListServiceConversation (GET /v1/Services/{ChatServiceSid}/Conversations)
func (r *ConversationsService) All(ctx context.Context, params *ConversationListParams, opts ...RequestOption) iter.Seq2[*Conversation, error] {
	return all[Conversation](ctx, r.s, "Conversations", params, opts)
}
