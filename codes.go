package conversations

import (
	"errors"
	"net/http"
)

// Twilio error codes that Conversations operations are documented to return
// and that callers commonly branch on. Compare them with HasCode, or read
// Error.Code. Each links to Twilio's page for it:
// https://www.twilio.com/docs/api/errors/{code}.
const (
	// CodeBadRequest (400): Twilio's generic "Bad Request": a parameter
	// did not pass validation, or the resource is in a state that no
	// longer allows the operation.
	CodeBadRequest = 400
	// CodeMissingParameter (20001): a required parameter is missing or a
	// parameter is invalid.
	CodeMissingParameter = 20001
	// CodeAuthenticationFailed (20003): the credentials were refused.
	CodeAuthenticationFailed = 20003
	// CodeMethodNotAllowed (20004): the resource does not support the HTTP
	// method.
	CodeMethodNotAllowed = 20004
	// CodeNotFound (20404): the resource does not exist.
	CodeNotFound = 20404
	// CodeTooManyRequests (20429): the request was rate limited.
	CodeTooManyRequests = 20429
	// CodeInternalServerError (20500): Twilio failed to handle the request.
	CodeInternalServerError = 20500
	// CodeServiceUnavailable (20503): the service is temporarily
	// unavailable.
	CodeServiceUnavailable = 20503
	// CodeUserExists (50201): a User with this identity already exists in
	// the Conversation Service.
	CodeUserExists = 50201
	// CodeIdentityIsUserSID (50206): an identity that looks like a User SID.
	CodeIdentityIsUserSID = 50206
	// CodeConversationUniqueNameExists (50353): a conversation with this
	// unique name already exists in the Conversation Service.
	CodeConversationUniqueNameExists = 50353
	// CodeConversationClosed (50377): the conversation is closed and cannot
	// be changed.
	CodeConversationClosed = 50377
	// CodeUniqueNameIsSID (50390): a unique name that looks like a
	// conversation SID.
	CodeUniqueNameIsSID = 50390
	// CodeParticipantBindingExists (50416): a participant with this address
	// and proxy address already exists in an open conversation.
	CodeParticipantBindingExists = 50416
	// CodeParticipantExists (50433): a participant with this identity is
	// already in the conversation.
	CodeParticipantExists = 50433
	// CodeIdentityNotAllowed (50444): an identity cannot be set on this
	// participant.
	CodeIdentityNotAllowed = 50444
	// CodeIdentityAndAddress (50451): Identity and Address were both given
	// where only one is allowed.
	CodeIdentityAndAddress = 50451
	// CodeMediaNotFound (50507): a MediaSid names no media of the
	// conversation's service.
	CodeMediaNotFound = 50507
	// CodeMediaAlreadySent (50508): the media is already attached to
	// another message.
	CodeMediaAlreadySent = 50508
	// CodeMediaTooLarge (50512): the media file is larger than allowed.
	CodeMediaTooLarge = 50512
)

// conflictCodes are the codes that say "it already exists".
var conflictCodes = [...]int{CodeUserExists, CodeConversationUniqueNameExists, CodeParticipantBindingExists, CodeParticipantExists}

// HasCode reports whether err is (or wraps) an *Error whose Twilio error code
// is code:
//
//	if conversations.HasCode(err, conversations.CodeConversationUniqueNameExists) { ... }
func HasCode(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// IsConflict reports whether err is (or wraps) an *Error that says the
// resource already exists: HTTP 409, or one of CodeUserExists,
// CodeConversationUniqueNameExists, CodeParticipantBindingExists and
// CodeParticipantExists (which Twilio does not always answer with 409).
func IsConflict(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Status == http.StatusConflict {
		return true
	}
	for _, c := range conflictCodes {
		if e.Code == c {
			return true
		}
	}
	return false
}
