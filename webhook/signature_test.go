package webhook

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docsToken, docsURL, docsParams and docsSignature are the worked example of
// "Security" (https://www.twilio.com/docs/usage/security), section "Explore
// the algorithm yourself": auth token 12345, a POST to
// https://example.com/myapp.php?foo=1&bar=2 with the five parameters below,
// string to sign
//
//	https://example.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212
//
// and resulting signature L/OH5YylLD5NRKLltdqwSvS0BnU=.
const (
	docsToken     = vToken
	docsURL       = "https://example.com/myapp.php?foo=1&bar=2"
	docsSignature = "L/OH5YylLD5NRKLltdqwSvS0BnU="
	docsSigned    = "https://example.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212"
)

func docsParams() url.Values {
	// In the order the document lists them, which is not the signing order.
	return url.Values{
		"Digits":  {"1234"},
		"To":      {"+18005551212"},
		"From":    {"+14158675310"},
		"Caller":  {"+14158675310"},
		"CallSid": {"CA1234567890ABCDE"},
	}
}

func TestComputeSignature_DocsWorkedExample(t *testing.T) {
	assert.Equal(t, docsSignature, ComputeSignature(docsToken, docsURL, docsParams()))
	// The string the document shows being signed, with no parameters left
	// to append, gives the same signature.
	assert.Equal(t, docsSignature, ComputeSignature(docsToken, docsSigned, nil))
	assert.True(t, ValidateSignature(docsToken, docsSignature, docsURL, docsParams()))
}

// The port rules beyond the official libraries' vectors (vectors_test.go):
// no port other than the scheme's default is invented, and the scheme is
// never changed.
func TestValidateSignature_PortLimits(t *testing.T) {
	p := vParams()
	assert.False(t, ValidateSignature(vToken, vSig1234, vURLHTTP, p))
	assert.False(t, ValidateSignature(vToken, vSig, vURLHTTP, p))
	assert.False(t, ValidateSignature(vToken, vSigHTTP, vURL, p))
	assert.True(t, ValidateSignature(vToken, vSigHTTP, vURLHTTP, p))
	assert.True(t, ValidateSignature(vToken, vSig, "https://mycompany.com:443/myapp.php?foo=1&bar=2", p))
}

func TestValidateSignature_UserInfoDroppedOrKept(t *testing.T) {
	// "Twilio will drop the username and password (if any) from the URL
	// before computing the signature." ("Security", "A few notes")
	withAuth := "https://user:secret@example.com/myapp.php?foo=1&bar=2"
	assert.True(t, ValidateSignature(docsToken, docsSignature, withAuth, docsParams()))
}

func TestValidateSignature_Rejections(t *testing.T) {
	p := docsParams()
	cases := []struct {
		name   string
		token  string
		sig    string
		url    string
		params url.Values
	}{
		{"wrong token", "54321", docsSignature, docsURL, p},
		{"token case matters", "12345 ", docsSignature, docsURL, p},
		{"empty token", "", docsSignature, docsURL, p},
		{"empty signature", docsToken, "", docsURL, p},
		{"garbage signature", docsToken, "not-a-signature", docsURL, p},
		{"signature one char short", docsToken, docsSignature[:len(docsSignature)-1], docsURL, p},
		{"tampered value", docsToken, docsSignature, docsURL, with(p, "Digits", "9999")},
		{"added parameter", docsToken, docsSignature, docsURL, with(p, "Extra", "1")},
		{"removed parameter", docsToken, docsSignature, docsURL, without(p, "To")},
		{"renamed parameter", docsToken, docsSignature, docsURL, with(without(p, "Caller"), "caller", "+14158675310")},
		{"no parameters", docsToken, docsSignature, docsURL, nil},
		{"replayed to another query", docsToken, docsSignature, "https://example.com/myapp.php?foo=1&bar=3", p},
		{"replayed with query reordered", docsToken, docsSignature, "https://example.com/myapp.php?bar=2&foo=1", p},
		{"replayed without query", docsToken, docsSignature, "https://example.com/myapp.php", p},
		{"replayed with extra query", docsToken, docsSignature, docsURL + "&baz=3", p},
		{"replayed to another path", docsToken, docsSignature, "https://example.com/other.php?foo=1&bar=2", p},
		{"replayed to another host", docsToken, docsSignature, "https://example.org/myapp.php?foo=1&bar=2", p},
		{"trailing slash", docsToken, docsSignature, "https://example.com/myapp.php/?foo=1&bar=2", p},
		{"re-encoded query", docsToken, docsSignature, "https://example.com/myapp.php?foo=%31&bar=2", p},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.False(t, ValidateSignature(c.token, c.sig, c.url, c.params))
		})
	}
}

func TestComputeSignature_SortIsCaseSensitiveByteOrder(t *testing.T) {
	// "Unix-style case-sensitive sorting order": upper case before lower
	// case, so "Zeta" < "alpha".
	p := url.Values{"alpha": {"1"}, "Zeta": {"2"}, "beta": {"3"}}
	want := ComputeSignature("t", "https://x.test/hookZeta2alpha1beta3", nil)
	assert.Equal(t, want, ComputeSignature("t", "https://x.test/hook", p))
}

func TestComputeSignature_RepeatedParameters(t *testing.T) {
	a := url.Values{"K": {"b", "a"}, "J": {"x"}}
	b := url.Values{"J": {"x"}, "K": {"a", "b"}}
	sig := ComputeSignature("t", "https://x.test/", a)
	assert.Equal(t, sig, ComputeSignature("t", "https://x.test/", b), "value order must not matter")
	assert.Equal(t, ComputeSignature("t", "https://x.test/JxKaKb", nil), sig)
	// Computing must not reorder the caller's slice.
	assert.Equal(t, []string{"b", "a"}, a["K"])
}

func TestComputeSignature_EmptyValueAndUnicode(t *testing.T) {
	p := url.Values{"Body": {"héllo ✓"}, "Attributes": {""}}
	assert.Equal(t,
		ComputeSignature("t", "https://x.test/hAttributesBodyhéllo ✓", nil),
		ComputeSignature("t", "https://x.test/h", p))
}

// The JSON variant: docs example body and bodySHA256 value from "Security"
// ("Validate Signature of Request (application/json body)").
func TestComputeBodyHash_DocsExample(t *testing.T) {
	body := `{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}`
	assert.Equal(t, "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9", ComputeBodyHash([]byte(body)))
}

func TestValidateBody_Rejections(t *testing.T) {
	u := vURLHash
	body := []byte(vBody)
	assert.False(t, ValidateBody(vToken, vBodySig, u, []byte(`{"property": "value", "boolean": false}`)), "tampered body")
	assert.False(t, ValidateBody(vToken, vBodySig, u, append(append([]byte(nil), body...), ' ')), "trailing space")
	assert.False(t, ValidateBody("54321", vBodySig, u, body), "wrong token")
	assert.False(t, ValidateBody(vToken, vSig, vURL, body), "no bodySHA256 in URL")

	// Body and hash swapped consistently, but the signature covers the old
	// hash: the URL no longer matches the signature.
	other := []byte(`{"property":"other"}`)
	u2 := vURL + "&" + BodyHashParam + "=" + ComputeBodyHash(other)
	assert.False(t, ValidateBody(vToken, vBodySig, u2, other))

	// Upper-case hex in the URL is accepted only if it was signed that way.
	upper := vURL + "&" + BodyHashParam + "=" + strings.ToUpper(vHash)
	sig := ComputeSignature(vToken, upper, nil)
	assert.True(t, ValidateBody(vToken, sig, upper, body))
}

func TestCandidateURLs(t *testing.T) {
	cases := map[string][]string{
		"https://a.test/p?q=1":      {"https://a.test/p?q=1", "https://a.test:443/p?q=1"},
		"https://a.test:8443/p":     {"https://a.test:8443/p", "https://a.test/p"},
		"http://a.test":             {"http://a.test", "http://a.test:80", "http://a.test/", "http://a.test:80/"},
		"HTTP://a.test/":            {"HTTP://a.test/", "HTTP://a.test:80/", "HTTP://a.test", "HTTP://a.test:80"},
		"https://a.test?x='":        {"https://a.test?x='", "https://a.test:443?x='", "https://a.test?x=%27", "https://a.test:443?x=%27", "https://a.test/?x='", "https://a.test:443/?x='", "https://a.test/?x=%27", "https://a.test:443/?x=%27"},
		"https://[::1]:9000/h?x=:1": {"https://[::1]:9000/h?x=:1", "https://[::1]/h?x=:1"},
		"https://[::1]/h":           {"https://[::1]/h", "https://[::1]:443/h"},
		"not a url":                 {"not a url"},
		"ftp://a.test/x":            {"ftp://a.test/x"},
		"http://u:p@a.test:80/x": {
			"http://u:p@a.test:80/x", "http://u:p@a.test/x",
			"http://a.test:80/x", "http://a.test/x",
		},
		"https://a.test/a b?q=It's": {
			"https://a.test/a b?q=It's", "https://a.test:443/a b?q=It's",
			"https://a.test/a%20b?q=It%27s", "https://a.test:443/a%20b?q=It%27s",
		},
		"https://a.test/Espa\u00f1a?x=\"<>`{}#f'": {
			"https://a.test/Espa\u00f1a?x=\"<>`{}#f'", "https://a.test:443/Espa\u00f1a?x=\"<>`{}#f'",
			"https://a.test/Espa%C3%B1a?x=%22%3C%3E`{}#f'", "https://a.test:443/Espa%C3%B1a?x=%22%3C%3E`{}#f'",
		},
		// Already-escaped text is left alone; nothing is decoded but an
		// apostrophe of the query.
		"https://a.test/p?q=%27%31":  {"https://a.test/p?q=%27%31", "https://a.test:443/p?q=%27%31", "https://a.test/p?q='%31", "https://a.test:443/p?q='%31"},
		"https://a.test/%27?q=%2527": {"https://a.test/%27?q=%2527", "https://a.test:443/%27?q=%2527"},
	}
	for in, want := range cases {
		assert.Equal(t, want, CandidateURLs(in), in)
	}
}

func with(p url.Values, k, v string) url.Values {
	out := url.Values{}
	for key, vs := range p {
		out[key] = append([]string(nil), vs...)
	}
	out.Set(k, v)
	return out
}

func without(p url.Values, k string) url.Values {
	out := url.Values{}
	for key, vs := range p {
		if key != k {
			out[key] = append([]string(nil), vs...)
		}
	}
	return out
}

func TestSignatureConstants(t *testing.T) {
	require.Equal(t, "X-Twilio-Signature", SignatureHeader)
	require.Equal(t, "bodySHA256", BodyHashParam)
}

// Over a spread of URL shapes, CandidateURLs puts the URL as written first,
// never repeats a spelling, never panics, and a signature computed over any
// candidate validates the URL while one over a changed path does not.
func TestCandidateURLs_Properties(t *testing.T) {
	inputs := []string{
		"", "://", "https://", "https://@", "https://u:p@", "https://[::1", "https://h:", "https://h:/p",
		"https://h?#", "https://h#frag?x'", "http://h/é?é=é", "HTTPS://H:443", "https://u@h@h2/p",
		"https://h/p?q=" + strings.Repeat("'", 50), "mailto:x@y", "https://h/\x00\x7f",
	}
	p := vParams()
	for _, in := range inputs {
		c := CandidateURLs(in)
		require.NotEmpty(t, c, in)
		assert.Equal(t, in, c[0], in)
		seen := map[string]bool{}
		for _, u := range c {
			assert.False(t, seen[u], "%q repeated for %q", u, in)
			seen[u] = true
			assert.True(t, ValidateSignature(vToken, ComputeSignature(vToken, u, p), in, p), "%q for %q", u, in)
			assert.False(t, ValidateSignature(vToken, ComputeSignature(vToken, u+"x", p), in, p), "%q+x for %q", u, in)
		}
	}
}
