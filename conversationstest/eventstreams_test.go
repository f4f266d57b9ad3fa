package conversationstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/webhook"
)

// sink is an Event Streams webhook sink on 127.0.0.1 that records the
// requests it gets and answers with status(n) for the n-th request (200
// when nil).
type sink struct {
	URL    string
	mu     sync.Mutex
	bodies [][]byte
	urls   []string
	sigs   []string
	status func(n int) int
}

func newSink(t *testing.T, status func(n int) int) *sink {
	t.Helper()
	sk := &sink{status: status}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		sk.mu.Lock()
		sk.bodies = append(sk.bodies, b)
		sk.urls = append(sk.urls, "http://"+r.Host+r.RequestURI)
		sk.sigs = append(sk.sigs, r.Header.Get(webhook.SignatureHeader))
		n := len(sk.bodies)
		sk.mu.Unlock()
		code := http.StatusOK
		if sk.status != nil {
			code = sk.status(n)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(ts.Close)
	sk.URL = ts.URL + "/twilio/events"
	return sk
}

func flush(t *testing.T, srv *conversationstest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.FlushEventStreams(ctx); err != nil {
		t.Fatalf("FlushEventStreams: %v", err)
	}
}

type cloudEvent struct {
	SpecVersion     string          `json:"specversion"`
	Type            string          `json:"type"`
	Source          string          `json:"source"`
	ID              string          `json:"id"`
	DataSchema      string          `json:"dataschema"`
	DataContentType string          `json:"datacontenttype"`
	Time            string          `json:"time"`
	Data            json.RawMessage `json:"data"`
}

// The wire of the fake's Event Streams: signed JSON arrays of CloudEvents
// for the post-action events, whatever the webhook configuration and the
// X-Twilio-Webhook-Enabled header, with Twilio's envelope and data fields.
func TestEventStreamsWire(t *testing.T) {
	ctx := context.Background()
	sk := newSink(t, nil)
	srv := conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: sk.URL + "?tenant=a", Interval: -1}))
	client := srv.Client()

	conv, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("desk"), Attributes: cv.Ptr(`{"team":"blue"}`)})
	if err != nil {
		t.Fatal(err)
	}
	p := smsParticipant(t, client.Participants, conv.SID)
	m, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("agent"), Body: cv.Ptr("hello")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Messages.Update(ctx, conv.SID, m.SID, &cv.MessageUpdateParams{Body: cv.Ptr("hello again")}); err != nil {
		t.Fatal(err)
	}
	if err := client.Messages.Delete(ctx, conv.SID, m.SID); err != nil {
		t.Fatal(err)
	}
	u, err := client.Users.Create(ctx, &cv.UserCreateParams{Identity: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Participants.Delete(ctx, conv.SID, p.SID); err != nil {
		t.Fatal(err)
	}
	// A delivery report is not an Event Streams event (onDeliveryUpdated is
	// the one post-action event Event Streams does not carry).
	flush(t, srv)

	published := srv.StreamEvents()
	var types []string
	for _, e := range published {
		types = append(types, e.Type)
	}
	want := []string{
		"com.twilio.conversations.conversation.added",
		"com.twilio.conversations.participant.added",
		"com.twilio.conversations.message.added",
		"com.twilio.conversations.message.updated",
		"com.twilio.conversations.message.removed",
		"com.twilio.conversations.user.added",
		"com.twilio.conversations.participant.removed",
	}
	if !slices.Equal(types, want) {
		t.Fatalf("published %v, want %v", types, want)
	}

	ds := srv.StreamDeliveries()
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want one batch of %d (BatchSize 10)", len(ds), len(want))
	}
	d := ds[0]
	if d.Status != http.StatusOK || d.Err != nil || d.Outcome != "delivered" || d.Attempt != 1 {
		t.Errorf("delivery %d %v %q attempt %d", d.Status, d.Err, d.Outcome, d.Attempt)
	}
	wantURL := sk.URL + "?tenant=a&bodySHA256=" + webhook.ComputeBodyHash(d.Body)
	if d.URL != wantURL || sk.urls[0] != wantURL {
		t.Errorf("URL %q (sink saw %q), want %q", d.URL, sk.urls[0], wantURL)
	}
	if string(sk.bodies[0]) != string(d.Body) {
		t.Errorf("sink got another body than recorded")
	}
	if !webhook.ValidateBody(srv.AuthToken, sk.sigs[0], wantURL, sk.bodies[0]) {
		t.Errorf("signature %q does not validate", sk.sigs[0])
	}
	for k, v := range map[string]string{"Content-Type": "application/json", "User-Agent": "TwilioProxy/1.1"} {
		if got := d.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}

	var batch []cloudEvent
	if err := json.Unmarshal(d.Body, &batch); err != nil {
		t.Fatal(err)
	}
	idRE := regexp.MustCompile(`^EZ[0-9a-f]{32}$`)
	for i, e := range batch {
		if e.ID != published[i].ID || !idRE.MatchString(e.ID) || e.Type != want[i] || e.SpecVersion != "1.0" || e.DataContentType != "application/json" {
			t.Errorf("event %d envelope %+v", i, e)
		}
		if _, err := time.Parse(time.RFC3339, e.Time); err != nil {
			t.Errorf("event %d time %q", i, e.Time)
		}
	}
	check := func(i int, schema, source, data string) {
		t.Helper()
		e := batch[i]
		if e.DataSchema != "https://events-schemas.twilio.com/"+schema+"/2" {
			t.Errorf("%s dataschema %q", e.Type, e.DataSchema)
		}
		if e.Source != source {
			t.Errorf("%s source %q, want %q", e.Type, e.Source, source)
		}
		var got, wantData map[string]any
		if err := json.Unmarshal(e.Data, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(data), &wantData); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"DateCreated", "DateUpdated"} { // checked for shape only
			if v, ok := got[k]; ok {
				if _, err := time.Parse(time.RFC3339, v.(string)); err != nil {
					t.Errorf("%s %s %v", e.Type, k, v)
				}
				delete(got, k)
			}
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(wantData)
		if string(gb) != string(wb) {
			t.Errorf("%s data\n got %s\nwant %s", e.Type, gb, wb)
		}
	}
	svc := "/v1/Services/" + srv.DefaultServiceSID()
	acct := srv.AccountSID
	check(0, "Conversations.ConversationAdded", svc+"/Conversations/"+conv.SID,
		`{"AccountSid":"`+acct+`","ConversationSid":"`+conv.SID+`","FriendlyName":"desk","State":"active","MessagingServiceSid":"`+conversationstest.DefaultMessagingServiceSID+`","Attributes":{"team":"blue"}}`)
	check(1, "Conversations.ParticipantAdded", svc+"/Conversations/"+conv.SID+"/Participants/"+p.SID,
		`{"AccountSid":"`+acct+`","ConversationSid":"`+conv.SID+`","ParticipantSid":"`+p.SID+`","Attributes":{},"MessagingBinding":{"Address":"+15558675310","ProxyAddress":"+15017122661","Type":"SMS"}}`)
	check(2, "Conversations.MessageAdded", svc+"/Conversations/"+conv.SID+"/Messages/"+m.SID,
		`{"AccountSid":"`+acct+`","ConversationSid":"`+conv.SID+`","MessageSid":"`+m.SID+`","Index":0,"Author":"agent","MessageBody":"hello","MessagingServiceSid":"`+conversationstest.DefaultMessagingServiceSID+`","Attributes":{}}`)
	check(3, "Conversations.MessageUpdated", svc+"/Conversations/"+conv.SID+"/Messages/"+m.SID,
		`{"AccountSid":"`+acct+`","ConversationSid":"`+conv.SID+`","MessageSid":"`+m.SID+`","Index":0,"Author":"agent","MessageBody":"hello again","MessagingServiceSid":"`+conversationstest.DefaultMessagingServiceSID+`","Attributes":{}}`)
	check(5, "Conversations.UserAdded", svc+"/Users/"+u.SID,
		`{"AccountSid":"`+acct+`","UserSid":"`+u.SID+`","Identity":"alice","Attributes":{}}`)
	var added map[string]any
	_ = json.Unmarshal(batch[2].Data, &added)
	if _, ok := added["DateUpdated"]; ok {
		t.Errorf("message.added has DateUpdated: %s", batch[2].Data)
	}
	var updated map[string]any
	_ = json.Unmarshal(batch[3].Data, &updated)
	if _, ok := updated["DateUpdated"]; !ok {
		t.Errorf("message.updated without DateUpdated: %s", batch[3].Data)
	}
}

// Types filters; batches are cut at BatchSize; Redeliver duplicates every
// event with the same id; Reorder shuffles reproducibly.
func TestEventStreamsTypesBatchesDuplicatesReorder(t *testing.T) {
	ctx := context.Background()
	run := func(seed uint64) (ids []string, srv *conversationstest.Server) {
		sk := newSink(t, nil)
		srv = conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{
			URL: sk.URL, Types: []string{"com.twilio.conversations.message.added"},
			BatchSize: 2, Redeliver: 1, Reorder: true, Seed: seed, Interval: -1,
		}))
		client := srv.Client()
		conv, err := client.Conversations.Create(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{"a", "b", "c", "d"} {
			if _, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr(b)}); err != nil {
				t.Fatal(err)
			}
		}
		flush(t, srv)
		for _, d := range srv.StreamDeliveries() {
			if len(d.EventIDs) > 2 {
				t.Errorf("batch of %d", len(d.EventIDs))
			}
			ids = append(ids, d.EventIDs...)
		}
		return ids, srv
	}
	ids, srv := run(7)
	published := srv.StreamEvents()
	if len(published) != 4 {
		t.Fatalf("published %d events, want the 4 message.added only", len(published))
	}
	count := map[string]int{}
	for _, id := range ids {
		count[id]++
	}
	var inOrder []string
	for _, e := range published {
		if count[e.ID] != 2 {
			t.Errorf("%s delivered %d times, want 2", e.ID, count[e.ID])
		}
		inOrder = append(inOrder, e.ID, e.ID)
	}
	if len(ids) != 8 || slices.Equal(ids, inOrder) {
		t.Errorf("delivered %v: want 8, shuffled", ids)
	}
	// The same seed gives the same order of positions.
	ids2, srv2 := run(7)
	pos := func(ids []string, pub []conversationstest.StreamEvent) []int {
		var out []int
		for _, id := range ids {
			out = append(out, slices.IndexFunc(pub, func(e conversationstest.StreamEvent) bool { return e.ID == id }))
		}
		return out
	}
	if !slices.Equal(pos(ids, published), pos(ids2, srv2.StreamEvents())) {
		t.Errorf("seed 7 twice gave %v and %v", pos(ids, published), pos(ids2, srv2.StreamEvents()))
	}
}

// A 429 or 5xx answer is retried (the same body, the same ids), another
// 4xx is discarded, and a sink that never answers 2xx is dropped after
// MaxAttempts.
func TestEventStreamsRetries(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		status   func(n int) int
		outcomes []string
	}{
		{"503 then 200", func(n int) int { return map[bool]int{true: 503, false: 200}[n == 1] }, []string{"retry", "delivered"}},
		{"429 then 200", func(n int) int { return map[bool]int{true: 429, false: 200}[n == 1] }, []string{"retry", "delivered"}},
		{"400 is discarded", func(int) int { return 400 }, []string{"discarded"}},
		{"always 500", func(int) int { return 500 }, []string{"retry", "retry", "dropped"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sk := newSink(t, c.status)
			srv := conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: sk.URL, MaxAttempts: 3, Interval: -1}))
			if _, err := srv.Client().Users.Create(ctx, &cv.UserCreateParams{Identity: "bob"}); err != nil {
				t.Fatal(err)
			}
			flush(t, srv)
			ds := srv.StreamDeliveries()
			var got []string
			for i, d := range ds {
				got = append(got, d.Outcome)
				if d.Attempt != i+1 || string(d.Body) != string(ds[0].Body) {
					t.Errorf("attempt %d: %d, body changed %v", i+1, d.Attempt, string(d.Body) != string(ds[0].Body))
				}
			}
			if !slices.Equal(got, c.outcomes) {
				t.Errorf("outcomes %v, want %v", got, c.outcomes)
			}
		})
	}
}

// The loopback rule holds for the sink too; without a sink nothing is
// published and FlushEventStreams returns at once.
func TestEventStreamsLoopbackAndNoSink(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: "https://events.example.com/sink", Interval: -1}))
	if _, err := srv.Client().Users.Create(ctx, &cv.UserCreateParams{Identity: "carol"}); err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	ds := srv.StreamDeliveries()
	if len(ds) != 1 || !errors.Is(ds[0].Err, conversationstest.ErrHostNotAllowed) || ds[0].Outcome != "dropped" {
		t.Fatalf("deliveries %+v", ds)
	}
	srv.ResetStreamDeliveries()
	if len(srv.StreamDeliveries()) != 0 || len(srv.StreamEvents()) != 0 {
		t.Error("ResetStreamDeliveries kept something")
	}

	plain := conversationstest.NewServer(t)
	if _, err := plain.Client().Users.Create(ctx, &cv.UserCreateParams{Identity: "dave"}); err != nil {
		t.Fatal(err)
	}
	if err := plain.FlushEventStreams(ctx); err != nil || plain.StreamDeliveries() != nil || plain.StreamEvents() != nil {
		t.Errorf("without a sink: %v %v %v", err, plain.StreamDeliveries(), plain.StreamEvents())
	}
	plain.ResetStreamDeliveries()
}

// Background delivery: without FlushEventStreams, events arrive within the
// Interval.
func TestEventStreamsBackgroundDelivery(t *testing.T) {
	sk := newSink(t, nil)
	srv := conversationstest.NewServer(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: sk.URL, Interval: 5 * time.Millisecond}))
	if _, err := srv.Client().Users.Create(context.Background(), &cv.UserCreateParams{Identity: "erin"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.StreamDeliveries()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if ds := srv.StreamDeliveries(); len(ds) != 1 || ds[0].Outcome != "delivered" {
		t.Fatalf("deliveries %+v", ds)
	}
}

// Close stops the Event Streams sender, even with a batch in flight to a
// sink that does not answer, and leaves no goroutine of the fake behind.
func TestEventStreamsCloseStopsTheSender(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	srv := conversationstest.New(conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: slow.URL, Interval: time.Millisecond}))
	if _, err := srv.Client().Users.Create(context.Background(), &cv.UserCreateParams{Identity: "frank"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // the batch is in flight
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(4 * time.Second): // well below the 5 s answer timeout
		t.Fatal("Close did not return: the Event Streams sender is still waiting")
	}
	// Publishing after Close is a no-op.
	if err := srv.FlushEventStreams(context.Background()); err != nil {
		t.Fatal(err)
	}
}
