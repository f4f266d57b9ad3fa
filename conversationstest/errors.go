package conversationstest

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/conversations-go/conversations"
)

// The fake answers with Twilio's error codes under the SDK's names
// (conversations.CodeNotFound, conversations.CodeParticipantBindingExists,
// ...; see codes.go of the root package), so a test compares what the fake
// said with the constants it would use against Twilio. Each code is
// documented by Twilio at https://www.twilio.com/docs/api/errors/{code}.
// Where that page does not show the HTTP answer, the status comes from a
// public report of the real API: 20001 with 400 ("Missing required
// parameter Identity in the post body", twilio/twilio-go#112 and
// twilio/twilio-chat-demo-android#147), 50353 with 409 (a real answer quoted
// in public code), 50416 from Twilio support article 41467875615259. The
// fake never makes up a code: where Twilio documents none for a case, it
// answers with the generic CodeBadRequest (400) or says in the README
// ("What the fake does not model") that the case is not modelled.

// apiError is an error answer in Twilio's legacy REST error shape.
type apiError struct {
	Status  int
	Code    int
	Message string
}

// Error implements error.
func (e *apiError) Error() string { return fmt.Sprintf("%d %d %s", e.Status, e.Code, e.Message) }

// body renders the error as Twilio does.
func (e *apiError) body() obj {
	return obj{
		{"code", e.Code},
		{"message", e.Message},
		{"more_info", moreInfo(e.Code)},
		{"status", e.Status},
	}
}

func moreInfo(code int) string {
	return "https://www.twilio.com/docs/errors/" + strconv.Itoa(code)
}

func errNotFound(path string) *apiError {
	return &apiError{http.StatusNotFound, conversations.CodeNotFound, "The requested resource " + path + " was not found"}
}

func errMissing(name, where string) *apiError {
	return &apiError{http.StatusBadRequest, conversations.CodeMissingParameter, "Missing required parameter " + name + " in the " + where}
}

func errInvalid(name, reason string) *apiError {
	return &apiError{http.StatusBadRequest, conversations.CodeBadRequest, "Invalid parameter " + name + ": " + reason}
}

func errConflict(code int, msg string) *apiError {
	return &apiError{http.StatusConflict, code, msg}
}

func errBad(code int, msg string) *apiError {
	return &apiError{http.StatusBadRequest, code, msg}
}

// defaultFaultCode is the Twilio code put in a generated fault body.
func defaultFaultCode(status int) int {
	switch {
	case status == http.StatusUnauthorized:
		return conversations.CodeAuthenticationFailed
	case status == http.StatusNotFound:
		return conversations.CodeNotFound
	case status == http.StatusMethodNotAllowed:
		return conversations.CodeMethodNotAllowed
	case status == http.StatusTooManyRequests:
		return conversations.CodeTooManyRequests
	case status == http.StatusServiceUnavailable:
		return conversations.CodeServiceUnavailable
	case status >= 500:
		return conversations.CodeInternalServerError
	case status == http.StatusBadRequest:
		return conversations.CodeBadRequest
	}
	return status
}
