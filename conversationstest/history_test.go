package conversationstest_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// Reset drops the Event Streams deliveries and events with the rest of the
// account, as the emulator's POST /_emulator/reset does.
func TestResetDropsStreamDeliveries(t *testing.T) {
	ctx := context.Background()
	sk := newSink(t, nil)
	srv := conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: sk.URL, Interval: -1}))
	if _, err := srv.Client().Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("before")}); err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	if ds, es := srv.StreamDeliveries(), srv.StreamEvents(); len(ds) != 1 || len(es) != 1 || ds[0].Outcome != "delivered" {
		t.Fatalf("before Reset: %d deliveries, %d events", len(ds), len(es))
	}
	srv.Reset()
	if ds, es := srv.StreamDeliveries(), srv.StreamEvents(); len(ds) != 0 || len(es) != 0 {
		t.Fatalf("after Reset: %d deliveries, %d events, want none", len(ds), len(es))
	}
	// The sink still works after Reset.
	conv, err := srv.Client().Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("after")})
	if err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	es := srv.StreamEvents()
	if len(es) != 1 || es[0].Type != "com.twilio.conversations.conversation.added" || !strings.Contains(string(es[0].JSON), `"`+conv.SID+`"`) {
		t.Fatalf("after Reset, events %v", es)
	}
	if ds := srv.StreamDeliveries(); len(ds) != 1 || !slices.Equal(ds[0].EventIDs, []string{es[0].ID}) {
		t.Fatalf("after Reset, deliveries %+v", ds)
	}
}

// WithRequestHistory bounds every recorded history: requests, webhook
// deliveries, Event Streams deliveries and events keep the n most recent.
func TestRequestHistoryBoundsDeliveries(t *testing.T) {
	ctx := context.Background()
	sk := newSink(t, nil)
	srv := conversationstest.NewServer(t,
		conversationstest.WithRequestHistory(2),
		conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: sk.URL, Interval: -1}))
	client := srv.Client()
	rv := newReceiver(t, srv.AuthToken)
	accountHooks(t, client, "", rv.URL+"/post", "onConversationAdded")

	var sids []string
	for i := range 7 {
		conv, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("c" + string(rune('0'+i)))}, cv.WithWebhookEnabled(true))
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, conv.SID)
		settle(t, srv)
		flush(t, srv) // one Event Streams delivery per conversation
	}
	want := sids[len(sids)-2:]

	ds := srv.Deliveries()
	var got []string
	for _, d := range ds {
		got = append(got, d.ConversationSID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("webhook deliveries for %v, want the last two %v", got, want)
	}
	if n := len(rv.eventTypes()); n != 7 {
		t.Errorf("receiver got %d webhooks, want 7 (the history bounds the record, not the sending)", n)
	}

	es := srv.StreamEvents()
	if len(es) != 2 {
		t.Fatalf("%d stream events, want 2", len(es))
	}
	for i, e := range es {
		if !strings.Contains(string(e.JSON), `"`+want[i]+`"`) {
			t.Errorf("stream event %d is %s, want the one of %s", i, e.JSON, want[i])
		}
	}
	sds := srv.StreamDeliveries()
	if len(sds) != 2 {
		t.Fatalf("%d stream deliveries, want 2", len(sds))
	}
	for i, d := range sds {
		if !slices.Equal(d.EventIDs, []string{es[i].ID}) || d.Outcome != "delivered" {
			t.Errorf("stream delivery %d: ids %v outcome %q, want [%s] delivered", i, d.EventIDs, d.Outcome, es[i].ID)
		}
	}
	if rs := srv.Requests(); len(rs) != 2 || rs[1].Path != "/v1/Conversations" {
		t.Errorf("requests %d, want the last 2", len(rs))
	}

	// None kept with 0; everything kept by default.
	none := conversationstest.NewServer(t, conversationstest.WithRequestHistory(0))
	all := conversationstest.NewServer(t)
	for _, s := range []*conversationstest.Server{none, all} {
		rv := newReceiver(t, s.AuthToken)
		accountHooks(t, s.Client(), "", rv.URL+"/post", "onConversationAdded")
		for range 3 {
			if _, err := s.Client().Conversations.Create(ctx, &cv.ConversationCreateParams{}, cv.WithWebhookEnabled(true)); err != nil {
				t.Fatal(err)
			}
		}
		settle(t, s)
	}
	if n := len(none.Deliveries()); n != 0 {
		t.Errorf("WithRequestHistory(0) kept %d deliveries", n)
	}
	if n := len(all.Deliveries()); n != 3 {
		t.Errorf("the default kept %d deliveries, want 3", n)
	}
}
