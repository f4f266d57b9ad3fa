package webhook

import (
	"encoding/json"
	"net/http"
)

// Response is the answer to a webhook. For a pre-action event it decides
// what Conversations does with the action; for a post-action event Twilio
// ignores it, and Allow is the usual answer.
//
// The contract is the table in "Conversations Webhooks"
// (https://www.twilio.com/docs/conversations/conversations-webhooks),
// section "Using Pre-Action Webhooks to Modify or Reject Changes":
//
//   - HTTP 200 with {} or no content: the change is published unmodified
//     (Allow).
//   - HTTP 200 with a JSON object of fields: the change is published with
//     those fields modified; missing fields are left unmodified
//     (ModifyMessage, ModifyConversation).
//   - HTTP 40x or 50x: the change is rejected and nothing is published
//     (Reject).
//
// No response within 5 seconds publishes the change unmodified, after the
// delay.
//
// The zero Response is Allow.
type Response struct {
	status int
	body   []byte // JSON object, only with status 200
}

// Allow publishes the action unmodified: HTTP 200 with no body.
func Allow() Response { return Response{status: http.StatusOK} }

// Reject rejects the action: nothing is published. status is the HTTP
// status sent; the document names 40x and 50x, so a status outside 400–599
// is replaced by 403 Forbidden.
func Reject(status int) Response {
	if status < 400 || status > 599 {
		status = http.StatusForbidden
	}
	return Response{status: status}
}

// MessageChanges are the fields of a message that an onMessageAdd or
// onMessageUpdate response may modify. A nil field is left as it is; set
// one with conversations.Ptr (the module's pointer helper), e.g.
// MessageChanges{Body: conversations.Ptr("hello")}.
//
// Source: "Conversations Webhooks", "Modifiable Fields", "Message Actions":
// body, author, attributes.
type MessageChanges struct {
	// Body replaces the message text.
	Body *string `json:"body,omitempty"`
	// Author replaces the message author.
	Author *string `json:"author,omitempty"`
	// Attributes replaces the message attributes. Like the attributes
	// Twilio sends, it is a string holding JSON, e.g. `{"key":"value"}`.
	Attributes *string `json:"attributes,omitempty"`
}

// ConversationChanges are the fields of a conversation that an
// onConversationAdd or onConversationUpdate response may modify. A nil field
// is left as it is.
//
// Source: "Conversations Webhooks", "Modifiable Fields", "Conversation
// Actions": friendly_name.
type ConversationChanges struct {
	// FriendlyName replaces the conversation's friendly name.
	FriendlyName *string `json:"friendly_name,omitempty"`
}

// ModifyMessage publishes the message with the given changes: HTTP 200 with
// a JSON body such as {"body":"...","author":"...","attributes":"{...}"}.
// Use it for onMessageAdd and onMessageUpdate only; Twilio documents no
// modification for other events. If Twilio finds a modified value invalid,
// the error goes back to the client that triggered the action.
func ModifyMessage(c MessageChanges) Response {
	return modify(c)
}

// ModifyConversation publishes the conversation with the given changes:
// HTTP 200 with a JSON body such as {"friendly_name":"..."}. Use it for
// onConversationAdd and onConversationUpdate only.
func ModifyConversation(c ConversationChanges) Response {
	return modify(c)
}

func modify(v any) Response {
	b, err := json.Marshal(v)
	if err != nil { // cannot happen: only strings
		return Allow()
	}
	return Response{status: http.StatusOK, body: b}
}

// StatusCode returns the HTTP status the response is written with.
func (r Response) StatusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Body returns a copy of the JSON body of a modification, or nil.
func (r Response) Body() []byte {
	return append([]byte(nil), r.body...)
}

// Rejects reports whether the response rejects the action.
func (r Response) Rejects() bool { return r.StatusCode() != http.StatusOK }

// Send writes the response to w.
func (r Response) Send(w http.ResponseWriter) {
	status := r.StatusCode()
	if len(r.body) > 0 && status == http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(r.body)
		return
	}
	if status != http.StatusOK {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.WriteHeader(status)
}
