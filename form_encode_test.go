package conversations_test

import (
	"math/rand/v2"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/form"
	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/require"
)

// fillRandom sets every exported field of the struct v points to at random:
// nil or set pointers, strings with reserved and non-ASCII characters,
// slices of 0 to 3 values, ints, bools and times in assorted zones.
func fillRandom(r *rand.Rand, v reflect.Value) {
	strs := []string{"", "a", "hello world", "+15558675310", "a&b=c", "é/?#%", "{\"k\":[1,2]}", "PT1M"}
	zones := []*time.Location{time.UTC, time.FixedZone("X", 5*3600+1800), time.FixedZone("Y", -7*3600)}
	var set func(f reflect.Value)
	set = func(f reflect.Value) {
		switch f.Kind() {
		case reflect.Pointer:
			if r.IntN(3) == 0 {
				f.Set(reflect.Zero(f.Type()))
				return
			}
			p := reflect.New(f.Type().Elem())
			set(p.Elem())
			f.Set(p)
		case reflect.String:
			f.SetString(strs[r.IntN(len(strs))])
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(r.IntN(200) - 50))
		case reflect.Bool:
			f.SetBool(r.IntN(2) == 0)
		case reflect.Slice:
			n := r.IntN(4)
			s := reflect.MakeSlice(f.Type(), n, n)
			for i := 0; i < n; i++ {
				set(s.Index(i))
			}
			f.Set(s)
		case reflect.Struct:
			if f.Type() == reflect.TypeFor[time.Time]() {
				t := time.Unix(r.Int64N(4e9), 0).In(zones[r.IntN(len(zones))])
				f.Set(reflect.ValueOf(t))
				return
			}
			for i := 0; i < f.NumField(); i++ { // an embedded struct, such as the paging fields
				if f.Type().Field(i).IsExported() {
					set(f.Field(i))
				}
			}
		}
	}
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).IsExported() {
			set(v.Field(i))
		}
	}
}

// utcCopy returns a copy of the struct v with every time.Time and *time.Time
// field (embedded structs included) converted to UTC, and every string field
// tagged "lower" in lower case: go-querystring's input for the output the
// SDK must match.
func utcCopy(v reflect.Value) reflect.Value {
	cp := reflect.New(v.Type()).Elem()
	cp.Set(v)
	timeT := reflect.TypeFor[time.Time]()
	for i := 0; i < cp.NumField(); i++ {
		f := cp.Field(i)
		sf := cp.Type().Field(i)
		switch {
		case !sf.IsExported():
		case f.Type() == timeT:
			f.Set(reflect.ValueOf(f.Interface().(time.Time).UTC()))
		case f.Type() == reflect.PointerTo(timeT) && !f.IsNil():
			u := f.Elem().Interface().(time.Time).UTC()
			f.Set(reflect.ValueOf(&u))
		case f.Kind() == reflect.Struct && sf.Anonymous:
			f.Set(utcCopy(f))
		case strings.HasSuffix(sf.Tag.Get("url"), ",lower") && f.Kind() == reflect.Pointer && !f.IsNil():
			l := reflect.New(f.Type().Elem())
			l.Elem().SetString(strings.ToLower(f.Elem().String()))
			f.Set(l)
		}
	}
	return cp
}

// customValues sets, in vals, the values of the fields of the struct v whose
// type writes its own form values (Nullable, InitialParticipants): what they
// say, in place of what go-querystring makes of their fields.
func customValues(t *testing.T, v reflect.Value, vals url.Values) {
	for i := 0; i < v.NumField(); i++ {
		f, sf := v.Field(i), v.Type().Field(i)
		ft := f.Type()
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if !sf.IsExported() || !ft.Implements(cv.FormValuerType) {
			continue
		}
		key, opts, _ := strings.Cut(sf.Tag.Get("url"), ",")
		for k := range vals { // go-querystring's key and the nested keys it makes of a struct
			if k == key || strings.HasPrefix(k, key+"[") {
				delete(vals, k)
			}
		}
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				if !strings.Contains(opts, "omitempty") {
					vals.Set(key, "")
				}
				continue
			}
			f = f.Elem() // a set pointer is sent whatever it points to
		} else if strings.Contains(opts, "omitempty") && (f.IsZero() || f.Kind() == reflect.Slice && f.Len() == 0) {
			continue
		}
		got, err := cv.FormValues(f.Interface())
		require.NoError(t, err)
		for _, x := range got {
			vals.Add(key, x)
		}
	}
}

// TestFormEncodeMatchesQuerystring holds the SDK's only form encoder to
// go-querystring's output (plus the UTC and "lower" rules, and the values of
// the types that write their own) for every params type.
func TestFormEncodeMatchesQuerystring(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for id, typ := range paramsOf {
		require.NoError(t, form.Check(typ), "%s: %s", id, typ.Name())
		for i := 0; i < 300; i++ {
			p := reflect.New(typ)
			fillRandom(r, p.Elem())
			got, err := form.Encode(p.Interface())
			require.NoError(t, err)
			vals, err := query.Values(utcCopy(p.Elem()).Interface())
			require.NoError(t, err)
			customValues(t, p.Elem(), vals)
			require.Equal(t, vals.Encode(), got, "%s %+v", typ.Name(), p.Elem().Interface())
		}
	}
}
