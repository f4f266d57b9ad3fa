package conversations

import (
	"errors"
	"net/http"

	"github.com/conversations-go/conversations/internal/rest"
)

// The error types are defined by the request core (internal/rest), which
// both this package and the v2 package call through; they are re-exported
// here as aliases, so one errors.As serves a v1 and a v2 call alike (see the
// package documentation, "Errors").

// Error is a non-2xx answer from the API. Twilio's JSON error body
// ({"code", "message", "more_info", "status", "details"}) fills Code, Message,
// MoreInfo and Details; any other body (an HTML page from a proxy, an empty
// body, Prism's problem+json) still gives an *Error with Status and a short
// Snippet of the body. Use errors.As to get it:
//
//	var apiErr *conversations.Error
//	if errors.As(err, &apiErr) && apiErr.Code == 50433 { ... }
type Error = rest.Error

// ValidationError reports bad input found before any request was sent: an
// empty path SID, a missing required parameter, an invalid option or header
// value.
type ValidationError = rest.ValidationError

// NetworkError is a failure to get a usable HTTP response: DNS, connection
// refused or reset, TLS, a client timeout, a body cut off mid-read, the
// call's context ending (then Err is the context's error), or a limiter that
// could not decide under LimiterFailClosed (then Err is a *LimiterError).
type NetworkError = rest.NetworkError

// DecodeError is a 2xx response without what the call promised: a body
// that is not the expected JSON, an empty body, JSON null or a 204 where a
// resource or page was promised, a body larger than the client's limit (Err
// is a *ResponseTooLargeError), or a list whose pages cycle (Err wraps
// ErrPageCycle). It is never retried.
type DecodeError = rest.DecodeError

// ResponseTooLargeError is the Err of a *DecodeError for a 2xx body longer
// than the client's WithMaxResponseBytes limit.
type ResponseTooLargeError = rest.ResponseTooLargeError

// LimiterError is the Err of the *NetworkError of a call refused because
// its Limiter could not decide (its store was unreachable) under
// LimiterFailClosed. Nothing was sent.
type LimiterError = rest.LimiterError

// StatusCode returns the HTTP status of an *Error in err's chain, or 0.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// IsNotFound reports whether err is an API answer of 404 Not Found
// (Twilio code 20404).
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsRateLimited reports whether err is an API answer of 429 Too Many Requests.
func IsRateLimited(err error) bool { return StatusCode(err) == http.StatusTooManyRequests }

// IsUnauthorized reports whether err is an API answer of 401 or 403: bad
// credentials or missing permissions.
func IsUnauthorized(err error) bool {
	s := StatusCode(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// IsValidation reports whether err was found before sending: see
// ValidationError.
func IsValidation(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}
