// Package mocking shows the two ways to test code that uses the SDK: fake
// only the slice of the API it calls through the SDK's interfaces
// (conversations.MessagesAPI, conversations.ConversationsAPI, ...), or run it
// against the in-memory server of package conversationstest. See
// notifier_test.go.
//
// The code under test is Notifier: it posts ticket updates into one
// conversation per ticket, creating the conversation on first use.
package mocking

import (
	"context"
	"fmt"

	"github.com/conversations-go/conversations"
)

// Notifier posts ticket status changes into the ticket's conversation. It
// depends on the two interfaces it uses, not on *conversations.Client, so
// that tests can hand it fakes; in production pass client.Conversations and
// client.Messages (or the same fields of client.Service(sid)).
type Notifier struct {
	// Conversations finds and creates the ticket conversations.
	Conversations conversations.ConversationsAPI
	// Messages posts into them.
	Messages conversations.MessagesAPI
	// Author is the author of the messages; "helpdesk" when empty.
	Author string
}

// TicketUpdated posts "Ticket <id> is now <status>" into the conversation
// with unique name "ticket-<id>", creating it when it does not exist yet.
// When another process creates it at the same moment (Twilio answers
// 50353), it uses theirs.
func (n *Notifier) TicketUpdated(ctx context.Context, ticketID, status string) (*conversations.Message, error) {
	conv, err := n.conversation(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	author := n.Author
	if author == "" {
		author = "helpdesk"
	}
	attrs, err := conversations.MarshalAttributes(map[string]string{"ticket": ticketID, "status": status})
	if err != nil {
		return nil, err
	}
	m, err := n.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{
		Author:     conversations.Ptr(author),
		Body:       conversations.Ptr(fmt.Sprintf("Ticket %s is now %s", ticketID, status)),
		Attributes: conversations.Ptr(attrs),
	})
	if err != nil {
		return nil, fmt.Errorf("posting to ticket %s: %w", ticketID, err)
	}
	return m, nil
}

func (n *Notifier) conversation(ctx context.Context, ticketID string) (*conversations.Conversation, error) {
	name := "ticket-" + ticketID
	conv, err := n.Conversations.Fetch(ctx, name)
	if err == nil {
		return conv, nil
	}
	if !conversations.IsNotFound(err) {
		return nil, fmt.Errorf("looking up ticket %s: %w", ticketID, err)
	}
	conv, err = n.Conversations.Create(ctx, &conversations.ConversationCreateParams{
		UniqueName:   conversations.Ptr(name),
		FriendlyName: conversations.Ptr("Ticket " + ticketID),
	})
	if conversations.HasCode(err, conversations.CodeConversationUniqueNameExists) {
		conv, err = n.Conversations.Fetch(ctx, name) // someone else won the race
	}
	if err != nil {
		return nil, fmt.Errorf("creating the conversation of ticket %s: %w", ticketID, err)
	}
	return conv, nil
}
