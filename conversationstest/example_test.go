package conversationstest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// In a test, write conversationstest.NewServer(t) instead: it closes the
// server when the test ends.
func ExampleNew() {
	srv := conversationstest.New()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	conv, _ := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{UniqueName: conversations.Ptr("support-42")})
	for _, body := range []string{"Hello", "How can I help?"} {
		client.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Author: conversations.Ptr("agent"), Body: conversations.Ptr(body)})
	}
	for m, err := range client.Messages.All(ctx, conv.SID, nil) {
		if err != nil {
			panic(err)
		}
		fmt.Println(m.Index, m.Author, m.Body)
	}
	_, err := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{UniqueName: conversations.Ptr("support-42")})
	var apiErr *conversations.Error
	errors.As(err, &apiErr)
	fmt.Println(apiErr.Code)
	// Output:
	// 0 agent Hello
	// 1 agent How can I help?
	// 50353
}

func ExampleServer_FailNext() {
	srv := conversationstest.New()
	defer srv.Close()
	ctx := context.Background()

	// The next two reads of the conversation list answer 503; the SDK's
	// retry policy (here fast, for the example) tries again.
	srv.FailNext(2, "GET", "/v1/Conversations", conversationstest.Fault{Status: http.StatusServiceUnavailable})
	client := srv.Client(conversations.WithRetry(conversations.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	_, err := client.Conversations.List(ctx, nil)
	fmt.Println(err, len(srv.Requests()))

	// Without retries the fault reaches the caller as Twilio's error.
	srv.RateLimitNext(1, "", "/v1/Conversations", 2*time.Second)
	_, err = srv.Client().Conversations.List(ctx, nil)
	var apiErr *conversations.Error
	if conversations.IsRateLimited(err) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.RetryAfter)
	}
	// Output:
	// <nil> 3
	// 20429 2
}

func ExampleServer_Advance() {
	srv := conversationstest.New()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	conv, _ := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{
		TimersInactive: conversations.Ptr("PT10M"),
		TimersClosed:   conversations.Ptr("PT1H"),
	})
	srv.Advance(15 * time.Minute)
	conv, _ = client.Conversations.Fetch(ctx, conv.SID)
	fmt.Println(conv.State)
	srv.Advance(time.Hour)
	conv, _ = client.Conversations.Fetch(ctx, conv.SID)
	fmt.Println(conv.State)
	// Output:
	// inactive
	// closed
}

func ExampleServer_SetReceiptStatus() {
	srv := conversationstest.New()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	conv, _ := client.Conversations.Create(ctx, nil)
	client.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{
		MessagingBindingAddress:      conversations.Ptr("+15558675310"),
		MessagingBindingProxyAddress: conversations.Ptr("+15017122661"),
	})
	m, _ := client.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr("Your order shipped")})
	fmt.Println(m.Delivery.Total, m.Delivery.Sent, m.Delivery.Delivered)

	page, _ := client.Receipts.List(ctx, conv.SID, m.SID, nil)
	srv.SetReceiptStatus(page.Items[0].SID, "delivered", 0)
	m, _ = client.Messages.Fetch(ctx, conv.SID, m.SID)
	fmt.Println(m.Delivery.Total, m.Delivery.Sent, m.Delivery.Delivered)
	// Output:
	// 1 all none
	// 1 all all
}

func ExampleServer_Requests() {
	srv := conversationstest.New()
	defer srv.Close()
	client := srv.Client()

	client.Conversations.Create(context.Background(), &conversations.ConversationCreateParams{
		TimersClosed: conversations.Ptr("P1D"),
	}, conversations.WithWebhookEnabled(false))
	r, _ := srv.LastRequest()
	fmt.Println(r.Method, r.Path, r.Form.Get("Timers.Closed"), r.Header.Get("X-Twilio-Webhook-Enabled"))
	// Output:
	// POST /v1/Conversations P1D false
}

func ExampleServer_AddBinding() {
	srv := conversationstest.New()
	defer srv.Close()
	client := srv.Client()
	svc := client.Service(srv.DefaultServiceSID())

	srv.AddBinding(srv.DefaultServiceSID(), conversationstest.BindingSpec{Identity: "alice", BindingType: "fcm"})
	for b, err := range svc.Bindings.All(context.Background(), &conversations.BindingListParams{Identity: []string{"alice"}}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(b.Identity, b.BindingType, b.Endpoint)
	}
	// Output:
	// alice fcm alice-endpoint
}
