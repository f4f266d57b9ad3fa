package conversations

// Params: the helpers of params structs (Ptr, Nullable) and the checks of
// required params, which run before anything is sent and fail with a
// *ValidationError. Path arguments and header values are checked by the
// request core (internal/rest).

import (
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

// Nullable is a parameter that the API also lets you clear: set Value to
// send it, or Null to send the API's null, which clears it. A nil *Nullable
// sends nothing and leaves the value as it is:
//
//	LastReadMessageIndex: &conversations.Nullable[int]{Value: 42}
//	LastReadMessageIndex: &conversations.Nullable[int]{Null: true}
//	MessagingBindingProxyAddress: &conversations.Nullable[string]{Null: true}
//
// A form body has no null, so each kind spells it as its spec documents: an
// integer's null is an empty value (no number is empty), a string's null is
// the word null ("'null' value will remove it"), since an empty string is a
// value of its own.
type Nullable[T int | string] struct {
	// Value is what is sent when Null is false.
	Value T
	// Null sends the API's null instead of Value.
	Null bool
}

// formValues writes the parameter: Value (an int in decimal), or the null
// of T's kind.
func (n Nullable[T]) formValues() ([]string, error) {
	if s, ok := any(n.Value).(string); ok {
		if n.Null {
			return []string{"null"}, nil
		}
		return []string{s}, nil
	}
	if n.Null {
		return []string{""}, nil
	}
	return []string{strconv.Itoa(any(n.Value).(int))}, nil
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
