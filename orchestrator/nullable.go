package orchestrator

import "github.com/conversations-go/conversations"

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
// It is conversations.Nullable, the module's one nullable type, which the
// v1 params that can be cleared use too; Set and Null are its constructors.
//
// A field of type Nullable must carry the omitzero JSON option, which is
// what makes an unset value disappear from the body. Maps inside a patch
// body (channel settings, metadata) use pointer values instead: a nil value
// is sent as null and removes that key, a missing key is kept.
type Nullable[T any] = conversations.Nullable[T]

// Set returns a Nullable holding v (conversations.Set). Set of a nil slice
// or map sends null.
func Set[T any](v T) Nullable[T] { return conversations.Set(v) }

// Null returns a Nullable that is sent as JSON null: the server removes the
// stored value (conversations.Null).
func Null[T any]() Nullable[T] { return conversations.Null[T]() }
