package orchestrator

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/conversations-go/conversations"
)

// Configuration is a conversation configuration: the top-level object of
// Conversation Orchestrator, holding how traffic is captured and grouped
// into conversations.
type Configuration struct {
	// ID identifies the configuration.
	ID string `json:"id"`
	// DisplayName is a human-readable name, at most 32 letters, digits,
	// '-', '_' or spaces.
	DisplayName string `json:"displayName"`
	// Description is a human-readable description, at most 512 characters.
	Description string `json:"description"`
	// ConversationGroupingType is how communications are grouped into
	// conversations.
	ConversationGroupingType GroupingType `json:"conversationGroupingType"`
	// MemoryStoreID is the memory store used for profile resolution.
	MemoryStoreID string `json:"memoryStoreId"`
	// ChannelSettings holds the settings of each channel, keyed by channel
	// (VOICE, SMS, RCS, WHATSAPP or CHAT).
	ChannelSettings map[Channel]ChannelSetting `json:"channelSettings,omitempty"`
	// StatusCallbacks are the webhooks applied to the configuration's
	// conversations.
	StatusCallbacks []StatusCallback `json:"statusCallbacks,omitempty"`
	// IntelligenceConfigurationIDs are Conversational Intelligence
	// configuration IDs, at most 5.
	IntelligenceConfigurationIDs []string `json:"intelligenceConfigurationIds,omitempty"`
	// MemoryExtractionEnabled says whether memory extraction is enabled for
	// the configuration's conversations.
	MemoryExtractionEnabled bool `json:"memoryExtractionEnabled"`
	// ConversationsV1Bridge, when set, routes messaging channels through a
	// Conversations (v1, "classic") Service.
	ConversationsV1Bridge *ConversationsV1Bridge `json:"conversationsV1Bridge,omitempty"`
	// CreatedAt is when the configuration was created.
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the configuration was last updated.
	UpdatedAt time.Time `json:"updatedAt"`
	// Version is the version number used for optimistic locking.
	Version int64 `json:"version"`
}

// ChannelSetting is the configuration of one channel.
type ChannelSetting struct {
	// StatusTimeouts are the channel's inactivity and close timeouts.
	StatusTimeouts *StatusTimeouts `json:"statusTimeouts,omitempty"`
	// CaptureRules select the traffic the channel captures; "*" matches
	// any address.
	CaptureRules []CaptureRule `json:"captureRules,omitempty"`
}

// StatusTimeouts are a channel's status transition timeouts, in minutes
// (at least 1; 0 leaves the key out).
type StatusTimeouts struct {
	// Inactive is the inactivity timeout in minutes.
	Inactive int `json:"inactive,omitempty"`
	// Closed is the close timeout in minutes.
	Closed int `json:"closed,omitempty"`
}

// CaptureRule captures the traffic between two addresses; "*" matches any
// address in either direction.
type CaptureRule struct {
	// From is the from address, or "*". Required.
	From string `json:"from"`
	// To is the to address, or "*". Required.
	To string `json:"to"`
	// Metadata holds further matching criteria, such as "callType" ("PSTN",
	// "SIP") for voice.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// StatusCallback is a webhook for conversation-level events.
type StatusCallback struct {
	// URL is the webhook's absolute URL (Twilio requires HTTPS and a public
	// host). Required.
	URL string `json:"url"`
	// Method is POST (the default when empty) or GET.
	Method CallbackMethod `json:"method,omitempty"`
}

// ConversationsV1Bridge links a configuration to a Conversations (v1,
// "classic") Service: messages sync both ways between the service and
// Conversation Orchestrator.
type ConversationsV1Bridge struct {
	// ServiceID is the Conversation Service SID (IS...). A service can be
	// bridged to one configuration only.
	ServiceID string `json:"serviceId"`
}

// ConfigurationCreateParams are the parameters of Configurations.Create.
type ConfigurationCreateParams struct {
	// DisplayName is a name of at most 32 letters, digits, '-', '_' or
	// spaces. Required.
	DisplayName string `json:"displayName"`
	// Description is at most 512 characters. Required.
	Description string `json:"description"`
	// ConversationGroupingType is the grouping strategy. Required.
	ConversationGroupingType GroupingType `json:"conversationGroupingType"`
	// MemoryStoreID is the memory store for profile resolution. Required.
	MemoryStoreID string `json:"memoryStoreId"`
	// ChannelSettings holds per-channel settings, keyed by VOICE, SMS, RCS,
	// WHATSAPP or CHAT.
	ChannelSettings map[Channel]ChannelSetting `json:"channelSettings,omitempty"`
	// StatusCallbacks are webhooks, at most 2 (the spec's limit for this
	// request).
	StatusCallbacks []StatusCallback `json:"statusCallbacks,omitempty"`
	// IntelligenceConfigurationIDs are at most 5 Conversational
	// Intelligence configuration IDs.
	IntelligenceConfigurationIDs []string `json:"intelligenceConfigurationIds,omitempty"`
	// MemoryExtractionEnabled enables memory extraction (default false).
	MemoryExtractionEnabled bool `json:"memoryExtractionEnabled,omitempty"`
	// ConversationsV1Bridge bridges a Conversations (classic) Service.
	ConversationsV1Bridge *ConversationsV1Bridge `json:"conversationsV1Bridge,omitempty"`
}

func (p *ConfigurationCreateParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if err := checkDisplayName("displayName", p.DisplayName); err != nil {
		return err
	}
	return checkConfigBody(p.Description, p.ConversationGroupingType, p.MemoryStoreID,
		p.ChannelSettings, p.StatusCallbacks, p.IntelligenceConfigurationIDs, p.ConversationsV1Bridge)
}

// checkConfigBody checks the fields, other than displayName, that Create
// and Update (a full replace) both send.
func checkConfigBody(description string, grouping GroupingType, memoryStoreID string,
	cs map[Channel]ChannelSetting, cbs []StatusCallback, ids []string, b *ConversationsV1Bridge) error {
	if err := required("description", description); err != nil {
		return err
	}
	if err := checkMaxLen("description", description, maxDescription); err != nil {
		return err
	}
	if err := checkGrouping("conversationGroupingType", grouping, true); err != nil {
		return err
	}
	if err := required("memoryStoreId", memoryStoreID); err != nil {
		return err
	}
	if err := checkChannelSettings("channelSettings", cs); err != nil {
		return err
	}
	if err := checkCallbacks("statusCallbacks", cbs, maxConfigStatusCallbacks); err != nil {
		return err
	}
	if err := checkIntelligence("intelligenceConfigurationIds", ids); err != nil {
		return err
	}
	return checkBridge("conversationsV1Bridge", b)
}

// ConfigurationUpdateParams are the parameters of Configurations.Update,
// which replaces the whole configuration (PUT): a field left empty is
// cleared, not kept. Use Patch to change some fields only.
type ConfigurationUpdateParams struct {
	// DisplayName is a name of at most 32 letters, digits, '-', '_' or
	// spaces.
	DisplayName string `json:"displayName,omitempty"`
	// Description is at most 512 characters. Required.
	Description string `json:"description"`
	// ConversationGroupingType is the grouping strategy. Required.
	ConversationGroupingType GroupingType `json:"conversationGroupingType"`
	// MemoryStoreID is the memory store for profile resolution. Required.
	MemoryStoreID string `json:"memoryStoreId"`
	// ChannelSettings holds per-channel settings. Required by the API; a
	// nil map is sent as {} (no channel settings).
	ChannelSettings map[Channel]ChannelSetting `json:"channelSettings"`
	// StatusCallbacks are webhooks, at most 2.
	StatusCallbacks []StatusCallback `json:"statusCallbacks,omitempty"`
	// IntelligenceConfigurationIDs are at most 5 Conversational
	// Intelligence configuration IDs.
	IntelligenceConfigurationIDs []string `json:"intelligenceConfigurationIds,omitempty"`
	// MemoryExtractionEnabled enables memory extraction (default false).
	MemoryExtractionEnabled bool `json:"memoryExtractionEnabled,omitempty"`
	// ConversationsV1Bridge bridges a Conversations (classic) Service.
	ConversationsV1Bridge *ConversationsV1Bridge `json:"conversationsV1Bridge,omitempty"`
}

func (p *ConfigurationUpdateParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if p.DisplayName != "" {
		if err := checkDisplayName("displayName", p.DisplayName); err != nil {
			return err
		}
	}
	return checkConfigBody(p.Description, p.ConversationGroupingType, p.MemoryStoreID,
		p.ChannelSettings, p.StatusCallbacks, p.IntelligenceConfigurationIDs, p.ConversationsV1Bridge)
}

// ConfigurationPatchParams are the parameters of Configurations.Patch, a
// JSON merge patch: an unset field is left out and kept by the server, a
// field set with Set replaces the value, a field set with Null removes it.
// In ChannelSettings, a channel key mapped to a setting replaces that
// channel's settings, a key mapped to nil removes the channel, and a
// channel not in the map is kept.
type ConfigurationPatchParams struct {
	// DisplayName is a name of at most 32 letters, digits, '-', '_' or
	// spaces.
	DisplayName Nullable[string] `json:"displayName,omitzero"`
	// Description is at most 512 characters.
	Description Nullable[string] `json:"description,omitzero"`
	// ConversationGroupingType is the grouping strategy; empty keeps it
	// (the API cannot remove it).
	ConversationGroupingType GroupingType `json:"conversationGroupingType,omitempty"`
	// MemoryStoreID is the memory store for profile resolution.
	MemoryStoreID Nullable[string] `json:"memoryStoreId,omitzero"`
	// ChannelSettings is merged onto the stored channel settings (see the
	// type's documentation).
	ChannelSettings map[Channel]*ChannelSetting `json:"channelSettings,omitempty"`
	// StatusCallbacks replaces the webhooks (at most 2).
	StatusCallbacks Nullable[[]StatusCallback] `json:"statusCallbacks,omitzero"`
	// IntelligenceConfigurationIDs replaces the intelligence configuration
	// IDs (at most 5).
	IntelligenceConfigurationIDs Nullable[[]string] `json:"intelligenceConfigurationIds,omitzero"`
	// MemoryExtractionEnabled enables or disables memory extraction.
	MemoryExtractionEnabled Nullable[bool] `json:"memoryExtractionEnabled,omitzero"`
	// ConversationsV1Bridge sets or (Null) removes the classic bridge.
	ConversationsV1Bridge Nullable[ConversationsV1Bridge] `json:"conversationsV1Bridge,omitzero"`
}

func (p *ConfigurationPatchParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if v, ok := p.DisplayName.Get(); ok {
		if err := checkDisplayName("displayName", v); err != nil {
			return err
		}
	}
	if v, ok := p.Description.Get(); ok {
		if err := checkMaxLen("description", v, maxDescription); err != nil {
			return err
		}
	}
	if err := checkGrouping("conversationGroupingType", p.ConversationGroupingType, false); err != nil {
		return err
	}
	for k, s := range p.ChannelSettings {
		if err := checkSettingsKey("channelSettings", k); err != nil {
			return err
		}
		if s != nil {
			if err := checkChannelSetting("channelSettings."+string(k), s); err != nil {
				return err
			}
		}
	}
	cbs, _ := p.StatusCallbacks.Get()
	if err := checkCallbacks("statusCallbacks", cbs, maxConfigStatusCallbacks); err != nil {
		return err
	}
	ids, _ := p.IntelligenceConfigurationIDs.Get()
	if err := checkIntelligence("intelligenceConfigurationIds", ids); err != nil {
		return err
	}
	if b, ok := p.ConversationsV1Bridge.Get(); ok {
		return checkBridge("conversationsV1Bridge", &b)
	}
	return nil
}

// ConfigurationListParams are the parameters of Configurations.List and
// Configurations.All.
type ConfigurationListParams struct {
	// MemoryStoreID keeps the configurations of one memory store
	// (mem_store_... or mem_service_...).
	MemoryStoreID string
	// PageSize is the number of items per page, 1 to 1000 (0: the API's
	// default, 50).
	PageSize int
}

func (p *ConfigurationListParams) query() (query, error) {
	var q query
	if p == nil {
		return q, nil
	}
	if p.MemoryStoreID != "" && !memoryStoreIDOK(p.MemoryStoreID) {
		return q, invalid("memoryStoreId", "must match ^mem_(store|service)_[0-7][0-9a-z]{25}$")
	}
	if err := checkPageSize(p.PageSize); err != nil {
		return q, err
	}
	q.addInt("pageSize", p.PageSize)
	q.add("memoryStoreId", p.MemoryStoreID)
	return q, nil
}

// memoryStoreIDOK applies the memoryStoreId filter's pattern
// ^mem_(store|service)_[0-7][0-9a-z]{25}$.
func memoryStoreIDOK(s string) bool {
	var rest string
	switch {
	case len(s) > 10 && s[:10] == "mem_store_":
		rest = s[10:]
	case len(s) > 12 && s[:12] == "mem_service_":
		rest = s[12:]
	default:
		return false
	}
	if len(rest) != 26 || rest[0] < '0' || rest[0] > '7' {
		return false
	}
	for i := 1; i < len(rest); i++ {
		if c := rest[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// ConfigurationsAPI is the interface of ConfigurationsService, for mocking.
type ConfigurationsAPI interface {
	Create(ctx context.Context, params *ConfigurationCreateParams, opts ...RequestOption) (*Operation, error)
	Fetch(ctx context.Context, id string, opts ...RequestOption) (*Configuration, error)
	Update(ctx context.Context, id string, params *ConfigurationUpdateParams, opts ...RequestOption) (*Operation, error)
	Patch(ctx context.Context, id string, params *ConfigurationPatchParams, opts ...RequestOption) (*Operation, error)
	Delete(ctx context.Context, id string, opts ...RequestOption) (*Operation, error)
	List(ctx context.Context, params *ConfigurationListParams, opts ...RequestOption) (*Page[Configuration], error)
	All(ctx context.Context, params *ConfigurationListParams, opts ...RequestOption) iter.Seq2[*Configuration, error]
}

var _ ConfigurationsAPI = (*ConfigurationsService)(nil)

// ConfigurationsService manages conversation configurations. Every write
// is asynchronous: it answers 202 with an *Operation to wait on (see
// Operation.Wait), carries an Idempotency-Key (generated once per call
// unless WithIdempotencyKey gives one) and is retried on 5xx and network
// errors with that same key.
type ConfigurationsService struct{ c *Client }

const (
	routeConfigurations = "/v2/ControlPlane/Configurations"
	routeConfiguration  = "/v2/ControlPlane/Configurations/{id}"
)

// Create creates a configuration. The configuration's ID is in the
// returned operation's Related["configurationId"] and in the completed
// operation's status.
//
// Operation: CreateConfiguration (POST /v2/ControlPlane/Configurations)
func (s *ConfigurationsService) Create(ctx context.Context, params *ConfigurationCreateParams, opts ...RequestOption) (*Operation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return s.c.async(ctx, http.MethodPost, routeConfigurations, routeConfigurations, params, opts)
}

// Fetch fetches a configuration.
//
// Operation: FetchConfiguration (GET /v2/ControlPlane/Configurations/{id})
func (s *ConfigurationsService) Fetch(ctx context.Context, id string, opts ...RequestOption) (*Configuration, error) {
	path, err := buildPath(routeConfiguration, id)
	if err != nil {
		return nil, err
	}
	return one[Configuration](ctx, s.c, &call{method: http.MethodGet, route: routeConfiguration, path: path, replay: true, opts: opts})
}

// Update replaces a configuration (PUT): fields left empty in params are
// cleared. The API answers 202 with an operation.
//
// Operation: UpdateConfiguration (PUT /v2/ControlPlane/Configurations/{id})
func (s *ConfigurationsService) Update(ctx context.Context, id string, params *ConfigurationUpdateParams, opts ...RequestOption) (*Operation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	path, err := buildPath(routeConfiguration, id)
	if err != nil {
		return nil, err
	}
	body := *params
	if body.ChannelSettings == nil {
		body.ChannelSettings = map[Channel]ChannelSetting{}
	}
	return s.c.async(ctx, http.MethodPut, routeConfiguration, path, &body, opts)
}

// Patch changes some fields of a configuration (a JSON merge patch; see
// ConfigurationPatchParams). The API answers 202 with an operation.
//
// Operation: PatchConfiguration (PATCH /v2/ControlPlane/Configurations/{id})
func (s *ConfigurationsService) Patch(ctx context.Context, id string, params *ConfigurationPatchParams, opts ...RequestOption) (*Operation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	path, err := buildPath(routeConfiguration, id)
	if err != nil {
		return nil, err
	}
	return s.c.async(ctx, http.MethodPatch, routeConfiguration, path, params, opts)
}

// Delete deletes a configuration. The API answers 202 with an operation.
//
// Operation: DeleteConfiguration (DELETE /v2/ControlPlane/Configurations/{id})
func (s *ConfigurationsService) Delete(ctx context.Context, id string, opts ...RequestOption) (*Operation, error) {
	path, err := buildPath(routeConfiguration, id)
	if err != nil {
		return nil, err
	}
	return s.c.async(ctx, http.MethodDelete, routeConfiguration, path, nil, opts)
}

// List fetches one page of configurations.
//
// Operation: ListConfiguration (GET /v2/ControlPlane/Configurations)
func (s *ConfigurationsService) List(ctx context.Context, params *ConfigurationListParams, opts ...RequestOption) (*Page[Configuration], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list(ctx, s.c, listConfigurations, routeConfigurations, routeConfigurations, q, opts)
}

// All iterates over every configuration, fetching pages as needed.
//
// Operation: ListConfiguration (GET /v2/ControlPlane/Configurations)
func (s *ConfigurationsService) All(ctx context.Context, params *ConfigurationListParams, opts ...RequestOption) iter.Seq2[*Configuration, error] {
	q, err := params.query()
	if err != nil {
		return conversations.SeqOf[Configuration](nil, err)
	}
	return all(ctx, s.c, listConfigurations, routeConfigurations, routeConfigurations, q, opts)
}

var listConfigurations = listSpec[Configuration]{key: "configurations", id: func(c *Configuration) string { return c.ID }}
