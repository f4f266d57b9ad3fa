package rest

import (
	"context"
	"net/url"
	"time"
)

// Limiter paces writes that count against a shared Twilio limit.
type Limiter interface {
	// Wait blocks until one request under key may be sent. It returns ctx's
	// error when ctx ends first, or another error when the limiter cannot
	// decide (its store is unreachable).
	Wait(ctx context.Context, key string) error
}

// LimiterFailureMode says what a call does when its Limiter cannot decide
// (Wait returns an error other than the context's).
type LimiterFailureMode int

const (
	// LimiterFailOpen sends the request anyway (the default): Twilio's 429
	// answers, which are always retried, still protect the limit.
	LimiterFailOpen LimiterFailureMode = iota
	// LimiterFailClosed fails the call with a *NetworkError whose Err is a
	// *LimiterError; nothing is sent.
	LimiterFailClosed
)

// Observer receives the life of each call. Methods must be safe for
// concurrent use and fast.
type Observer interface {
	// CallStart is called once per logical call before the first attempt.
	// The returned ctx is used for the rest of the call (attempts,
	// limiter, the other callbacks).
	CallStart(ctx context.Context, call CallInfo) context.Context
	// LimiterWait reports one limiter wait before an attempt (err non-nil
	// if it failed).
	LimiterWait(ctx context.Context, call CallInfo, key string, waited time.Duration, err error)
	// Attempt reports one finished HTTP attempt and the retry decision
	// taken after it.
	Attempt(ctx context.Context, call CallInfo, a AttemptInfo)
	// CallEnd is called once when the call returns.
	CallEnd(ctx context.Context, call CallInfo, r CallResult)
}

// CallInfo describes a logical call to an Observer.
type CallInfo struct {
	// Method is the HTTP method.
	Method string
	// Route is the path template, e.g. "/v1/Conversations/{Sid}/Messages"
	// (low cardinality: for metric labels and span names).
	Route string
	// URL is the full URL of the first attempt (for server.address and
	// server.port); it never has credentials.
	URL *url.URL
}

// AttemptInfo describes one finished HTTP attempt to an Observer.
type AttemptInfo struct {
	// Attempt is the attempt's number, 1-based.
	Attempt int
	// Status is the HTTP status, 0 when no response arrived.
	Status int
	// Latency is the duration of this attempt.
	Latency time.Duration
	// Err is this attempt's error, nil on success.
	Err error
	// Retry says whether another attempt follows.
	Retry bool
	// RetryReason is "429", "5xx" or "network"; "" when not retried.
	RetryReason string
	// Wait is the backoff before the next attempt.
	Wait time.Duration
	// BudgetLeft is the number of retry-budget tokens left after the
	// decision; -1 without a budget.
	BudgetLeft int
	// BudgetEmpty says a retry was refused because the budget was empty.
	BudgetEmpty bool
}

// CallResult describes how a logical call ended to an Observer.
type CallResult struct {
	// Status is the final HTTP status, 0 when none.
	Status int
	// Attempts is the number of HTTP attempts sent.
	Attempts int
	// Duration is the call's duration, limiter waits and backoff included.
	Duration time.Duration
	// Err is the call's error, nil on success.
	Err error
}
