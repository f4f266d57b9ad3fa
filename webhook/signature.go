package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/url"
	"sort"
	"strings"
)

// SignatureHeader is the HTTP header that carries Twilio's request signature.
//
// Source: "Security" (https://www.twilio.com/docs/usage/security), "Twilio
// sends this signature in an HTTP header called X-Twilio-Signature".
const SignatureHeader = "X-Twilio-Signature"

// BodyHashParam is the query parameter Twilio adds to the URL of a request
// whose body is not form-encoded (application/json); its value is the
// lower-case hexadecimal SHA-256 of the raw body.
//
// Source: "Security", section "A few notes": "The query parameter bodySHA256
// will be included in the request. Its value is calculated as the
// hexadecimal representation of the SHA-256 hash of the request body."
const BodyHashParam = "bodySHA256"

// ComputeSignature returns the X-Twilio-Signature value Twilio sends for a
// request to rawURL with the POST form parameters params, signed with
// authToken. Pass nil params for a GET request or for a JSON-body request
// (whose URL then carries bodySHA256).
//
// The algorithm is the one in "Security"
// (https://www.twilio.com/docs/usage/security), section "Explore the
// algorithm yourself":
//
//  1. Start from the full URL, scheme through the end of the query string.
//  2. Sort the POST parameters by name, "Unix-style case-sensitive" — that
//     is byte order, so upper case sorts before lower case.
//  3. Append each parameter's name and then its value, with no delimiters.
//  4. Sign the resulting string with HMAC-SHA1, the auth token as key.
//  5. Base64-encode the result (standard alphabet, with padding).
//
// The document does not say how a parameter that occurs more than once is
// treated. The official helper libraries agree (twilio-node
// spec/validation.spec.js "should validate request body with multiple
// params and values", twilio-python tests/unit/test_request_validator.py
// test_compute_signature_duplicate_multi_dict, twilio-php
// RequestValidatorTest testValidateWithArrayAndDuplicates): the distinct
// values of one name are appended in sorted (byte) order, each as
// name+value, and a value repeated under the same name counts once.
// ComputeSignature does the same. Conversations webhooks do not repeat
// parameters.
//
// rawURL is used byte for byte: it is neither parsed nor re-encoded.
func ComputeSignature(authToken, rawURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(rawURL))
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names) // byte order == "Unix-style case-sensitive"
	for _, name := range names {
		values := append([]string(nil), params[name]...)
		sort.Strings(values)
		for i, v := range values {
			if i > 0 && v == values[i-1] {
				continue // a repeated value counts once
			}
			mac.Write([]byte(name))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ComputeBodyHash returns the value Twilio puts in the bodySHA256 query
// parameter for body: the lower-case hexadecimal SHA-256 digest.
//
// Source: "Security", section "A few notes".
func ComputeBodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// ValidateSignature reports whether signature is the X-Twilio-Signature
// Twilio computes for a request to rawURL with the POST form parameters
// params (nil for GET), signed with authToken.
//
// rawURL must be the URL Twilio requested — the one configured in Twilio,
// including its complete query string ("Secure webhooks",
// https://www.twilio.com/docs/usage/webhooks/webhooks-security). Because
// Twilio does not always sign the URL in the same spelling, the signature is
// accepted if it matches any spelling CandidateURLs returns for rawURL; see
// there for the rules. The scheme, host, path and query are never changed
// in any other way: if a proxy terminates TLS, pass the public https URL,
// not the http URL the server sees.
//
// All candidates are compared in constant time and every one is compared,
// so the time taken does not depend on which (if any) matched.
func ValidateSignature(authToken, signature, rawURL string, params url.Values) bool {
	if authToken == "" || signature == "" {
		return false
	}
	ok := 0
	for _, u := range CandidateURLs(rawURL) {
		ok |= subtle.ConstantTimeCompare([]byte(ComputeSignature(authToken, u, params)), []byte(signature))
	}
	return ok == 1
}

// ValidateBody reports whether a request with a non-form body (Twilio sends
// JSON bodies this way) is authentic: rawURL must carry the bodySHA256 query
// parameter, that parameter must equal the SHA-256 of body, and signature
// must be the signature of rawURL with no POST parameters.
//
// Source: "Security" (https://www.twilio.com/docs/usage/security), section
// "A few notes": "If the Content-Type is application-json, don't use the JSON
// body to fill in the validator's parameter for POST parameters. The query
// parameter bodySHA256 will be included in the request." The URL variants
// accepted are those of ValidateSignature.
func ValidateBody(authToken, signature, rawURL string, body []byte) bool {
	want, ok := bodyHashFromURL(rawURL)
	if !ok {
		return false
	}
	// Evaluate both checks fully before combining, so that a bad body and a
	// bad signature take the same time.
	sigOK := ValidateSignature(authToken, signature, rawURL, nil)
	hashOK := subtle.ConstantTimeCompare([]byte(ComputeBodyHash(body)), []byte(strings.ToLower(want))) == 1
	return sigOK && hashOK
}

// bodyHashFromURL returns the bodySHA256 query parameter of rawURL.
func bodyHashFromURL(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", false
	}
	v := u.Query().Get(BodyHashParam)
	return v, v != ""
}

// CandidateURLs returns the spellings of rawURL that ValidateSignature
// accepts a signature for, the URL as written first, without duplicates.
// They are every combination of:
//
//   - User info ("user:pass@"): kept as written, and removed. "Security"
//     (https://www.twilio.com/docs/usage/security, "A few notes") says
//     Twilio drops user name and password before signing; the test vectors
//     of twilio-node, twilio-ruby, twilio-php and twilio-csharp sign the URL
//     with them ("should validate urls with credentials",
//     TestValidateCredentialsArePreserved). Both are accepted.
//   - Port: as written; removed; and, when rawURL has none, the scheme's
//     default port added (443 for https, 80 for http). "Security" notes
//     that the port is not always part of what Twilio signs, and every
//     official library checks the URL with and without it.
//   - Path and query: as written, and with the characters a WHATWG URL
//     parser percent-encodes escaped — in the path space, '"', '<', '>',
//     '`', '{', '}'; in the query space, '"', '<', '>' and the apostrophe;
//     in both control characters and every non-ASCII byte (as %XX, upper
//     case). Twilio signs "It's" as "It%27s"; twilio-node accepts either
//     spelling ("should validate urls with special characters").
//   - The apostrophe of the query the other way round: "%27" in the query
//     is also tried as "'" — Twilio signs "?test=param'WithQuote" as
//     configured and a client may deliver "?test=param%27WithQuote"
//     (twilio-node spec/webhooks/webhooks.spec.js, "should return true when
//     the target url contains the escaped single quote"). Nothing else is
//     ever decoded, so "%31" never stands for "1", and a "%27" in the path
//     stays as it is.
//   - An empty path and the path "/" for each other, with or without a
//     query: a webhook configured as "https://desk.example.com" (or
//     "https://h.example.com?x=1") is signed over exactly that string,
//     while a server sees the request-target "/" (or "/?x=1"). Any other
//     path keeps its trailing slash significant: "/hook" is not "/hook/".
//
// The scheme and host are compared as written, case included: a URL with
// host "MyCompany.com" does not accept a signature over "mycompany.com"
// (twilio-csharp TestValidateDictionaryMixedCaseWithIncorrectSignature).
// A rawURL without "scheme://" is returned alone, unchanged.
func CandidateURLs(rawURL string) []string {
	schemeEnd := strings.Index(rawURL, "://")
	if schemeEnd <= 0 {
		return []string{rawURL}
	}
	prefix := rawURL[:schemeEnd+3]
	scheme := strings.ToLower(rawURL[:schemeEnd])
	rest := rawURL[schemeEnd+3:]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	authority, tail := rest[:authEnd], rest[authEnd:]
	userinfo := ""
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	host, port := splitHostPort(authority)

	hosts := []string{authority, joinHostPort(host, "")}
	if port == "" {
		switch scheme {
		case "https":
			hosts = append(hosts, joinHostPort(host, "443"))
		case "http":
			hosts = append(hosts, joinHostPort(host, "80"))
		}
	}
	users := []string{userinfo, ""}
	tails := tailSpellings(tail)

	var out []string
	seen := make(map[string]bool)
	for _, t := range tails {
		for _, u := range users {
			for _, h := range hosts {
				s := prefix + u + h + t
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// tailSpellings returns the spellings of a URL's path and query (and
// fragment) that CandidateURLs tries, tail first: as written, with the
// WHATWG escapes applied (escapeTail), with the escaped apostrophes of the
// query unescaped (unescapeQuote), and, for each of these whose path is
// empty or "/", the same with the other of those two paths.
func tailSpellings(tail string) []string {
	base := []string{tail, escapeTail(tail), unescapeQuote(tail)}
	out := append(make([]string, 0, 2*len(base)), base...)
	for _, t := range base {
		switch {
		case t == "" || t[0] == '?' || t[0] == '#':
			out = append(out, "/"+t)
		case t == "/" || strings.HasPrefix(t, "/?") || strings.HasPrefix(t, "/#"):
			out = append(out, t[1:])
		}
	}
	return out
}

// unescapeQuote replaces every %27 in the query of tail with an apostrophe. Twilio signs the
// URL as configured; a client or proxy may deliver the apostrophe of the
// query percent-encoded (twilio-node "should validate urls with special
// characters" and the param'WithQuote case), so the configured spelling is
// tried too. Nothing else is ever decoded, and the path is left alone.
func unescapeQuote(tail string) string {
	q := strings.IndexByte(tail, '?')
	if q < 0 {
		return tail
	}
	end := len(tail)
	if f := strings.IndexByte(tail, '#'); f > q {
		end = f
	}
	return tail[:q] + strings.ReplaceAll(tail[q:end], "%27", "'") + tail[end:]
}

// escapeTail percent-encodes, in the path and query of a URL (everything
// after the authority), the characters a WHATWG URL parser encodes there;
// see CandidateURLs. The fragment, if any, is kept as it is.
func escapeTail(tail string) string {
	path, query, fragment := tail, "", ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, fragment = path[:i], path[i:]
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i:]
	}
	return escapeSet(path, "\"<>`{}") + escapeSet(query, "\"<>'") + fragment
}

// escapeSet percent-encodes every control character, space, non-ASCII byte
// and byte of extra in s.
func escapeSet(s, extra string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(extra, c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// splitHostPort splits "host:port", "[v6]:port", "host" or "[v6]". The host
// keeps its brackets.
func splitHostPort(authority string) (host, port string) {
	if h, p, err := net.SplitHostPort(authority); err == nil {
		if strings.Contains(h, ":") {
			h = "[" + h + "]"
		}
		return h, p
	}
	return authority, ""
}

func joinHostPort(host, port string) string {
	if port == "" {
		return host
	}
	return host + ":" + port
}
