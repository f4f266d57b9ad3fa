package orchestrator

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/conversations-go/conversations"
)

// Participant is an actor in a conversation: a customer, a human agent or
// an AI agent, with its addresses.
type Participant struct {
	// ID identifies the participant (conv_participant_...).
	ID string `json:"id"`
	// ConversationID is the participant's conversation.
	ConversationID string `json:"conversationId"`
	// AccountID is the account (AC...).
	AccountID string `json:"accountId"`
	// Name is the display name (empty when the API sends null).
	Name string `json:"name,omitempty"`
	// Type is the participant's role.
	Type ParticipantType `json:"type,omitempty"`
	// ProfileID is the memory store profile, resolved for CUSTOMER
	// participants only.
	ProfileID string `json:"profileId,omitempty"`
	// Addresses are the participant's addresses.
	Addresses []Address `json:"addresses,omitempty"`
	// CreatedAt is when the participant was created.
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the participant was last updated.
	UpdatedAt time.Time `json:"updatedAt"`
}

// Address is one address of a participant on one channel.
type Address struct {
	// Channel is the address's channel. Required.
	Channel Channel `json:"channel"`
	// Address is formatted for the channel: E.164 for SMS and VOICE,
	// "whatsapp:+1..." for WhatsApp, and so on. Required.
	Address string `json:"address"`
	// ChannelID is a channel-specific ID correlating communications.
	ChannelID string `json:"channelId,omitempty"`
}

// ParticipantParams are the parameters of Participants.Create and
// Participants.Update, and the participants of ConversationCreateParams.
// Update replaces the participant (PUT): fields left empty are cleared.
type ParticipantParams struct {
	// Name is the display name.
	Name string `json:"name,omitempty"`
	// Type is the participant's role.
	Type ParticipantType `json:"type,omitempty"`
	// ProfileID is a resolved memory store profile ID.
	ProfileID string `json:"profileId,omitempty"`
	// Addresses are the participant's addresses; Participants.Create
	// requires at least one.
	Addresses []Address `json:"addresses,omitempty"`
}

func (p *ParticipantParams) check(param string, needAddress bool) error {
	if param != "" {
		param += "."
	}
	if err := checkParticipantType(param+"type", p.Type); err != nil {
		return err
	}
	if needAddress && len(p.Addresses) == 0 {
		return invalid(param+"addresses", "is required (at least one address)")
	}
	return checkAddresses(param+"addresses", p.Addresses)
}

// ListParams are the parameters of the list operations that only page.
type ListParams struct {
	// PageSize is the number of items per page, 1 to 1000 (0: the API's
	// default, 50).
	PageSize int
}

func (p *ListParams) query() (query, error) {
	var q query
	if p == nil {
		return q, nil
	}
	if err := checkPageSize(p.PageSize); err != nil {
		return q, err
	}
	q.addInt("pageSize", p.PageSize)
	return q, nil
}

// ParticipantsAPI is the interface of ParticipantsService, for mocking.
type ParticipantsAPI interface {
	Create(ctx context.Context, conversationID string, params *ParticipantParams, opts ...RequestOption) (*Participant, error)
	Fetch(ctx context.Context, conversationID, id string, opts ...RequestOption) (*Participant, error)
	Update(ctx context.Context, conversationID, id string, params *ParticipantParams, opts ...RequestOption) (*Participant, error)
	List(ctx context.Context, conversationID string, params *ListParams, opts ...RequestOption) (*Page[Participant], error)
	All(ctx context.Context, conversationID string, params *ListParams, opts ...RequestOption) iter.Seq2[*Participant, error]
}

var _ ParticipantsAPI = (*ParticipantsService)(nil)

// ParticipantsService manages the participants of a conversation.
type ParticipantsService struct{ c *Client }

const (
	routeParticipants = "/v2/Conversations/{ConversationId}/Participants"
	routeParticipant  = "/v2/Conversations/{ConversationId}/Participants/{id}"
)

// Create adds a participant to a conversation. It is never re-sent once
// the server may have seen it (the API takes no idempotency key for it).
//
// Operation: CreateParticipantInConversation (POST /v2/Conversations/{ConversationId}/Participants)
func (s *ParticipantsService) Create(ctx context.Context, conversationID string, params *ParticipantParams, opts ...RequestOption) (*Participant, error) {
	if params == nil {
		return nil, invalid("params", "is required")
	}
	if err := params.check("", true); err != nil {
		return nil, err
	}
	path, err := buildPath(routeParticipants, conversationID)
	if err != nil {
		return nil, err
	}
	return one[Participant](ctx, s.c, &call{method: http.MethodPost, route: routeParticipants, path: path, body: params, opts: opts})
}

// Fetch fetches a participant.
//
// Operation: FetchParticipant (GET /v2/Conversations/{ConversationId}/Participants/{id})
func (s *ParticipantsService) Fetch(ctx context.Context, conversationID, id string, opts ...RequestOption) (*Participant, error) {
	path, err := buildPath(routeParticipant, conversationID, id)
	if err != nil {
		return nil, err
	}
	return one[Participant](ctx, s.c, &call{method: http.MethodGet, route: routeParticipant, path: path, replay: true, opts: opts})
}

// Update replaces a participant (PUT).
//
// Operation: UpdateParticipantInConversation (PUT /v2/Conversations/{ConversationId}/Participants/{id})
func (s *ParticipantsService) Update(ctx context.Context, conversationID, id string, params *ParticipantParams, opts ...RequestOption) (*Participant, error) {
	if params == nil {
		return nil, invalid("params", "is required")
	}
	if err := params.check("", false); err != nil {
		return nil, err
	}
	path, err := buildPath(routeParticipant, conversationID, id)
	if err != nil {
		return nil, err
	}
	return one[Participant](ctx, s.c, &call{method: http.MethodPut, route: routeParticipant, path: path, body: params, replay: true, opts: opts})
}

// List fetches one page of a conversation's participants.
//
// Operation: ListParticipantByConversation (GET /v2/Conversations/{ConversationId}/Participants)
func (s *ParticipantsService) List(ctx context.Context, conversationID string, params *ListParams, opts ...RequestOption) (*Page[Participant], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	path, err := buildPath(routeParticipants, conversationID)
	if err != nil {
		return nil, err
	}
	return list(ctx, s.c, listParticipants, routeParticipants, path, q, opts)
}

// All iterates over every participant of a conversation, fetching pages as
// needed.
//
// Operation: ListParticipantByConversation (GET /v2/Conversations/{ConversationId}/Participants)
func (s *ParticipantsService) All(ctx context.Context, conversationID string, params *ListParams, opts ...RequestOption) iter.Seq2[*Participant, error] {
	q, err := params.query()
	if err != nil {
		return conversations.SeqOf[Participant](nil, err)
	}
	path, err := buildPath(routeParticipants, conversationID)
	if err != nil {
		return conversations.SeqOf[Participant](nil, err)
	}
	return all(ctx, s.c, listParticipants, routeParticipants, path, q, opts)
}

var listParticipants = listSpec[Participant]{key: "participants", id: func(p *Participant) string { return p.ID }}
