package rest

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readCounter is a response body that counts its reads and its Close.
type readCounter struct {
	data   []byte
	reads  int
	closed bool
}

func (r *readCounter) Read(p []byte) (int, error) {
	r.reads++
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func (r *readCounter) Close() error { r.closed = true; return nil }

// TestHeaderValidationBoundaries checks every byte in a header name and a
// header value.
func TestHeaderValidationBoundaries(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		tchar := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
		assert.Equal(t, tchar, ValidHeaderName("X"+string([]byte{b})), "name byte %#x", c)
		okValue := b == '\t' || b >= ' ' && b != 0x7f
		assert.Equal(t, okValue, ValidHeaderValue("v"+string([]byte{b})), "value byte %#x", c)
	}
	assert.False(t, ValidHeaderName(""))
	assert.True(t, ValidHeaderValue(""))
	require.NoError(t, checkHeaders(http.Header{"X-A": {"1", "2"}}))
	var ve *ValidationError
	require.ErrorAs(t, checkHeaders(http.Header{"X-A": {"ok", "b\nad"}}), &ve)
	assert.Equal(t, "header X-A", ve.Param)
	require.ErrorAs(t, checkHeaders(http.Header{"X A": {"ok"}}), &ve)
	assert.Equal(t, "header name", ve.Param)
}

// TestSnippetCutsAtRuneBoundary: the 512-byte limit never splits a rune
// and never marks a cut rune as invalid.
func TestSnippetCutsAtRuneBoundary(t *testing.T) {
	for _, r := range []string{"é", "€", "𝄞"} {
		for pad := 0; pad < 4; pad++ {
			in := strings.Repeat("a", MaxSnippet-pad) + strings.Repeat(r, 10)
			got := snippet([]byte(in))
			assert.True(t, utf8.ValidString(got), "%q pad %d", r, pad)
			assert.LessOrEqual(t, len(got), MaxSnippet)
			assert.NotContains(t, got, "\uFFFD", "a rune cut by the limit is dropped, not replaced")
			assert.Greater(t, len(got), MaxSnippet-utf8.UTFMax, "only the cut rune is dropped")
			assert.True(t, strings.HasPrefix(in, got))
		}
	}
	assert.Equal(t, strings.Repeat("a", MaxSnippet), snippet([]byte(strings.Repeat("a", MaxSnippet))))
	assert.Equal(t, strings.Repeat("a", MaxSnippet), snippet([]byte(strings.Repeat("a", MaxSnippet+1))))
	assert.Equal(t, "a \uFFFD b", snippet([]byte("a\n\xff\tb")), "invalid bytes inside are marked; whitespace collapses")
	assert.Equal(t, "ab", Clip("abc", 2))
	assert.Equal(t, "a", Clip("aé", 2), "clip at a rune start")
	assert.Equal(t, "aé", Clip("aé", 3))
}

// TestRedactURLsUserinfo: user:pass@ in any http(s) URL quoted by an error
// is removed, and nothing else is.
func TestRedactURLsUserinfo(t *testing.T) {
	cases := map[string]string{
		`Get "https://AC1:tok@proxy.example.com/v1/x": EOF`:   `Get "https://REDACTED@proxy.example.com/v1/x": EOF`,
		`dial http://u:p@h:80 failed`:                         `dial http://REDACTED@h:80 failed`,
		`http://a@b@c/d`:                                      `http://REDACTED@c/d`,
		`https://h/path@not-userinfo`:                         `https://h/path@not-userinfo`,
		`https://h?q=a@b`:                                     `https://h?q=a@b`,
		`https://h#a@b`:                                       `https://h#a@b`,
		`x https://h 'https://u:p@i' "http://v:q@j"`:          `x https://h 'https://REDACTED@i' "http://REDACTED@j"`,
		`no url u:p@h`:                                        `no url u:p@h`,
		`https://u:p@h https://u2:p2@h2`:                      `https://REDACTED@h https://REDACTED@h2`,
		`https://`:                                            `https://`,
		`https://@h/x`:                                        `https://REDACTED@h/x`,
		`HTTP://u:p@h (scheme match is exact, lower case) ok`: `HTTP://u:p@h (scheme match is exact, lower case) ok`,
	}
	for in, want := range cases {
		assert.Equal(t, want, redactURLs(in), "%q", in)
	}
	e := &NetworkError{Method: "GET", Path: "/v1/x", Err: errors.New(`Get "https://AC1:tok@h/v1/x": EOF`)}
	assert.NotContains(t, e.Error(), "tok")
}

// TestCloseBodyReadsOnlyWhatCannotWait: closeBody reads once more only when
// all of a Content-Length body was read without io.EOF (that read cannot
// block); otherwise it only closes.
func TestCloseBodyReadsOnlyWhatCannotWait(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cl, n     int64
		eof       bool
		err       error
		wantReads int
	}{
		{"all read, no EOF yet", 10, 10, false, nil, 1},
		{"EOF seen", 10, 10, true, nil, 0},
		{"bytes left", 10, 9, false, nil, 0},
		{"read error", 10, 10, false, errors.New("reset"), 0},
		{"unknown length", -1, 10, false, nil, 0},
		{"empty body", 0, 0, false, nil, 1},
	} {
		body := &readCounter{}
		resp := &http.Response{ContentLength: tc.cl, Body: body}
		closeBody(resp, &Reader{n: tc.n, eof: tc.eof, err: tc.err})
		assert.Equal(t, tc.wantReads, body.reads, tc.name)
		assert.True(t, body.closed, tc.name)
	}
	body := &readCounter{}
	closeBody(&http.Response{ContentLength: 5, Body: body}, nil)
	assert.Equal(t, 0, body.reads, "no reader: just close")
	assert.True(t, body.closed)
}

// TestValidHostLabelBoundaries checks every byte against the DNS label
// characters.
func TestValidHostLabelBoundaries(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
		assert.Equal(t, want, validHostLabel("ie1"+string([]byte{b})), "byte %#x", c)
	}
	assert.True(t, validHostLabel(""))
	_, err := New(Config{Username: "AC1", Password: "secret", Region: "ie1", Edge: "dublin"})
	require.NoError(t, err)
	_, err = New(Config{Username: "AC1", Password: "secret", Region: "ie1.evil.com/"})
	require.Error(t, err)
}

// TestResponseErrorConflictingResourceID: the v2 API's 409 names the
// existing resource in X-Conflicting-Resource-Id; the *Error carries it,
// clipped like every header copied into an error.
func TestResponseErrorConflictingResourceID(t *testing.T) {
	resp := &http.Response{StatusCode: 409, Header: http.Header{"X-Conflicting-Resource-Id": {"conv_configuration_1"}},
		Body: io.NopCloser(strings.NewReader(`{"code":409,"message":"conflict","status":409}`))}
	e := ResponseError(resp, "POST", "/v2/ControlPlane/Configurations")
	assert.Equal(t, "conv_configuration_1", e.ConflictingResourceID)
	assert.Equal(t, 409, e.Code)

	resp = &http.Response{StatusCode: 409, Header: http.Header{"X-Conflicting-Resource-Id": {strings.Repeat("x", 1000)}},
		Body: io.NopCloser(strings.NewReader(``))}
	assert.Len(t, ResponseError(resp, "DELETE", "/v2/Conversations/c").ConflictingResourceID, MaxHeaderValue)

	resp = &http.Response{StatusCode: 404, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(``))}
	assert.Empty(t, ResponseError(resp, "GET", "/v2/Conversations/c").ConflictingResourceID)
}
