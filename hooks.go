package conversations

import "github.com/conversations-go/conversations/internal/rest"

// Limiter paces writes that count against a shared Twilio limit (30 writes
// per second per conversation and per Conversation Service): with
// WithLimiter, every attempt of a v1 write asks it first, under the key
// limits.go documents. A limiter backed by a shared store (the
// conversationsredis module) holds the limit across replicas.
//
//	Wait(ctx context.Context, key string) error
//
// Wait blocks until one request under key may be sent. It returns ctx's
// error when ctx ends first, or another error when the limiter cannot
// decide (its store is unreachable); LimiterFailureMode says what the call
// does then.
type Limiter = rest.Limiter

// LimiterFailureMode says what a call does when its Limiter cannot decide.
type LimiterFailureMode = rest.LimiterFailureMode

const (
	// LimiterFailOpen sends the request anyway (the default): Twilio's 429
	// answers, which are always retried, still protect the limit.
	LimiterFailOpen = rest.LimiterFailOpen
	// LimiterFailClosed fails the call with a *NetworkError whose Err is a
	// *LimiterError; nothing is sent.
	LimiterFailClosed = rest.LimiterFailClosed
)

// Observer receives the life of each call (CallStart, LimiterWait, Attempt,
// CallEnd), for traces and metrics; the conversationsotel module adapts it
// to OpenTelemetry. Its methods must be safe for concurrent use and fast.
type Observer = rest.Observer

// CallInfo describes a logical call to an Observer: its method, route (the
// path template, low cardinality) and first URL (never with credentials).
type CallInfo = rest.CallInfo

// AttemptInfo describes one finished HTTP attempt and the retry decision
// taken after it to an Observer.
type AttemptInfo = rest.AttemptInfo

// CallResult describes how a logical call ended to an Observer.
type CallResult = rest.CallResult

// WithLimiter makes every attempt of a write that counts against a shared
// Twilio limit wait for l first (see limits.go for the keys). A nil l is
// no limiter.
func WithLimiter(l Limiter) Option {
	return func(c *config) error { c.Limiter = l; return nil }
}

// WithLimiterFailureMode sets what a call does when its Limiter cannot
// decide: LimiterFailOpen (the default) or LimiterFailClosed.
// WithCallLimiterFailureMode overrides it for one call.
func WithLimiterFailureMode(m LimiterFailureMode) Option {
	return func(c *config) error {
		if m != LimiterFailOpen && m != LimiterFailClosed {
			return &ValidationError{Param: "WithLimiterFailureMode", Reason: "must be LimiterFailOpen or LimiterFailClosed"}
		}
		c.LimiterFailure = m
		return nil
	}
}

// WithObserver reports the life of every call to o. A nil o is no
// observer. Without one the hooks cost nothing measurable.
func WithObserver(o Observer) Option {
	return func(c *config) error { c.Observer = o; return nil }
}
