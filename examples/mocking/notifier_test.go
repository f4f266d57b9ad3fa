package mocking

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// Way 1: fake exactly the interface methods the code calls.
//
// Embedding the interface satisfies it; only the overridden methods may be
// called (any other one panics on the nil interface, which flags an
// unexpected call). Good for precise sequences and for errors that are hard
// to provoke on a server.

type fakeConversations struct {
	conversations.ConversationsAPI
	fetch  func(sid string) (*conversations.Conversation, error)
	create func(p *conversations.ConversationCreateParams) (*conversations.Conversation, error)
}

func (f *fakeConversations) Fetch(_ context.Context, sid string, _ ...conversations.RequestOption) (*conversations.Conversation, error) {
	return f.fetch(sid)
}

func (f *fakeConversations) Create(_ context.Context, p *conversations.ConversationCreateParams, _ ...conversations.RequestOption) (*conversations.Conversation, error) {
	return f.create(p)
}

type fakeMessages struct {
	conversations.MessagesAPI
	sent []*conversations.MessageCreateParams
	err  error
}

func (f *fakeMessages) Create(_ context.Context, conversationSID string, p *conversations.MessageCreateParams, _ ...conversations.RequestOption) (*conversations.Message, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.sent = append(f.sent, p)
	return &conversations.Message{ConversationSID: conversationSID, Body: *p.Body, Author: *p.Author}, nil
}

// notFound and taken are the errors the SDK returns for Twilio's answers.
var (
	notFound = &conversations.Error{Status: http.StatusNotFound, Code: 20404, Message: "The requested resource was not found"}
	taken    = &conversations.Error{Status: http.StatusConflict, Code: conversations.CodeConversationUniqueNameExists, Message: "Conversation with provided unique name already exists"}
)

func TestTicketUpdatedCreatesTheConversationOnce(t *testing.T) {
	var fetches []string
	created := 0
	convs := &fakeConversations{
		fetch: func(sid string) (*conversations.Conversation, error) {
			fetches = append(fetches, sid)
			if created == 0 {
				return nil, notFound
			}
			return &conversations.Conversation{SID: "CH1"}, nil
		},
		create: func(p *conversations.ConversationCreateParams) (*conversations.Conversation, error) {
			created++
			if *p.UniqueName != "ticket-42" || *p.FriendlyName != "Ticket 42" {
				t.Errorf("create params %q %q", *p.UniqueName, *p.FriendlyName)
			}
			return &conversations.Conversation{SID: "CH1"}, nil
		},
	}
	msgs := &fakeMessages{}
	n := &Notifier{Conversations: convs, Messages: msgs}

	for _, status := range []string{"open", "closed"} {
		m, err := n.TicketUpdated(context.Background(), "42", status)
		if err != nil {
			t.Fatal(err)
		}
		if m.ConversationSID != "CH1" {
			t.Errorf("posted to %s", m.ConversationSID)
		}
	}
	if created != 1 || len(fetches) != 2 || fetches[0] != "ticket-42" {
		t.Errorf("created %d times, fetched %v", created, fetches)
	}
	if got := *msgs.sent[1].Body; got != "Ticket 42 is now closed" {
		t.Errorf("body %q", got)
	}
	if got := *msgs.sent[0].Author; got != "helpdesk" {
		t.Errorf("author %q", got)
	}
}

func TestTicketUpdatedLosesTheCreateRace(t *testing.T) {
	fetched := 0
	convs := &fakeConversations{
		fetch: func(string) (*conversations.Conversation, error) {
			fetched++
			if fetched == 1 {
				return nil, notFound
			}
			return &conversations.Conversation{SID: "CHtheirs"}, nil
		},
		create: func(*conversations.ConversationCreateParams) (*conversations.Conversation, error) { return nil, taken },
	}
	m, err := (&Notifier{Conversations: convs, Messages: &fakeMessages{}}).TicketUpdated(context.Background(), "7", "open")
	if err != nil {
		t.Fatal(err)
	}
	if m.ConversationSID != "CHtheirs" {
		t.Errorf("posted to %s", m.ConversationSID)
	}
}

func TestTicketUpdatedReportsAPIErrors(t *testing.T) {
	limited := &conversations.Error{Status: http.StatusTooManyRequests, Code: 20429, Message: "Too Many Requests"}
	convs := &fakeConversations{fetch: func(string) (*conversations.Conversation, error) { return &conversations.Conversation{SID: "CH1"}, nil }}
	_, err := (&Notifier{Conversations: convs, Messages: &fakeMessages{err: limited}}).TicketUpdated(context.Background(), "1", "open")
	if !conversations.IsRateLimited(err) {
		t.Fatalf("want the 429 through errors.As, got %v", err)
	}
}

// Way 2: run the same code against the in-memory server.
//
// No hand-written fakes: the server keeps state like Twilio does (unique
// names, message indexes, 404s and 409s with Twilio's codes), so this
// checks the code against the API's behaviour rather than against your
// assumptions about it. Faults can be injected where needed.

func TestTicketUpdatedOnTheFakeServer(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	client := srv.Client()
	n := &Notifier{Conversations: client.Conversations, Messages: client.Messages, Author: "bot"}

	for _, status := range []string{"open", "pending", "closed"} {
		if _, err := n.TicketUpdated(ctx, "42", status); err != nil {
			t.Fatal(err)
		}
	}
	conv, err := client.Conversations.Fetch(ctx, "ticket-42") // a unique name works here, not in sub-resources
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for m, err := range client.Messages.All(ctx, conv.SID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, m.Body)
		var a map[string]string
		if err := conversations.UnmarshalAttributes(m.Attributes, &a); err != nil || a["ticket"] != "42" {
			t.Errorf("attributes %q: %v", m.Attributes, err)
		}
	}
	if len(bodies) != 3 || bodies[2] != "Ticket 42 is now closed" {
		t.Errorf("messages %q", bodies)
	}

	// Another process took the unique name between our fetch and create:
	// make the first lookup miss, as if it came just before theirs.
	if _, err := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{UniqueName: conversations.Ptr("ticket-9")}); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(1, "GET", "/v1/Conversations/ticket-9", conversationstest.Fault{Status: http.StatusNotFound})
	m, err := n.TicketUpdated(ctx, "9", "open")
	if err != nil {
		t.Fatalf("the 50353 from the server was not handled: %v", err)
	}
	if m.Index != 0 {
		t.Errorf("index %d", m.Index)
	}

	// Rate limiting, retried by the SDK's policy.
	retrying := srv.Client(conversations.WithRetry(conversations.RetryPolicy{MaxAttempts: 2, MaxRetryAfter: 0}))
	n = &Notifier{Conversations: retrying.Conversations, Messages: retrying.Messages}
	srv.RateLimitNext(1, "POST", "/v1/Conversations/*", 0)
	if _, err := n.TicketUpdated(ctx, "42", "reopened"); err != nil {
		t.Fatalf("a single 429 should be retried: %v", err)
	}
	srv.RateLimitNext(2, "POST", "/v1/Conversations/*", 0)
	_, err = n.TicketUpdated(ctx, "42", "again")
	var apiErr *conversations.Error
	if !errors.As(err, &apiErr) || apiErr.Code != 20429 {
		t.Fatalf("want Twilio's 20429 after the retries, got %v", err)
	}
}
