package conversations

// Params: the helpers of params structs (Ptr, Nullable) and the checks of
// required params, which run before anything is sent and fail with a
// *ValidationError. Path arguments and header values are checked by the
// request core (internal/rest).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"github.com/conversations-go/conversations/internal/form"
)

// validator is implemented by params structs with required fields; newCall
// runs it before anything is sent.
type validator interface{ validate() error }

// Ptr returns a pointer to v, for the optional fields of params structs:
// &ConversationUpdateParams{FriendlyName: conversations.Ptr("Support")}.
func Ptr[T any](v T) *T { return &v }

// required reports a missing required string (or string enum) param.
func required[S ~string](name string, v S) error {
	if v == "" {
		return &ValidationError{Param: name, Reason: "is required"}
	}
	return nil
}

// requiredSlice reports a missing required array param.
func requiredSlice[S ~string](name string, v []S) error {
	if len(v) == 0 {
		return &ValidationError{Param: name, Reason: "is required (at least one value)"}
	}
	return nil
}

// Nullable is a parameter that the API lets you clear as well as set. It is
// unset, set to a value, or null; the zero Nullable is unset:
//
//	LastReadMessageIndex:         conversations.Set(42),           // set
//	MessagingBindingProxyAddress: conversations.Null[string](),    // clear
//	// a field left out stays unset: nothing is sent, the value is kept
//
// It is the one nullable type of the module: the v1 form params use it
// (LastReadMessageIndex, MessagingBinding.ProxyAddress and
// .ProjectedAddress), and the v2 merge-patch bodies of package orchestrator
// (whose Nullable, Set and Null are this type and these functions).
//
// On the wire, an unset field is left out (form fields carry omitempty,
// JSON fields omitzero). A value is sent as itself. A form body has no
// null, so each kind sends the spelling its spec documents: an integer's
// null is an empty value (no number is empty), a string's is the word null
// ("'null' value will remove it"), since an empty string is a value of its
// own. In JSON, null is null. Only int and string Nullables can be sent in
// a form; another type is an error when the params are encoded.
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

// Set returns a Nullable holding v. In JSON, Set of a nil slice or map
// sends null.
func Set[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullValue} }

// Null returns a Nullable that is sent as the API's null: the server
// removes the stored value.
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

// formValues writes the parameter for a form: nothing when unset, the value
// (an int in decimal), or the null of T's kind.
func (n Nullable[T]) formValues() ([]string, error) {
	if n.state == nullUnset {
		return nil, nil
	}
	switch v := any(n.value).(type) {
	case string:
		if n.state == nullNull {
			return []string{"null"}, nil
		}
		return []string{v}, nil
	case int:
		if n.state == nullNull {
			return []string{""}, nil
		}
		return []string{strconv.Itoa(v)}, nil
	}
	return nil, fmt.Errorf("a Nullable[%T] cannot be sent in a form (int and string can)", n.value)
}

// formValuer is implemented by the params field types that write their own
// form values (Nullable, InitialParticipants). internal/form finds them
// through this interface (Custom), so the method stays out of the API.
type formValuer interface {
	formValues() ([]string, error)
}

func init() {
	form.Custom(reflect.TypeFor[formValuer](), func(v any) ([]string, error) {
		return v.(formValuer).formValues()
	})
}
