// Package conversationsotel reports the calls of a conversations-go client
// to OpenTelemetry (go.opentelemetry.io/otel): its Observer is a
// conversations.Observer.
//
//	obs, err := conversationsotel.New() // the global TracerProvider and MeterProvider
//	if err != nil { ... }
//	client, err := conversations.NewClient(accountSID, authToken, conversations.WithObserver(obs))
//
// The names follow OpenTelemetry's semantic conventions for HTTP clients
// where they apply (https://opentelemetry.io/docs/specs/semconv/http/http-spans/
// and https://opentelemetry.io/docs/specs/semconv/http/http-metrics/, through
// go.opentelemetry.io/otel/semconv/v1.39.0); what they do not cover (a
// logical call made of several attempts, retries, the retry budget, the
// limiter) is named under "conversations.".
//
// It is a module of its own, so that the SDK's root module keeps no runtime
// dependency beyond the standard library: without an Observer, the client's
// hooks cost nothing measurable.
//
// # Traces
//
// Each logical call (one SDK method call, all its attempts included) is one
// span of kind client, named "METHOD url.template", e.g.
// "POST /v1/Conversations/{ConversationSid}/Messages", child of the span in
// the call's context. Its attributes follow OpenTelemetry's HTTP client
// semantic conventions: http.request.method, server.address, server.port,
// url.template, url.full (without the query, which may carry personal data
// such as an identity), http.response.status_code (the final one),
// http.request.resend_count (attempts − 1, when above 0) and, when the call
// failed, error.type and the span status Error with the SDK's error message
// (which never holds credentials).
//
// The span gets one event per HTTP attempt, "conversations.attempt":
// conversations.attempt (1-based), http.response.status_code,
// conversations.duration (seconds), error.type, conversations.retry and,
// when retried, conversations.retry.reason ("429", "5xx", "network") and
// conversations.retry.wait (seconds); conversations.retry_budget.left (-1
// without a budget) and conversations.retry_budget.empty when a retry was
// refused for want of budget. Each limiter wait adds a
// "conversations.limiter.wait" event: conversations.limit.key
// ("conversation:CH…"), conversations.limit.scope, conversations.duration,
// and error.type when the limiter failed.
//
// Trace context is not injected into Twilio requests: Twilio does not take
// part in traces.
//
// # Metrics
//
// All carry http.request.method, server.address, server.port and
// url.template (low cardinality: the route, never a SID):
//
//	http.client.request.duration                  histogram, s    each HTTP attempt; + http.response.status_code, error.type
//	conversations.client.call.duration            histogram, s    each logical call, waits and backoff included; + final status, error.type
//	conversations.client.attempts                 counter         HTTP attempts; + http.response.status_code, error.type
//	conversations.client.retries                  counter         attempts followed by a retry; + conversations.retry.reason
//	conversations.client.rate_limited             counter         attempts answered 429
//	conversations.client.retry_budget.exhausted   counter         retries refused because the retry budget was empty
//	conversations.client.limiter.wait.duration    histogram, s    limiter waits; + conversations.limit.scope, error.type
//
// The histograms use the bucket boundaries the semantic conventions advise
// for http.client.request.duration (5 ms to 10 s). error.type is the status
// code for a 4xx or 5xx answer, else "timeout", "canceled", "network",
// "decode", "validation", "limiter" or "_OTHER".
package conversationsotel
