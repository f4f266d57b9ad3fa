package conversationstest_test

// Tests of the control plane's Event Streams endpoints
// (control_eventstreams.go).

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

func TestControlPlaneEventStreams(t *testing.T) {
	_, plain := control(t)
	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		status, body := plain(method, "/_emulator/eventstreams", "")
		require.Equal(t, http.StatusConflict, status)
		require.Equal(t, map[string]any{"error": "no Event Streams sink: give the fake WithEventStreams (the emulator: -event-streams-url)"}, body)
	}

	sk := newSink(t, func(n int) int {
		if n == 1 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	srv, ctl := control(t, conversationstest.WithEventStreams(conversationstest.EventStreamsSink{URL: sk.URL, Interval: -1}))
	status, c := raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{"FriendlyName": {"desk"}})
	require.Equal(t, http.StatusCreated, status)

	status, body := ctl(http.MethodGet, "/_emulator/eventstreams?wait=10s", "")
	require.Equal(t, http.StatusOK, status, "%v", body)
	events := body["events"].([]any)
	require.Len(t, events, 1)
	e := events[0].(map[string]any)
	require.Equal(t, "com.twilio.conversations.conversation.added", e["type"])
	require.Regexp(t, `^EZ[0-9a-f]{32}$`, e["id"])
	ev := e["event"].(map[string]any)
	require.Equal(t, e["id"], ev["id"])
	require.Equal(t, c["sid"], ev["data"].(map[string]any)["ConversationSid"])

	ds := body["deliveries"].([]any)
	require.Len(t, ds, 2, "a 503, then the retry")
	first, second := ds[0].(map[string]any), ds[1].(map[string]any)
	require.Equal(t, []any{float64(1), float64(503), "retry"}, []any{first["attempt"], first["status"], first["outcome"]})
	require.Equal(t, []any{float64(2), float64(200), "delivered"}, []any{second["attempt"], second["status"], second["outcome"]})
	require.Equal(t, []any{e["id"]}, second["event_ids"])
	require.Equal(t, []any{ev}, second["body"], "the body is the JSON array sent")
	require.Regexp(t, `^`+sk.URL+`\?bodySHA256=[0-9a-f]{64}$`, second["url"])
	require.NotEmpty(t, second["header"].(map[string]any)["X-Twilio-Signature"])

	status, body = ctl(http.MethodDelete, "/_emulator/eventstreams", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "cleared"}, body)
	_, body = ctl(http.MethodGet, "/_emulator/eventstreams", "")
	require.Equal(t, map[string]any{"events": []any{}, "deliveries": []any{}}, body)
}
