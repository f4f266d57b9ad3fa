package orchestrator

import (
	"bytes"
	"encoding/json"
)

// Nullable is one field of a merge-patch body (the Patch methods): it is
// either unset, which leaves the key out of the JSON so the server keeps the
// stored value; set to a value, which replaces it; or null, which the server
// reads as "remove this value". The zero Nullable is unset:
//
//	params := &orchestrator.ConfigurationPatchParams{
//		DisplayName: orchestrator.Set("Support"),              // replace
//		MemoryStoreID: orchestrator.Null[string](),            // remove
//		// Description left unset: kept as it is
//	}
//
// A field of type Nullable must carry the omitzero JSON option, which is
// what makes an unset value disappear from the body. Maps inside a patch
// body (channel settings, metadata) use pointer values instead: a nil value
// is sent as null and removes that key, a missing key is kept.
type Nullable[T any] struct {
	value T
	state nullState
}

type nullState uint8

const (
	nullUnset nullState = iota
	nullValue
	nullNull
)

// Set returns a Nullable holding v. Set of a nil slice or map sends null.
func Set[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullValue} }

// Null returns a Nullable that is sent as JSON null: the server removes the
// stored value.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullNull} }

// IsZero reports whether n is unset. encoding/json's omitzero option calls
// it to leave an unset field out of the body.
func (n Nullable[T]) IsZero() bool { return n.state == nullUnset }

// IsNull reports whether n is set to null.
func (n Nullable[T]) IsNull() bool { return n.state == nullNull }

// Get returns the value and true when n holds a value; the zero T and false
// when it is unset or null.
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullValue }

// MarshalJSON encodes the value, or null when n is null or unset (an unset
// field is normally left out by omitzero before MarshalJSON is called).
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON sets n to null for JSON null and to the decoded value
// otherwise. A key absent from the JSON leaves n unset.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Set(v)
	return nil
}
