package conversations

import (
	"context"
	"iter"
	"time"
)

// MessageOrder is the sort order of Messages.List: by message index,
// ascending (the API's default) or descending.
type MessageOrder string

// Known message orders.
const (
	MessageOrderAsc  MessageOrder = "asc"
	MessageOrderDesc MessageOrder = "desc"
)

// MessageDeliveryAmount says how many of a message's non-chat recipients
// are in one delivery status: all, some or none. Values the SDK does not
// know yet decode without error.
type MessageDeliveryAmount string

// Known delivery amounts.
const (
	MessageDeliveryAll  MessageDeliveryAmount = "all"
	MessageDeliverySome MessageDeliveryAmount = "some"
	MessageDeliveryNone MessageDeliveryAmount = "none"
)

// MessageDelivery is the summary of a message's delivery statuses for its
// non-chat participants (SMS, WhatsApp, ...).
type MessageDelivery struct {
	// Total is the number of non-chat recipients of the message.
	Total int `json:"total"`
	// Sent says how many recipients the message was sent to.
	Sent MessageDeliveryAmount `json:"sent"`
	// Delivered says how many recipients the message was delivered to.
	Delivered MessageDeliveryAmount `json:"delivered"`
	// Read says how many recipients read the message.
	Read MessageDeliveryAmount `json:"read"`
	// Failed says for how many recipients the delivery failed.
	Failed MessageDeliveryAmount `json:"failed"`
	// Undelivered says how many recipients the message was not delivered to.
	Undelivered MessageDeliveryAmount `json:"undelivered"`
}

// MessageMedia describes one media file attached to a message.
type MessageMedia struct {
	// SID identifies the Media resource (ME...).
	SID string `json:"sid"`
	// Size is the file size in bytes.
	Size int64 `json:"size"`
	// ContentType is the MIME type of the media, e.g. "image/jpeg".
	ContentType string `json:"content_type"`
	// Filename is the name of the media file.
	Filename string `json:"filename"`
}

// Message is a message in a conversation.
type Message struct {
	// AccountSID is the Account that owns the message.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the message belongs to.
	// Only the service-scoped operations return it.
	ChatServiceSID string `json:"chat_service_sid"`
	// ConversationSID is the conversation the message belongs to (CH...).
	ConversationSID string `json:"conversation_sid"`
	// SID identifies the message (IM...).
	SID string `json:"sid"`
	// Index is the message's position in the conversation. Indices may skip
	// numbers but always follow the order in which messages were received.
	Index int `json:"index"`
	// Author is the channel-specific identifier of the author; "system" by
	// default.
	Author string `json:"author"`
	// Body is the text of the message, up to 1,600 characters; empty for a
	// media-only message.
	Body string `json:"body"`
	// Media lists the media attached to the message; nil when it has none.
	Media []MessageMedia `json:"media"`
	// Attributes is a JSON document kept as a string ("{}" when not set);
	// see UnmarshalAttributes.
	Attributes string `json:"attributes"`
	// ParticipantSID is the participant who wrote the message (MB...);
	// empty for a message sent by the system.
	ParticipantSID string `json:"participant_sid"`
	// DateCreated is when the message was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the message was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the message's absolute API URL.
	URL string `json:"url"`
	// Delivery summarises the delivery statuses for non-chat participants;
	// nil when the API sends none.
	Delivery *MessageDelivery `json:"delivery"`
	// Links holds the URLs of related resources (delivery_receipts,
	// channel_metadata).
	Links map[string]string `json:"links"`
	// ContentSID is the Rich Content template the message was made from
	// (HX...); empty when none.
	ContentSID string `json:"content_sid"`
}

// ReceiptStatus is the delivery status of a message for one participant.
// Values the SDK does not know yet decode without error; the API may also
// send null, which decodes as "".
type ReceiptStatus string

// Known receipt statuses.
const (
	ReceiptStatusRead        ReceiptStatus = "read"
	ReceiptStatusFailed      ReceiptStatus = "failed"
	ReceiptStatusDelivered   ReceiptStatus = "delivered"
	ReceiptStatusUndelivered ReceiptStatus = "undelivered"
	ReceiptStatusSent        ReceiptStatus = "sent"
)

// Receipt is the delivery (or read) receipt of a message for one
// participant on a non-chat channel.
type Receipt struct {
	// AccountSID is the Account that owns the receipt.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the message belongs to.
	// Only the service-scoped operations return it.
	ChatServiceSID string `json:"chat_service_sid"`
	// ConversationSID is the conversation of the message (CH...).
	ConversationSID string `json:"conversation_sid"`
	// SID identifies the receipt (DY...).
	SID string `json:"sid"`
	// MessageSID is the message the receipt belongs to (IM...).
	MessageSID string `json:"message_sid"`
	// ChannelMessageSID is the channel's identifier of the delivered
	// message, e.g. SM... for SMS or WA... for WhatsApp.
	ChannelMessageSID string `json:"channel_message_sid"`
	// ParticipantSID is the participant the receipt belongs to (MB...).
	ParticipantSID string `json:"participant_sid"`
	// Status is the delivery status.
	Status ReceiptStatus `json:"status"`
	// ErrorCode is the delivery error code of a failed status; 0 otherwise.
	ErrorCode int `json:"error_code"`
	// DateCreated is when the receipt was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the receipt was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the receipt's absolute API URL.
	URL string `json:"url"`
}

// MessageCreateParams are the parameters of Messages.Create.
type MessageCreateParams struct {
	// Author is the channel-specific identifier of the author; "system" by
	// default.
	Author *string `url:"Author,omitempty"`
	// Body is the text of the message, up to 1,600 characters.
	Body *string `url:"Body,omitempty"`
	// DateCreated overrides the creation date.
	DateCreated *time.Time `url:"DateCreated,omitempty"`
	// DateUpdated overrides the last-update date.
	DateUpdated *time.Time `url:"DateUpdated,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// MediaSID is the Media resource to attach to the message (ME...).
	MediaSID *string `url:"MediaSid,omitempty"`
	// ContentSID is the Rich Content template to send (HX...). When it is
	// set, Body and MediaSID are ignored.
	ContentSID *string `url:"ContentSid,omitempty"`
	// ContentVariables is a JSON document as a string with the values of
	// the Rich Content template's variables.
	ContentVariables *string `url:"ContentVariables,omitempty"`
	// Subject is the subject of the message, up to 256 characters.
	Subject *string `url:"Subject,omitempty"`
}

// MessageUpdateParams are the parameters of Messages.Update.
type MessageUpdateParams struct {
	// Author is the channel-specific identifier of the author.
	Author *string `url:"Author,omitempty"`
	// Body is the text of the message, up to 1,600 characters.
	Body *string `url:"Body,omitempty"`
	// DateCreated overrides the creation date.
	DateCreated *time.Time `url:"DateCreated,omitempty"`
	// DateUpdated overrides the last-update date.
	DateUpdated *time.Time `url:"DateUpdated,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// Subject is the subject of the message, up to 256 characters.
	Subject *string `url:"Subject,omitempty"`
}

// MessageListParams are the parameters of Messages.List and All.
type MessageListParams struct {
	// Order is the sort order (default asc).
	Order *MessageOrder `url:"Order,omitempty"`
	// ListParams holds PageSize (1 to 100, default 50), Page and PageToken.
	ListParams
}

func (p *MessageListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(100)
}

// ReceiptListParams are the parameters of Receipts.List and All.
type ReceiptListParams struct {
	// ListParams holds PageSize (1 to 50, default 50), Page and PageToken.
	ListParams
}

func (p *ReceiptListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(50)
}

// MessagesAPI is the interface of MessagesService, for mocking.
type MessagesAPI interface {
	Create(ctx context.Context, conversationSID string, params *MessageCreateParams, opts ...RequestOption) (*Message, error)
	Fetch(ctx context.Context, conversationSID, sid string, opts ...RequestOption) (*Message, error)
	Update(ctx context.Context, conversationSID, sid string, params *MessageUpdateParams, opts ...RequestOption) (*Message, error)
	Delete(ctx context.Context, conversationSID, sid string, opts ...RequestOption) error
	List(ctx context.Context, conversationSID string, params *MessageListParams, opts ...RequestOption) (*Page[Message], error)
	All(ctx context.Context, conversationSID string, params *MessageListParams, opts ...RequestOption) iter.Seq2[*Message, error]
}

var _ MessagesAPI = (*MessagesService)(nil)

// MessagesService manages the messages of a conversation, in the account's
// default Conversation Service (Client.Messages) or in one service
// (Client.Service(sid).Messages).
type MessagesService struct{ s scopeRef }

// Create adds a message to a conversation. It accepts WithWebhookEnabled.
//
// Known error codes: CodeConversationClosed, CodeNotFound.
//
// Operation: CreateConversationMessage (POST /v1/Conversations/{ConversationSid}/Messages)
// Operation: CreateServiceConversationMessage (POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages)
func (r *MessagesService) Create(ctx context.Context, conversationSID string, params *MessageCreateParams, opts ...RequestOption) (*Message, error) {
	return one[Message](ctx, r.s, kindCreate, "Conversations/{ConversationSid}/Messages", params, opts, conversationSID)
}

// Fetch fetches a message of a conversation.
//
// Operation: FetchConversationMessage (GET /v1/Conversations/{ConversationSid}/Messages/{Sid})
// Operation: FetchServiceConversationMessage (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages/{Sid})
func (r *MessagesService) Fetch(ctx context.Context, conversationSID, sid string, opts ...RequestOption) (*Message, error) {
	return one[Message](ctx, r.s, kindRead, "Conversations/{ConversationSid}/Messages/{Sid}", nil, opts, conversationSID, sid)
}

// Update updates a message of a conversation. It accepts WithWebhookEnabled.
//
// Known error codes: CodeConversationClosed, CodeNotFound.
//
// Operation: UpdateConversationMessage (POST /v1/Conversations/{ConversationSid}/Messages/{Sid})
// Operation: UpdateServiceConversationMessage (POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages/{Sid})
func (r *MessagesService) Update(ctx context.Context, conversationSID, sid string, params *MessageUpdateParams, opts ...RequestOption) (*Message, error) {
	return one[Message](ctx, r.s, kindUpdate, "Conversations/{ConversationSid}/Messages/{Sid}", params, opts, conversationSID, sid)
}

// Delete removes a message from a conversation. It accepts
// WithWebhookEnabled.
//
// Operation: DeleteConversationMessage (DELETE /v1/Conversations/{ConversationSid}/Messages/{Sid})
// Operation: DeleteServiceConversationMessage (DELETE /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages/{Sid})
func (r *MessagesService) Delete(ctx context.Context, conversationSID, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Conversations/{ConversationSid}/Messages/{Sid}", opts, conversationSID, sid)
}

// List fetches one page of a conversation's messages.
//
// Operation: ListConversationMessage (GET /v1/Conversations/{ConversationSid}/Messages)
// Operation: ListServiceConversationMessage (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages)
func (r *MessagesService) List(ctx context.Context, conversationSID string, params *MessageListParams, opts ...RequestOption) (*Page[Message], error) {
	return list[Message](ctx, r.s, "Conversations/{ConversationSid}/Messages", params, opts, conversationSID)
}

// All iterates over every message of a conversation, fetching pages as
// needed.
//
// Operation: ListConversationMessage (GET /v1/Conversations/{ConversationSid}/Messages)
// Operation: ListServiceConversationMessage (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages)
func (r *MessagesService) All(ctx context.Context, conversationSID string, params *MessageListParams, opts ...RequestOption) iter.Seq2[*Message, error] {
	return all[Message](ctx, r.s, "Conversations/{ConversationSid}/Messages", params, opts, conversationSID)
}

// ReceiptsAPI is the interface of ReceiptsService, for mocking.
type ReceiptsAPI interface {
	Fetch(ctx context.Context, conversationSID, messageSID, sid string, opts ...RequestOption) (*Receipt, error)
	List(ctx context.Context, conversationSID, messageSID string, params *ReceiptListParams, opts ...RequestOption) (*Page[Receipt], error)
	All(ctx context.Context, conversationSID, messageSID string, params *ReceiptListParams, opts ...RequestOption) iter.Seq2[*Receipt, error]
}

var _ ReceiptsAPI = (*ReceiptsService)(nil)

// ReceiptsService reads the delivery receipts of a message, in the
// account's default Conversation Service (Client.Receipts) or in one service
// (Client.Service(sid).Receipts).
type ReceiptsService struct{ s scopeRef }

// Fetch fetches one delivery receipt of a message.
//
// Operation: FetchConversationMessageReceipt (GET /v1/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts/{Sid})
// Operation: FetchServiceConversationMessageReceipt (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts/{Sid})
func (r *ReceiptsService) Fetch(ctx context.Context, conversationSID, messageSID, sid string, opts ...RequestOption) (*Receipt, error) {
	return one[Receipt](ctx, r.s, kindRead, "Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts/{Sid}", nil, opts, conversationSID, messageSID, sid)
}

// List fetches one page of a message's delivery receipts.
//
// Operation: ListConversationMessageReceipt (GET /v1/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts)
// Operation: ListServiceConversationMessageReceipt (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts)
func (r *ReceiptsService) List(ctx context.Context, conversationSID, messageSID string, params *ReceiptListParams, opts ...RequestOption) (*Page[Receipt], error) {
	return list[Receipt](ctx, r.s, "Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts", params, opts, conversationSID, messageSID)
}

// All iterates over every delivery receipt of a message, fetching pages as
// needed.
//
// Operation: ListConversationMessageReceipt (GET /v1/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts)
// Operation: ListServiceConversationMessageReceipt (GET /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts)
func (r *ReceiptsService) All(ctx context.Context, conversationSID, messageSID string, params *ReceiptListParams, opts ...RequestOption) iter.Seq2[*Receipt, error] {
	return all[Receipt](ctx, r.s, "Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts", params, opts, conversationSID, messageSID)
}
