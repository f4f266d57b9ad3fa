package form

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

type method string

type lowerParams struct {
	Method  *method `url:"Method,omitempty,lower"`
	Plain   *method `url:"Plain,omitempty"`
	Value   string  `url:"Value,lower"`
	Omitted *string `url:"Omitted,omitempty,lower"`
}

func TestLower(t *testing.T) {
	m := method("POST")
	got, err := Encode(&lowerParams{Method: &m, Plain: &m, Value: "GeT"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Method=post&Plain=POST&Value=get"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if m != "POST" {
		t.Fatalf("the caller's value changed: %q", m)
	}
}

func TestLowerNeedsAString(t *testing.T) {
	type bad struct {
		N int `url:"N,lower"`
	}
	err := Check(reflect.TypeFor[bad]())
	if err == nil || !strings.Contains(err.Error(), `tag option "lower" needs a string field`) {
		t.Fatalf("got %v", err)
	}
}

// selfWriter stands for a params package's unexported interface.
type selfWriter interface{ values() ([]string, error) }

type twice string

func (s twice) values() ([]string, error) {
	if s == "fail" {
		return nil, errors.New("cannot")
	}
	return []string{string(s), string(s) + "!"}, nil
}

type onPointer struct{}

func (*onPointer) values() ([]string, error) { return nil, nil }

type customParams struct {
	A twice  `url:"A,omitempty"`
	B *twice `url:"B,omitempty"`
	C *twice `url:"C"`
	D twice  `url:"D,omitempty"`
}

func init() {
	Custom(reflect.TypeFor[selfWriter](), func(v any) ([]string, error) { return v.(selfWriter).values() })
}

func TestCustom(t *testing.T) {
	b := twice("b&")
	got, err := Encode(customParams{A: "a", B: &b})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"A": {"a", "a!"}, "B": {"b&", "b&!"}, "C": {""}}.Encode()
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}

	_, err = Encode(customParams{A: "fail"})
	if err == nil || err.Error() != "form: A: cannot" {
		t.Fatalf("a failing values func: got %v", err)
	}
}

func TestCustomOnlyThroughAPointerIsRefused(t *testing.T) {
	type bad struct {
		P onPointer `url:"P"`
	}
	if err := Check(reflect.TypeFor[bad]()); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("got %v", err)
	}
}

type querystringEncoder struct{}

func (querystringEncoder) EncodeValues(key string, v *url.Values) error { return nil }

func TestQuerystringEncoderIsRefused(t *testing.T) {
	type bad struct {
		E querystringEncoder `url:"E"`
	}
	if err := Check(reflect.TypeFor[bad]()); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("got %v", err)
	}
}

func TestCustomNeedsAnInterface(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("no panic")
		}
	}()
	Custom(reflect.TypeFor[twice](), nil)
}
