package conversations

// Params: the helpers of params structs (Ptr, NullableInt) and the checks of
// required params, which run before anything is sent and fail with a
// *ValidationError. Path arguments and header values are checked by the
// request core (internal/rest).

import (
	"net/url"
	"strconv"
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

// NullableInt is an integer parameter that the API also lets you clear, such
// as LastReadMessageIndex. Set Value to send a number, or Null to send the
// API's null (an empty form value), which clears it:
//
//	LastReadMessageIndex: &conversations.NullableInt{Value: 42}
//	LastReadMessageIndex: &conversations.NullableInt{Null: true}
//
// A nil *NullableInt sends nothing and leaves the value as it is.
type NullableInt struct {
	// Value is the number sent when Null is false.
	Value int
	// Null sends null (an empty value) instead of Value.
	Null bool
}

// EncodeValues writes the parameter: Value in decimal, or an empty value for
// Null (the go-querystring Encoder interface).
func (n NullableInt) EncodeValues(key string, v *url.Values) error {
	if n.Null {
		v.Set(key, "")
		return nil
	}
	v.Set(key, strconv.Itoa(n.Value))
	return nil
}
