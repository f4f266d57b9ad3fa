package rest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// errResp is a response with status, body and the two headers an *Error
// keeps.
func errResp(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body)),
		Header: http.Header{"Twilio-Request-Id": {"RQ9"}, "Retry-After": {"7"}}}
}

// TestResponseErrorFields: a Twilio error body fills the *Error's fields; a
// body with a code or a message is Twilio's, any other body becomes the
// status text and a snippet.
func TestResponseErrorFields(t *testing.T) {
	for _, tc := range []struct {
		body string
		want Error
	}{
		{`{"code":20404,"message":"not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404,"details":{"k":"v"}}`,
			Error{Code: 20404, Message: "not found", MoreInfo: "https://www.twilio.com/docs/errors/20404", Details: map[string]any{"k": "v"}}},
		{`{"message":"only a message"}`, Error{Message: "only a message"}},
		{`{"code":0}`, Error{}},
		{`{"code":50,"message":""}`, Error{Code: 50}},
		{`{"status":404,"more_info":"x"}`, Error{Message: "Not Found: {\"status\":404,\"more_info\":\"x\"}", Snippet: `{"status":404,"more_info":"x"}`}},
		{"", Error{Message: "Not Found"}},
		{"  \n ", Error{Message: "Not Found"}},
		{"<html>\n  gone \n</html>", Error{Message: "Not Found: <html> gone </html>", Snippet: "<html> gone </html>"}},
	} {
		got := ResponseError(errResp(404, tc.body), "GET", "/v1/x")
		tc.want.Status, tc.want.Method, tc.want.Path, tc.want.RequestID, tc.want.RetryAfter = 404, "GET", "/v1/x", "RQ9", "7"
		assert.Equal(t, tc.want, *got, "%q", tc.body)
	}
}

// TestResponseErrorRedacts: a secret is replaced wherever it appears: raw,
// behind JSON escapes in the message, more_info and details (keys, nested
// values), and in the snippet; long fields are clipped.
func TestResponseErrorRedacts(t *testing.T) {
	const s = "tok3n"
	body := `{"code":1,"message":"bad \u0074ok3n","more_info":"https://x/?t=tok\u0033n","details":{"tok3n":["a tok3n",{"b":"tok\u0033n"},3]}}`
	got := ResponseError(errResp(401, body), "POST", "/v1/y", s, "")
	assert.Equal(t, "bad [REDACTED]", got.Message)
	assert.Equal(t, "https://x/?t=[REDACTED]", got.MoreInfo)
	assert.Equal(t, map[string]any{"[REDACTED]": []any{"a [REDACTED]", map[string]any{"b": "[REDACTED]"}, float64(3)}}, got.Details)
	assert.NotContains(t, got.Error(), s)

	got = ResponseError(errResp(502, "upstream said tok3n"), "GET", "/v1/z", s)
	assert.Equal(t, "upstream said [REDACTED]", got.Snippet)
	got = ResponseError(errResp(502, "tok3\nn"), "GET", "/v1/z", s)
	assert.Equal(t, "tok3 n", got.Snippet, "whitespace collapsed; no secret formed")
	got = ResponseError(errResp(502, "tok3  n"), "GET", "/v1/z", "tok3 n")
	assert.Equal(t, "[REDACTED]", got.Snippet, "a secret formed by collapsing whitespace is replaced too")

	long := strings.Repeat("m", MaxMessage+10)
	got = ResponseError(errResp(400, `{"code":1,"message":"`+long+`","more_info":"`+long+`"}`), "GET", "/v1/z")
	assert.Len(t, got.Message, MaxMessage)
	assert.Len(t, got.MoreInfo, MaxMessage)
	assert.Nil(t, got.Details)
}

// TestClip: at most n bytes, cut at a rune boundary.
func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"}, {"abc", 2, "ab"}, {"abc", 0, ""}, {"aé", 2, "a"}, {"aé", 3, "aé"}, {"é", 1, ""}, {"€x", 2, ""}, {"€x", 3, "€"},
		{"\x80a", 0, ""}, {"\x80\x80a", 1, ""}, {"\x80\x80a", 2, "\x80\x80"},
	} {
		assert.Equal(t, tc.want, Clip(tc.s, tc.n), "%q %d", tc.s, tc.n)
	}
}

// TestSnippetAtTheLimit: a body of exactly MaxSnippet bytes is not cut,
// so its last bytes, even half a rune, are kept (as U+FFFD).
func TestSnippetAtTheLimit(t *testing.T) {
	b := "a" + strings.Repeat(" ", MaxSnippet-3) + "\xe2\x82"
	assert.Equal(t, "a \uFFFD", snippet([]byte(b)))
	assert.Equal(t, "a", snippet([]byte(b+"\xac")), "one byte more: the cut rune is dropped")
}
