package rest

import (
	"fmt"
	"net/http"
	"strings"
)

// Header validation, in one place: every header value the core sends that
// did not come from the core itself — WithHeader, the headers and the
// Content-Type an API builds from caller input (a media upload's MIME
// type), an idempotency key — is checked here before anything is sent, so
// that net/http never refuses a request mid-flight.

// checkHeaders refuses header names that are not RFC 9110 tokens and
// values with control characters (CR, LF, NUL, DEL, ...; horizontal tab is
// allowed), which net/http would refuse only when sending.
func checkHeaders(h http.Header) error {
	for k, vs := range h {
		if !ValidHeaderName(k) {
			return &ValidationError{Param: "header name", Reason: fmt.Sprintf("%q is not a valid HTTP header name", Clip(k, 64))}
		}
		for _, v := range vs {
			if err := checkHeaderValue(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkHeaderValue refuses a value of header name with a control character.
func checkHeaderValue(name, v string) error {
	if !ValidHeaderValue(v) {
		return &ValidationError{Param: "header " + name, Reason: "has a control character (CR, LF, NUL, ...) in its value"}
	}
	return nil
}

// ValidHeaderName reports whether s is a non-empty RFC 9110 token.
func ValidHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar(s[i]) {
			return false
		}
	}
	return true
}

// tokenChar reports whether c is an RFC 9110 tchar.
func tokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// ValidHeaderValue reports whether s has no control character other than
// horizontal tab.
func ValidHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
