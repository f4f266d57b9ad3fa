package conversations

import (
	"encoding/json"
	"fmt"
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
