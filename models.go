package conversations

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// UnmarshalAttributes decodes a resource's Attributes, a JSON document kept
// as a string on the wire, into v. An empty string decodes as "{}".
func UnmarshalAttributes(attributes string, v any) error {
	if strings.TrimSpace(attributes) == "" {
		attributes = "{}"
	}
	if err := json.Unmarshal([]byte(attributes), v); err != nil {
		return fmt.Errorf("conversations: decoding attributes: %w", err)
	}
	return nil
}

// MarshalAttributes encodes v as the JSON string that the Attributes params
// expect: Attributes: conversations.Ptr(must(MarshalAttributes(v))).
func MarshalAttributes(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("conversations: encoding attributes: %w", err)
	}
	return string(b), nil
}

// flexBool is a boolean that the API sends either as a JSON boolean or as a
// string ("True"/"False", "true"/"false"), as Credential's sandbox field is.
// null and "" decode as false. It stays inside the SDK: models expose bool.
type flexBool bool

// UnmarshalJSON accepts true, false, null and the strings "true"/"false" in
// any case.
func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(data), `"`)
	switch strings.ToLower(s) {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("conversations: %s is not a boolean", data)
	}
	return nil
}

// ListParams are the paging parameters every list operation takes. Each
// XListParams type embeds it, so its fields read as the list's own:
//
//	params := &conversations.ConversationListParams{ListParams: conversations.ListParams{PageSize: conversations.Ptr(100)}}
//	params.PageToken = conversations.Ptr(token)
//
// All follows the API's next_page_url and needs none of them but PageSize.
type ListParams struct {
	// PageSize is the number of items per page: 1 to the operation's
	// maximum (given on each XListParams type); the API's default is 50.
	PageSize *int `url:"PageSize,omitempty"`
	// Page is the page index, for client state only: the API pages by
	// PageToken.
	Page *int `url:"Page,omitempty"`
	// PageToken is the page token provided by the API, to resume a listing.
	PageToken *string `url:"PageToken,omitempty"`
}

// validate checks PageSize in [1, max] and Page >= 0.
func (p *ListParams) validate(max int) error {
	if p.PageSize != nil && (*p.PageSize < 1 || *p.PageSize > max) {
		return &ValidationError{Param: "PageSize", Reason: fmt.Sprintf("must be between 1 and %d, got %d", max, *p.PageSize)}
	}
	if p.Page != nil && *p.Page < 0 {
		return &ValidationError{Param: "Page", Reason: fmt.Sprintf("must not be negative, got %d", *p.Page)}
	}
	return nil
}

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
