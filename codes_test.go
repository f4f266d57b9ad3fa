package conversations

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorCodeHelpers(t *testing.T) {
	wrap := func(e *Error) error { return fmt.Errorf("outer: %w", e) }
	cases := []struct {
		name                 string
		err                  error
		code                 int
		has, conflict, found bool
	}{
		{"unique name 409", wrap(&Error{Status: 409, Code: 50353}), CodeConversationUniqueNameExists, true, true, false},
		{"participant exists as 400", &Error{Status: 400, Code: 50433}, CodeParticipantExists, true, true, false},
		{"binding exists", &Error{Status: 400, Code: 50416}, CodeParticipantBindingExists, true, true, false},
		{"user exists", &Error{Status: 400, Code: 50201}, CodeUserExists, true, true, false},
		{"bare 409", &Error{Status: 409}, CodeUserExists, false, true, false},
		{"not found by status", &Error{Status: 404}, CodeNotFound, false, false, true},
		{"not found by code", wrap(&Error{Status: 400, Code: 20404}), CodeNotFound, true, false, true},
		{"closed", &Error{Status: 400, Code: 50377}, CodeConversationClosed, true, false, false},
		{"other code", &Error{Status: 400, Code: 50390}, CodeConversationUniqueNameExists, false, false, false},
		{"not an *Error", errors.New("x"), CodeNotFound, false, false, false},
		{"nil", nil, CodeNotFound, false, false, false},
		{"validation", &ValidationError{Param: "x"}, 0, false, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.has, HasCode(tc.err, tc.code), "HasCode")
			assert.Equal(t, tc.conflict, IsConflict(tc.err), "IsConflict")
			if tc.found {
				assert.True(t, HasCode(tc.err, CodeNotFound) || StatusCode(tc.err) == 404)
			}
		})
	}
}

// The constants are Twilio's numbers (https://www.twilio.com/docs/api/errors/{code});
// the fake in conversationstest answers with these same constants.
func TestCodeValues(t *testing.T) {
	assert.Equal(t, []int{400, 20001, 20003, 20004, 20404, 20429, 20500, 20503, 50201, 50206, 50353, 50377, 50390, 50416, 50433, 50444, 50451, 50507, 50508, 50512},
		[]int{CodeBadRequest, CodeMissingParameter, CodeAuthenticationFailed, CodeMethodNotAllowed, CodeNotFound, CodeTooManyRequests,
			CodeInternalServerError, CodeServiceUnavailable, CodeUserExists, CodeIdentityIsUserSID, CodeConversationUniqueNameExists,
			CodeConversationClosed, CodeUniqueNameIsSID, CodeParticipantBindingExists, CodeParticipantExists, CodeIdentityNotAllowed,
			CodeIdentityAndAddress, CodeMediaNotFound, CodeMediaAlreadySent, CodeMediaTooLarge})
}
