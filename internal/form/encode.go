package form

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Encode returns params encoded as a query string or form body, byte for
// byte what Values(params).Encode() returns: keys sorted, repeated keys for
// slices, times as RFC 3339 in UTC.
//
// The SDK's params structs use a small set of field types (strings and
// string enums, ints, bools, times, pointers to those, slices of strings).
// For such structs Encode follows a plan computed once per type and writes
// the string directly, with no reflection on tags and no url.Values map per
// call; any other struct is encoded by go-querystring through Values. Tests
// hold the two paths to the same output.
func Encode(params any) (string, error) {
	if params == nil {
		return "", nil
	}
	v := reflect.ValueOf(params)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", nil
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if p := planFor(v.Type()); p != nil {
			return p.encode(v), nil
		}
	}
	vals, err := Values(params)
	if err != nil {
		return "", err
	}
	return vals.Encode(), nil
}

type fieldKind uint8

const (
	kString fieldKind = iota
	kInt
	kUint
	kBool
	kTime
	kStringSlice
)

// fieldPlan is how one struct field is written.
type fieldPlan struct {
	index     int
	key       string // query-escaped wire name
	kind      fieldKind
	ptr       bool // the field is a pointer to kind
	omitempty bool
}

// plan lists a struct's fields in the order their keys sort, which is the
// order url.Values.Encode writes them.
type plan struct {
	fields []fieldPlan
}

var plans sync.Map // reflect.Type -> *plan (nil: use go-querystring)

var (
	stringerType = reflect.TypeOf((*fmt.Stringer)(nil)).Elem()
	// encoderIface has the method set of go-querystring's query.Encoder.
	encoderIface = reflect.TypeOf((*interface {
		EncodeValues(key string, v *url.Values) error
	})(nil)).Elem()
)

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t)
	plans.Store(t, p)
	return p
}

// buildPlan returns nil when a field needs something only go-querystring
// does (nested structs, embedded fields, tag options other than omitempty,
// custom encoders or String methods, maps, floats, ...).
func buildPlan(t reflect.Type) *plan {
	type named struct {
		name string
		fp   fieldPlan
	}
	var fields []named
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Anonymous {
			return nil
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("url")
		if tag == "-" {
			continue
		}
		if sf.Tag.Get("layout") != "" || sf.Tag.Get("del") != "" {
			return nil
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		fp := fieldPlan{index: i, key: url.QueryEscape(name)}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "":
			case "omitempty":
				fp.omitempty = true
			default:
				return nil
			}
		}
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			fp.ptr = true
			ft = ft.Elem()
		}
		kind, ok := kindOf(ft)
		if !ok || (fp.ptr && kind == kStringSlice) {
			return nil
		}
		fp.kind = kind
		fields = append(fields, named{name, fp})
	}
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].name < fields[j].name })
	p := &plan{fields: make([]fieldPlan, len(fields))}
	for i, f := range fields {
		p.fields[i] = f.fp
	}
	return p
}

func kindOf(t reflect.Type) (fieldKind, bool) {
	if t == timeType {
		return kTime, true
	}
	if t.Implements(stringerType) || reflect.PointerTo(t).Implements(encoderIface) || t.Implements(encoderIface) {
		return 0, false
	}
	switch t.Kind() {
	case reflect.String:
		return kString, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kInt, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return kUint, true
	case reflect.Bool:
		return kBool, true
	case reflect.Slice:
		e := t.Elem()
		if e.Kind() == reflect.String && !e.Implements(stringerType) {
			return kStringSlice, true
		}
	}
	return 0, false
}

// encode writes v (a struct of the plan's type).
func (p *plan) encode(v reflect.Value) string {
	var b strings.Builder
	var num [32]byte
	add := func(key, val string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(val))
	}
	for i := range p.fields {
		f := &p.fields[i]
		fv := v.Field(f.index)
		if f.kind == kStringSlice {
			for j, n := 0, fv.Len(); j < n; j++ {
				add(f.key, fv.Index(j).String())
			}
			continue
		}
		if f.ptr {
			if fv.IsNil() {
				if !f.omitempty {
					add(f.key, "") // go-querystring writes a nil pointer as an empty value
				}
				continue
			}
			fv = fv.Elem()
		} else if f.omitempty && isEmpty(fv, f.kind) {
			continue
		}
		switch f.kind {
		case kString:
			add(f.key, fv.String())
		case kInt:
			add(f.key, string(strconv.AppendInt(num[:0], fv.Int(), 10)))
		case kUint:
			add(f.key, string(strconv.AppendUint(num[:0], fv.Uint(), 10)))
		case kBool:
			add(f.key, strconv.FormatBool(fv.Bool()))
		case kTime:
			add(f.key, fv.Interface().(time.Time).UTC().Format(time.RFC3339))
		}
	}
	return b.String()
}

// isEmpty is go-querystring's omitempty test for the kinds a plan handles.
func isEmpty(v reflect.Value, k fieldKind) bool {
	if k == kTime {
		return v.Interface().(time.Time).IsZero()
	}
	return v.IsZero()
}

// Planned reports whether structs of type t are encoded by a plan (the fast
// path) rather than by go-querystring.
func Planned(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && planFor(t) != nil
}
