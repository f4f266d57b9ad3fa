package eventstreams_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/eventstreams"
)

// ledger counts, per event id, the callbacks that succeeded and failed.
type ledger struct {
	mu       sync.Mutex
	ok       map[string]int
	failed   map[string]int
	order    []string
	messages map[string][]string // MessageSID -> bodies seen, in processing order
}

func (l *ledger) record(id string, err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.failed[id]++
		return err
	}
	l.ok[id]++
	l.order = append(l.order, id)
	return nil
}

// The end-to-end path: the fake publishes the events of a support-desk
// session, delivers them as signed batches with every event duplicated
// twice and the order shuffled, and eventstreams.Handler processes each
// event exactly once. One callback fails the first time: the batch is
// answered 500, the fake (as Twilio) redelivers it, and only that event is
// processed again.
func TestEndToEndFakeToHandlerExactlyOnce(t *testing.T) {
	ctx := context.Background()
	l := &ledger{ok: map[string]int{}, failed: map[string]int{}, messages: map[string][]string{}}
	var flakyOnce sync.Once
	var handlerURL string
	var srv *conversationstest.Server

	mux := http.NewServeMux()
	hook := httptest.NewServer(mux)
	defer hook.Close()
	handlerURL = hook.URL + "/twilio/events"

	srv = conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{
		URL: handlerURL, BatchSize: 4, Redeliver: 2, Reorder: true, Seed: 42, Interval: -1,
	}))
	h, err := eventstreams.NewHandler(eventstreams.Config{
		AuthToken: srv.AuthToken,
		OnMessage: func(_ context.Context, e *eventstreams.MessageEvent) error {
			var err error
			if e.MessageBody == "flaky" && e.Type == eventstreams.MessageAdded {
				flakyOnce.Do(func() { err = errors.New("downstream unavailable") })
			}
			if err == nil {
				l.mu.Lock()
				l.messages[e.MessageSID] = append(l.messages[e.MessageSID], e.MessageBody)
				l.mu.Unlock()
			}
			return l.record(e.ID, err)
		},
		OnEvent: func(_ context.Context, e eventstreams.Event) error { return l.record(e.Base().ID, nil) },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/twilio/events", h)

	client := srv.Client()
	conv, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("support-42")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("agent-7")}); err != nil {
		t.Fatal(err)
	}
	var sids []string
	for _, body := range []string{"hello", "flaky", "how can I help?", "bye"} {
		m, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("agent-7"), Body: cv.Ptr(body)})
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, m.SID)
	}
	if _, err := client.Messages.Update(ctx, conv.SID, sids[3], &cv.MessageUpdateParams{Body: cv.Ptr("goodbye")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Users.Create(ctx, &cv.UserCreateParams{Identity: "customer-1"}); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := srv.FlushEventStreams(fctx); err != nil {
		t.Fatal(err)
	}

	published := srv.StreamEvents()
	if len(published) != 8 {
		t.Fatalf("published %d events, want 8", len(published))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var publishedIDs []string
	for _, e := range published {
		publishedIDs = append(publishedIDs, e.ID)
		if l.ok[e.ID] != 1 {
			t.Errorf("%s (%s) processed %d times, want exactly once", e.ID, e.Type, l.ok[e.ID])
		}
	}
	if len(l.ok) != len(published) {
		t.Errorf("processed %d distinct events, want %d", len(l.ok), len(published))
	}
	if slices.Equal(l.order, publishedIDs) {
		t.Errorf("events processed in publication order; Reorder did not shuffle")
	}
	var flakyID string
	for id, n := range l.failed {
		if n != 1 {
			t.Errorf("%s failed %d times", id, n)
		}
		flakyID = id
	}
	if len(l.failed) != 1 || l.ok[flakyID] != 1 {
		t.Fatalf("failed %v; the flaky event must fail once and then be processed once", l.failed)
	}
	// The typed data came through; message.added and .updated of one
	// message may arrive in either order (Event Streams does not order).
	if !slices.Equal(l.messages[sids[1]], []string{"flaky"}) || len(l.messages[sids[3]]) != 2 ||
		!slices.Contains(l.messages[sids[3]], "bye") || !slices.Contains(l.messages[sids[3]], "goodbye") {
		t.Errorf("message bodies seen %v", l.messages)
	}

	// The wire: every event was sent 3 times (Redeliver 2), plus once more
	// for each retry of a batch holding it; the batch with the failure was
	// answered 500 and redelivered (Attempt 2) with the same events.
	sent, resent := map[string]int{}, map[string]int{}
	var retried bool
	ds := srv.StreamDeliveries()
	for i, d := range ds {
		for _, id := range d.EventIDs {
			sent[id]++
			if d.Attempt > 1 {
				resent[id]++
			}
		}
		if d.Status == http.StatusInternalServerError {
			if d.Outcome != "retry" || i+1 >= len(ds) || ds[i+1].Attempt != 2 || !slices.Equal(ds[i+1].EventIDs, d.EventIDs) || ds[i+1].Status != http.StatusOK {
				t.Errorf("failed batch %+v not redelivered as is", d)
			}
			if !slices.Contains(d.EventIDs, flakyID) {
				t.Errorf("the batch answered 500 does not hold the failed event")
			}
			retried = true
		} else if d.Status != http.StatusOK {
			t.Errorf("delivery answered %d", d.Status)
		}
	}
	if !retried {
		t.Error("no batch was answered 500")
	}
	if resent[flakyID] == 0 {
		t.Error("the failed event was not redelivered")
	}
	for _, id := range publishedIDs {
		if sent[id] != 3+resent[id] {
			t.Errorf("%s sent %d times, want 3 + %d resent", id, sent[id], resent[id])
		}
	}
}
