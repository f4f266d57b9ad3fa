package conversationstest

import (
	"fmt"
	"net/http"
	"strconv"
)

// Twilio error codes the fake answers with. Each one is documented by Twilio;
// the comment names the page (or, where Twilio's page does not show the HTTP
// body, a public report of the real API's answer). The fake never makes up a
// code: where Twilio documents none for a case, it uses the generic 400 or
// says in the README ("What the fake does not model") that the case is not modelled.
const (
	// codeBadRequest is the generic "400: Bad Request" of Twilio's error
	// dictionary: "One or more request parameters did not pass validation".
	// https://www.twilio.com/docs/api/errors/400
	codeBadRequest = 400

	// codeMissingParam: "Missing required parameter X in the post body",
	// HTTP 400. The real body is quoted in twilio/twilio-go#112 and
	// twilio/twilio-chat-demo-android#147 ({"code": 20001, "message":
	// "Missing required parameter Identity in the post body", "more_info":
	// "https://www.twilio.com/docs/errors/20001", "status": 400}).
	codeMissingParam = 20001

	// codeAuthenticate: HTTP 401, message "Authenticate".
	// https://www.twilio.com/docs/api/errors/20003
	codeAuthenticate = 20003

	// codeMethodNotAllowed: HTTP 405 "Method not allowed".
	// https://www.twilio.com/docs/api/errors/20004
	codeMethodNotAllowed = 20004

	// codeNotFound: HTTP 404 "The requested resource ... was not found".
	// https://www.twilio.com/docs/api/errors/20404
	codeNotFound = 20404

	// codeTooManyRequests: HTTP 429 "Too Many Requests".
	// https://www.twilio.com/docs/api/errors/20429
	codeTooManyRequests = 20429

	// codeInternal: HTTP 500 "Internal Server Error".
	// https://www.twilio.com/docs/api/errors/20500
	codeInternal = 20500

	// codeUnavailable: HTTP 503 "Service unavailable".
	// https://www.twilio.com/docs/api/errors/20503
	codeUnavailable = 20503

	// codeUserExists: "User already exists" (a User with this identity
	// exists in the Conversation Service).
	// https://www.twilio.com/docs/api/errors/50201
	codeUserExists = 50201

	// codeIdentityIsUserSID: "Identity should not match user SID pattern".
	// https://www.twilio.com/docs/api/errors/50206
	codeIdentityIsUserSID = 50206

	// codeConversationUniqueName: "Conversation with provided unique name
	// already exists", HTTP 409 (the 409 is quoted from a real answer in
	// public code: {status: 409, message: 'Conversation with provided
	// unique name already exists', code: 50353}).
	// https://www.twilio.com/docs/api/errors/50353
	codeConversationUniqueName = 50353

	// codeUniqueNameIsSID: "Unique name should not match conversation sid
	// pattern". https://www.twilio.com/docs/api/errors/50390
	codeUniqueNameIsSID = 50390

	// codeBindingExists: "A binding for this participant and proxy address
	// already exists in Conversation CH...".
	// https://support.twilio.com/hc/en-us/articles/41467875615259 (Error 50416)
	codeBindingExists = 50416

	// codeParticipantExists: "Participant already exists" (same identity).
	// https://www.twilio.com/docs/api/errors/50433
	codeParticipantExists = 50433

	// codeIdentityNotAllowed: "Failed to add an identity to a participant"
	// (it already has one, or it has no projected address).
	// https://www.twilio.com/docs/api/errors/50444
	codeIdentityNotAllowed = 50444

	// codeIdentityOrAddress: "Request should contain either Identity or
	// Address parameter, not both."
	// https://www.twilio.com/docs/api/errors/50451
	codeIdentityOrAddress = 50451
)

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
	return &apiError{http.StatusNotFound, codeNotFound, "The requested resource " + path + " was not found"}
}

func errMissing(name, where string) *apiError {
	return &apiError{http.StatusBadRequest, codeMissingParam, "Missing required parameter " + name + " in the " + where}
}

func errInvalid(name, reason string) *apiError {
	return &apiError{http.StatusBadRequest, codeBadRequest, "Invalid parameter " + name + ": " + reason}
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
		return codeAuthenticate
	case status == http.StatusNotFound:
		return codeNotFound
	case status == http.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case status == http.StatusTooManyRequests:
		return codeTooManyRequests
	case status == http.StatusServiceUnavailable:
		return codeUnavailable
	case status >= 500:
		return codeInternal
	case status == http.StatusBadRequest:
		return codeBadRequest
	}
	return status
}
