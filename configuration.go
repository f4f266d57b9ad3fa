package conversations

import "context"

// This file holds the account-level configuration and a Conversation
// Service's configuration (settings, push notifications, webhooks); the
// address configurations are in address_configurations.go.

// Configuration holds the account-level settings of the Conversations API:
// the default Conversation Service, Messaging Service and state timers.
type Configuration struct {
	// AccountSID is the Account the configuration belongs to.
	AccountSID string `json:"account_sid"`
	// DefaultChatServiceSID is the Conversation Service (IS...) used when a
	// conversation is created without one.
	DefaultChatServiceSID string `json:"default_chat_service_sid"`
	// DefaultMessagingServiceSID is the Messaging Service (MG...) used when a
	// conversation is created without one.
	DefaultMessagingServiceSID string `json:"default_messaging_service_sid"`
	// DefaultInactiveTimer is the default ISO 8601 duration after which a
	// conversation becomes inactive (e.g. "PT1M").
	DefaultInactiveTimer string `json:"default_inactive_timer"`
	// DefaultClosedTimer is the default ISO 8601 duration after which a
	// conversation becomes closed (e.g. "PT10M").
	DefaultClosedTimer string `json:"default_closed_timer"`
	// URL is the configuration's absolute API URL.
	URL string `json:"url"`
	// Links holds the URLs of related resources (service, webhooks).
	Links map[string]string `json:"links"`
}

// ConfigurationUpdateParams are the parameters of Configuration.Update.
type ConfigurationUpdateParams struct {
	// DefaultChatServiceSID is the default Conversation Service (IS...).
	DefaultChatServiceSID *string `url:"DefaultChatServiceSid,omitempty"`
	// DefaultMessagingServiceSID is the default Messaging Service (MG...).
	DefaultMessagingServiceSID *string `url:"DefaultMessagingServiceSid,omitempty"`
	// DefaultInactiveTimer is the default ISO 8601 duration after which a
	// conversation becomes inactive (at least PT1M).
	DefaultInactiveTimer *string `url:"DefaultInactiveTimer,omitempty"`
	// DefaultClosedTimer is the default ISO 8601 duration after which a
	// conversation becomes closed (at least PT10M).
	DefaultClosedTimer *string `url:"DefaultClosedTimer,omitempty"`
}

// WebhookConfigurationTarget is where account-level webhooks are routed.
// Values the SDK does not know yet decode without error.
type WebhookConfigurationTarget string

// Known account-level webhook targets.
const (
	// WebhookConfigurationTargetWebhook sends events to the configured URLs.
	WebhookConfigurationTargetWebhook WebhookConfigurationTarget = "webhook"
	// WebhookConfigurationTargetFlex routes events internally to Flex.
	WebhookConfigurationTargetFlex WebhookConfigurationTarget = "flex"
)

// WebhookConfiguration is the webhook configuration of the account
// (Client.Configuration.FetchWebhook) or of one Conversation Service
// (Client.Service(sid).Configuration.FetchWebhook): the callback URLs that
// receive conversation events. Both answers have the same shape but for
// Target (account only) and ChatServiceSID (service only).
type WebhookConfiguration struct {
	// AccountSID is the Account the configuration belongs to.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the configuration belongs
	// to; empty for the account-level configuration.
	ChatServiceSID string `json:"chat_service_sid,omitempty"`
	// Method is the HTTP method of webhook requests; empty when not set.
	Method WebhookMethod `json:"method"`
	// Filters lists the enabled event triggers (onMessageAdded, ...); nil
	// when not set.
	Filters []string `json:"filters"`
	// PreWebhookURL receives pre-event webhooks; empty when not set.
	PreWebhookURL string `json:"pre_webhook_url"`
	// PostWebhookURL receives post-event webhooks; empty when not set.
	PostWebhookURL string `json:"post_webhook_url"`
	// Target is where account-level webhooks are routed; empty for a
	// Conversation Service's configuration.
	Target WebhookConfigurationTarget `json:"target,omitempty"`
	// URL is the webhook configuration's absolute API URL.
	URL string `json:"url"`
}

// WebhookConfigurationUpdateParams are the parameters of
// Configuration.UpdateWebhook (account level) and
// Service(sid).Configuration.UpdateWebhook.
type WebhookConfigurationUpdateParams struct {
	// Method is the HTTP method of webhook requests.
	Method *WebhookMethod `url:"Method,omitempty"`
	// Filters lists the event triggers to enable, e.g. "onMessageAdded",
	// "onConversationUpdated"; one form key per value.
	Filters []string `url:"Filters,omitempty"`
	// PreWebhookURL is the absolute URL that receives pre-event webhooks.
	PreWebhookURL *string `url:"PreWebhookUrl,omitempty"`
	// PostWebhookURL is the absolute URL that receives post-event webhooks.
	PostWebhookURL *string `url:"PostWebhookUrl,omitempty"`
	// Target is where webhooks are routed. Only the account-level
	// configuration has a target: setting it in a Conversation Service's
	// UpdateWebhook is a *ValidationError.
	Target *WebhookConfigurationTarget `url:"Target,omitempty"`
}

// ConfigurationAPI is the interface of ConfigurationService, for mocking.
type ConfigurationAPI interface {
	Fetch(ctx context.Context, opts ...RequestOption) (*Configuration, error)
	Update(ctx context.Context, params *ConfigurationUpdateParams, opts ...RequestOption) (*Configuration, error)
	FetchWebhook(ctx context.Context, opts ...RequestOption) (*WebhookConfiguration, error)
	UpdateWebhook(ctx context.Context, params *WebhookConfigurationUpdateParams, opts ...RequestOption) (*WebhookConfiguration, error)
}

var _ ConfigurationAPI = (*ConfigurationService)(nil)

// ConfigurationService reads and updates the account-level configuration and
// its webhook configuration (Client.Configuration). A Conversation Service's
// own settings are on Client.Service(sid).Configuration.
type ConfigurationService struct{ s scopeRef }

// Fetch fetches the account-level configuration.
//
// Operation: FetchConfiguration (GET /v1/Configuration)
func (r *ConfigurationService) Fetch(ctx context.Context, opts ...RequestOption) (*Configuration, error) {
	return one[Configuration](ctx, r.s, kindRead, "Configuration", nil, opts)
}

// Update updates the account-level configuration.
//
// Operation: UpdateConfiguration (POST /v1/Configuration)
func (r *ConfigurationService) Update(ctx context.Context, params *ConfigurationUpdateParams, opts ...RequestOption) (*Configuration, error) {
	return one[Configuration](ctx, r.s, kindUpdate, "Configuration", params, opts)
}

// FetchWebhook fetches the account-level webhook configuration.
//
// Operation: FetchConfigurationWebhook (GET /v1/Configuration/Webhooks)
func (r *ConfigurationService) FetchWebhook(ctx context.Context, opts ...RequestOption) (*WebhookConfiguration, error) {
	return one[WebhookConfiguration](ctx, r.s, kindRead, "Configuration/Webhooks", nil, opts)
}

// UpdateWebhook updates the account-level webhook configuration.
//
// Operation: UpdateConfigurationWebhook (POST /v1/Configuration/Webhooks)
func (r *ConfigurationService) UpdateWebhook(ctx context.Context, params *WebhookConfigurationUpdateParams, opts ...RequestOption) (*WebhookConfiguration, error) {
	return one[WebhookConfiguration](ctx, r.s, kindUpdate, "Configuration/Webhooks", params, opts)
}

// ChatServiceConfiguration holds the settings of one Conversation Service: its
// default roles and the Reachability Indicator.
type ChatServiceConfiguration struct {
	// ChatServiceSID is the Conversation Service the configuration belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// DefaultConversationCreatorRoleSID is the conversation-level role (RL...)
	// given to a conversation's creator.
	DefaultConversationCreatorRoleSID string `json:"default_conversation_creator_role_sid"`
	// DefaultConversationRoleSID is the conversation-level role (RL...) given
	// to users added to a conversation.
	DefaultConversationRoleSID string `json:"default_conversation_role_sid"`
	// DefaultChatServiceRoleSID is the service-level role (RL...) given to
	// users added to the service.
	DefaultChatServiceRoleSID string `json:"default_chat_service_role_sid"`
	// URL is the configuration's absolute API URL.
	URL string `json:"url"`
	// Links holds the URLs of related resources (notifications, webhooks).
	Links map[string]string `json:"links"`
	// ReachabilityEnabled reports whether the Reachability Indicator is on.
	ReachabilityEnabled bool `json:"reachability_enabled"`
}

// ChatServiceConfigurationUpdateParams are the parameters of
// Service(sid).Configuration.Update.
type ChatServiceConfigurationUpdateParams struct {
	// DefaultConversationCreatorRoleSID is the conversation-level role
	// (RL...) given to a conversation's creator.
	DefaultConversationCreatorRoleSID *string `url:"DefaultConversationCreatorRoleSid,omitempty"`
	// DefaultConversationRoleSID is the conversation-level role (RL...) given
	// to users added to a conversation.
	DefaultConversationRoleSID *string `url:"DefaultConversationRoleSid,omitempty"`
	// DefaultChatServiceRoleSID is the service-level role (RL...) given to
	// users added to the service.
	DefaultChatServiceRoleSID *string `url:"DefaultChatServiceRoleSid,omitempty"`
	// ReachabilityEnabled turns the Reachability Indicator on or off.
	ReachabilityEnabled *bool `url:"ReachabilityEnabled,omitempty"`
}

// ChatServiceNotificationSettings is the push notification setting of one
// event (a participant added to or removed from a conversation).
type ChatServiceNotificationSettings struct {
	// Enabled reports whether the notification is sent.
	Enabled bool `json:"enabled"`
	// Template is the notification text template, e.g.
	// "You have been added to a Conversation: ${CONVERSATION}".
	Template string `json:"template"`
	// Sound is the name of the sound to play.
	Sound string `json:"sound"`
}

// ChatServiceNotificationWithMedia is the push notification setting for new
// messages with media or file attachments.
type ChatServiceNotificationWithMedia struct {
	// Enabled reports whether the notification is sent.
	Enabled bool `json:"enabled"`
	// Template is the notification text template.
	Template string `json:"template"`
}

// ChatServiceNotificationNewMessage is the push notification setting for new
// messages.
type ChatServiceNotificationNewMessage struct {
	// Enabled reports whether the notification is sent.
	Enabled bool `json:"enabled"`
	// Template is the notification text template, e.g.
	// "You have a new message in ${CONVERSATION} from ${PARTICIPANT}: ${MESSAGE}".
	Template string `json:"template"`
	// BadgeCountEnabled reports whether the new message badge is on.
	BadgeCountEnabled bool `json:"badge_count_enabled"`
	// Sound is the name of the sound to play.
	Sound string `json:"sound"`
	// WithMedia is the setting for messages with media attachments.
	WithMedia ChatServiceNotificationWithMedia `json:"with_media"`
}

// ChatServiceNotification is the push notification configuration of a
// Conversation Service.
type ChatServiceNotification struct {
	// AccountSID is the Account the configuration belongs to.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the configuration applies to.
	ChatServiceSID string `json:"chat_service_sid"`
	// NewMessage is the setting for new messages.
	NewMessage ChatServiceNotificationNewMessage `json:"new_message"`
	// AddedToConversation is the setting for being added to a conversation.
	AddedToConversation ChatServiceNotificationSettings `json:"added_to_conversation"`
	// RemovedFromConversation is the setting for being removed from a
	// conversation.
	RemovedFromConversation ChatServiceNotificationSettings `json:"removed_from_conversation"`
	// LogEnabled reports whether notification logging is on.
	LogEnabled bool `json:"log_enabled"`
	// URL is the configuration's absolute API URL.
	URL string `json:"url"`
}

// ChatServiceNotificationUpdateParams are the parameters of
// Service(sid).Configuration.UpdateNotification.
type ChatServiceNotificationUpdateParams struct {
	// LogEnabled turns notification logging on or off.
	LogEnabled *bool `url:"LogEnabled,omitempty"`
	// NewMessageEnabled turns the new-message notification on or off.
	NewMessageEnabled *bool `url:"NewMessage.Enabled,omitempty"`
	// NewMessageTemplate is the new-message notification text template.
	NewMessageTemplate *string `url:"NewMessage.Template,omitempty"`
	// NewMessageSound is the sound played for a new message.
	NewMessageSound *string `url:"NewMessage.Sound,omitempty"`
	// NewMessageBadgeCountEnabled turns the new message badge on or off.
	NewMessageBadgeCountEnabled *bool `url:"NewMessage.BadgeCountEnabled,omitempty"`
	// AddedToConversationEnabled turns the added-to-conversation
	// notification on or off.
	AddedToConversationEnabled *bool `url:"AddedToConversation.Enabled,omitempty"`
	// AddedToConversationTemplate is the added-to-conversation notification
	// text template.
	AddedToConversationTemplate *string `url:"AddedToConversation.Template,omitempty"`
	// AddedToConversationSound is the sound played when added to a
	// conversation.
	AddedToConversationSound *string `url:"AddedToConversation.Sound,omitempty"`
	// RemovedFromConversationEnabled turns the removed-from-conversation
	// notification on or off.
	RemovedFromConversationEnabled *bool `url:"RemovedFromConversation.Enabled,omitempty"`
	// RemovedFromConversationTemplate is the removed-from-conversation
	// notification text template.
	RemovedFromConversationTemplate *string `url:"RemovedFromConversation.Template,omitempty"`
	// RemovedFromConversationSound is the sound played when removed from a
	// conversation.
	RemovedFromConversationSound *string `url:"RemovedFromConversation.Sound,omitempty"`
	// NewMessageWithMediaEnabled turns the notification for new messages with
	// media attachments on or off.
	NewMessageWithMediaEnabled *bool `url:"NewMessage.WithMedia.Enabled,omitempty"`
	// NewMessageWithMediaTemplate is the text template of the notification
	// for new messages with media attachments.
	NewMessageWithMediaTemplate *string `url:"NewMessage.WithMedia.Template,omitempty"`
}

// ChatServiceConfigurationAPI is the interface of
// ChatServiceConfigurationService, for mocking.
type ChatServiceConfigurationAPI interface {
	Fetch(ctx context.Context, opts ...RequestOption) (*ChatServiceConfiguration, error)
	Update(ctx context.Context, params *ChatServiceConfigurationUpdateParams, opts ...RequestOption) (*ChatServiceConfiguration, error)
	FetchNotification(ctx context.Context, opts ...RequestOption) (*ChatServiceNotification, error)
	UpdateNotification(ctx context.Context, params *ChatServiceNotificationUpdateParams, opts ...RequestOption) (*ChatServiceNotification, error)
	FetchWebhook(ctx context.Context, opts ...RequestOption) (*WebhookConfiguration, error)
	UpdateWebhook(ctx context.Context, params *WebhookConfigurationUpdateParams, opts ...RequestOption) (*WebhookConfiguration, error)
}

var _ ChatServiceConfigurationAPI = (*ChatServiceConfigurationService)(nil)

// ChatServiceConfigurationService reads and updates the settings of one
// Conversation Service: its configuration, push notification configuration
// and webhook configuration (Client.Service(sid).Configuration). It exists in
// service scope only.
type ChatServiceConfigurationService struct{ s scopeRef }

// Fetch fetches the service's configuration.
//
// Operation: FetchServiceConfiguration (GET /v1/Services/{ChatServiceSid}/Configuration)
func (r *ChatServiceConfigurationService) Fetch(ctx context.Context, opts ...RequestOption) (*ChatServiceConfiguration, error) {
	return one[ChatServiceConfiguration](ctx, r.s, kindRead, "Configuration", nil, opts)
}

// Update updates the service's configuration.
//
// Operation: UpdateServiceConfiguration (POST /v1/Services/{ChatServiceSid}/Configuration)
func (r *ChatServiceConfigurationService) Update(ctx context.Context, params *ChatServiceConfigurationUpdateParams, opts ...RequestOption) (*ChatServiceConfiguration, error) {
	return one[ChatServiceConfiguration](ctx, r.s, kindUpdate, "Configuration", params, opts)
}

// FetchNotification fetches the service's push notification configuration.
//
// Operation: FetchServiceNotification (GET /v1/Services/{ChatServiceSid}/Configuration/Notifications)
func (r *ChatServiceConfigurationService) FetchNotification(ctx context.Context, opts ...RequestOption) (*ChatServiceNotification, error) {
	return one[ChatServiceNotification](ctx, r.s, kindRead, "Configuration/Notifications", nil, opts)
}

// UpdateNotification updates the service's push notification configuration.
//
// Operation: UpdateServiceNotification (POST /v1/Services/{ChatServiceSid}/Configuration/Notifications)
func (r *ChatServiceConfigurationService) UpdateNotification(ctx context.Context, params *ChatServiceNotificationUpdateParams, opts ...RequestOption) (*ChatServiceNotification, error) {
	return one[ChatServiceNotification](ctx, r.s, kindUpdate, "Configuration/Notifications", params, opts)
}

// FetchWebhook fetches the service's webhook configuration.
//
// Operation: FetchServiceWebhookConfiguration (GET /v1/Services/{ChatServiceSid}/Configuration/Webhooks)
func (r *ChatServiceConfigurationService) FetchWebhook(ctx context.Context, opts ...RequestOption) (*WebhookConfiguration, error) {
	return one[WebhookConfiguration](ctx, r.s, kindRead, "Configuration/Webhooks", nil, opts)
}

// UpdateWebhook updates the service's webhook configuration.
//
// Operation: UpdateServiceWebhookConfiguration (POST /v1/Services/{ChatServiceSid}/Configuration/Webhooks)
func (r *ChatServiceConfigurationService) UpdateWebhook(ctx context.Context, params *WebhookConfigurationUpdateParams, opts ...RequestOption) (*WebhookConfiguration, error) {
	if params != nil && params.Target != nil {
		return nil, &ValidationError{Param: "Target", Reason: "is set only on the account-level webhook configuration"}
	}
	return one[WebhookConfiguration](ctx, r.s, kindUpdate, "Configuration/Webhooks", params, opts)
}
