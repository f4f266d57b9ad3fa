package conversations

import (
	"net/http"
	"reflect"
	"testing"
)

// For the black-box tests of package conversations_test: the interface of
// the params field types that write their own form values, and a way to call
// it, so that the form encoder's reference can use them.
var (
	FormValuerType = reflect.TypeFor[formValuer]()
	FormValues     = func(v any) ([]string, error) { return v.(formValuer).formValues() }
)

// Recorder is the root package's one in-memory transport for unit tests
// (fixtures_test.go), for the black-box tests too.
type Recorder = recorder

// NewReplyRecorder returns a client on a recorder that answers with reply.
func NewReplyRecorder(t testing.TB, reply func(n int, req *http.Request) (*http.Response, error), opts ...Option) (*Client, *Recorder) {
	return newReplyRecorder(t, reply, opts...)
}

// Count returns how many requests reached the recorder.
func (r *recorder) Count() int { return r.count() }
