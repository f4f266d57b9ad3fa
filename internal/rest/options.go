package rest

import "net/http"

// RequestOption changes one call: extra headers, the webhook header, a
// per-call retry policy, an idempotency key, the limiter's failure mode, or
// access to the raw response.
type RequestOption func(*callOptions)

type callOptions struct {
	header         http.Header
	retry          *RetryPolicy
	response       **http.Response
	idempotencyKey string
	limiterMode    LimiterFailureMode
	limiterModeSet bool
}

func (o *callOptions) apply(opts []RequestOption) {
	for _, opt := range opts {
		if opt != nil {
			opt(o)
		}
	}
}

// WithHeader adds a header to the request. See the root package's
// WithHeader for what it may not replace.
func WithHeader(key, value string) RequestOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = make(http.Header, 2)
		}
		o.header.Add(key, value)
	}
}

// WithCallRetry replaces the client's retry policy for this call.
func WithCallRetry(p RetryPolicy) RequestOption {
	return func(o *callOptions) { o.retry = &p }
}

// WithResponse stores the final *http.Response of the call in *dst.
func WithResponse(dst **http.Response) RequestOption {
	return func(o *callOptions) { o.response = dst }
}

// WithIdempotencyKey sends key as the Idempotency-Key header of every
// attempt of the call, instead of the key the calling API would choose.
func WithIdempotencyKey(key string) RequestOption {
	return func(o *callOptions) { o.idempotencyKey = key }
}

// WithCallLimiterFailureMode sets what this call does when its limiter
// cannot decide, instead of the client's mode.
func WithCallLimiterFailureMode(m LimiterFailureMode) RequestOption {
	return func(o *callOptions) { o.limiterMode, o.limiterModeSet = m, true }
}

// IdempotencyKey returns the key a WithIdempotencyKey among opts sets
// (the last one wins), or "" when none does. An API that chooses its own
// key per logical call asks this first.
func IdempotencyKey(opts []RequestOption) string {
	var o callOptions
	o.apply(opts)
	return o.idempotencyKey
}
