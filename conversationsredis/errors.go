package conversationsredis

// Error is a failure of Redis behind a Limiter or a SeenSet: Redis was
// unreachable, timed out, or answered something unexpected. It never holds
// credentials: Key is a limit key ("conversation:CH…") or an event id, and
// Err is go-redis's error.
//
// A Limiter's Error reaches the caller of an SDK method only when the call's
// LimiterFailureMode is conversations.LimiterFailClosed, wrapped as
// *conversations.NetworkError{Err: *conversations.LimiterError{Key, Err: *Error}};
// errors.As finds each layer.
type Error struct {
	// Op is what failed: "limit" (Limiter.Wait), "claim" (SeenSet.Claim)
	// or "release" (SeenSet.Release).
	Op string
	// Key is the limit key or the event id the operation was about.
	Key string
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	return "conversationsredis: " + e.Op + " " + e.Key + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
