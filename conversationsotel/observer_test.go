package conversationsotel_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationsotel"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// harness is an Observer wired to in-memory span and metric readers.
type harness struct {
	obs    *conversationsotel.Observer
	tp     *sdktrace.TracerProvider
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	obs, err := conversationsotel.New(conversationsotel.WithTracerProvider(tp), conversationsotel.WithMeterProvider(mp))
	require.NoError(t, err)
	return &harness{obs: obs, tp: tp, spans: spans, reader: reader}
}

// metrics collects the metrics, by name.
func (h *harness) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		require.Equal(t, conversationsotel.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// attrs renders an attribute set as a map, for exact comparison.
func attrs(s attribute.Set) map[string]any {
	out := map[string]any{}
	for _, kv := range s.ToSlice() {
		out[string(kv.Key)] = kv.Value.AsInterface()
	}
	return out
}

func kvs(list []attribute.KeyValue) map[string]any { return attrs(attribute.NewSet(list...)) }

// sums returns a counter's data points: attributes → value.
func sums(t *testing.T, m metricdata.Metrics) []struct {
	Attrs map[string]any
	Value int64
} {
	t.Helper()
	s, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is a sum", m.Name)
	require.True(t, s.IsMonotonic)
	var out []struct {
		Attrs map[string]any
		Value int64
	}
	for _, dp := range s.DataPoints {
		out = append(out, struct {
			Attrs map[string]any
			Value int64
		}{attrs(dp.Attributes), dp.Value})
	}
	return out
}

// hist returns a histogram's data points: attributes → count and sum.
func hist(t *testing.T, m metricdata.Metrics) map[string]metricdata.HistogramDataPoint[float64] {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	require.True(t, ok, "%s is a histogram", m.Name)
	out := map[string]metricdata.HistogramDataPoint[float64]{}
	for _, dp := range h.DataPoints {
		out[dp.Attributes.Encoded(attribute.DefaultEncoder())] = dp
	}
	return out
}

var messagesCall = conversations.CallInfo{
	Method: "POST",
	Route:  "/v1/Conversations/{ConversationSid}/Messages",
	URL:    &url.URL{Scheme: "https", Host: "conversations.twilio.com", Path: "/v1/Conversations/CH1/Messages", RawQuery: "x=secret"},
}

var callAttrs = map[string]any{
	"http.request.method": "POST",
	"server.address":      "conversations.twilio.com",
	"server.port":         int64(443),
	"url.template":        "/v1/Conversations/{ConversationSid}/Messages",
}

func with(base map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// TestObserverRetriedCall: one logical call, a limiter wait, a 429 retried,
// then a 201: one span with three events, and every metric.
func TestObserverRetriedCall(t *testing.T) {
	h := newHarness(t)
	ctx := h.obs.CallStart(context.Background(), messagesCall)
	require.True(t, trace.SpanFromContext(ctx).IsRecording())
	h.obs.LimiterWait(ctx, messagesCall, "conversation:CH1", 30*time.Millisecond, nil)
	h.obs.Attempt(ctx, messagesCall, conversations.AttemptInfo{Attempt: 1, Status: 429, Latency: 20 * time.Millisecond, Err: errors.New("429"), Retry: true, RetryReason: "429", Wait: time.Second, BudgetLeft: 9})
	h.obs.Attempt(ctx, messagesCall, conversations.AttemptInfo{Attempt: 2, Status: 201, Latency: 40 * time.Millisecond, BudgetLeft: 9})
	h.obs.CallEnd(ctx, messagesCall, conversations.CallResult{Status: 201, Attempts: 2, Duration: 1100 * time.Millisecond})

	ended := h.spans.Ended()
	require.Len(t, ended, 1)
	s := ended[0]
	require.Equal(t, "POST /v1/Conversations/{ConversationSid}/Messages", s.Name())
	require.Equal(t, trace.SpanKindClient, s.SpanKind())
	require.Equal(t, codes.Unset, s.Status().Code)
	require.Equal(t, with(callAttrs,
		"url.full", "https://conversations.twilio.com/v1/Conversations/CH1/Messages",
		"http.response.status_code", int64(201),
		"http.request.resend_count", int64(1),
	), kvs(s.Attributes()))
	ev := s.Events()
	require.Len(t, ev, 3)
	require.Equal(t, "conversations.limiter.wait", ev[0].Name)
	require.Equal(t, map[string]any{"conversations.limit.key": "conversation:CH1", "conversations.limit.scope": "conversation", "conversations.duration": 0.03}, kvs(ev[0].Attributes))
	require.Equal(t, "conversations.attempt", ev[1].Name)
	require.Equal(t, map[string]any{
		"conversations.attempt": int64(1), "conversations.duration": 0.02, "conversations.retry": true,
		"conversations.retry_budget.left": int64(9), "http.response.status_code": int64(429), "error.type": "429",
		"conversations.retry.reason": "429", "conversations.retry.wait": 1.0,
	}, kvs(ev[1].Attributes))
	require.Equal(t, map[string]any{
		"conversations.attempt": int64(2), "conversations.duration": 0.04, "conversations.retry": false,
		"conversations.retry_budget.left": int64(9), "http.response.status_code": int64(201),
	}, kvs(ev[2].Attributes))

	m := h.metrics(t)
	require.ElementsMatch(t, []string{
		"http.client.request.duration", "conversations.client.call.duration", "conversations.client.attempts",
		"conversations.client.retries", "conversations.client.rate_limited", "conversations.client.limiter.wait.duration",
	}, keys(m), "no budget exhaustion recorded: the instrument has no data point")

	rd := hist(t, m["http.client.request.duration"])
	require.Len(t, rd, 2)
	require.Equal(t, "s", m["http.client.request.duration"].Unit)
	for _, dp := range rd {
		require.Equal(t, uint64(1), dp.Count)
		a := attrs(dp.Attributes)
		switch a["http.response.status_code"] {
		case int64(429):
			require.Equal(t, with(callAttrs, "http.response.status_code", int64(429), "error.type", "429"), a)
			require.InDelta(t, 0.02, dp.Sum, 1e-9)
		case int64(201):
			require.Equal(t, with(callAttrs, "http.response.status_code", int64(201)), a)
			require.InDelta(t, 0.04, dp.Sum, 1e-9)
		default:
			t.Fatalf("unexpected data point %v", a)
		}
	}
	for _, dp := range hist(t, m["conversations.client.call.duration"]) {
		require.Equal(t, with(callAttrs, "http.response.status_code", int64(201)), attrs(dp.Attributes))
		require.Equal(t, uint64(1), dp.Count)
		require.InDelta(t, 1.1, dp.Sum, 1e-9)
	}
	require.ElementsMatch(t, []any{
		struct {
			Attrs map[string]any
			Value int64
		}{with(callAttrs, "http.response.status_code", int64(429), "error.type", "429"), 1},
		struct {
			Attrs map[string]any
			Value int64
		}{with(callAttrs, "http.response.status_code", int64(201)), 1},
	}, toAny(sums(t, m["conversations.client.attempts"])))
	require.Equal(t, toAny(sums(t, m["conversations.client.retries"])), []any{struct {
		Attrs map[string]any
		Value int64
	}{with(callAttrs, "conversations.retry.reason", "429"), 1}})
	require.Equal(t, toAny(sums(t, m["conversations.client.rate_limited"])), []any{struct {
		Attrs map[string]any
		Value int64
	}{with(callAttrs, "http.response.status_code", int64(429), "error.type", "429"), 1}})
	for _, dp := range hist(t, m["conversations.client.limiter.wait.duration"]) {
		require.Equal(t, with(callAttrs, "conversations.limit.scope", "conversation"), attrs(dp.Attributes))
		require.InDelta(t, 0.03, dp.Sum, 1e-9)
	}
}

// TestObserverFailedCall: a network error, a retry refused by an empty
// budget, a limiter that failed: error status, error.type, budget metric.
func TestObserverFailedCall(t *testing.T) {
	h := newHarness(t)
	call := conversations.CallInfo{Method: "GET", Route: "/v1/Conversations/{Sid}", URL: &url.URL{Scheme: "http", Host: "127.0.0.1:8080", Path: "/v1/Conversations/CH1"}}
	base := map[string]any{"http.request.method": "GET", "server.address": "127.0.0.1", "server.port": int64(8080), "url.template": "/v1/Conversations/{Sid}"}
	ctx := h.obs.CallStart(context.Background(), call)
	h.obs.LimiterWait(ctx, call, "service:default", time.Millisecond, errors.New("redis: connection refused"))
	netErr := &conversations.NetworkError{Method: "GET", Path: "/v1/Conversations/CH1", Err: errors.New("connection reset")}
	h.obs.Attempt(ctx, call, conversations.AttemptInfo{Attempt: 1, Latency: time.Millisecond, Err: netErr, BudgetLeft: 0, BudgetEmpty: true})
	h.obs.CallEnd(ctx, call, conversations.CallResult{Attempts: 1, Duration: 2 * time.Millisecond, Err: netErr})

	s := h.spans.Ended()[0]
	require.Equal(t, codes.Error, s.Status().Code)
	require.Equal(t, netErr.Error(), s.Status().Description)
	require.Equal(t, with(base, "url.full", "http://127.0.0.1:8080/v1/Conversations/CH1", "error.type", "network"), kvs(s.Attributes()))
	require.Equal(t, "limiter", kvs(s.Events()[0].Attributes)["error.type"])
	require.Equal(t, map[string]any{
		"conversations.attempt": int64(1), "conversations.duration": 0.001, "conversations.retry": false,
		"conversations.retry_budget.left": int64(0), "conversations.retry_budget.empty": true, "error.type": "network",
	}, kvs(s.Events()[1].Attributes))

	m := h.metrics(t)
	require.Equal(t, toAny(sums(t, m["conversations.client.retry_budget.exhausted"])), []any{struct {
		Attrs map[string]any
		Value int64
	}{base, 1}})
	for _, dp := range hist(t, m["conversations.client.limiter.wait.duration"]) {
		require.Equal(t, with(base, "conversations.limit.scope", "service", "error.type", "limiter"), attrs(dp.Attributes))
	}
	for _, dp := range hist(t, m["conversations.client.call.duration"]) {
		require.Equal(t, with(base, "error.type", "network"), attrs(dp.Attributes))
	}
}

func TestObserverErrorTypes(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		err  error
		want string
	}{
		{&conversations.NetworkError{Err: context.DeadlineExceeded}, "timeout"},
		{&conversations.NetworkError{Err: context.Canceled}, "canceled"},
		{&conversations.NetworkError{Err: &conversations.LimiterError{Key: "service:default", Err: errors.New("down")}}, "limiter"},
		{&conversations.DecodeError{}, "decode"},
		{&conversations.ValidationError{Param: "x", Reason: "y"}, "validation"},
		{errors.New("other"), "_OTHER"},
	} {
		ctx := h.obs.CallStart(context.Background(), messagesCall)
		h.obs.CallEnd(ctx, messagesCall, conversations.CallResult{Err: c.err})
		spans := h.spans.Ended()
		require.Equal(t, c.want, kvs(spans[len(spans)-1].Attributes())["error.type"], "%T", c.err)
	}
}

func keys(m map[string]metricdata.Metrics) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func toAny[T any](in []T) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}
