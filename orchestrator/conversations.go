package orchestrator

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/conversations-go/conversations"
)

// Conversation is a record of the interactions between participants: the
// container of their communications over every channel.
type Conversation struct {
	// ID identifies the conversation (conv_conversation_...).
	ID string `json:"id"`
	// AccountID is the account (AC...).
	AccountID string `json:"accountId"`
	// ConfigurationID is the conversation's configuration.
	ConfigurationID string `json:"configurationId"`
	// Status is ACTIVE, INACTIVE or CLOSED.
	Status ConversationStatus `json:"status,omitempty"`
	// Name is the conversation's name (empty when the API sends null).
	Name string `json:"name,omitempty"`
	// CreatedAt is when the conversation was created.
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the conversation was last updated.
	UpdatedAt time.Time `json:"updatedAt"`
	// Configuration holds the conversation's full configuration settings.
	Configuration *ConversationConfiguration `json:"configuration,omitempty"`
	// Metadata holds up to 8 customer-managed key-value pairs.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Participants are the conversation's participants.
	Participants []Participant `json:"participants,omitempty"`
}

// ConversationConfiguration is the configuration a conversation runs with,
// as the conversation reports it.
type ConversationConfiguration struct {
	// DisplayName is the configuration's name.
	DisplayName string `json:"displayName,omitempty"`
	// Description is the configuration's description.
	Description string `json:"description,omitempty"`
	// ConversationGroupingType is the grouping strategy.
	ConversationGroupingType GroupingType `json:"conversationGroupingType,omitempty"`
	// MemoryStoreID is the memory store for profile resolution.
	MemoryStoreID string `json:"memoryStoreId,omitempty"`
	// ChannelSettings holds channel-specific parameters forwarded as they
	// are to the sending service (free-form JSON).
	ChannelSettings map[string]any `json:"channelSettings,omitempty"`
	// StatusCallbacks are the conversation's webhooks.
	StatusCallbacks []StatusCallback `json:"statusCallbacks,omitempty"`
	// IntelligenceConfigurationIDs are the Conversational Intelligence
	// configuration IDs.
	IntelligenceConfigurationIDs []string `json:"intelligenceConfigurationIds,omitempty"`
	// MemoryExtractionEnabled says whether memory extraction is enabled.
	MemoryExtractionEnabled bool `json:"memoryExtractionEnabled,omitempty"`
	// ConversationsV1Bridge is the configuration's classic bridge, if any.
	ConversationsV1Bridge *ConversationsV1Bridge `json:"conversationsV1Bridge,omitempty"`
}

// ConversationCreateParams are the parameters of Conversations.Create.
type ConversationCreateParams struct {
	// ConfigurationID is an existing configuration's ID. Required.
	ConfigurationID string `json:"configurationId"`
	// Name is the conversation's name.
	Name string `json:"name,omitempty"`
	// Configuration overrides settings of the configuration.
	Configuration *ConversationConfigurationParams `json:"configuration,omitempty"`
	// Participants are created with the conversation, at most 50.
	Participants []ParticipantParams `json:"participants,omitempty"`
	// Metadata holds up to 8 key-value pairs: keys of 1 to 128 letters,
	// digits, '.', '_' or '-'; values of at most 512 characters.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// ConversationConfigurationParams are the settings a new conversation may
// override.
type ConversationConfigurationParams struct {
	// IntelligenceConfigurationIDs are at most 5 Conversational
	// Intelligence configuration IDs.
	IntelligenceConfigurationIDs []string `json:"intelligenceConfigurationIds,omitempty"`
}

func (p *ConversationCreateParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if err := required("configurationId", p.ConfigurationID); err != nil {
		return err
	}
	if p.Configuration != nil {
		if err := checkIntelligence("configuration.intelligenceConfigurationIds", p.Configuration.IntelligenceConfigurationIDs); err != nil {
			return err
		}
	}
	if len(p.Participants) > maxInitialParticipants {
		return invalid("participants", "takes at most %d participants, not %d", maxInitialParticipants, len(p.Participants))
	}
	for i := range p.Participants {
		if err := p.Participants[i].check(fmt.Sprintf("participants[%d]", i), false); err != nil {
			return err
		}
	}
	return checkMetadata("metadata", p.Metadata)
}

// ConversationUpdateParams are the parameters of Conversations.Update,
// which replaces the conversation's name, status and metadata (PUT): a
// field left empty is cleared. Use Patch to change some fields only.
type ConversationUpdateParams struct {
	// Name is the conversation's name.
	Name string `json:"name,omitempty"`
	// Status is ACTIVE, INACTIVE or CLOSED. Required.
	Status ConversationStatus `json:"status"`
	// Metadata holds up to 8 key-value pairs.
	Metadata map[string]string `json:"metadata,omitempty"`
}

func (p *ConversationUpdateParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if err := checkConversationStatus(p.Status, true); err != nil {
		return err
	}
	return checkMetadata("metadata", p.Metadata)
}

func checkConversationStatus(v ConversationStatus, req bool) error {
	if v == "" && !req {
		return nil
	}
	if !v.valid() {
		if v == "" {
			return invalid("status", "is required")
		}
		return invalid("status", "must be ACTIVE, INACTIVE or CLOSED, not %q", v)
	}
	return nil
}

// ConversationPatchParams are the parameters of Conversations.Patch, a
// JSON merge patch: an unset field is kept; Null removes a value. In
// Metadata, a key mapped to a value adds or replaces it, a key mapped to
// nil removes it, and a key not in the map is kept.
type ConversationPatchParams struct {
	// Name sets (Set) or removes (Null) the conversation's name.
	Name Nullable[string] `json:"name,omitzero"`
	// Status sets the status; empty keeps it.
	Status ConversationStatus `json:"status,omitempty"`
	// Configuration changes the conversation's status callbacks (the only
	// configuration setting a conversation may change).
	Configuration *ConversationConfigurationPatch `json:"configuration,omitempty"`
	// Metadata is merged onto the stored metadata (at most 8 entries in
	// the patch and after the merge).
	Metadata map[string]*string `json:"metadata,omitempty"`
}

// ConversationConfigurationPatch changes a conversation's configuration.
type ConversationConfigurationPatch struct {
	// StatusCallbacks replaces the conversation's webhooks (at most 20);
	// Set of an empty, non-nil slice clears them and stops webhook
	// delivery.
	StatusCallbacks Nullable[[]StatusCallback] `json:"statusCallbacks,omitzero"`
}

func (p *ConversationPatchParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if err := checkConversationStatus(p.Status, false); err != nil {
		return err
	}
	if p.Configuration != nil {
		cbs, _ := p.Configuration.StatusCallbacks.Get()
		if err := checkCallbacks("configuration.statusCallbacks", cbs, maxConversationCallbacks); err != nil {
			return err
		}
	}
	if len(p.Metadata) > maxMetadataEntries {
		return invalid("metadata", "takes at most %d entries, not %d", maxMetadataEntries, len(p.Metadata))
	}
	for k, v := range p.Metadata {
		if err := checkMetadataKey("metadata", k); err != nil {
			return err
		}
		if v != nil {
			if err := checkMaxLen("metadata."+k, *v, maxMetadataValue); err != nil {
				return err
			}
		}
	}
	return nil
}

// ConversationListParams are the parameters of Conversations.List and
// Conversations.All.
type ConversationListParams struct {
	// Status keeps conversations with one of these statuses (one status
	// query value each).
	Status []ConversationStatus
	// ChannelID keeps the conversations of a channel resource (such as a
	// call SID or a message SID).
	ChannelID string
	// PageSize is the number of items per page, 1 to 1000 (0: the API's
	// default, 50).
	PageSize int
}

func (p *ConversationListParams) query() (query, error) {
	var q query
	if p == nil {
		return q, nil
	}
	for _, s := range p.Status {
		if err := checkConversationStatus(s, true); err != nil {
			return q, err
		}
		q.add("status", string(s))
	}
	if err := checkPageSize(p.PageSize); err != nil {
		return q, err
	}
	q.add("channelId", p.ChannelID)
	q.addInt("pageSize", p.PageSize)
	return q, nil
}

// ConversationsAPI is the interface of ConversationsService, for mocking.
type ConversationsAPI interface {
	Create(ctx context.Context, params *ConversationCreateParams, opts ...RequestOption) (*Conversation, error)
	Fetch(ctx context.Context, id string, opts ...RequestOption) (*Conversation, error)
	Update(ctx context.Context, id string, params *ConversationUpdateParams, opts ...RequestOption) (*Conversation, error)
	Patch(ctx context.Context, id string, params *ConversationPatchParams, opts ...RequestOption) (*Conversation, error)
	Delete(ctx context.Context, id string, opts ...RequestOption) (*Operation, error)
	List(ctx context.Context, params *ConversationListParams, opts ...RequestOption) (*Page[Conversation], error)
	All(ctx context.Context, params *ConversationListParams, opts ...RequestOption) iter.Seq2[*Conversation, error]
}

var _ ConversationsAPI = (*ConversationsService)(nil)

// ConversationsService manages conversations.
type ConversationsService struct{ c *Client }

const (
	routeConversations = "/v2/Conversations"
	routeConversation  = "/v2/Conversations/{id}"
)

// Create creates a conversation, with up to 50 participants. The API takes
// no idempotency key for it, so it is never re-sent once the server may
// have seen it (only 429s and failures to connect are retried).
//
// Operation: CreateConversationWithConfig (POST /v2/Conversations)
func (s *ConversationsService) Create(ctx context.Context, params *ConversationCreateParams, opts ...RequestOption) (*Conversation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return one[Conversation](ctx, s.c, &call{method: http.MethodPost, route: routeConversations, path: routeConversations, body: params, opts: opts})
}

// Fetch fetches a conversation.
//
// Operation: FetchConversation (GET /v2/Conversations/{id})
func (s *ConversationsService) Fetch(ctx context.Context, id string, opts ...RequestOption) (*Conversation, error) {
	path, err := buildPath(routeConversation, id)
	if err != nil {
		return nil, err
	}
	return one[Conversation](ctx, s.c, &call{method: http.MethodGet, route: routeConversation, path: path, replay: true, opts: opts})
}

// Update replaces a conversation's name, status and metadata (PUT).
//
// Operation: UpdateConversationById (PUT /v2/Conversations/{id})
func (s *ConversationsService) Update(ctx context.Context, id string, params *ConversationUpdateParams, opts ...RequestOption) (*Conversation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	path, err := buildPath(routeConversation, id)
	if err != nil {
		return nil, err
	}
	return one[Conversation](ctx, s.c, &call{method: http.MethodPut, route: routeConversation, path: path, body: params, replay: true, opts: opts})
}

// Patch changes some fields of a conversation (a JSON merge patch; see
// ConversationPatchParams).
//
// Operation: PatchConversationById (PATCH /v2/Conversations/{id})
func (s *ConversationsService) Patch(ctx context.Context, id string, params *ConversationPatchParams, opts ...RequestOption) (*Conversation, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	path, err := buildPath(routeConversation, id)
	if err != nil {
		return nil, err
	}
	return one[Conversation](ctx, s.c, &call{method: http.MethodPatch, route: routeConversation, path: path, body: params, replay: true, opts: opts})
}

// Delete deletes a conversation and all its data, asynchronously: the API
// answers 202 with an operation (see Operation.Wait). It carries an
// Idempotency-Key and is retried with it.
//
// Operation: DeleteConversationAsync (DELETE /v2/Conversations/{id})
func (s *ConversationsService) Delete(ctx context.Context, id string, opts ...RequestOption) (*Operation, error) {
	path, err := buildPath(routeConversation, id)
	if err != nil {
		return nil, err
	}
	return s.c.async(ctx, http.MethodDelete, routeConversation, path, nil, opts)
}

// List fetches one page of the account's conversations.
//
// Operation: ListConversationByAccount (GET /v2/Conversations)
func (s *ConversationsService) List(ctx context.Context, params *ConversationListParams, opts ...RequestOption) (*Page[Conversation], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return list(ctx, s.c, listConversations, routeConversations, routeConversations, q, opts)
}

// All iterates over every conversation of the account, fetching pages as
// needed.
//
// Operation: ListConversationByAccount (GET /v2/Conversations)
func (s *ConversationsService) All(ctx context.Context, params *ConversationListParams, opts ...RequestOption) iter.Seq2[*Conversation, error] {
	q, err := params.query()
	if err != nil {
		return conversations.SeqOf[Conversation](nil, err)
	}
	return all(ctx, s.c, listConversations, routeConversations, routeConversations, q, opts)
}

var listConversations = listSpec[Conversation]{key: "conversations", id: func(c *Conversation) string { return c.ID }}
