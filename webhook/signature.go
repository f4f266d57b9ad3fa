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
// treated. Here every occurrence is appended as name+value, the values of one
// name in sorted order, which is the order Twilio's Node.js helper library
// (src/webhooks/webhooks.ts) uses for array parameters. Conversations
// webhooks do not repeat parameters.
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
		for _, v := range values {
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
// https://www.twilio.com/docs/usage/webhooks/webhooks-security). Because the
// port and user info are not always part of what Twilio signs ("Security",
// "A few notes": user name and password are dropped; the port is kept for
// SMS and HTTP callbacks but dropped for voice HTTPS callbacks), the
// signature is accepted if it matches any of these spellings of rawURL:
//
//   - rawURL with any user info removed;
//   - the same with the port removed;
//   - the same with the port present, the scheme's default port (443 for
//     https, 80 for http) being added when rawURL has none.
//
// Checking the URL both with and without its port is what Twilio's own
// helper libraries do (twilio-go client/request_validator.go, twilio-node
// src/webhooks/webhooks.ts: "since signature generation on the back end is
// inconsistent"). The scheme is never changed: if a proxy terminates TLS,
// pass the public https URL, not the http URL the server sees.
//
// All candidates are compared in constant time and every one is compared,
// so the time taken does not depend on which (if any) matched.
func ValidateSignature(authToken, signature, rawURL string, params url.Values) bool {
	if authToken == "" || signature == "" {
		return false
	}
	ok := 0
	for _, u := range urlCandidates(rawURL) {
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

// urlCandidates returns the spellings of rawURL that ValidateSignature
// accepts, without duplicates. Only the authority (user info, host, port) is
// rewritten; the path and query are kept byte for byte.
func urlCandidates(rawURL string) []string {
	schemeEnd := strings.Index(rawURL, "://")
	if schemeEnd <= 0 {
		return []string{rawURL}
	}
	scheme := strings.ToLower(rawURL[:schemeEnd])
	rest := rawURL[schemeEnd+3:]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	authority, tail := rest[:authEnd], rest[authEnd:]
	// "Twilio will drop the username and password (if any) from the URL
	// before computing the signature." ("Security", "A few notes")
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		authority = authority[at+1:]
	}
	prefix := rawURL[:schemeEnd+3]
	host, port := splitHostPort(authority)

	out := []string{prefix + authority + tail}
	add := func(s string) {
		for _, have := range out {
			if have == s {
				return
			}
		}
		out = append(out, s)
	}
	add(prefix + joinHostPort(host, "") + tail)
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	if port != "" {
		add(prefix + joinHostPort(host, port) + tail)
	}
	return out
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
