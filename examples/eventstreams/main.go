// Command eventstreams consumes Twilio Event Streams (a webhook sink) with
// package eventstreams, and shows it working against the conversationstest
// fake, offline: no network, no credentials.
//
//	go run ./examples/eventstreams
//
// It starts the sink on a random 127.0.0.1 port, runs a short support-desk
// session on the fake (a conversation, a participant, messages, an edit),
// and lets the fake deliver the Event Streams events the way Twilio does —
// signed batches, every event twice, in shuffled order. The first attempt
// to store one message fails: the handler answers 500, the fake (like
// Twilio) redelivers the batch, and only that event is processed again.
// It prints what the consumer stored and exits 0.
//
// In production, serve the same handler and create a webhook sink whose
// destination is its public URL (twilio api:events:v1:sinks:create), then
// subscribe the sink to the com.twilio.conversations.* types.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/eventstreams"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eventstreams:", err)
		os.Exit(1)
	}
}

// store is the consumer's database: one row per event processed.
type store struct {
	mu       sync.Mutex
	rows     []string
	failNext map[string]bool // message bodies whose first save fails
	failures int
}

func (s *store) save(row string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows = append(s.rows, row)
}

// newHandler is the sink: it stores conversations, messages and
// participants, once each, whatever Twilio redelivers.
func newHandler(token string, db *store) (*eventstreams.Handler, error) {
	return eventstreams.NewHandler(eventstreams.Config{
		AuthToken: token,
		OnConversation: func(_ context.Context, e *eventstreams.ConversationEvent) error {
			db.save(fmt.Sprintf("%-20s %s %q", shortType(e.Type), e.ConversationSID[:8], e.FriendlyName))
			return nil
		},
		OnParticipant: func(_ context.Context, e *eventstreams.ParticipantEvent) error {
			db.save(fmt.Sprintf("%-20s %s %s", shortType(e.Type), e.ParticipantSID[:8], e.Identity))
			return nil
		},
		OnMessage: func(_ context.Context, e *eventstreams.MessageEvent) error {
			db.mu.Lock()
			fail := db.failNext[e.MessageBody]
			delete(db.failNext, e.MessageBody)
			if fail {
				db.failures++
			}
			db.mu.Unlock()
			if fail {
				return errors.New("database busy") // Twilio will redeliver
			}
			db.save(fmt.Sprintf("%-20s #%d %q", shortType(e.Type), *e.Index, e.MessageBody))
			return nil
		},
	})
}

func shortType(t eventstreams.EventType) string {
	return string(t)[len("com.twilio.conversations."):]
}

func run(out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	db := &store{failNext: map[string]bool{"Is my order shipped?": true}}
	h, err := newHandler(conversationstest.DefaultAuthToken, db)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/twilio/events", h)
	sinkSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = sinkSrv.Serve(ln) }()
	defer sinkSrv.Close()
	sinkURL := "http://" + ln.Addr().String() + "/twilio/events"
	fmt.Fprintln(out, "sink listening on", sinkURL)

	// The fake plays Twilio: REST API plus Event Streams to our sink.
	fake := conversationstest.New(conversationstest.WithEventStreams(conversationstest.EventStreamsSink{
		URL: sinkURL, BatchSize: 3, Redeliver: 1, Reorder: true, Seed: 2026, Interval: -1,
	}))
	defer fake.Close()
	client := fake.Client()

	conv, err := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{FriendlyName: conversations.Ptr("Order 1042")})
	if err != nil {
		return err
	}
	if _, err := client.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{Identity: conversations.Ptr("agent-7")}); err != nil {
		return err
	}
	var last *conversations.Message
	for _, body := range []string{"Hi, I need help", "Is my order shipped?", "It ships tomorow"} {
		if last, err = client.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr(body)}); err != nil {
			return err
		}
	}
	if _, err := client.Messages.Update(ctx, conv.SID, last.SID, &conversations.MessageUpdateParams{Body: conversations.Ptr("It ships tomorrow")}); err != nil {
		return err
	}
	if err := fake.FlushEventStreams(ctx); err != nil {
		return err
	}

	sent, failedBatches := 0, 0
	for _, d := range fake.StreamDeliveries() {
		sent += len(d.EventIDs)
		if d.Status == http.StatusInternalServerError {
			failedBatches++
		}
	}
	published := len(fake.StreamEvents())
	db.mu.Lock()
	rows := append([]string(nil), db.rows...)
	failures := db.failures
	db.mu.Unlock()
	sort.Strings(rows)

	fmt.Fprintf(out, "events published: %d, sent (with duplicates and a retried batch): %d\n", published, sent)
	fmt.Fprintf(out, "callbacks failed: %d, batches answered 500 and redelivered: %d\n", failures, failedBatches)
	fmt.Fprintf(out, "stored once each (%d rows):\n", len(rows))
	for _, r := range rows {
		fmt.Fprintln(out, "  "+r)
	}
	if len(rows) != published {
		return fmt.Errorf("stored %d rows for %d events", len(rows), published)
	}
	return nil
}
