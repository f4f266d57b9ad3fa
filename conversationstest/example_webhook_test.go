package conversationstest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/webhook"
)

// Testing a webhook handler end to end: the fake plays an inbound SMS, calls
// the handler's pre-action hook (which rejects spam and tidies the rest),
// stores the message and sends the signed post-action event. In a test,
// use conversationstest.NewServer(t) and httptest.NewServer as here.
func ExampleServer_ReceiveMessage() {
	srv := conversationstest.New()
	defer srv.Close()
	ctx := context.Background()

	// The handler under test: webhook.Handler checks X-Twilio-Signature
	// with the fake's auth token.
	var mu sync.Mutex
	var seen []string
	handler, err := webhook.NewHandler(webhook.Config{
		AuthToken: srv.AuthToken,
		OnMessage: func(_ *http.Request, e *webhook.MessageEvent) webhook.Response {
			mu.Lock()
			seen = append(seen, fmt.Sprintf("%s %q from %s via %s", e.EventType, e.Body, e.Author, e.Source))
			mu.Unlock()
			if e.EventType != webhook.OnMessageAdd {
				return webhook.Allow()
			}
			if strings.Contains(strings.ToLower(e.Body), "spam") {
				return webhook.Reject(http.StatusForbidden)
			}
			return webhook.ModifyMessage(webhook.MessageChanges{Body: conversations.Ptr(strings.TrimSpace(e.Body))})
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	hooks := httptest.NewServer(handler) // on 127.0.0.1
	defer hooks.Close()

	// Point the default service's webhooks at it, and add an SMS
	// participant to a conversation.
	client := srv.Client()
	client.Configuration.UpdateWebhook(ctx, &conversations.WebhookConfigurationUpdateParams{
		PreWebhookURL:  conversations.Ptr(hooks.URL + "/twilio/pre"),
		PostWebhookURL: conversations.Ptr(hooks.URL + "/twilio/post"),
		Filters:        []string{"onMessageAdd", "onMessageAdded"},
	})
	conv, _ := client.Conversations.Create(ctx, nil)
	client.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{
		MessagingBindingAddress:      conversations.Ptr("+15558675310"),
		MessagingBindingProxyAddress: conversations.Ptr("+15017122661"),
	})

	// The customer writes twice.
	_, err = srv.ReceiveMessage(ctx, conversationstest.InboundMessage{
		Address: "+15558675310", ProxyAddress: "+15017122661", Body: "cheap SPAM",
	})
	var rejected *conversationstest.RejectedError
	fmt.Println("rejected:", errors.As(err, &rejected), rejected.Status)

	sid, _ := srv.ReceiveMessage(ctx, conversationstest.InboundMessage{
		Address: "+15558675310", ProxyAddress: "+15017122661", Body: "  where is my order?  ",
	})
	srv.WaitDeliveries(ctx) // post-action events are asynchronous

	m, _ := client.Messages.Fetch(ctx, conv.SID, sid)
	fmt.Printf("stored: %q\n", m.Body)
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		fmt.Println(s)
	}
	for _, d := range srv.Deliveries() {
		fmt.Println(d.EventType, d.Status)
	}
	// Output:
	// rejected: true 403
	// stored: "where is my order?"
	// onMessageAdd "cheap SPAM" from +15558675310 via SMS
	// onMessageAdd "  where is my order?  " from +15558675310 via SMS
	// onMessageAdded "where is my order?" from +15558675310 via SMS
	// onMessageAdd 403
	// onMessageAdd 200
	// onMessageAdded 200
}
