package conversationstest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// obj is a JSON object that keeps its keys in the order given, so that the
// fake's bodies read like Twilio's (and like the spec's examples).
type obj []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// nstr is a string that is null when empty.
func nstr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nptr is *T as a JSON value: null when nil.
func nptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// strs is a string list that is [] (not null) when empty.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const timeLayout = "2006-01-02T15:04:05Z"

// ts formats a timestamp as Twilio does: RFC 3339, UTC, whole seconds.
func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

// newSID returns a fresh SID: the two-letter prefix and 32 lower-case hex
// digits, like Twilio's.
func newSID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

var sidPattern = regexp.MustCompile(`^[A-Z]{2}[0-9a-fA-F]{32}$`)

// isSID reports whether s is a SID with the given prefix.
func isSID(s, prefix string) bool {
	return len(s) == 34 && strings.HasPrefix(s, prefix) && sidPattern.MatchString(s)
}

// parseDuration reads an ISO 8601 duration such as PT1M, PT10M, P1D or
// P1DT2H30M15S. Years and months are not accepted (their length varies).
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not an ISO 8601 duration", s)
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, bad
	}
	rest := s[1:]
	var d time.Duration
	inTime := false
	num := ""
	seen := false
	for _, c := range rest {
		switch {
		case c == 'T':
			if inTime || num != "" {
				return 0, bad
			}
			inTime = true
		case c >= '0' && c <= '9' || c == '.':
			num += string(c)
		default:
			if num == "" {
				return 0, bad
			}
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, bad
			}
			num = ""
			seen = true
			var unit time.Duration
			switch {
			case !inTime && c == 'W':
				unit = 7 * 24 * time.Hour
			case !inTime && c == 'D':
				unit = 24 * time.Hour
			case inTime && c == 'H':
				unit = time.Hour
			case inTime && c == 'M':
				unit = time.Minute
			case inTime && c == 'S':
				unit = time.Second
			default:
				return 0, bad
			}
			d += time.Duration(f * float64(unit))
		}
	}
	if num != "" || !seen {
		return 0, bad
	}
	return d, nil
}

// parseTime reads an RFC 3339 timestamp or a plain date (YYYY-MM-DD).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date-time", s)
}

// params reads form or query values the way Twilio does: PascalCase keys,
// dotted keys as literal names, one key per value for arrays. The first
// problem found is kept in err; later reads are then no-ops.
type params struct {
	v     url.Values
	where string // "post body" or "query", for error messages
	err   *apiError
}

func (p *params) has(name string) bool {
	_, ok := p.v[name]
	return ok
}

// str returns the value of name and whether it was sent at all.
func (p *params) str(name string) (string, bool) {
	vs, ok := p.v[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// opt returns a pointer to the value, or nil when it was not sent.
func (p *params) opt(name string) *string {
	if v, ok := p.str(name); ok {
		return &v
	}
	return nil
}

// required returns the value, noting a 20001 error when it is missing or
// empty.
func (p *params) required(name string) string {
	v, ok := p.str(name)
	if (!ok || v == "") && p.err == nil {
		p.err = errMissing(name, p.where)
	}
	return v
}

func (p *params) fail(name, reason string) {
	if p.err == nil {
		p.err = errInvalid(name, reason)
	}
}

// enum checks that a sent value is one of allowed (compared without regard
// to case, as Twilio does for its enums) and returns the allowed spelling.
func (p *params) enum(name string, allowed ...string) *string {
	v, ok := p.str(name)
	if !ok {
		return nil
	}
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return &a
		}
	}
	p.fail(name, fmt.Sprintf("%q is not one of %s", v, strings.Join(allowed, ", ")))
	return nil
}

// sid checks that a sent value is a SID with the given prefix. An empty
// value is returned as is (it clears the field).
func (p *params) sid(name, prefix string) *string {
	v, ok := p.str(name)
	if !ok {
		return nil
	}
	if v != "" && !isSID(v, prefix) {
		p.fail(name, fmt.Sprintf("%q is not a %s SID", v, prefix))
		return nil
	}
	return &v
}

func (p *params) boolean(name string) *bool {
	v, ok := p.str(name)
	if !ok {
		return nil
	}
	switch strings.ToLower(v) {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	p.fail(name, fmt.Sprintf("%q is not a boolean", v))
	return nil
}

// integer reads an integer. With nullable, "" and "null" clear the field:
// the result is then a non-nil **int holding nil.
func (p *params) integer(name string, nullable bool) (val *int, clear bool) {
	v, ok := p.str(name)
	if !ok {
		return nil, false
	}
	if nullable && (v == "" || strings.EqualFold(v, "null")) {
		return nil, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.fail(name, fmt.Sprintf("%q is not an integer", v))
		return nil, false
	}
	return &n, false
}

func (p *params) time(name string) *time.Time {
	v, ok := p.str(name)
	if !ok {
		return nil
	}
	t, err := parseTime(v)
	if err != nil {
		p.fail(name, err.Error())
		return nil
	}
	return &t
}

// duration reads an ISO 8601 duration of at least min.
func (p *params) duration(name string, min time.Duration) *string {
	v, ok := p.str(name)
	if !ok {
		return nil
	}
	if v == "" {
		return &v
	}
	d, err := parseDuration(v)
	if err != nil {
		p.fail(name, err.Error())
		return nil
	}
	if d < min {
		p.fail(name, fmt.Sprintf("%s is shorter than the minimum of %v", v, min))
		return nil
	}
	return &v
}

// jsonStr reads a string that must hold valid JSON when not empty
// (Attributes, ContentVariables).
func (p *params) jsonStr(name string) *string {
	v, ok := p.str(name)
	if !ok {
		return nil
	}
	if v != "" && !json.Valid([]byte(v)) {
		p.fail(name, "must be valid JSON")
		return nil
	}
	return &v
}

func (p *params) list(name string) []string { return p.v[name] }

// setStr assigns *src to *dst when the param was sent.
func setStr(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

// attrs returns the attributes to store: "{}" when none were sent.
func attrs(v *string) string {
	if v == nil || *v == "" {
		return "{}"
	}
	return *v
}
