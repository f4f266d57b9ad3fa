// Package form turns the SDK's params structs into the url.Values that go on
// the wire. It wraps github.com/google/go-querystring and adds the one rule
// that library lacks: times are always sent as RFC 3339 in UTC.
package form

import (
	"net/url"
	"reflect"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
)

var timeType = reflect.TypeOf(time.Time{})

// timeFields caches, per struct type, the indices of its *time.Time and
// time.Time fields, so that the common case (no time set) costs one map load.
var timeFields sync.Map // reflect.Type -> []int

func timeFieldsOf(t reflect.Type) []int {
	if v, ok := timeFields.Load(t); ok {
		return v.([]int)
	}
	var idx []int
	for i := 0; i < t.NumField(); i++ {
		ft := t.Field(i).Type
		if ft == timeType || (ft.Kind() == reflect.Pointer && ft.Elem() == timeType) {
			idx = append(idx, i)
		}
	}
	timeFields.Store(t, idx)
	return idx
}

// Values encodes params (a pointer to a struct with `url` tags, or nil) into
// form/query values. Slices become repeated keys, dotted tag names stay
// literal keys, non-nil *bool false is sent as "false", and time values are
// converted to UTC before they are formatted as RFC 3339. The caller's struct
// is never modified.
func Values(params any) (url.Values, error) {
	if params == nil {
		return nil, nil
	}
	v := reflect.ValueOf(params)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return query.Values(params)
	}
	if idx := timeFieldsOf(v.Type()); len(idx) > 0 && needsUTC(v, idx) {
		cp := reflect.New(v.Type()).Elem()
		cp.Set(v)
		for _, i := range idx {
			f := cp.Field(i)
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					continue
				}
				u := f.Elem().Interface().(time.Time).UTC()
				f.Set(reflect.ValueOf(&u))
			} else {
				f.Set(reflect.ValueOf(f.Interface().(time.Time).UTC()))
			}
		}
		v = cp
	}
	return query.Values(v.Interface())
}

func needsUTC(v reflect.Value, idx []int) bool {
	for _, i := range idx {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				continue
			}
			f = f.Elem()
		}
		// Even the zero instant: in another zone it is not time.Time{} and
		// would be sent with its offset (0001-01-01T01:35:00+01:35).
		if t := f.Interface().(time.Time); t.Location() != time.UTC {
			return true
		}
	}
	return false
}
