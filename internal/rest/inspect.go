package rest

import "net/http"

// Settings is what a list of RequestOptions sets, read back for mocks and
// tests (the root package's RequestOptions).
type Settings struct {
	Header             http.Header
	Retry              *RetryPolicy
	Response           **http.Response
	IdempotencyKey     string
	LimiterFailureMode *LimiterFailureMode
}

// Inspect applies opts to a fresh set of options and returns what they set.
// The header is the options' own (a new one each call).
func Inspect(opts []RequestOption) Settings {
	var o callOptions
	o.apply(opts)
	s := Settings{Header: o.header, Retry: o.retry, Response: o.response, IdempotencyKey: o.idempotencyKey}
	if o.limiterModeSet {
		m := o.limiterMode
		s.LimiterFailureMode = &m
	}
	return s
}
