package orchestrator

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/conversations-go/conversations"
)

// Communication is the smallest unit of interaction in a conversation: one
// message or one voice utterance.
type Communication struct {
	// ID identifies the communication (conv_communication_...).
	ID string `json:"id"`
	// ConversationID is the communication's conversation.
	ConversationID string `json:"conversationId"`
	// AccountID is the account (AC...).
	AccountID string `json:"accountId"`
	// Author is who sent it.
	Author ParticipantAddress `json:"author"`
	// Content is the text or transcription.
	Content Content `json:"content"`
	// ChannelID is a channel-specific reference ID.
	ChannelID string `json:"channelId,omitempty"`
	// ResourceID is the external resource, such as a message SID.
	ResourceID string `json:"resourceId,omitempty"`
	// Recipients are who it was sent to, with their delivery status.
	Recipients []Recipient `json:"recipients"`
	// CreatedAt is when the communication was created.
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when it was last updated.
	UpdatedAt time.Time `json:"updatedAt"`
	// OccurredAt is when it occurred.
	OccurredAt time.Time `json:"occurredAt,omitzero"`
}

// ParticipantAddress is an address on a channel, optionally tied to a
// participant: a communication's author or recipient.
type ParticipantAddress struct {
	// Address is formatted for the channel. Required.
	Address string `json:"address"`
	// Channel is the address's channel. Required.
	Channel Channel `json:"channel"`
	// ParticipantID is the participant with this address.
	ParticipantID string `json:"participantId,omitempty"`
}

// Recipient is a recipient of a communication and its delivery status.
type Recipient struct {
	ParticipantAddress
	// DeliveryStatus is the delivery status to this recipient.
	DeliveryStatus DeliveryStatus `json:"deliveryStatus,omitempty"`
}

// Content is a communication's content: TEXT (Text) or TRANSCRIPTION (Text
// and Transcription).
type Content struct {
	// Type is TEXT or TRANSCRIPTION. Required.
	Type ContentType `json:"type"`
	// Text is the message text or the transcribed text. Required.
	Text string `json:"text"`
	// Transcription holds the transcription's metadata (TRANSCRIPTION only).
	Transcription *Transcription `json:"transcription,omitempty"`
}

// Transcription is the metadata of a transcribed communication.
type Transcription struct {
	// Channel is the audio channel: 0 inbound, 1 outbound.
	Channel *int `json:"channel,omitempty"`
	// Confidence is the overall confidence, 0 to 1.
	Confidence *float64 `json:"confidence,omitempty"`
	// Engine is the transcription engine.
	Engine string `json:"engine,omitempty"`
	// Words are word-level data with timings, filled by the API.
	Words []TranscriptionWord `json:"words,omitempty"`
}

// TranscriptionWord is one transcribed word.
type TranscriptionWord struct {
	// Text is the word.
	Text string `json:"text"`
	// StartTime is when the word starts.
	StartTime time.Time `json:"startTime,omitzero"`
	// EndTime is when the word ends.
	EndTime time.Time `json:"endTime,omitzero"`
}

// CommunicationCreateParams are the parameters of Communications.Create.
type CommunicationCreateParams struct {
	// Author is who sent it. Required.
	Author ParticipantAddress `json:"author"`
	// Content is the text or transcription. Required.
	Content Content `json:"content"`
	// ChannelID is a channel-specific reference ID.
	ChannelID string `json:"channelId,omitempty"`
	// ResourceID is the external resource, such as a message SID.
	ResourceID string `json:"resourceId,omitempty"`
	// Recipients are who it was sent to. Required (at least one).
	Recipients []ParticipantAddress `json:"recipients"`
	// OccurredAt is when it occurred; zero lets the server use the
	// current time.
	OccurredAt time.Time `json:"occurredAt,omitzero"`
}

func checkParticipantAddress(param string, a *ParticipantAddress) error {
	if err := required(param+".address", a.Address); err != nil {
		return err
	}
	return checkChannel(param+".channel", a.Channel)
}

func (p *CommunicationCreateParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if err := checkParticipantAddress("author", &p.Author); err != nil {
		return err
	}
	if !p.Content.Type.valid() {
		if p.Content.Type == "" {
			return invalid("content.type", "is required")
		}
		return invalid("content.type", "must be TEXT or TRANSCRIPTION, not %q", p.Content.Type)
	}
	if err := required("content.text", p.Content.Text); err != nil {
		return err
	}
	if t := p.Content.Transcription; t != nil {
		if p.Content.Type != ContentTypeTranscription {
			return invalid("content.transcription", "is only for content of type TRANSCRIPTION")
		}
		if t.Confidence != nil && (*t.Confidence < 0 || *t.Confidence > 1) {
			return invalid("content.transcription.confidence", "must be between 0 and 1")
		}
	}
	if len(p.Recipients) == 0 {
		return invalid("recipients", "is required (at least one recipient)")
	}
	for i := range p.Recipients {
		if err := checkParticipantAddress(fmt.Sprintf("recipients[%d]", i), &p.Recipients[i]); err != nil {
			return err
		}
	}
	return nil
}

// CommunicationListParams are the parameters of Communications.List and
// Communications.All.
type CommunicationListParams struct {
	// ChannelID keeps the communications of a channel resource.
	ChannelID string
	// PageSize is the number of items per page, 1 to 1000 (0: the API's
	// default, 50).
	PageSize int
}

func (p *CommunicationListParams) query() (query, error) {
	var q query
	if p == nil {
		return q, nil
	}
	if err := checkPageSize(p.PageSize); err != nil {
		return q, err
	}
	q.add("channelId", p.ChannelID)
	q.addInt("pageSize", p.PageSize)
	return q, nil
}

// CommunicationsAPI is the interface of CommunicationsService, for mocking.
type CommunicationsAPI interface {
	Create(ctx context.Context, conversationID string, params *CommunicationCreateParams, opts ...RequestOption) (*Communication, error)
	Fetch(ctx context.Context, conversationID, id string, opts ...RequestOption) (*Communication, error)
	List(ctx context.Context, conversationID string, params *CommunicationListParams, opts ...RequestOption) (*Page[Communication], error)
	All(ctx context.Context, conversationID string, params *CommunicationListParams, opts ...RequestOption) iter.Seq2[*Communication, error]
}

var _ CommunicationsAPI = (*CommunicationsService)(nil)

// CommunicationsService manages the communications of a conversation.
type CommunicationsService struct{ c *Client }

const (
	routeCommunications = "/v2/Conversations/{ConversationId}/Communications"
	routeCommunication  = "/v2/Conversations/{ConversationId}/Communications/{id}"
)

// Create records a communication in a conversation. It is never re-sent
// once the server may have seen it (the API takes no idempotency key).
//
// Operation: CreateCommunicationInConversation (POST /v2/Conversations/{ConversationId}/Communications)
func (s *CommunicationsService) Create(ctx context.Context, conversationID string, params *CommunicationCreateParams, opts ...RequestOption) (*Communication, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	path, err := buildPath(routeCommunications, conversationID)
	if err != nil {
		return nil, err
	}
	return one[Communication](ctx, s.c, &call{method: http.MethodPost, route: routeCommunications, path: path, body: params, opts: opts})
}

// Fetch fetches a communication.
//
// Operation: FetchCommunication (GET /v2/Conversations/{ConversationId}/Communications/{id})
func (s *CommunicationsService) Fetch(ctx context.Context, conversationID, id string, opts ...RequestOption) (*Communication, error) {
	path, err := buildPath(routeCommunication, conversationID, id)
	if err != nil {
		return nil, err
	}
	return one[Communication](ctx, s.c, &call{method: http.MethodGet, route: routeCommunication, path: path, replay: true, opts: opts})
}

// List fetches one page of a conversation's communications.
//
// Operation: ListCommunicationByConversation (GET /v2/Conversations/{ConversationId}/Communications)
func (s *CommunicationsService) List(ctx context.Context, conversationID string, params *CommunicationListParams, opts ...RequestOption) (*Page[Communication], error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	path, err := buildPath(routeCommunications, conversationID)
	if err != nil {
		return nil, err
	}
	return list(ctx, s.c, listCommunications, routeCommunications, path, q, opts)
}

// All iterates over every communication of a conversation, fetching pages
// as needed.
//
// Operation: ListCommunicationByConversation (GET /v2/Conversations/{ConversationId}/Communications)
func (s *CommunicationsService) All(ctx context.Context, conversationID string, params *CommunicationListParams, opts ...RequestOption) iter.Seq2[*Communication, error] {
	q, err := params.query()
	if err != nil {
		return conversations.SeqOf[Communication](nil, err)
	}
	path, err := buildPath(routeCommunications, conversationID)
	if err != nil {
		return conversations.SeqOf[Communication](nil, err)
	}
	return all(ctx, s.c, listCommunications, routeCommunications, path, q, opts)
}

var listCommunications = listSpec[Communication]{key: "communications", id: func(c *Communication) string { return c.ID }}
