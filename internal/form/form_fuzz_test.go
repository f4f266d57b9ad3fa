package form

import (
	"net/url"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// formFuzzState stands for the SDK's typed string enums.
type formFuzzState string

// formFuzzParams has every kind of field the SDK's params structs use.
type formFuzzParams struct {
	FriendlyName   *string         `url:"FriendlyName,omitempty"`
	TimersInactive *string         `url:"Timers.Inactive,omitempty"`
	Participant    []string        `url:"Participant,omitempty"`
	Enabled        *bool           `url:"Enabled,omitempty"`
	PageSize       *int            `url:"PageSize,omitempty"`
	DateCreated    *time.Time      `url:"DateCreated,omitempty"`
	DateUpdated    time.Time       `url:"DateUpdated,omitempty"`
	Identity       string          `url:"Identity"`
	State          *formFuzzState  `url:"State,omitempty"`
	Roles          []formFuzzState `url:"Role,omitempty"`
}

// formFuzzCopy deep-copies p, so that a mutation of the caller's struct
// (or of what its pointers point at) can be detected.
func formFuzzCopy(p *formFuzzParams) *formFuzzParams {
	cp := *p
	if p.FriendlyName != nil {
		cp.FriendlyName = formFuzzPtr(*p.FriendlyName)
	}
	if p.TimersInactive != nil {
		cp.TimersInactive = formFuzzPtr(*p.TimersInactive)
	}
	if p.Enabled != nil {
		cp.Enabled = formFuzzPtr(*p.Enabled)
	}
	if p.PageSize != nil {
		cp.PageSize = formFuzzPtr(*p.PageSize)
	}
	if p.DateCreated != nil {
		cp.DateCreated = formFuzzPtr(*p.DateCreated)
	}
	if p.State != nil {
		cp.State = formFuzzPtr(*p.State)
	}
	cp.Participant = append([]string(nil), p.Participant...)
	cp.Roles = append([]formFuzzState(nil), p.Roles...)
	return &cp
}

func formFuzzPtr[T any](v T) *T { return &v }

// formFuzzTime is the expected wire form of a time: RFC 3339 in UTC.
func formFuzzTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// FuzzValues encodes params built from arbitrary strings, numbers, times
// and zones. Values must never fail or panic, must send exactly the fields
// that are set (strings byte for byte, slices as repeated keys in order,
// *bool false as "false", times as RFC 3339 UTC), must survive an
// Encode/ParseQuery round trip, and must never modify the caller's struct.
func FuzzValues(f *testing.F) {
	f.Add("support", "PT5M", "alice", `{"identity":"bob"}`, true, 50, int64(1450305517), int64(0), int16(60), uint16(0xffff), "active")
	f.Add("", "", "", "", false, 0, int64(0), int64(0), int16(0), uint16(0), "")
	f.Add("a&b=c;d", "x y+z%20", "é\xff", "\x00", false, -1, int64(-62135596800), int64(999999999), int16(-720), uint16(0x1ff), "unknown_state")
	f.Add("unique name/with?odd#chars", "P1D", "[]", "Participant[]=x", true, 1<<62, int64(253402300799), int64(1), int16(840), uint16(0x155), "closed")
	f.Fuzz(func(t *testing.T, name, timers, p1, p2 string, flag bool, n int, sec, nsec int64, offsetMin int16, mask uint16, state string) {
		zone := time.FixedZone("fuzz", int(offsetMin)*60)
		at := time.Unix(sec, nsec).In(zone)
		p := &formFuzzParams{Identity: name}
		set := func(bit int) bool { return mask&(1<<bit) != 0 }
		if set(0) {
			p.FriendlyName = &name
		}
		if set(1) {
			p.TimersInactive = &timers
		}
		if set(2) {
			p.Participant = []string{p1, p2}
		}
		if set(3) {
			p.Enabled = &flag
		}
		if set(4) {
			p.PageSize = &n
		}
		if set(5) {
			p.DateCreated = &at
		}
		if set(6) {
			p.DateUpdated = at
		}
		if set(7) {
			s := formFuzzState(state)
			p.State = &s
		}
		if set(8) {
			p.Roles = []formFuzzState{formFuzzState(state), formFuzzState(p1)}
		}
		before := formFuzzCopy(p)

		vals, err := Values(p)
		if err != nil {
			t.Fatalf("Values: %v", err)
		}
		if !reflect.DeepEqual(before, p) {
			t.Fatalf("Values modified the caller's struct:\n%#v\n%#v", before, p)
		}

		want := url.Values{"Identity": {name}}
		if set(0) {
			want["FriendlyName"] = []string{name}
		}
		if set(1) {
			want["Timers.Inactive"] = []string{timers}
		}
		if set(2) {
			want["Participant"] = []string{p1, p2}
		}
		if set(3) {
			want["Enabled"] = []string{strconv.FormatBool(flag)}
		}
		if set(4) {
			want["PageSize"] = []string{strconv.Itoa(n)}
		}
		if set(5) {
			want["DateCreated"] = []string{formFuzzTime(at)}
		}
		if set(6) && !at.IsZero() {
			want["DateUpdated"] = []string{formFuzzTime(at)}
		}
		if set(7) {
			want["State"] = []string{state}
		}
		if set(8) {
			want["Role"] = []string{state, p1}
		}
		if !reflect.DeepEqual(want, vals) {
			t.Fatalf("wire values:\n got %q\nwant %q", vals, want)
		}
		for _, k := range []string{"DateCreated", "DateUpdated"} {
			if v := vals.Get(k); v != "" && at.UTC().Year() >= 0 && at.UTC().Year() <= 9999 {
				back, err := time.Parse(time.RFC3339, v)
				if err != nil || !back.Equal(at.Truncate(time.Second)) || v[len(v)-1] != 'Z' {
					t.Fatalf("%s=%q does not round-trip to %v (UTC): %v", k, v, at, err)
				}
			}
		}

		enc := vals.Encode()
		back, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", enc, err)
		}
		if !reflect.DeepEqual(back, vals) {
			t.Fatalf("Encode/ParseQuery round trip:\n got %q\nwant %q", back, vals)
		}
	})
}

// TestValuesNil covers the inputs that encode to nothing.
func TestValuesNil(t *testing.T) {
	for _, p := range []any{nil, (*formFuzzParams)(nil)} {
		v, err := Values(p)
		if err != nil || v != nil {
			t.Fatalf("Values(%#v) = %v, %v", p, v, err)
		}
	}
}
