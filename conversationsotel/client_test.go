package conversationsotel_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// countingLimiter grants every permit at once and counts the waits.
type countingLimiter struct{ waits atomic.Int64 }

func (l *countingLimiter) Wait(context.Context, string) error { l.waits.Add(1); return nil }

// TestObserverThroughClient drives the Observer through a real client and
// the fake: a message create answered 429 once, then 201.
func TestObserverThroughClient(t *testing.T) {
	h := newHarness(t)
	srv := conversationstest.NewServer(t)
	lim := &countingLimiter{}
	c := srv.Client(
		conversations.WithObserver(h.obs),
		conversations.WithLimiter(lim),
		conversations.WithRetry(conversations.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
	)
	ctx := context.Background()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	h.spans.Reset()

	parent, root := h.tp.Tracer("test").Start(ctx, "parent")
	srv.RateLimitNext(1, "POST", "/v1/Conversations/"+conv.SID+"/Messages", 0)
	_, err = c.Messages.Create(parent, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr("hi")})
	require.NoError(t, err)

	spans := h.spans.Ended()
	require.Len(t, spans, 1)
	s := spans[0]
	require.Equal(t, "POST /v1/Conversations/{ConversationSid}/Messages", s.Name())
	require.Equal(t, trace.SpanKindClient, s.SpanKind())
	require.Equal(t, root.SpanContext().SpanID(), s.Parent().SpanID(), "the call's span is a child of the caller's")
	root.End()
	require.Equal(t, codes.Unset, s.Status().Code)
	a := kvs(s.Attributes())
	require.Equal(t, "POST", a["http.request.method"])
	require.Equal(t, "127.0.0.1", a["server.address"])
	require.Equal(t, "/v1/Conversations/{ConversationSid}/Messages", a["url.template"])
	require.Equal(t, srv.URL+"/v1/Conversations/"+conv.SID+"/Messages", a["url.full"])
	require.Equal(t, int64(201), a["http.response.status_code"])
	require.Equal(t, int64(1), a["http.request.resend_count"])

	var names []string
	for _, e := range s.Events() {
		names = append(names, e.Name)
	}
	require.Equal(t, []string{"conversations.limiter.wait", "conversations.attempt", "conversations.limiter.wait", "conversations.attempt"}, names)
	require.Equal(t, "conversation:"+conv.SID, kvs(s.Events()[0].Attributes)["conversations.limit.key"])
	first := kvs(s.Events()[1].Attributes)
	require.Equal(t, int64(429), first["http.response.status_code"])
	require.Equal(t, true, first["conversations.retry"])
	require.Equal(t, "429", first["conversations.retry.reason"])
	second := kvs(s.Events()[3].Attributes)
	require.Equal(t, int64(201), second["http.response.status_code"])
	require.Equal(t, false, second["conversations.retry"])
	require.Equal(t, int64(2), lim.waits.Load()-1, "the limiter was asked before each attempt (and once for the create)")

	m := h.metrics(t)
	var attempts, limited int64
	for _, p := range sums(t, m["conversations.client.attempts"]) {
		if p.Attrs["url.template"] == "/v1/Conversations/{ConversationSid}/Messages" {
			attempts += p.Value
		}
	}
	for _, p := range sums(t, m["conversations.client.rate_limited"]) {
		limited += p.Value
	}
	require.Equal(t, int64(2), attempts)
	require.Equal(t, int64(1), limited)
	retries := sums(t, m["conversations.client.retries"])
	require.Len(t, retries, 1)
	require.Equal(t, "429", retries[0].Attrs["conversations.retry.reason"])
}
