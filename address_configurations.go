package conversations

import (
	"context"
	"iter"
	"time"
)

// AddressConfigurationType is the channel of a configured address. The API
// may answer with a value in another case than it was created with (e.g.
// "whAtsAPP"). Values the SDK does not know yet decode without error.
type AddressConfigurationType string

// Known address types.
const (
	AddressConfigurationTypeSMS       AddressConfigurationType = "sms"
	AddressConfigurationTypeWhatsApp  AddressConfigurationType = "whatsapp"
	AddressConfigurationTypeMessenger AddressConfigurationType = "messenger"
	AddressConfigurationTypeGBM       AddressConfigurationType = "gbm"
	AddressConfigurationTypeEmail     AddressConfigurationType = "email"
	AddressConfigurationTypeRCS       AddressConfigurationType = "rcs"
	AddressConfigurationTypeApple     AddressConfigurationType = "apple"
	AddressConfigurationTypeChat      AddressConfigurationType = "chat"
)

// AddressConfigurationAutoCreationType is how conversations are
// auto-created for messages to an address. Values the SDK does not know yet
// decode without error.
type AddressConfigurationAutoCreationType string

// Known auto-creation types.
const (
	// AddressConfigurationAutoCreationTypeWebhook calls a webhook.
	AddressConfigurationAutoCreationTypeWebhook AddressConfigurationAutoCreationType = "webhook"
	// AddressConfigurationAutoCreationTypeStudio hands over to a Studio flow.
	AddressConfigurationAutoCreationTypeStudio AddressConfigurationAutoCreationType = "studio"
	// AddressConfigurationAutoCreationTypeDefault only creates the conversation.
	AddressConfigurationAutoCreationTypeDefault AddressConfigurationAutoCreationType = "default"
)

// AddressConfigurationAutoCreation is the auto-creation configuration of an
// address: whether and how a conversation is created for an inbound message
// that belongs to none. Fields that do not apply to Type are empty.
type AddressConfigurationAutoCreation struct {
	// Enabled reports whether auto-creation is on.
	Enabled bool `json:"enabled"`
	// Type is how conversations are auto-created.
	Type AddressConfigurationAutoCreationType `json:"type"`
	// ConversationServiceSID is the Conversation Service (IS...) of the
	// auto-created conversations.
	ConversationServiceSID string `json:"conversation_service_sid"`
	// WebhookURL is, for Type webhook, the URL of the webhook request.
	WebhookURL string `json:"webhook_url"`
	// WebhookMethod is, for Type webhook, the HTTP method of the webhook
	// request.
	WebhookMethod WebhookMethod `json:"webhook_method"`
	// WebhookFilters lists, for Type webhook, the events that fire the webhook.
	WebhookFilters []string `json:"webhook_filters"`
	// StudioFlowSID is, for Type studio, the Studio flow (FW...).
	StudioFlowSID string `json:"studio_flow_sid"`
	// StudioRetryCount is, for Type studio, how many times the webhook
	// request is retried.
	StudioRetryCount int `json:"studio_retry_count"`
}

// AddressConfiguration is the configuration of one address (a phone number,
// WhatsApp sender, email address, ...) within Conversations.
type AddressConfiguration struct {
	// SID identifies the address configuration (IG...).
	SID string `json:"sid"`
	// AccountSID is the Account the address belongs to.
	AccountSID string `json:"account_sid"`
	// Type is the address's channel.
	Type AddressConfigurationType `json:"type"`
	// Address is the configured address.
	Address string `json:"address"`
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName string `json:"friendly_name"`
	// AutoCreation is the auto-creation configuration.
	AutoCreation AddressConfigurationAutoCreation `json:"auto_creation"`
	// DateCreated is when the configuration was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the configuration was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the address configuration's absolute API URL.
	URL string `json:"url"`
	// AddressCountry is the ISO 3166-1 alpha-2 country of the address (short
	// codes only).
	AddressCountry string `json:"address_country"`
}

// AutoCreationParams are the auto-creation settings of an address
// configuration (the AutoCreation.* parameters), shared by
// AddressConfigurations.Create and Update: whether and how a conversation
// is created for an inbound message that belongs to none. Embedded in those
// params, its fields are promoted, except Type: p.Type is the address's
// channel and p.AutoCreationParams.Type the auto-creation type. Set them in
// a literal:
//
//	AutoCreationParams: conversations.AutoCreationParams{Enabled: conversations.Ptr(true)}
type AutoCreationParams struct {
	// Enabled turns auto-creation of conversations on or off.
	Enabled *bool `url:"AutoCreation.Enabled,omitempty"`
	// Type is how conversations are auto-created.
	Type *AddressConfigurationAutoCreationType `url:"AutoCreation.Type,omitempty"`
	// ConversationServiceSID is the Conversation Service (IS...)
	// of auto-created conversations; the default service when unset.
	ConversationServiceSID *string `url:"AutoCreation.ConversationServiceSid,omitempty"`
	// WebhookURL is, for type webhook, the webhook URL.
	WebhookURL *string `url:"AutoCreation.WebhookUrl,omitempty"`
	// WebhookMethod is, for type webhook, the webhook's HTTP method.
	WebhookMethod *WebhookMethod `url:"AutoCreation.WebhookMethod,omitempty,lower"`
	// WebhookFilters lists, for type webhook, the events that
	// fire the webhook (onMessageAdded, ...); one form key per value.
	WebhookFilters []string `url:"AutoCreation.WebhookFilters,omitempty"`
	// StudioFlowSID is, for type studio, the Studio flow (FW...).
	StudioFlowSID *string `url:"AutoCreation.StudioFlowSid,omitempty"`
	// StudioRetryCount is, for type studio, how many times the
	// webhook request is retried.
	StudioRetryCount *int `url:"AutoCreation.StudioRetryCount,omitempty"`
}

// AddressConfigurationCreateParams are the parameters of
// AddressConfigurations.Create.
type AddressConfigurationCreateParams struct {
	// Type is the address's channel. Required.
	Type AddressConfigurationType `url:"Type"`
	// Address is the address to configure, e.g. a phone number or a
	// WhatsApp address. Required.
	Address string `url:"Address"`
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// AutoCreationParams are the auto-creation settings (AutoCreation.*).
	AutoCreationParams
	// AddressCountry is the ISO 3166-1 alpha-2 country of the address (short
	// codes only).
	AddressCountry *string `url:"AddressCountry,omitempty"`
}

func (p *AddressConfigurationCreateParams) validate() error {
	if p == nil {
		return &ValidationError{Param: "Type", Reason: "is required"}
	}
	if err := required("Type", p.Type); err != nil {
		return err
	}
	return required("Address", p.Address)
}

// AddressConfigurationUpdateParams are the parameters of
// AddressConfigurations.Update.
type AddressConfigurationUpdateParams struct {
	// FriendlyName is the human-readable name, up to 256 characters.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// AutoCreationParams are the auto-creation settings (AutoCreation.*).
	AutoCreationParams
}

// AddressConfigurationListParams are the parameters of
// AddressConfigurations.List and All.
type AddressConfigurationListParams struct {
	// Type keeps the address configurations of this type, e.g.
	// AddressConfigurationTypeWhatsApp. The spec documents the filter as a
	// free string: a type this SDK has no constant for is sent as given
	// (AddressConfigurationType("rcs")).
	Type *AddressConfigurationType `url:"Type,omitempty"`
	// ListParams holds PageSize (1 to 50, default 50), Page and PageToken.
	ListParams
}

func (p *AddressConfigurationListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(50)
}

// AddressConfigurationsAPI is the interface of AddressConfigurationsService,
// for mocking.
type AddressConfigurationsAPI interface {
	Create(ctx context.Context, params *AddressConfigurationCreateParams, opts ...RequestOption) (*AddressConfiguration, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*AddressConfiguration, error)
	Update(ctx context.Context, sid string, params *AddressConfigurationUpdateParams, opts ...RequestOption) (*AddressConfiguration, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *AddressConfigurationListParams, opts ...RequestOption) (*Page[AddressConfiguration], error)
	All(ctx context.Context, params *AddressConfigurationListParams, opts ...RequestOption) iter.Seq2[*AddressConfiguration, error]
}

var _ AddressConfigurationsAPI = (*AddressConfigurationsService)(nil)

// AddressConfigurationsService manages the account's address configurations
// (Client.AddressConfigurations). They exist at account level only.
type AddressConfigurationsService struct{ s scopeRef }

// Create creates an address configuration. Type and Address are required.
//
// Operation: CreateConfigurationAddress (POST /v1/Configuration/Addresses)
func (r *AddressConfigurationsService) Create(ctx context.Context, params *AddressConfigurationCreateParams, opts ...RequestOption) (*AddressConfiguration, error) {
	return one[AddressConfiguration](ctx, r.s, kindCreate, "Configuration/Addresses", params, opts)
}

// Fetch fetches an address configuration by SID or address.
//
// Operation: FetchConfigurationAddress (GET /v1/Configuration/Addresses/{Sid})
func (r *AddressConfigurationsService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*AddressConfiguration, error) {
	return one[AddressConfiguration](ctx, r.s, kindRead, "Configuration/Addresses/{Sid}", nil, opts, sid)
}

// Update updates an address configuration, addressed by SID or address.
//
// Operation: UpdateConfigurationAddress (POST /v1/Configuration/Addresses/{Sid})
func (r *AddressConfigurationsService) Update(ctx context.Context, sid string, params *AddressConfigurationUpdateParams, opts ...RequestOption) (*AddressConfiguration, error) {
	return one[AddressConfiguration](ctx, r.s, kindUpdate, "Configuration/Addresses/{Sid}", params, opts, sid)
}

// Delete deletes an address configuration, addressed by SID or address.
//
// Operation: DeleteConfigurationAddress (DELETE /v1/Configuration/Addresses/{Sid})
func (r *AddressConfigurationsService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Configuration/Addresses/{Sid}", opts, sid)
}

// List fetches one page of address configurations.
//
// Operation: ListConfigurationAddress (GET /v1/Configuration/Addresses)
func (r *AddressConfigurationsService) List(ctx context.Context, params *AddressConfigurationListParams, opts ...RequestOption) (*Page[AddressConfiguration], error) {
	return list[AddressConfiguration](ctx, r.s, "Configuration/Addresses", params, opts)
}

// All iterates over every address configuration, fetching pages as needed.
//
// Operation: ListConfigurationAddress (GET /v1/Configuration/Addresses)
func (r *AddressConfigurationsService) All(ctx context.Context, params *AddressConfigurationListParams, opts ...RequestOption) iter.Seq2[*AddressConfiguration, error] {
	return all[AddressConfiguration](ctx, r.s, "Configuration/Addresses", params, opts)
}
