package conversationsotel_test

import (
	"context"
	"fmt"
	"sort"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationsotel"
	"github.com/conversations-go/conversations/conversationstest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// A client reporting to OpenTelemetry. Production code passes the
// providers of its exporters (OTLP, Prometheus...); here in-memory ones
// show what one call reports. The fake plays Twilio.
func Example() {
	ctx := context.Background()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	metrics := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(metrics))

	obs, err := conversationsotel.New(conversationsotel.WithTracerProvider(tp), conversationsotel.WithMeterProvider(mp))
	if err != nil {
		panic(err)
	}
	srv := conversationstest.New()
	defer srv.Close()
	client := srv.Client(conversations.WithObserver(obs))

	conv, err := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{FriendlyName: conversations.Ptr("support")})
	if err != nil {
		panic(err)
	}
	if _, err := client.Conversations.Fetch(ctx, conv.SID); err != nil {
		panic(err)
	}

	for _, s := range spans.Ended() {
		fmt.Println("span:", s.Name(), len(s.Events()), "event(s)")
	}
	var rm metricdata.ResourceMetrics
	if err := metrics.Collect(ctx, &rm); err != nil {
		panic(err)
	}
	var names []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names = append(names, m.Name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println("metric:", n)
	}
	// Output:
	// span: POST /v1/Conversations 1 event(s)
	// span: GET /v1/Conversations/{Sid} 1 event(s)
	// metric: conversations.client.attempts
	// metric: conversations.client.call.duration
	// metric: http.client.request.duration
}
