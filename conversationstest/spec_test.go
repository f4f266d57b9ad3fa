package conversationstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/internal/specmodels"
	"github.com/conversations-go/conversations/internal/spectest"
)

// The spec copy of the root module's testdata is the reference for the
// fake's answers: every answer must carry exactly the fields of the
// operation's response schema, in Twilio's list envelope for lists, and
// decode into the SDK's model with DisallowUnknownFields.

// loadSpec returns the operations of the root module's spec copy.
func loadSpec(t testing.TB) []*spectest.Op {
	t.Helper()
	ops, err := spectest.Load(filepath.Join("..", "testdata", "spec", "twilio_conversations_v1.json"))
	if err != nil {
		t.Fatalf("loading spec: %v", err)
	}
	return ops
}

var metaFields = []string{"first_page_url", "key", "next_page_url", "page", "page_size", "previous_page_url", "url"}

// strictTransport checks every successful answer of the fake against the
// spec and records the operations reached.
type strictTransport struct {
	t    testing.TB
	ops  []*spectest.Op
	base http.RoundTripper
	mu   sync.Mutex
	hits map[string]int
}

func (s *strictTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(req)
	if err != nil || resp.StatusCode >= 300 {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	op := spectest.Match(s.ops, req.Method, req.URL.EscapedPath())
	if op == nil {
		s.t.Errorf("%s %s answered %d but matches no spec operation", req.Method, req.URL.Path, resp.StatusCode)
		return resp, nil
	}
	s.mu.Lock()
	s.hits[op.ID]++
	s.mu.Unlock()
	if resp.StatusCode != op.Status && !(op.Status == 201 && resp.StatusCode == 202) {
		s.t.Errorf("%s: status %d, spec says %d", op.ID, resp.StatusCode, op.Status)
	}
	if op.Status == 204 {
		if len(body) != 0 {
			s.t.Errorf("%s: 204 with a body", op.ID)
		}
		return resp, nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		s.t.Errorf("%s: Content-Type %q", op.ID, ct)
	}
	if err := checkBody(op, body); err != nil {
		s.t.Errorf("%s (%s %s): %v\n%s", op.ID, req.Method, req.URL, err, body)
	}
	return resp, nil
}

func keysOf(raw json.RawMessage) ([]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// checkBody compares an answer with the spec and decodes it strictly.
func checkBody(op *spectest.Op, body []byte) error {
	typ, ok := specmodels.Models[op.Schema]
	if !ok {
		return fmt.Errorf("no SDK model for schema %s", op.Schema)
	}
	checkOne := func(raw json.RawMessage) error {
		keys, err := keysOf(raw)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(keys, op.Fields) {
			return fmt.Errorf("fields %v, spec %s has %v", keys, op.Schema, op.Fields)
		}
		return spectest.DecodeStrict(raw, typ)
	}
	if op.ListKey == "" {
		return checkOne(body)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	keys, _ := keysOf(body)
	if want := []string{op.ListKey, "meta"}; !reflect.DeepEqual(keys, sortedCopy(want)) {
		return fmt.Errorf("envelope keys %v, want %v", keys, want)
	}
	mk, err := keysOf(env["meta"])
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(mk, metaFields) {
		return fmt.Errorf("meta keys %v, want %v", mk, metaFields)
	}
	var meta struct {
		Key string `json:"key"`
	}
	_ = json.Unmarshal(env["meta"], &meta)
	if meta.Key != op.ListKey {
		return fmt.Errorf("meta.key %q, want %q", meta.Key, op.ListKey)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(env[op.ListKey], &items); err != nil {
		return fmt.Errorf("%s is not an array: %v", op.ListKey, err)
	}
	if items == nil {
		return fmt.Errorf("%s is null, want an array", op.ListKey)
	}
	for i, it := range items {
		if err := checkOne(it); err != nil {
			return fmt.Errorf("item %d: %v", i, err)
		}
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// strictClient returns a client of srv whose every answer is checked
// against the spec, and the transport that records the operations reached.
func strictClient(t testing.TB, srv *conversationstest.Server, opts ...cv.Option) (*cv.Client, *strictTransport) {
	t.Helper()
	st := &strictTransport{t: t, ops: loadSpec(t), base: srv.HTTPClient().Transport, hits: map[string]int{}}
	all := append([]cv.Option{cv.WithHTTPClient(&http.Client{Transport: st})}, opts...)
	return srv.Client(all...), st
}

func TestSpecHas103Operations(t *testing.T) {
	ops := loadSpec(t)
	if len(ops) != 103 {
		t.Fatalf("spec has %d operations, want 103", len(ops))
	}
	for _, op := range ops {
		if op.Status != 204 {
			if _, ok := specmodels.Models[op.Schema]; !ok {
				t.Errorf("%s: no SDK model for %s", op.ID, op.Schema)
			}
		}
	}
}
