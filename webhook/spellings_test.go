package webhook

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A webhook configured without a path ("https://desk.example.com", or an
// httptest.Server URL as it is) is signed by Twilio over exactly that
// string, while a server rebuilds the URL with the request-target "/". Both
// spellings of an empty path are accepted, with and without a query, by
// ValidateSignature, ValidateBody, CandidateURLs and the Handler.
func TestEmptyPathSpellings(t *testing.T) {
	p := vParams()
	pairs := [][2]string{
		{"https://desk.example.com", "https://desk.example.com/"},
		{"https://h.example.com?x=1", "https://h.example.com/?x=1"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/"},
		{"https://u:p@h.example.com:8443?x=1&y=2", "https://u:p@h.example.com:8443/?x=1&y=2"},
	}
	for _, pair := range pairs {
		for _, dir := range [][2]string{{pair[0], pair[1]}, {pair[1], pair[0]}} {
			signed, received := dir[0], dir[1]
			sig := ComputeSignature(vToken, signed, p)
			assert.True(t, ValidateSignature(vToken, sig, received, p), "signed %s, received %s", signed, received)
			assert.Contains(t, CandidateURLs(received), signed)
		}
	}

	// The bodySHA256 variant.
	body := []byte(`{"EventType":"onMessageAdded"}`)
	q := "?" + BodyHashParam + "=" + ComputeBodyHash(body)
	for _, dir := range [][2]string{{"https://h.example.com" + q, "https://h.example.com/" + q}, {"https://h.example.com/" + q, "https://h.example.com" + q}} {
		sig := ComputeSignature(vToken, dir[0], nil)
		assert.True(t, ValidateBody(vToken, sig, dir[1], body), "signed %s, received %s", dir[0], dir[1])
	}

	// A path that is not empty keeps its trailing slash significant.
	for _, dir := range [][2]string{{"https://h.example.com/hook", "https://h.example.com/hook/"}, {"https://h.example.com/hook/", "https://h.example.com/hook"}, {"https://h.example.com//", "https://h.example.com/"}} {
		sig := ComputeSignature(vToken, dir[0], p)
		assert.False(t, ValidateSignature(vToken, sig, dir[1], p), "signed %s, received %s", dir[0], dir[1])
	}
}

// The Handler on a real server: the URL configured in Twilio is the
// server's URL as it is (no path), optionally with a query.
func TestHandler_EmptyPathConfiguredURL(t *testing.T) {
	rc := &recorder{}
	ts := httptest.NewServer(rc.handler(Allow()))
	defer ts.Close()
	form := messageAddForm()
	for _, configured := range []string{ts.URL, ts.URL + "?x=1", ts.URL + "/", ts.URL + "/?x=1"} {
		req, err := http.NewRequest(http.MethodPost, configured, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(SignatureHeader, ComputeSignature(testToken, configured, form))
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, configured)
	}
	assert.Equal(t, int32(4), rc.calls.Load())
}

// twilio-node spec/validation.spec.js: the signature is computed over
// "https://example.com/path?test=param'WithQuote" and the server sees the
// quote escaped; it validates. The opposite direction (signed escaped,
// received raw) validates too.
func TestEscapedQuoteInQuery(t *testing.T) {
	p := vParams()
	raw := "https://example.com/path?test=param'WithQuote"
	esc := "https://example.com/path?test=param%27WithQuote"
	assert.True(t, ValidateSignature(vToken, ComputeSignature(vToken, raw, p), esc, p), "signed raw, received escaped")
	assert.True(t, ValidateSignature(vToken, ComputeSignature(vToken, esc, p), raw, p), "signed escaped, received raw")
	assert.True(t, ValidateSignature(vToken, ComputeSignature(vToken, raw, p), "https://example.com/path?test=param%27WithQuote&b=It%27s", p) == false)
	assert.True(t, ValidateSignature(vToken, ComputeSignature(vToken, "https://example.com/path?a='&b='", p), "https://example.com/path?a=%27&b=%27", p))
	assert.Contains(t, CandidateURLs(esc), raw)

	// Only the quote, and only in the query: %31 is never "1", a %27 in the
	// path is not a quote.
	assert.False(t, ValidateSignature(vToken, ComputeSignature(vToken, "https://example.com/path?test=1", p), "https://example.com/path?test=%31", p))
	assert.False(t, ValidateSignature(vToken, ComputeSignature(vToken, "https://example.com/it's?a=1", p), "https://example.com/it%27s?a=1", p))

	// Through the Handler, the request-target carrying %27.
	rc := &recorder{}
	h := rc.handler(Allow())
	form := messageAddForm()
	r := signedPost(testToken, "https://example.com/path?test=param%27WithQuote", raw, form)
	assert.Equal(t, http.StatusOK, serve(h, r).Code)
	assert.Equal(t, int32(1), rc.calls.Load())
}
