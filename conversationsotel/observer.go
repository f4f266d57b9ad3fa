package conversationsotel

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/conversations-go/conversations/conversationsotel"

// Metric names. The first follows OpenTelemetry's HTTP client semantic
// conventions; the others are this SDK's, under "conversations.client.".
const (
	// MetricRequestDuration is the duration of each HTTP attempt, in
	// seconds (semantic conventions: http.client.request.duration).
	MetricRequestDuration = "http.client.request.duration"
	// MetricCallDuration is the duration of each logical call (every
	// attempt, limiter wait and backoff included), in seconds.
	MetricCallDuration = "conversations.client.call.duration"
	// MetricAttempts counts HTTP attempts.
	MetricAttempts = "conversations.client.attempts"
	// MetricRetries counts retries, by conversations.retry.reason.
	MetricRetries = "conversations.client.retries"
	// MetricRateLimited counts attempts answered 429 Too Many Requests.
	MetricRateLimited = "conversations.client.rate_limited"
	// MetricBudgetExhausted counts retries refused because the client's
	// retry budget was empty.
	MetricBudgetExhausted = "conversations.client.retry_budget.exhausted"
	// MetricLimiterWait is the time spent waiting for the Limiter before
	// an attempt, in seconds, by conversations.limit.scope.
	MetricLimiterWait = "conversations.client.limiter.wait.duration"
)

// Attribute keys of this SDK (the others are OpenTelemetry's semantic
// conventions: http.request.method, http.response.status_code,
// server.address, server.port, url.template, url.full, error.type,
// http.request.resend_count).
const (
	// AttrAttempt is an attempt's 1-based number (attempt events).
	AttrAttempt = attribute.Key("conversations.attempt")
	// AttrRetry says whether another attempt follows (attempt events).
	AttrRetry = attribute.Key("conversations.retry")
	// AttrRetryReason is why: "429", "5xx" or "network".
	AttrRetryReason = attribute.Key("conversations.retry.reason")
	// AttrRetryWait is the backoff before the next attempt, in seconds.
	AttrRetryWait = attribute.Key("conversations.retry.wait")
	// AttrBudgetLeft is the retry budget's tokens left; -1 without a budget.
	AttrBudgetLeft = attribute.Key("conversations.retry_budget.left")
	// AttrBudgetEmpty says a retry was refused because the budget was empty.
	AttrBudgetEmpty = attribute.Key("conversations.retry_budget.empty")
	// AttrDuration is an attempt's latency or a limiter wait, in seconds.
	AttrDuration = attribute.Key("conversations.duration")
	// AttrLimitKey is the limiter key of a wait, e.g. "conversation:CH…"
	// (span events only: it is not low cardinality).
	AttrLimitKey = attribute.Key("conversations.limit.key")
	// AttrLimitScope is the kind of limit key: "conversation" or "service"
	// (metrics and events).
	AttrLimitScope = attribute.Key("conversations.limit.scope")
)

// Event names on the call's span.
const (
	// EventAttempt is added once per HTTP attempt.
	EventAttempt = "conversations.attempt"
	// EventLimiterWait is added once per limiter wait.
	EventLimiterWait = "conversations.limiter.wait"
)

// durationBuckets are the explicit bucket boundaries the semantic
// conventions advise for http.client.request.duration, in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// Option configures an Observer.
type Option func(*options)

type options struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider sets the TracerProvider (otel.GetTracerProvider() by
// default).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *options) { o.tp = tp }
}

// WithMeterProvider sets the MeterProvider (otel.GetMeterProvider() by
// default).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(o *options) { o.mp = mp }
}

// Observer reports every call of a conversations client to OpenTelemetry:
// it is a conversations.Observer (pass it to conversations.WithObserver).
// Each logical call is one client span, named "METHOD url.template", with
// one event per HTTP attempt and per limiter wait; the metrics are listed
// with their names (MetricRequestDuration, ...). See the package doc.
//
// An Observer is safe for concurrent use.
type Observer struct {
	tracer trace.Tracer

	requestDuration metric.Float64Histogram
	callDuration    metric.Float64Histogram
	attempts        metric.Int64Counter
	retries         metric.Int64Counter
	rateLimited     metric.Int64Counter
	budgetExhausted metric.Int64Counter
	limiterWait     metric.Float64Histogram
}

var _ conversations.Observer = (*Observer)(nil)

// New returns an Observer using the global providers unless options set
// others. It fails only when the MeterProvider refuses an instrument.
func New(opts ...Option) (*Observer, error) {
	o := options{}
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.tp == nil {
		o.tp = otel.GetTracerProvider()
	}
	if o.mp == nil {
		o.mp = otel.GetMeterProvider()
	}
	m := o.mp.Meter(ScopeName)
	ob := &Observer{tracer: o.tp.Tracer(ScopeName)}
	var err, e error
	ob.requestDuration, e = m.Float64Histogram(MetricRequestDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of HTTP client requests."), metric.WithExplicitBucketBoundaries(durationBuckets...))
	err = errors.Join(err, e)
	ob.callDuration, e = m.Float64Histogram(MetricCallDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of logical calls: every attempt, limiter wait and backoff."), metric.WithExplicitBucketBoundaries(durationBuckets...))
	err = errors.Join(err, e)
	ob.attempts, e = m.Int64Counter(MetricAttempts, metric.WithUnit("{attempt}"),
		metric.WithDescription("HTTP attempts sent."))
	err = errors.Join(err, e)
	ob.retries, e = m.Int64Counter(MetricRetries, metric.WithUnit("{retry}"),
		metric.WithDescription("Attempts followed by a retry, by reason."))
	err = errors.Join(err, e)
	ob.rateLimited, e = m.Int64Counter(MetricRateLimited, metric.WithUnit("{response}"),
		metric.WithDescription("Attempts answered 429 Too Many Requests."))
	err = errors.Join(err, e)
	ob.budgetExhausted, e = m.Int64Counter(MetricBudgetExhausted, metric.WithUnit("{retry}"),
		metric.WithDescription("Retries refused because the retry budget was empty."))
	err = errors.Join(err, e)
	ob.limiterWait, e = m.Float64Histogram(MetricLimiterWait, metric.WithUnit("s"),
		metric.WithDescription("Time spent waiting for the Limiter before an attempt."), metric.WithExplicitBucketBoundaries(durationBuckets...))
	err = errors.Join(err, e)
	if err != nil {
		return nil, err
	}
	return ob, nil
}

// callAttrs are the low-cardinality attributes of a call: method, server
// address and port, and route.
func callAttrs(call conversations.CallInfo) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(call.Method))
	if u := call.URL; u != nil {
		attrs = append(attrs, semconv.ServerAddress(u.Hostname()), semconv.ServerPort(port(u)))
	}
	if call.Route != "" {
		attrs = append(attrs, semconv.URLTemplate(call.Route))
	}
	return attrs
}

// port is u's port, or the scheme's default.
func port(u *url.URL) int {
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err == nil {
			return n
		}
	}
	if u.Scheme == "http" {
		return 80
	}
	return 443
}

// fullURL is u without its query and fragment (a query may carry personal
// data such as an identity) and without user info.
func fullURL(u *url.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return v.String()
}

// CallStart starts the call's client span.
func (o *Observer) CallStart(ctx context.Context, call conversations.CallInfo) context.Context {
	name := call.Method
	if call.Route != "" {
		name += " " + call.Route
	}
	attrs := callAttrs(call)
	if call.URL != nil {
		attrs = append(attrs, semconv.URLFull(fullURL(call.URL)))
	}
	ctx, _ = o.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

// LimiterWait adds a limiter event to the span and records the wait.
func (o *Observer) LimiterWait(ctx context.Context, call conversations.CallInfo, key string, waited time.Duration, err error) {
	scope := limitScope(key)
	ev := []attribute.KeyValue{AttrLimitKey.String(key), AttrLimitScope.String(scope), AttrDuration.Float64(waited.Seconds())}
	attrs := append(callAttrs(call), AttrLimitScope.String(scope))
	if err != nil {
		et := errorType(err)
		if et == semconv.ErrorTypeOther {
			et = semconv.ErrorTypeKey.String("limiter") // the store behind the limiter failed
		}
		ev = append(ev, et)
		attrs = append(attrs, et)
	}
	trace.SpanFromContext(ctx).AddEvent(EventLimiterWait, trace.WithAttributes(ev...))
	o.limiterWait.Record(ctx, waited.Seconds(), metric.WithAttributes(attrs...))
}

// limitScope is the part of a limit key before ':' ("conversation",
// "service"), a low-cardinality label.
func limitScope(key string) string {
	if i := strings.IndexByte(key, ':'); i > 0 {
		return key[:i]
	}
	return "other"
}

// Attempt adds an attempt event to the span and records the attempt.
func (o *Observer) Attempt(ctx context.Context, call conversations.CallInfo, a conversations.AttemptInfo) {
	attrs := callAttrs(call)
	if a.Status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(a.Status))
	}
	if et, ok := attemptErrorType(a.Status, a.Err); ok {
		attrs = append(attrs, et)
	}
	opt := metric.WithAttributes(attrs...)
	o.requestDuration.Record(ctx, a.Latency.Seconds(), opt)
	o.attempts.Add(ctx, 1, opt)
	if a.Status == 429 {
		o.rateLimited.Add(ctx, 1, opt)
	}
	if a.Retry {
		o.retries.Add(ctx, 1, metric.WithAttributes(append(callAttrs(call), AttrRetryReason.String(a.RetryReason))...))
	}
	if a.BudgetEmpty {
		o.budgetExhausted.Add(ctx, 1, metric.WithAttributes(callAttrs(call)...))
	}

	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	ev := []attribute.KeyValue{
		AttrAttempt.Int(a.Attempt),
		AttrDuration.Float64(a.Latency.Seconds()),
		AttrRetry.Bool(a.Retry),
		AttrBudgetLeft.Int(a.BudgetLeft),
	}
	if a.Status != 0 {
		ev = append(ev, semconv.HTTPResponseStatusCode(a.Status))
	}
	if et, ok := attemptErrorType(a.Status, a.Err); ok {
		ev = append(ev, et)
	}
	if a.Retry {
		ev = append(ev, AttrRetryReason.String(a.RetryReason), AttrRetryWait.Float64(a.Wait.Seconds()))
	}
	if a.BudgetEmpty {
		ev = append(ev, AttrBudgetEmpty.Bool(true))
	}
	span.AddEvent(EventAttempt, trace.WithAttributes(ev...))
}

// CallEnd ends the span and records the call's duration.
func (o *Observer) CallEnd(ctx context.Context, call conversations.CallInfo, r conversations.CallResult) {
	attrs := callAttrs(call)
	if r.Status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(r.Status))
	}
	et, failed := attemptErrorType(r.Status, r.Err)
	if failed {
		attrs = append(attrs, et)
	}
	o.callDuration.Record(ctx, r.Duration.Seconds(), metric.WithAttributes(attrs...))

	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	end := make([]attribute.KeyValue, 0, 3)
	if r.Status != 0 {
		end = append(end, semconv.HTTPResponseStatusCode(r.Status))
	}
	if r.Attempts > 1 {
		end = append(end, semconv.HTTPRequestResendCount(r.Attempts-1))
	}
	if failed {
		end = append(end, et)
		msg := ""
		if r.Err != nil {
			msg = r.Err.Error() // the SDK's errors never hold credentials
		}
		span.SetStatus(codes.Error, msg)
	}
	span.SetAttributes(end...)
	span.End()
}

// attemptErrorType is the semantic conventions' error.type of an answer:
// the status code for a 4xx or 5xx, else the error's kind; false when the
// attempt or call succeeded.
func attemptErrorType(status int, err error) (attribute.KeyValue, bool) {
	if status >= 400 {
		return semconv.ErrorTypeKey.String(strconv.Itoa(status)), true
	}
	if err == nil {
		return attribute.KeyValue{}, false
	}
	return errorType(err), true
}

// errorType names an error by its kind, low cardinality: "timeout",
// "canceled", "limiter", the SDK's error type, or "_OTHER".
func errorType(err error) attribute.KeyValue {
	var (
		limErr *conversations.LimiterError
		netErr *conversations.NetworkError
		decErr *conversations.DecodeError
		valErr *conversations.ValidationError
		apiErr *conversations.Error
		ne     net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return semconv.ErrorTypeKey.String("timeout")
	case errors.Is(err, context.Canceled):
		return semconv.ErrorTypeKey.String("canceled")
	case errors.As(err, &limErr):
		return semconv.ErrorTypeKey.String("limiter")
	case errors.As(err, &ne) && ne.Timeout():
		return semconv.ErrorTypeKey.String("timeout")
	case errors.As(err, &decErr):
		return semconv.ErrorTypeKey.String("decode")
	case errors.As(err, &valErr):
		return semconv.ErrorTypeKey.String("validation")
	case errors.As(err, &apiErr):
		return semconv.ErrorTypeKey.String(strconv.Itoa(apiErr.Status))
	case errors.As(err, &netErr):
		return semconv.ErrorTypeKey.String("network")
	}
	return semconv.ErrorTypeOther
}
