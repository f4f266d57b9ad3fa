package eventstreams_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/eventstreams"
	"github.com/conversations-go/conversations/webhook"
)

// A sink on the fake: the fake delivers every event twice, in shuffled
// order; the handler calls back once per event.
func ExampleNewHandler() {
	var mu sync.Mutex
	var got []string
	h, err := eventstreams.NewHandler(eventstreams.Config{
		AuthToken: conversationstest.DefaultAuthToken, // the fake signs with it
		OnMessage: func(_ context.Context, e *eventstreams.MessageEvent) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, fmt.Sprintf("%s #%d %q", e.Type, *e.Index, e.MessageBody))
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	sink := httptest.NewServer(h) // on 127.0.0.1
	defer sink.Close()

	// In a test, use conversationstest.NewServer(t, ...).
	srv := conversationstest.New(conversationstest.WithEventStreams(conversationstest.EventStreamsSink{
		URL: sink.URL + "/twilio/events", Redeliver: 1, Reorder: true, Seed: 1, Interval: -1,
	}))
	defer srv.Close()
	ctx := context.Background()
	client := srv.Client()
	conv, err := client.Conversations.Create(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, body := range []string{"hello", "world"} {
		if _, err := client.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr(body)}); err != nil {
			log.Fatal(err)
		}
	}
	if err := srv.FlushEventStreams(ctx); err != nil {
		log.Fatal(err)
	}
	sort.Strings(got)
	fmt.Println(strings.Join(got, "\n"))
	sent := 0
	for _, d := range srv.StreamDeliveries() {
		sent += len(d.EventIDs)
	}
	fmt.Println("events sent:", sent, "processed:", len(got))
	// Output:
	// com.twilio.conversations.message.added #0 "hello"
	// com.twilio.conversations.message.added #1 "world"
	// events sent: 6 processed: 2
}

// Parsing a batch by hand, for instance one read from a queue.
func ExampleParseBatch() {
	body := []byte(`[
	  {"specversion":"1.0","type":"com.twilio.conversations.message.added","source":"/v1/Conversations/CH1",
	   "id":"EZ00000000000000000000000000000001","dataschema":"https://events-schemas.twilio.com/Conversations.MessageAdded/2",
	   "datacontenttype":"application/json","time":"2026-01-01T10:00:00.000Z",
	   "data":{"ConversationSid":"CH1","MessageSid":"IM1","Index":4,"Author":"alice","MessageBody":"Ahoy!"}},
	  {"specversion":"1.0","type":"com.twilio.messaging.message.delivered","source":"/2010-04-01/Accounts/AC1/Messages/SM1",
	   "id":"EZ00000000000000000000000000000002","data":{"messageSid":"SM1"}}
	]`)
	events, err := eventstreams.ParseBatch(body)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		switch e := e.(type) {
		case *eventstreams.MessageEvent:
			fmt.Printf("%s: message %s #%d by %s: %s (schema v%d, %s)\n", e.ID, e.MessageSID, *e.Index, e.Author, e.MessageBody, e.SchemaVersion, e.Time.Format("15:04"))
		case *eventstreams.GenericEvent:
			fmt.Printf("%s: %s %s\n", e.ID, e.Type, e.Data)
		}
	}
	// Output:
	// EZ00000000000000000000000000000001: message IM1 #4 by alice: Ahoy! (schema v2, 10:00)
	// EZ00000000000000000000000000000002: com.twilio.messaging.message.delivered {"messageSid":"SM1"}
}

// What the handler answers: 200 once every event is processed (or skipped
// as a duplicate), 500 when a callback failed — Twilio then redelivers the
// batch, and only the failed event is called back again — and a 4xx for a
// request that is not a genuine delivery.
func ExampleHandler_ServeHTTP() {
	const token = "made-up-auth-token"
	fail := true
	h, err := eventstreams.NewHandler(eventstreams.Config{
		AuthToken: token,
		OnEvent: func(_ context.Context, e eventstreams.Event) error {
			if e.Base().ID == "EZ2" && fail {
				fail = false
				return errors.New("database unavailable")
			}
			fmt.Println("processed", e.Base().ID)
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	post := func(body, signWith string) int {
		u := "https://events.example.com/sink?" + webhook.BodyHashParam + "=" + webhook.ComputeBodyHash([]byte(body))
		r := httptest.NewRequest(http.MethodPost, u, strings.NewReader(body))
		r.Header.Set(webhook.SignatureHeader, webhook.ComputeSignature(signWith, u, nil))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	batch := `[{"id":"EZ1","type":"t"},{"id":"EZ2","type":"t"},{"id":"EZ3","type":"t"}]`
	fmt.Println("answer:", post(batch, token))
	fmt.Println("redelivery answer:", post(batch, token))
	fmt.Println("forged:", post(batch, "not-the-token"))
	fmt.Println("no id:", post(`[{"type":"t"}]`, token))
	// Output:
	// processed EZ1
	// processed EZ3
	// answer: 500
	// processed EZ2
	// redelivery answer: 200
	// forged: 401
	// no id: 400
}

// The default seen-set: bounded, each id for a TTL.
func ExampleNewMemorySeenSet() {
	seen := eventstreams.NewMemorySeenSet(2)
	ctx := context.Background()
	for _, id := range []string{"EZ1", "EZ1", "EZ2", "EZ3", "EZ1"} {
		first, _ := seen.Claim(ctx, id, eventstreams.DefaultSeenTTL)
		fmt.Println(id, first)
	}
	// Output:
	// EZ1 true
	// EZ1 false
	// EZ2 true
	// EZ3 true
	// EZ1 true
}
