package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/webhook"
	"github.com/stretchr/testify/require"
)

// TestEventStreamsSink: with -event-streams-url the emulator delivers
// signed CloudEvents batches, duplicates included, and the control plane
// lists them.
func TestEventStreamsSink(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	var valid []bool
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b))
		valid = append(valid, webhook.ValidateBody(conversationstest.DefaultAuthToken, r.Header.Get("X-Twilio-Signature"), "http://"+r.Host+r.RequestURI, b))
	}))
	t.Cleanup(sink.Close)
	base, _, _ := startInProcess(t, "-event-streams-url", sink.URL+"/events", "-event-streams-redeliver", "1",
		"-event-streams-types", "com.twilio.conversations.conversation.added")

	req, _ := http.NewRequest(http.MethodPost, base+"/v1/Conversations", strings.NewReader(url.Values{"UniqueName": {"streamed"}}.Encode()))
	req.SetBasicAuth(conversationstest.DefaultAccountSID, conversationstest.DefaultAuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)

	resp, err = http.Get(base + "/_emulator/eventstreams?wait=10s")
	require.NoError(t, err)
	var out struct {
		Events []struct {
			ID, Type string
		}
		Deliveries []struct {
			EventIDs []string `json:"event_ids"`
			Status   int
			Outcome  string
		}
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	require.Len(t, out.Events, 1)
	require.Equal(t, "com.twilio.conversations.conversation.added", out.Events[0].Type)
	var ids []string
	for _, d := range out.Deliveries {
		require.Equal(t, []any{200, "delivered"}, []any{d.Status, d.Outcome})
		ids = append(ids, d.EventIDs...)
	}
	require.Equal(t, []string{out.Events[0].ID, out.Events[0].ID}, ids, "the event and its duplicate")
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, bodies)
	for i, ok := range valid {
		require.True(t, ok, "batch %d is signed: %s", i, bodies[i])
	}
	require.Contains(t, bodies[0], `"UniqueName":"streamed"`)
}
