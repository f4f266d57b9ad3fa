package conversations

// Validation of caller input, in one place: path SIDs, headers, option
// values and host labels. Every check here runs before anything is sent and
// fails with a *ValidationError.

import (
	"fmt"
	"net/http"
	"strings"
)

// validator is implemented by params structs with required fields.
type validator interface{ validate() error }

// checkSegment refuses a path argument that is empty or a dot segment.
func checkSegment(name, v string) error {
	if v == "" {
		return &ValidationError{Param: name, Reason: "is required"}
	}
	if v == "." || v == ".." {
		return &ValidationError{Param: name, Reason: fmt.Sprintf("%q is not a valid identifier", v)}
	}
	return nil
}

// hasDotSegment reports whether an unescaped path has a "." or ".."
// segment, which a server would resolve to another route.
func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// validHostLabel reports whether s is made of the characters of a DNS label
// (letters, digits, '-'); the empty string passes (not set).
func validHostLabel(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}

// checkHeaders refuses header names that are not RFC 9110 tokens and
// values with control characters (CR, LF, NUL, DEL, ...; horizontal tab is
// allowed), which net/http would refuse only when sending.
func checkHeaders(h http.Header) error {
	for k, vs := range h {
		if !validHeaderName(k) {
			return &ValidationError{Param: "header name", Reason: fmt.Sprintf("%q is not a valid HTTP header name", clip(k, 64))}
		}
		for _, v := range vs {
			if !validHeaderValue(v) {
				return &ValidationError{Param: "header " + k, Reason: "has a control character (CR, LF, NUL, ...) in its value"}
			}
		}
	}
	return nil
}

// validHeaderName reports whether s is a non-empty RFC 9110 token.
func validHeaderName(s string) bool {
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

// validHeaderValue reports whether s has no control character other than
// horizontal tab.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
