package orchestrator

import (
	"encoding/json"
	"testing"
)

// TestNullableMarshal: unset fields are left out, Null is null, Set is the
// value, and they decode back.
func TestNullableMarshal(t *testing.T) {
	type body struct {
		A Nullable[string]   `json:"a,omitzero"`
		B Nullable[string]   `json:"b,omitzero"`
		C Nullable[int]      `json:"c,omitzero"`
		D Nullable[[]string] `json:"d,omitzero"`
	}
	b, err := json.Marshal(body{A: Set(""), B: Null[string](), D: Set([]string{})})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"a":"","b":null,"d":[]}` {
		t.Errorf("got %s", b)
	}
	var back body
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if v, ok := back.A.Get(); !ok || v != "" {
		t.Error("A")
	}
	if !back.B.IsNull() || back.B.IsZero() {
		t.Error("B")
	}
	if !back.C.IsZero() || back.C.IsNull() {
		t.Error("C")
	}
	if v, ok := back.D.Get(); !ok || v == nil {
		t.Error("D")
	}
	if err := json.Unmarshal([]byte(`{"c":"x"}`), &back); err == nil {
		t.Error("bad value accepted")
	}
	// An unset Nullable marshalled on its own is null.
	if b, _ := json.Marshal(Nullable[int]{}); string(b) != "null" {
		t.Errorf("unset alone: %s", b)
	}
}
