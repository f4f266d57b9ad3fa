package conversations_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/conversations-go/conversations/internal/form"
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
			}
		}
	}
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).IsExported() {
			set(v.Field(i))
		}
	}
}

// TestFormEncodeMatchesQuerystring holds the SDK's planned form encoder to
// go-querystring's output (plus the UTC rule) for every params type.
func TestFormEncodeMatchesQuerystring(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for id, typ := range paramsOf {
		require.True(t, form.Planned(typ), "%s: %s is not encoded by a plan", id, typ.Name())
		for i := 0; i < 300; i++ {
			p := reflect.New(typ)
			fillRandom(r, p.Elem())
			got, err := form.Encode(p.Interface())
			require.NoError(t, err)
			vals, err := form.Values(p.Interface())
			require.NoError(t, err)
			require.Equal(t, vals.Encode(), got, "%s %+v", typ.Name(), p.Elem().Interface())
		}
	}
}
