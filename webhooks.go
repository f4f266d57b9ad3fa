package conversations

import (
	"context"
	"iter"
	"strings"
	"time"
)

// WebhookTarget is where a conversation-scoped webhook delivers its events.
// Values the SDK does not know yet decode without error.
type WebhookTarget string

// Known conversation-scoped webhook targets.
const (
	// WebhookTargetWebhook sends the conversation's events to
	// Configuration.Url.
	WebhookTargetWebhook WebhookTarget = "webhook"
	// WebhookTargetTrigger calls Configuration.Url when a message contains
	// one of Configuration.Triggers.
	WebhookTargetTrigger WebhookTarget = "trigger"
	// WebhookTargetStudio sends the conversation's events to the Studio flow
	// Configuration.FlowSid.
	WebhookTargetStudio WebhookTarget = "studio"
)

// WebhookMethod is the HTTP method Twilio uses to call a webhook: of a
// conversation-scoped webhook, of the account's or a Conversation Service's
// webhook configuration, and of an address configuration's auto-creation
// webhook. It is the one type for all four. The API spells it in upper case
// in some places and lower case in others ("post"): the SDK sends each
// operation the spelling its spec documents, and a decoded value is always
// upper case, so comparing with WebhookMethodGET and WebhookMethodPOST works
// whatever the API answered.
type WebhookMethod string

// Known webhook methods.
const (
	WebhookMethodGET  WebhookMethod = "GET"
	WebhookMethodPOST WebhookMethod = "POST"
)

// UnmarshalText decodes a method in any case as its upper-case spelling.
func (m *WebhookMethod) UnmarshalText(b []byte) error {
	*m = WebhookMethod(strings.ToUpper(string(b)))
	return nil
}

// ConversationWebhookConfiguration is the configuration of a conversation-scoped
// webhook. Which fields are set depends on the webhook's Target: URL,
// Method and Filters for webhook, URL, Method and Triggers for trigger,
// FlowSID for studio.
type ConversationWebhookConfiguration struct {
	// URL is the absolute URL the webhook request is sent to.
	URL string `json:"url"`
	// Method is the HTTP method of the webhook request.
	Method WebhookMethod `json:"method"`
	// Filters are the events that fire the webhook (e.g. "onMessageAdded").
	Filters []string `json:"filters"`
	// Triggers are the keywords that fire a trigger webhook.
	Triggers []string `json:"triggers"`
	// FlowSID is the Studio flow the webhook sends to (FW...).
	FlowSID string `json:"flow_sid"`
	// ReplayAfter is the message index from which messages are replayed to
	// the webhook; nil when not set.
	ReplayAfter *int `json:"replay_after"`
}

// Webhook is a webhook scoped to one conversation: a callback URL, a
// keyword trigger or a Studio flow that receives the conversation's events.
type Webhook struct {
	// SID identifies the webhook (WH...).
	SID string `json:"sid"`
	// AccountSID is the Account that owns the webhook.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service of the conversation; only
	// the service-scoped operations return it.
	ChatServiceSID string `json:"chat_service_sid"`
	// ConversationSID is the conversation the webhook belongs to (CH...).
	ConversationSID string `json:"conversation_sid"`
	// Target is where the webhook delivers events: webhook, trigger or
	// studio.
	Target WebhookTarget `json:"target"`
	// URL is the webhook's absolute API URL.
	URL string `json:"url"`
	// Configuration is the webhook's configuration, shaped by Target.
	Configuration ConversationWebhookConfiguration `json:"configuration"`
	// DateCreated is when the webhook was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the webhook was last updated.
	DateUpdated time.Time `json:"date_updated"`
}

// WebhookCreateParams are the parameters of Webhooks.Create.
type WebhookCreateParams struct {
	// Target is where the webhook delivers events (required).
	Target WebhookTarget `url:"Target"`
	// ConfigurationURL is the absolute URL the webhook request is sent to.
	ConfigurationURL *string `url:"Configuration.Url,omitempty"`
	// ConfigurationMethod is the HTTP method of the webhook request.
	ConfigurationMethod *WebhookMethod `url:"Configuration.Method,omitempty,lower"`
	// ConfigurationFilters are the events that fire the webhook, sent as
	// repeated keys.
	ConfigurationFilters []string `url:"Configuration.Filters,omitempty"`
	// ConfigurationTriggers are the keywords that fire a trigger webhook,
	// sent as repeated keys.
	ConfigurationTriggers []string `url:"Configuration.Triggers,omitempty"`
	// ConfigurationFlowSID is the Studio flow the webhook sends to (FW...).
	ConfigurationFlowSID *string `url:"Configuration.FlowSid,omitempty"`
	// ConfigurationReplayAfter is the message index from which (inclusive)
	// existing messages are replayed to the webhook. Not set by default.
	ConfigurationReplayAfter *int `url:"Configuration.ReplayAfter,omitempty"`
}

func (p *WebhookCreateParams) validate() error {
	if p == nil {
		return required("Target", WebhookTarget(""))
	}
	return required("Target", p.Target)
}

// WebhookUpdateParams are the parameters of Webhooks.Update. The API takes
// no Target on update.
type WebhookUpdateParams struct {
	// ConfigurationURL is the absolute URL the webhook request is sent to.
	ConfigurationURL *string `url:"Configuration.Url,omitempty"`
	// ConfigurationMethod is the HTTP method of the webhook request.
	ConfigurationMethod *WebhookMethod `url:"Configuration.Method,omitempty,lower"`
	// ConfigurationFilters are the events that fire the webhook, sent as
	// repeated keys.
	ConfigurationFilters []string `url:"Configuration.Filters,omitempty"`
	// ConfigurationTriggers are the keywords that fire a trigger webhook,
	// sent as repeated keys.
	ConfigurationTriggers []string `url:"Configuration.Triggers,omitempty"`
	// ConfigurationFlowSID is the Studio flow the webhook sends to (FW...).
	ConfigurationFlowSID *string `url:"Configuration.FlowSid,omitempty"`
}

// WebhookListParams are the parameters of Webhooks.List and All.
type WebhookListParams struct {
	// ListParams holds PageSize (1 to 5), Page and PageToken.
	ListParams
}

func (p *WebhookListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(5)
}

// WebhooksAPI is the interface of WebhooksService, for mocking.
type WebhooksAPI interface {
	Create(ctx context.Context, conversationSID string, params *WebhookCreateParams, opts ...RequestOption) (*Webhook, error)
	Fetch(ctx context.Context, conversationSID, sid string, opts ...RequestOption) (*Webhook, error)
	Update(ctx context.Context, conversationSID, sid string, params *WebhookUpdateParams, opts ...RequestOption) (*Webhook, error)
	Delete(ctx context.Context, conversationSID, sid string, opts ...RequestOption) error
	List(ctx context.Context, conversationSID string, params *WebhookListParams, opts ...RequestOption) (*Page[Webhook], error)
	All(ctx context.Context, conversationSID string, params *WebhookListParams, opts ...RequestOption) iter.Seq2[*Webhook, error]
}

var _ WebhooksAPI = (*WebhooksService)(nil)

// WebhooksService manages the webhooks scoped to one conversation, in the
// account's default Conversation Service (Client.Webhooks) or in one service
// (Client.Service(sid).Webhooks).
type WebhooksService struct{ s scopeRef }

// Create adds a webhook to a conversation, addressed by SID or unique name.
// params.Target is required.
//
// Operation: CreateConversationScopedWebhook (POST /v1/Conversations/{ConversationSid}/Webhooks)
// Operation: CreateServiceConversationScopedWebhook (POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks)
func (r *WebhooksService) Create(ctx context.Context, conversationSID string, params *WebhookCreateParams, opts ...RequestOption) (*Webhook, error) {
	return one[Webhook](ctx, r.s, kindCreate, "Conversations/{ConversationSid}/Webhooks", params, opts, conversationSID)
}

// Fetch fetches a conversation-scoped webhook.
//
// Operation: FetchConversationScopedWebhook (GET /v1/Conversations/{ConversationSid}/Webhooks/{Sid})
// Operation: FetchServiceConversationScopedWebhook (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid})
func (r *WebhooksService) Fetch(ctx context.Context, conversationSID, sid string, opts ...RequestOption) (*Webhook, error) {
	return one[Webhook](ctx, r.s, kindRead, "Conversations/{ConversationSid}/Webhooks/{Sid}", nil, opts, conversationSID, sid)
}

// Update updates the configuration of a conversation-scoped webhook.
//
// Operation: UpdateConversationScopedWebhook (POST /v1/Conversations/{ConversationSid}/Webhooks/{Sid})
// Operation: UpdateServiceConversationScopedWebhook (POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid})
func (r *WebhooksService) Update(ctx context.Context, conversationSID, sid string, params *WebhookUpdateParams, opts ...RequestOption) (*Webhook, error) {
	return one[Webhook](ctx, r.s, kindUpdate, "Conversations/{ConversationSid}/Webhooks/{Sid}", params, opts, conversationSID, sid)
}

// Delete removes a conversation-scoped webhook.
//
// Operation: DeleteConversationScopedWebhook (DELETE /v1/Conversations/{ConversationSid}/Webhooks/{Sid})
// Operation: DeleteServiceConversationScopedWebhook (DELETE /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks/{Sid})
func (r *WebhooksService) Delete(ctx context.Context, conversationSID, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Conversations/{ConversationSid}/Webhooks/{Sid}", opts, conversationSID, sid)
}

// List fetches one page of a conversation's webhooks (at most 5 per page).
//
// Operation: ListConversationScopedWebhook (GET /v1/Conversations/{ConversationSid}/Webhooks)
// Operation: ListServiceConversationScopedWebhook (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks)
func (r *WebhooksService) List(ctx context.Context, conversationSID string, params *WebhookListParams, opts ...RequestOption) (*Page[Webhook], error) {
	return list[Webhook](ctx, r.s, "Conversations/{ConversationSid}/Webhooks", params, opts, conversationSID)
}

// All iterates over every webhook of a conversation, fetching pages as
// needed.
//
// Operation: ListConversationScopedWebhook (GET /v1/Conversations/{ConversationSid}/Webhooks)
// Operation: ListServiceConversationScopedWebhook (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Webhooks)
func (r *WebhooksService) All(ctx context.Context, conversationSID string, params *WebhookListParams, opts ...RequestOption) iter.Seq2[*Webhook, error] {
	return all[Webhook](ctx, r.s, "Conversations/{ConversationSid}/Webhooks", params, opts, conversationSID)
}
