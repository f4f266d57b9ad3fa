package conversations

import (
	"github.com/conversations-go/conversations/internal/rest"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorsTRecorder is newRecorder answering every request with status and
// body plus the given response headers.
func errorsTRecorder(t *testing.T, status int, body string, header http.Header) (*Client, *recorder) {
	t.Helper()
	c, rec := newRecorder(t, status, body)
	rec.responses[0].header = header
	return c, rec
}

// errorsTAPIError requires err to hold an *Error and returns it.
func errorsTAPIError(t *testing.T, err error) *Error {
	t.Helper()
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	return e
}

// errorsTSingleLineBounded checks that a snippet is short, valid UTF-8 and
// on one line.
func errorsTSingleLineBounded(t *testing.T, s string) {
	t.Helper()
	assert.LessOrEqual(t, len(s), 512, "snippet length")
	assert.True(t, utf8.ValidString(s), "valid UTF-8")
	assert.NotContains(t, s, "\n")
	assert.NotContains(t, s, "\r")
	assert.NotContains(t, s, "\t")
	assert.NotContains(t, s, "  ", "whitespace runs collapsed")
}

func TestErrorsTwilioJSON(t *testing.T) {
	const body = `{"code":20001,"message":"Invalid parameter: FriendlyName","more_info":"https://www.twilio.com/docs/errors/20001",` +
		`"status":400,"details":{"param":"FriendlyName","limits":{"max":256},"hint":"errorsTDetailToken"}}`
	c, rec := errorsTRecorder(t, 400, body, http.Header{"Twilio-Request-Id": {"RQ0123456789abcdef"}})
	_, err := c.Conversations.Update(context.Background(), "CH1", &ConversationUpdateParams{FriendlyName: Ptr("x")})
	e := errorsTAPIError(t, err)

	assert.Equal(t, &Error{
		Status:    400,
		Code:      20001,
		Message:   "Invalid parameter: FriendlyName",
		MoreInfo:  "https://www.twilio.com/docs/errors/20001",
		Details:   map[string]any{"param": "FriendlyName", "limits": map[string]any{"max": float64(256)}, "hint": "errorsTDetailToken"},
		RequestID: "RQ0123456789abcdef",
		Method:    "POST",
		Path:      "/v1/Conversations/CH1",
	}, e)
	assert.Equal(t, 1, rec.count(), "a 400 is not retried")

	msg := err.Error()
	assert.Equal(t, "conversations: POST /v1/Conversations/CH1: HTTP 400 (code 20001): Invalid parameter: FriendlyName"+
		" (more info: https://www.twilio.com/docs/errors/20001) [request RQ0123456789abcdef]", msg)
	assert.Contains(t, msg, "400")
	assert.Contains(t, msg, "20001")
	assert.Contains(t, msg, "Invalid parameter: FriendlyName")
	assert.Contains(t, msg, "RQ0123456789abcdef")
	assert.NotContains(t, msg, body)
	assert.NotContains(t, msg, "errorsTDetailToken", "details are not in the string")
	assert.NotContains(t, msg, `"code"`)
	assert.Equal(t, 400, StatusCode(err))
	assert.False(t, IsNotFound(err))
}

func TestErrorsPathHasNoQuery(t *testing.T) {
	c, _ := errorsTRecorder(t, 403, `{"code":20003,"message":"Authenticate","status":403}`, nil)
	_, err := c.Service(testServiceSID).Conversations.List(context.Background(), &ConversationListParams{State: Ptr(ConversationStateActive), ListParams: ListParams{PageSize: Ptr(5)}})
	e := errorsTAPIError(t, err)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "/v1/Services/"+testServiceSID+"/Conversations", e.Path)
	assert.Equal(t, 403, e.Status)
	assert.Equal(t, 20003, e.Code)
	assert.Empty(t, e.RequestID)
	assert.NotContains(t, err.Error(), "[request")
	assert.NotContains(t, err.Error(), "PageSize")
	assert.True(t, IsUnauthorized(err))
}

// The HTTP status is the one on the response, not the body's "status".
func TestErrorsStatusFromResponse(t *testing.T) {
	c, _ := errorsTRecorder(t, 409, `{"code":50353,"message":"conflict","status":400}`, nil)
	_, err := c.Conversations.Fetch(context.Background(), "CH1")
	e := errorsTAPIError(t, err)
	assert.Equal(t, 409, e.Status)
	assert.Equal(t, 50353, e.Code)
	assert.Equal(t, "conflict", e.Message)
}

func TestErrorsRateLimitedRetryAfter(t *testing.T) {
	c, rec := errorsTRecorder(t, 429, `{"code":20429,"message":"Too Many Requests","status":429}`,
		http.Header{"Retry-After": {"7"}, "Twilio-Request-Id": {"RQ429"}})
	_, err := c.Conversations.Fetch(context.Background(), "CH1")
	e := errorsTAPIError(t, err)
	assert.True(t, IsRateLimited(err))
	assert.Equal(t, "7", e.RetryAfter)
	assert.Equal(t, "RQ429", e.RequestID)
	assert.Equal(t, 20429, e.Code)
	assert.Equal(t, 1, rec.count(), "newRecorder disables retries")
}

func TestErrorsHTMLBadGateway(t *testing.T) {
	page := "<!DOCTYPE html>\n<html>\n<head>\r\n\t<title>502 Bad Gateway</title>\n</head>\n<body>\n" +
		strings.Repeat("  <p>The upstream server returned an invalid response.</p>\n", 40) +
		"</body>\n</html>\n"
	require.Greater(t, len(page), 2000)
	c, _ := errorsTRecorder(t, 502, page, http.Header{"Content-Type": {"text/html"}, "Twilio-Request-Id": {"RQ502"}})
	_, err := c.Conversations.Fetch(context.Background(), "CH1")
	e := errorsTAPIError(t, err)

	assert.Equal(t, 502, e.Status)
	assert.Equal(t, 0, e.Code)
	assert.Equal(t, "RQ502", e.RequestID)
	assert.True(t, strings.HasPrefix(e.Message, "Bad Gateway"), e.Message)
	assert.Equal(t, "Bad Gateway: "+e.Snippet, e.Message)
	assert.True(t, strings.HasPrefix(e.Snippet, "<!DOCTYPE html> <html> <head> <title>502 Bad Gateway</title>"), e.Snippet)
	errorsTSingleLineBounded(t, e.Snippet)
	assert.Greater(t, len(e.Snippet), 400, "the snippet uses its budget")
	assert.Nil(t, e.Details)
	assert.Empty(t, e.MoreInfo)
	assert.NotContains(t, err.Error(), "\n")
	assert.Less(t, len(err.Error()), 700)
}

func TestErrorsEmpty404(t *testing.T) {
	c, _ := errorsTRecorder(t, 404, "", http.Header{"Twilio-Request-Id": {"RQ404"}})
	err := c.Conversations.Delete(context.Background(), "CH1")
	e := errorsTAPIError(t, err)
	assert.True(t, IsNotFound(err))
	assert.Equal(t, "Not Found", e.Message)
	assert.Empty(t, e.Snippet)
	assert.Equal(t, 0, e.Code)
	assert.Equal(t, "DELETE", e.Method)
	assert.Equal(t, "conversations: DELETE /v1/Conversations/CH1: HTTP 404: Not Found [request RQ404]", err.Error())
}

func TestErrorsHugeNonJSONBody(t *testing.T) {
	for _, tc := range []struct {
		name, unit string
	}{
		{"ascii", "upstream timeout; "},
		{"multibyte", "日本語のエラー"}, // 3-byte runes: the 512-byte cut lands inside one
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Repeat(tc.unit, (3<<20)/len(tc.unit)+1)
			require.Greater(t, len(body), 3<<20)
			c, _ := errorsTRecorder(t, 500, body, nil)
			_, err := c.Conversations.Fetch(context.Background(), "CH1")
			e := errorsTAPIError(t, err)
			assert.Equal(t, 500, e.Status)
			assert.NotEmpty(t, e.Snippet)
			errorsTSingleLineBounded(t, e.Snippet)
			assert.NotContains(t, e.Snippet, "\uFFFD", "no rune cut in half")
			assert.True(t, strings.HasPrefix(e.Message, "Internal Server Error: "), e.Message)
			assert.LessOrEqual(t, len(e.Message), len("Internal Server Error: ")+512)
			assert.Less(t, len(err.Error()), 1024)
		})
	}
}

// A Twilio-shaped JSON error with a huge message is clipped too.
func TestErrorsHugeJSONMessageClipped(t *testing.T) {
	long := strings.Repeat("é", 5000)
	b, err := json.Marshal(map[string]any{"code": 20001, "message": long, "more_info": "https://x/" + long, "status": 400})
	require.NoError(t, err)
	c, _ := errorsTRecorder(t, 400, string(b), nil)
	_, err = c.Conversations.Fetch(context.Background(), "CH1")
	e := errorsTAPIError(t, err)
	assert.Equal(t, 20001, e.Code)
	assert.LessOrEqual(t, len(e.Message), 1024)
	assert.LessOrEqual(t, len(e.MoreInfo), 1024)
	assert.True(t, utf8.ValidString(e.Message))
	assert.True(t, utf8.ValidString(e.MoreInfo))
	assert.True(t, strings.HasPrefix(long, e.Message))
}

func TestErrorsPrismProblemJSON(t *testing.T) {
	const body = `{
  "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
  "title": "Invalid request",
  "status": 422,
  "detail": "Your request is not valid and no HTTP validation response was found in the spec, so Prism is generating this error for you.",
  "validation": [{"location": ["body"], "severity": "Error", "code": "required", "message": "must have required property 'Identity'"}]
}`
	c, _ := errorsTRecorder(t, 422, body, http.Header{"Content-Type": {"application/problem+json"}})
	_, err := c.Users.Create(context.Background(), &UserCreateParams{Identity: "alice"})
	e := errorsTAPIError(t, err)
	assert.Equal(t, 422, e.Status)
	assert.Equal(t, 0, e.Code)
	assert.Empty(t, e.MoreInfo)
	assert.Nil(t, e.Details)
	assert.True(t, strings.HasPrefix(e.Snippet, `{ "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY", "title": "Invalid request", "status": 422,`), e.Snippet)
	assert.Contains(t, e.Snippet, "Your request is not valid")
	errorsTSingleLineBounded(t, e.Snippet)
	assert.Equal(t, "Unprocessable Entity: "+e.Snippet, e.Message)
	assert.Equal(t, "POST", e.Method)
	assert.Equal(t, "/v1/Users", e.Path)
}

func TestErrorsHelpers(t *testing.T) {
	valErr := &ValidationError{Param: "Sid", Reason: "is required"}
	for _, tc := range []struct {
		name                                       string
		err                                        error
		status                                     int
		notFound, rateLimited, unauthorized, valid bool
	}{
		{"nil", nil, 0, false, false, false, false},
		{"plain error", errors.New("boom"), 0, false, false, false, false},
		{"404", &Error{Status: 404}, 404, true, false, false, false},
		{"wrapped 404", fmt.Errorf("x: %w", &Error{Status: 404}), 404, true, false, false, false},
		{"twice wrapped 429", fmt.Errorf("y: %w", fmt.Errorf("x: %w", &Error{Status: 429})), 429, false, true, false, false},
		{"wrapped 401", fmt.Errorf("x: %w", &Error{Status: 401}), 401, false, false, true, false},
		{"wrapped 403", fmt.Errorf("x: %w", &Error{Status: 403}), 403, false, false, true, false},
		{"500", &Error{Status: 500}, 500, false, false, false, false},
		{"joined", errors.Join(errors.New("a"), &Error{Status: 429}), 429, false, true, false, false},
		{"validation", valErr, 0, false, false, false, true},
		{"wrapped validation", fmt.Errorf("x: %w", valErr), 0, false, false, false, true},
		{"network error", &NetworkError{Method: "GET", Path: "/v1/x", Err: io.ErrUnexpectedEOF}, 0, false, false, false, false},
		{"decode error", &DecodeError{Method: "GET", Path: "/v1/x", Status: 200, Err: io.ErrUnexpectedEOF}, 0, false, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.status, StatusCode(tc.err), "StatusCode")
			assert.Equal(t, tc.notFound, IsNotFound(tc.err), "IsNotFound")
			assert.Equal(t, tc.rateLimited, IsRateLimited(tc.err), "IsRateLimited")
			assert.Equal(t, tc.unauthorized, IsUnauthorized(tc.err), "IsUnauthorized")
			assert.Equal(t, tc.valid, IsValidation(tc.err), "IsValidation")
		})
	}
}

func TestErrorsHelpersOnRealCalls(t *testing.T) {
	ctx := context.Background()
	c, _ := errorsTRecorder(t, 404, `{"code":20404,"message":"The requested resource was not found","status":404}`, nil)
	_, err := c.Conversations.Fetch(ctx, "CH1")
	wrapped := fmt.Errorf("loading conversation: %w", err)
	assert.True(t, IsNotFound(wrapped))
	assert.Equal(t, 404, StatusCode(wrapped))
	var e *Error
	require.ErrorAs(t, wrapped, &e)
	assert.Equal(t, 20404, e.Code)

	_, err = c.Conversations.Fetch(ctx, "")
	wrapped = fmt.Errorf("x: %w", err)
	assert.True(t, IsValidation(wrapped))
	assert.Equal(t, 0, StatusCode(wrapped))
	assert.False(t, IsNotFound(wrapped))
}

func TestErrorsNetworkErrorUnwrap(t *testing.T) {
	cause := errors.New("errorsT: connection reset by peer")
	ne := &NetworkError{Method: "GET", Path: "/v1/Conversations", Err: cause}
	assert.Same(t, cause, errors.Unwrap(ne))
	assert.ErrorIs(t, fmt.Errorf("x: %w", ne), cause)
	assert.Equal(t, "conversations: GET /v1/Conversations: errorsT: connection reset by peer", ne.Error())

	// Through a call: the transport's error stays reachable.
	c, rec := newRecorder(t, 200, "{}")
	rec.responses[0] = scripted{err: cause}
	_, err := c.Conversations.Fetch(context.Background(), "CH1")
	require.Error(t, err)
	var got *NetworkError
	require.ErrorAs(t, err, &got)
	assert.Equal(t, "GET", got.Method)
	assert.Equal(t, "/v1/Conversations/CH1", got.Path)
	assert.ErrorIs(t, err, cause)
	assert.Equal(t, 0, StatusCode(err))
	assert.Equal(t, 1, rec.count())
}

func TestErrorsDecodeErrorUnwrap(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	de := &DecodeError{Method: "GET", Path: "/v1/Conversations", Status: 200, RequestID: "RQ1", Err: cause}
	assert.Same(t, cause, errors.Unwrap(de))
	assert.ErrorIs(t, fmt.Errorf("x: %w", de), cause)
	assert.Equal(t, "conversations: GET /v1/Conversations: HTTP 200: decoding response: unexpected EOF", de.Error())

	// Through a call: a whole 2xx body that is not JSON.
	c, rec := errorsTRecorder(t, 200, "<html>ok</html>", http.Header{"Twilio-Request-Id": {"RQdecode"}})
	_, err := c.Conversations.Fetch(context.Background(), "CH1")
	require.Error(t, err)
	var got *DecodeError
	require.ErrorAs(t, err, &got)
	assert.Equal(t, 200, got.Status)
	assert.Equal(t, "RQdecode", got.RequestID)
	assert.Equal(t, "GET", got.Method)
	assert.Equal(t, "/v1/Conversations/CH1", got.Path)
	var se *json.SyntaxError
	assert.ErrorAs(t, err, &se)
	assert.Equal(t, 0, StatusCode(err), "a DecodeError is not an API error")
	assert.Equal(t, 1, rec.count())
}

func TestErrorsValidationErrorFormat(t *testing.T) {
	assert.Equal(t, "conversations: Sid is required", (&ValidationError{Param: "Sid", Reason: "is required"}).Error())

	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Conversations.List(context.Background(), &ConversationListParams{ListParams: ListParams{PageSize: Ptr(0)}})
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "PageSize", v.Param)
	assert.Equal(t, "conversations: PageSize must be between 1 and 100, got 0", err.Error())

	_, err = c.Messages.Fetch(context.Background(), "CH1", "")
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "Sid", v.Param)
	assert.Equal(t, "conversations: Sid is required", err.Error())

	_, err = c.Messages.Fetch(context.Background(), "..", "IM1")
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "ConversationSid", v.Param)
	assert.Equal(t, `conversations: ConversationSid ".." is not a valid identifier`, err.Error())
	assert.Equal(t, 0, rec.count())
}

// TestErrorsRedactionLayers pins each redaction step of decodeError: before
// the snippet's cut (half a secret), in Details (keys and values, nested),
// after whitespace collapses (a secret with a space), and none at all.
func TestErrorsRedactionLayers(t *testing.T) {
	const secret = "s3cr3t-tok en-value"
	decode := func(body string, secrets ...string) *Error {
		return rest.ResponseError(fuzzResponse(500, []byte(body), nil), "GET", "/v1/x", secrets...)
	}
	// The snippet cut at 512 bytes would keep the first half of the secret.
	e := decode(strings.Repeat("x", rest.MaxSnippet-8)+secret, secret)
	assert.NotContains(t, e.Snippet, secret[:8], "half a secret survived the cut")
	assert.Contains(t, e.Snippet, "[RED")
	// Details: values and keys, nested in maps and slices; nil stays nil.
	e = decode(`{"code":1,"message":"m","details":{"k":"`+secret+`","`+secret+`":[{"x":"`+secret+`"},2]}}`, secret)
	out := fmt.Sprint(e.Details)
	assert.NotContains(t, out, secret)
	assert.Contains(t, out, "[REDACTED]")
	assert.Len(t, e.Details, 2)
	e = decode(`{"code":1,"message":"m"}`, secret)
	assert.Nil(t, e.Details, "no details: nil, not an empty map")
	// A JSON escape hides the secret from the raw replace.
	e = decode(`{"code":1,"message":"\u0073`+secret[1:]+`","more_info":"\u0073`+secret[1:]+`"}`, secret)
	assert.NotContains(t, e.Message, secret)
	assert.NotContains(t, e.MoreInfo, secret)
	// Whitespace collapse joins "tok\n\t en" into the secret.
	e = decode(`<p>`+strings.Replace(secret, " ", "\n\t ", 1)+`</p>`, secret)
	assert.NotContains(t, e.Snippet, secret)
	assert.NotContains(t, e.Message, secret)
	// No secrets: the body is untouched.
	e = decode(`<p>plain</p>`)
	assert.Equal(t, "<p>plain</p>", e.Snippet)
	assert.Equal(t, "Internal Server Error: <p>plain</p>", e.Message)
	e = decode(``)
	assert.Equal(t, "", e.Snippet)
	assert.Equal(t, "Internal Server Error", e.Message)
}

// TestErrorsClipInvalidStart: clip never panics on a string of
// continuation bytes.
func TestErrorsClipInvalidStart(t *testing.T) {
	assert.Equal(t, "", rest.Clip("\x80\x80\x80", 2))
	assert.Equal(t, "", rest.Clip("é", 1))
	assert.Equal(t, "", rest.Clip("a\x80\x80", 2), "stray continuation bytes go with the rune before them")
	assert.Equal(t, "", rest.Clip("abc", 0))
}

// TestErrorHandBuilt: an *Error a mock builds (no request) prints cleanly.
func TestErrorHandBuilt(t *testing.T) {
	assert.Equal(t, "conversations: HTTP 409 (code 50433)", (&Error{Status: 409, Code: 50433}).Error())
	assert.Equal(t, "conversations: HTTP 404", (&Error{Status: 404}).Error())
	assert.Equal(t, "conversations: HTTP 429: Too Many Requests", (&Error{Status: 429, Message: "Too Many Requests"}).Error())
	assert.Equal(t, "conversations: GET: HTTP 500", (&Error{Status: 500, Method: "GET"}).Error())
	assert.Equal(t, "conversations: /v1/Conversations: HTTP 500", (&Error{Status: 500, Path: "/v1/Conversations"}).Error())
	assert.Equal(t, "conversations: POST /v1/Conversations: HTTP 409 (code 50433) [request RQ1]",
		(&Error{Status: 409, Code: 50433, Method: "POST", Path: "/v1/Conversations", RequestID: "RQ1"}).Error())
}
