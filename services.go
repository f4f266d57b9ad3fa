package conversations

import (
	"context"
	"iter"
	"time"
)

// ChatService is a Conversation Service: a top-level container that holds its
// own conversations, users, roles, bindings and configuration, isolated from
// every other service. Client.Service(sid) addresses its resources.
type ChatService struct {
	// AccountSID is the Account that owns the service.
	AccountSID string `json:"account_sid"`
	// SID identifies the service (IS...).
	SID string `json:"sid"`
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName string `json:"friendly_name"`
	// DateCreated is when the service was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the service was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the service's absolute API URL.
	URL string `json:"url"`
	// Links holds the URLs of the service's resources (conversations, users,
	// roles, bindings, configuration, participant_conversations,
	// conversation_with_participants).
	Links map[string]string `json:"links"`
}

// ChatServiceCreateParams are the parameters of Services.Create.
type ChatServiceCreateParams struct {
	// FriendlyName is the human-readable name, up to 256 characters.
	// Required.
	FriendlyName string `url:"FriendlyName"`
}

func (p *ChatServiceCreateParams) validate() error {
	if p == nil {
		p = &ChatServiceCreateParams{}
	}
	return required("FriendlyName", p.FriendlyName)
}

// ChatServiceListParams are the parameters of Services.List and All.
type ChatServiceListParams struct {
	// ListParams holds PageSize (1 to 100, default 50), Page and PageToken.
	ListParams
}

func (p *ChatServiceListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(100)
}

// ChatServicesAPI is the interface of ChatServicesService, for mocking.
type ChatServicesAPI interface {
	Create(ctx context.Context, params *ChatServiceCreateParams, opts ...RequestOption) (*ChatService, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*ChatService, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *ChatServiceListParams, opts ...RequestOption) (*Page[ChatService], error)
	All(ctx context.Context, params *ChatServiceListParams, opts ...RequestOption) iter.Seq2[*ChatService, error]
}

var _ ChatServicesAPI = (*ChatServicesService)(nil)

// ChatServicesService manages the account's Conversation Services
// (Client.Services). It exists at account level only; the API has no update
// operation for services.
type ChatServicesService struct{ s scopeRef }

// Create creates a Conversation Service.
//
// Operation: CreateService (POST /v1/Services)
func (r *ChatServicesService) Create(ctx context.Context, params *ChatServiceCreateParams, opts ...RequestOption) (*ChatService, error) {
	return one[ChatService](ctx, r.s, kindCreate, "Services", params, opts)
}

// Fetch fetches a Conversation Service by SID.
//
// Operation: FetchService (GET /v1/Services/{Sid})
func (r *ChatServicesService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*ChatService, error) {
	return one[ChatService](ctx, r.s, kindRead, "Services/{Sid}", nil, opts, sid)
}

// Delete deletes a Conversation Service and everything in it.
//
// Operation: DeleteService (DELETE /v1/Services/{Sid})
func (r *ChatServicesService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Services/{Sid}", opts, sid)
}

// List fetches one page of Conversation Services.
//
// Operation: ListService (GET /v1/Services)
func (r *ChatServicesService) List(ctx context.Context, params *ChatServiceListParams, opts ...RequestOption) (*Page[ChatService], error) {
	return list[ChatService](ctx, r.s, "Services", params, opts)
}

// All iterates over every Conversation Service, fetching pages as needed.
//
// Operation: ListService (GET /v1/Services)
func (r *ChatServicesService) All(ctx context.Context, params *ChatServiceListParams, opts ...RequestOption) iter.Seq2[*ChatService, error] {
	return all[ChatService](ctx, r.s, "Services", params, opts)
}

// BindingType is the push technology of a binding. Values the SDK does not
// know yet decode without error.
type BindingType string

// Known binding types.
const (
	// BindingTypeAPN is Apple Push Notification service.
	BindingTypeAPN BindingType = "apn"
	// BindingTypeGCM is Google Cloud Messaging.
	BindingTypeGCM BindingType = "gcm"
	// BindingTypeFCM is Firebase Cloud Messaging.
	BindingTypeFCM BindingType = "fcm"
	// BindingTypeTwilsock is Twilio's own websocket channel.
	BindingTypeTwilsock BindingType = "twilsock"
)

// Binding is a push notification binding of a Conversation Service: where
// and how conversation events are delivered to a user's mobile or web
// endpoint.
type Binding struct {
	// SID identifies the binding (BS...).
	SID string `json:"sid"`
	// AccountSID is the Account that owns the binding.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the binding belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// CredentialSID is the push Credential the binding uses (CR...).
	CredentialSID string `json:"credential_sid"`
	// DateCreated is when the binding was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the binding was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// Endpoint is the unique endpoint identifier; its format depends on
	// BindingType.
	Endpoint string `json:"endpoint"`
	// Identity is the identity of the Conversation User the binding belongs to.
	Identity string `json:"identity"`
	// BindingType is the push technology used.
	BindingType BindingType `json:"binding_type"`
	// MessageTypes are the conversation message types the binding is
	// subscribed to (e.g. "new_message", "added_to_conversation").
	MessageTypes []string `json:"message_types"`
	// URL is the binding's absolute API URL.
	URL string `json:"url"`
}

// BindingListParams are the parameters of Bindings.List and All.
type BindingListParams struct {
	// BindingType keeps bindings of these push technologies, sent as one
	// BindingType key per value.
	BindingType []BindingType `url:"BindingType,omitempty"`
	// Identity keeps bindings of these Conversation User identities, sent as
	// one Identity key per value.
	Identity []string `url:"Identity,omitempty"`
	// ListParams holds PageSize (1 to 100, default 50), Page and PageToken.
	ListParams
}

func (p *BindingListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(100)
}

// BindingsAPI is the interface of BindingsService, for mocking.
type BindingsAPI interface {
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Binding, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *BindingListParams, opts ...RequestOption) (*Page[Binding], error)
	All(ctx context.Context, params *BindingListParams, opts ...RequestOption) iter.Seq2[*Binding, error]
}

var _ BindingsAPI = (*BindingsService)(nil)

// BindingsService manages the push notification bindings of one Conversation
// Service (Client.Service(sid).Bindings). Bindings exist only in a service
// scope; the API creates them when a client SDK registers for push.
type BindingsService struct{ s scopeRef }

// Fetch fetches a binding by SID.
//
// Operation: FetchServiceBinding (GET /v1/Services/{ChatServiceSid}/Bindings/{Sid})
func (r *BindingsService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Binding, error) {
	return one[Binding](ctx, r.s, kindRead, "Bindings/{Sid}", nil, opts, sid)
}

// Delete deletes a binding.
//
// Operation: DeleteServiceBinding (DELETE /v1/Services/{ChatServiceSid}/Bindings/{Sid})
func (r *BindingsService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Bindings/{Sid}", opts, sid)
}

// List fetches one page of the service's bindings.
//
// Operation: ListServiceBinding (GET /v1/Services/{ChatServiceSid}/Bindings)
func (r *BindingsService) List(ctx context.Context, params *BindingListParams, opts ...RequestOption) (*Page[Binding], error) {
	return list[Binding](ctx, r.s, "Bindings", params, opts)
}

// All iterates over every binding of the service, fetching pages as needed.
//
// Operation: ListServiceBinding (GET /v1/Services/{ChatServiceSid}/Bindings)
func (r *BindingsService) All(ctx context.Context, params *BindingListParams, opts ...RequestOption) iter.Seq2[*Binding, error] {
	return all[Binding](ctx, r.s, "Bindings", params, opts)
}
