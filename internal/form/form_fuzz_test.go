package form

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
)

// formFuzzState stands for the SDK's typed string enums.
type formFuzzState string

// FormFuzzPaging stands for the paging fields every list params struct
// embeds.
type FormFuzzPaging struct {
	PageSize  *int    `url:"PageSize,omitempty"`
	Page      *int    `url:"Page,omitempty"`
	PageToken *string `url:"PageToken,omitempty"`
}

// FormFuzzExtra is embedded by pointer; its Identity key repeats the outer one.
type FormFuzzExtra struct {
	Identity string `url:"Identity,omitempty"`
	Note     *string
}

// formFuzzParams has every kind of field the SDK's params structs use.
type formFuzzParams struct {
	FriendlyName   *string         `url:"FriendlyName,omitempty"`
	TimersInactive *string         `url:"Timers.Inactive,omitempty"`
	Participant    []string        `url:"Participant,omitempty"`
	Enabled        *bool           `url:"Enabled,omitempty"`
	Count          int64           `url:"Count,omitempty"`
	Mask           uint16          `url:"Mask"`
	DateCreated    *time.Time      `url:"DateCreated,omitempty"`
	DateUpdated    time.Time       `url:"DateUpdated,omitempty"`
	Identity       string          `url:"Identity"`
	State          *formFuzzState  `url:"State,omitempty"`
	Roles          []formFuzzState `url:"Role,omitempty"`
	Plain          *string
	FormFuzzPaging
	*FormFuzzExtra
	hidden string //nolint:unused // unexported fields are never sent
}

func formFuzzPtr[T any](v T) *T { return &v }

// formFuzzBuild sets the fields that mask selects; times are at.
func formFuzzBuild(name, timers, p1, p2 string, flag bool, n int, at time.Time, mask uint16, state string) *formFuzzParams {
	p := &formFuzzParams{Identity: name, Mask: mask, hidden: name}
	set := func(bit int) bool { return mask&(1<<bit) != 0 }
	if set(0) {
		p.FriendlyName = formFuzzPtr(name)
	}
	if set(1) {
		p.TimersInactive = formFuzzPtr(timers)
	}
	if set(2) {
		p.Participant = []string{p1, p2}
	}
	if set(3) {
		p.Enabled = formFuzzPtr(flag)
	}
	if set(4) {
		p.PageSize = formFuzzPtr(n)
		p.Count = int64(n)
	}
	if set(5) {
		p.DateCreated = formFuzzPtr(at)
	}
	if set(6) {
		p.DateUpdated = at
	}
	if set(7) {
		p.State = formFuzzPtr(formFuzzState(state))
	}
	if set(8) {
		p.Roles = []formFuzzState{formFuzzState(state), formFuzzState(p1)}
	}
	if set(9) {
		p.Page = formFuzzPtr(n / 3)
	}
	if set(10) {
		p.PageToken = formFuzzPtr(p2)
	}
	if set(11) {
		p.FormFuzzExtra = &FormFuzzExtra{Identity: p1}
		if set(12) {
			p.Note = formFuzzPtr(timers)
		}
	}
	if set(13) {
		p.Plain = formFuzzPtr(p2)
	}
	return p
}

// FuzzValues encodes params built from arbitrary strings, numbers, times
// and zones with Encode, the SDK's only encoder. The output must be byte for
// byte go-querystring's for the same struct with its times in UTC (embedded
// structs flattened, a nil embedded pointer as its name), must hold exactly
// the fields that are set (checked by hand for the common ones), must
// survive a ParseQuery round trip, and the caller's struct must not change.
func FuzzValues(f *testing.F) {
	f.Add("support", "PT5M", "alice", `{"identity":"bob"}`, true, 50, int64(1450305517), int64(0), int16(60), uint16(0xffff), "active")
	f.Add("", "", "", "", false, 0, int64(0), int64(0), int16(0), uint16(0), "")
	f.Add("a&b=c;d", "x y+z%20", "é\xff", "\x00", false, -1, int64(-62135596800), int64(999999999), int16(-720), uint16(0x1ff), "unknown_state")
	f.Add("unique name/with?odd#chars", "P1D", "[]", "Participant[]=x", true, 1<<62, int64(253402300799), int64(1), int16(840), uint16(0x1d55), "closed")
	f.Fuzz(func(t *testing.T, name, timers, p1, p2 string, flag bool, n int, sec, nsec int64, offsetMin int16, mask uint16, state string) {
		at := time.Unix(sec, nsec).In(time.FixedZone("fuzz", int(offsetMin)*60))
		p := formFuzzBuild(name, timers, p1, p2, flag, n, at, mask, state)
		before := formFuzzBuild(name, timers, p1, p2, flag, n, at, mask, state)

		got, err := Encode(p)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if !reflect.DeepEqual(before, p) {
			t.Fatalf("Encode modified the caller's struct:\n%#v\n%#v", before, p)
		}
		ref, err := query.Values(formFuzzBuild(name, timers, p1, p2, flag, n, at.UTC(), mask, state))
		if err != nil {
			t.Fatalf("go-querystring: %v", err)
		}
		if want := ref.Encode(); got != want {
			t.Fatalf("Encode differs from go-querystring:\n got %q\nwant %q", got, want)
		}

		vals, err := url.ParseQuery(got)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", got, err)
		}
		set := func(bit int) bool { return mask&(1<<bit) != 0 }
		identity := []string{name}
		if set(11) && p1 != "" {
			identity = append(identity, p1) // the embedded pointer's value follows the outer one
		}
		if !reflect.DeepEqual(vals["Identity"], identity) {
			t.Fatalf("Identity = %q, want %q", vals["Identity"], identity)
		}
		if got := vals.Get("Mask"); got != strconv.Itoa(int(mask)) {
			t.Fatalf("Mask = %q", got)
		}
		if _, ok := vals["FormFuzzExtra"]; ok == set(11) {
			t.Fatalf("a nil embedded pointer is sent as its name, a set one is flattened: %q", got)
		}
		if set(4) && vals.Get("PageSize") != strconv.Itoa(n) || !set(4) && vals.Has("PageSize") {
			t.Fatalf("embedded PageSize not flattened: %q", got)
		}
		if set(3) && vals.Get("Enabled") != strconv.FormatBool(flag) {
			t.Fatalf("Enabled = %q", vals.Get("Enabled"))
		}
		if strings.Contains(got, "hidden") {
			t.Fatalf("an unexported field was sent: %q", got)
		}
		if v := vals.Get("DateCreated"); v != "" && at.UTC().Year() >= 0 && at.UTC().Year() <= 9999 {
			back, err := time.Parse(time.RFC3339, v)
			if err != nil || !back.Equal(at.Truncate(time.Second)) || v[len(v)-1] != 'Z' {
				t.Fatalf("DateCreated=%q does not round-trip to %v (UTC): %v", v, at, err)
			}
		}
	})
}

// TestEncodeNil covers the inputs that encode to nothing.
func TestEncodeNil(t *testing.T) {
	for _, p := range []any{nil, (*formFuzzParams)(nil), struct{}{}} {
		s, err := Encode(p)
		if err != nil || s != "" {
			t.Fatalf("Encode(%#v) = %q, %v", p, s, err)
		}
	}
}

// TestEncodeRefusesWhatItCannotEncode: a type or tag outside the SDK's rules
// is an error, never a silently different encoding.
func TestEncodeRefusesWhatItCannotEncode(t *testing.T) {
	type nested struct{ A string }
	type unexportedEmbed struct{ nested }
	cases := map[string]any{
		"map":           map[string]string{"a": "b"},
		"float":         &struct{ F float64 }{1},
		"nested struct": &struct{ N nested }{},
		"tagged embed": &struct {
			FormFuzzPaging `url:"Paging"`
		}{},
		"comma option": &struct {
			S []string `url:"S,comma"`
		}{},
		"del tag": &struct {
			S []string `del:","`
		}{},
		"stringer":         &struct{ D time.Duration }{},
		"pointer slice":    &struct{ S *[]string }{},
		"unexported embed": &unexportedEmbed{},
	}
	for name, p := range cases {
		if _, err := Encode(p); err == nil {
			t.Errorf("%s: Encode accepted %T", name, p)
		}
		if err := Check(reflect.TypeOf(p)); err == nil {
			t.Errorf("%s: Check accepted %T", name, p)
		}
	}
	if err := Check(reflect.TypeOf(&formFuzzParams{})); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkEncode compares Encode with go-querystring on a create-message
// sized struct (the measurement behind keeping this encoder).
func BenchmarkEncode(b *testing.B) {
	p := &formFuzzParams{FriendlyName: formFuzzPtr("support"), Identity: "Hello, your order #1234 has shipped.",
		TimersInactive: formFuzzPtr(`{"order":1234}`), Plain: formFuzzPtr("Order update")}
	b.Run("plan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-querystring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := query.Values(p)
			if err != nil {
				b.Fatal(err)
			}
			_ = v.Encode()
		}
	})
}
