package orchestrator

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Action is a side effect performed in a conversation, such as sending a
// message. It starts PENDING; poll Actions.Fetch until it is COMPLETED or
// FAILED.
type Action struct {
	// ID identifies the action (conv_action_...).
	ID string `json:"id"`
	// Type is the action's type as the API reports it (the spec documents
	// "action-send-message"; its examples also show "SEND_MESSAGE").
	Type string `json:"type"`
	// Status is PENDING, COMPLETED or FAILED.
	Status ActionStatus `json:"status"`
	// ConversationID is the action's conversation.
	ConversationID string `json:"conversationId"`
	// Related names downstream resources: "messageSid" and, once sent,
	// "communicationId" for SEND_MESSAGE.
	Related map[string]string `json:"related,omitempty"`
	// CreatedAt is when the action was created.
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when it was last updated.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// CompletedAt is when it reached COMPLETED or FAILED.
	CompletedAt time.Time `json:"completedAt,omitzero"`
	// FailureReason says why it FAILED.
	FailureReason string `json:"failureReason,omitempty"`
}

// ActionCreateParams are the parameters of Actions.Create.
type ActionCreateParams struct {
	// Type is the action's type: ActionTypeSendMessage, the only one the
	// API accepts. Required.
	Type ActionType `json:"type"`
	// Payload is the SEND_MESSAGE action's payload. Required.
	Payload SendMessagePayload `json:"payload"`
}

// SendMessagePayload is the payload of a SEND_MESSAGE action.
type SendMessagePayload struct {
	// From is the sender. Required.
	From MessageParticipant `json:"from"`
	// To are the recipients. Required (at least one).
	To []MessageParticipant `json:"to"`
	// Content is the message. Required.
	Content MessageContent `json:"content"`
	// ChannelSettings are channel-specific parameters forwarded as they are
	// to the sending service (such as "messagingServiceSid").
	ChannelSettings map[string]any `json:"channelSettings,omitempty"`
}

// MessageParticipant identifies a sender or recipient of an action: a
// ParticipantID (with a Channel when the participant has several
// addresses), or an explicit Address and Channel.
type MessageParticipant struct {
	// ParticipantID is the participant whose address is used.
	ParticipantID string `json:"participantId,omitempty"`
	// Address is an explicit address, formatted for Channel.
	Address string `json:"address,omitempty"`
	// Channel is the channel of the address.
	Channel Channel `json:"channel,omitempty"`
}

// MessageContent is the content of a SEND_MESSAGE action.
type MessageContent struct {
	// Text is a plain-text body.
	Text string `json:"text,omitempty"`
	// ContentID is a Content Template (HX...), rendered with Variables.
	ContentID string `json:"contentId,omitempty"`
	// Variables are the template's variables.
	Variables map[string]string `json:"variables,omitempty"`
	// MediaURLs are URLs of media attachments.
	MediaURLs []string `json:"mediaUrls,omitempty"`
}

func checkMessageParticipant(param string, m *MessageParticipant) error {
	if m.Channel != "" {
		if err := checkChannel(param+".channel", m.Channel); err != nil {
			return err
		}
	}
	if m.ParticipantID == "" && (m.Address == "" || m.Channel == "") {
		return invalid(param, "needs a participantId, or an address and a channel")
	}
	return nil
}

func (p *ActionCreateParams) validate() error {
	if p == nil {
		return invalid("params", "is required")
	}
	if p.Type != ActionTypeSendMessage {
		if p.Type == "" {
			return invalid("type", "is required")
		}
		return invalid("type", "must be SEND_MESSAGE, not %q", p.Type)
	}
	if err := checkMessageParticipant("payload.from", &p.Payload.From); err != nil {
		return err
	}
	if len(p.Payload.To) == 0 {
		return invalid("payload.to", "is required (at least one recipient)")
	}
	for i := range p.Payload.To {
		if err := checkMessageParticipant(fmt.Sprintf("payload.to[%d]", i), &p.Payload.To[i]); err != nil {
			return err
		}
	}
	return nil
}

// ActionsAPI is the interface of ActionsService, for mocking.
type ActionsAPI interface {
	Create(ctx context.Context, conversationID string, params *ActionCreateParams, opts ...RequestOption) (*Action, error)
	Fetch(ctx context.Context, conversationID, actionID string, opts ...RequestOption) (*Action, error)
}

var _ ActionsAPI = (*ActionsService)(nil)

// ActionsService creates and reads the actions of a conversation.
type ActionsService struct{ c *Client }

const (
	routeActions = "/v2/Conversations/{ConversationId}/Actions"
	routeAction  = "/v2/Conversations/{ConversationId}/Actions/{ActionId}"
)

// Create creates an action; the API answers 202 with the action, PENDING.
// It sends a message, so it is never re-sent once the server may have
// seen it (the API takes no idempotency key for it).
//
// Operation: CreateConversationAction (POST /v2/Conversations/{ConversationId}/Actions)
func (s *ActionsService) Create(ctx context.Context, conversationID string, params *ActionCreateParams, opts ...RequestOption) (*Action, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	path, err := buildPath(routeActions, conversationID)
	if err != nil {
		return nil, err
	}
	return one[Action](ctx, s.c, &call{method: http.MethodPost, route: routeActions, path: path, body: params, opts: opts})
}

// Fetch fetches an action's current status.
//
// Operation: FetchConversationAction (GET /v2/Conversations/{ConversationId}/Actions/{ActionId})
func (s *ActionsService) Fetch(ctx context.Context, conversationID, actionID string, opts ...RequestOption) (*Action, error) {
	path, err := buildPath(routeAction, conversationID, actionID)
	if err != nil {
		return nil, err
	}
	return one[Action](ctx, s.c, &call{method: http.MethodGet, route: routeAction, path: path, replay: true, opts: opts})
}
