package rest

import (
	"fmt"
	"strings"
)

// CheckSegment refuses a path argument that is empty or a dot segment, with
// a *ValidationError naming it name.
func CheckSegment(name, v string) error {
	if v == "" {
		return &ValidationError{Param: name, Reason: "is required"}
	}
	if v == "." || v == ".." {
		return &ValidationError{Param: name, Reason: fmt.Sprintf("%q is not a valid identifier", v)}
	}
	return nil
}

// HasDotSegment reports whether an unescaped path has a "." or ".."
// segment, which a server would resolve to another route.
func HasDotSegment(p string) bool {
	for p != "" {
		var seg string
		seg, p, _ = strings.Cut(p, "/")
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

const hexUpper = "0123456789ABCDEF"

// EscapeSegment writes s to b as a single path segment: everything but RFC
// 3986 unreserved characters is percent-encoded, so '/', '?', '#', '%', '+',
// '@' and spaces reach the server as data and never change the route.
func EscapeSegment(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}

// unreserved reports whether c is an RFC 3986 unreserved character.
func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// AppendPath writes tmpl to b with each {Name} placeholder replaced by the
// next of args, checked with CheckSegment (under Name) and escaped with
// EscapeSegment. It panics when tmpl has more placeholders than args (a
// programming error of the calling API).
func AppendPath(b *strings.Builder, tmpl string, args []string) error {
	n := 0
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '{' {
			b.WriteByte(tmpl[i])
			continue
		}
		end := strings.IndexByte(tmpl[i:], '}') + i
		name := tmpl[i+1 : end]
		if n >= len(args) {
			panic("conversations: path template " + tmpl + " has more placeholders than arguments")
		}
		if err := CheckSegment(name, args[n]); err != nil {
			return err
		}
		EscapeSegment(b, args[n])
		n++
		i = end
	}
	return nil
}

// Path returns tmpl (a path from the base URL, such as
// "/v2/ControlPlane/Configurations/{id}") with its placeholders replaced by
// args, as AppendPath does.
func Path(tmpl string, args ...string) (string, error) {
	var b strings.Builder
	b.Grow(len(tmpl) + 40*len(args))
	if err := AppendPath(&b, tmpl, args); err != nil {
		return "", err
	}
	return b.String(), nil
}
