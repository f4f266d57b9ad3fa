package rest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEscapeSegmentCharacterClasses checks every byte: exactly the RFC 3986
// unreserved characters pass, everything else is %XX in upper case.
func TestEscapeSegmentCharacterClasses(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("-._~", b) >= 0
		assert.Equal(t, want, unreserved(b), "byte %#x %q", c, b)
		var sb strings.Builder
		EscapeSegment(&sb, string([]byte{b}))
		if want {
			assert.Equal(t, string([]byte{b}), sb.String())
		} else {
			assert.Equal(t, "%"+strings.ToUpper(hexByte(b)), sb.String(), "byte %#x", c)
		}
	}
	// The neighbours of each range, spelled out.
	for in, want := range map[string]string{"`az{": "%60az%7B", "@AZ[": "%40AZ%5B", "/09:": "%2F09%3A", ",-.": "%2C-.", "^_`": "%5E_%60", "}~\x7f": "%7D~%7F"} {
		var sb strings.Builder
		EscapeSegment(&sb, in)
		assert.Equal(t, want, sb.String(), "%q", in)
	}
}

func hexByte(b byte) string { return string([]byte{hexUpper[b>>4], hexUpper[b&15]}) }
