package conversationstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
)

// jobj reads one JSON object of a v2 request body, checking it against
// the request schema of the spec as it goes. Every problem is reported
// with the field's JSON path ("channelSettings.SMS.statusTimeouts.inactive");
// the first one is kept in *err and later reads are then no-ops.
type jobj struct {
	m    map[string]any
	path string // "" at the top level
	err  **apiError
}

// parseJSONBody decodes a request body that must be one JSON object.
func parseJSONBody(body []byte) (*jobj, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errBad(conversations.CodeBadRequest, "Request body is not valid JSON: "+err.Error())
	}
	if dec.More() {
		return nil, errBad(conversations.CodeBadRequest, "Request body is not valid JSON: data after the top-level value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errBad(conversations.CodeBadRequest, "Request body must be a JSON object")
	}
	var e *apiError
	return &jobj{m: m, err: &e}, nil
}

func (o *jobj) failed() *apiError { return *o.err }

func (o *jobj) name(k string) string {
	if o.path == "" {
		return k
	}
	return o.path + "." + k
}

func (o *jobj) fail(field, reason string) {
	if *o.err == nil {
		*o.err = errInvalid(field, reason)
	}
}

func (o *jobj) missing(field string) {
	if *o.err == nil {
		*o.err = errMissing(field, "request body")
	}
}

// allow rejects keys the schema does not have: a misspelt field is an
// error, never silently dropped.
func (o *jobj) allow(keys ...string) {
	for _, k := range sortedKeys(o.m) {
		found := false
		for _, a := range keys {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			o.fail(o.name(k), "unknown field")
			return
		}
	}
}

func (o *jobj) has(k string) bool { _, ok := o.m[k]; return ok }

// isNull reports whether k is present and null.
func (o *jobj) isNull(k string) bool {
	v, ok := o.m[k]
	return ok && v == nil
}

// present reports whether k holds a non-null value; with required, a
// missing or null k is an error.
func (o *jobj) present(k string, required bool) bool {
	v, ok := o.m[k]
	if !ok || v == nil {
		if required {
			o.missing(o.name(k))
		}
		return false
	}
	return true
}

func (o *jobj) str(k string, required bool) (string, bool) {
	if !o.present(k, required) {
		return "", false
	}
	s, ok := o.m[k].(string)
	if !ok {
		o.fail(o.name(k), "must be a string")
		return "", false
	}
	return s, true
}

// nonEmpty reads a string that may not be empty.
func (o *jobj) nonEmpty(k string, required bool) (string, bool) {
	s, ok := o.str(k, required)
	if ok && s == "" {
		o.fail(o.name(k), "must not be empty")
		return "", false
	}
	return s, ok
}

func (o *jobj) boolean(k string) (bool, bool) {
	if !o.present(k, false) {
		return false, false
	}
	b, ok := o.m[k].(bool)
	if !ok {
		o.fail(o.name(k), "must be a boolean")
	}
	return b, ok
}

func (o *jobj) integer(k string, min int64) (int64, bool) {
	if !o.present(k, false) {
		return 0, false
	}
	n, ok := o.m[k].(json.Number)
	if !ok {
		o.fail(o.name(k), "must be an integer")
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		o.fail(o.name(k), "must be an integer")
		return 0, false
	}
	if i < min {
		o.fail(o.name(k), fmt.Sprintf("must be at least %d", min))
		return 0, false
	}
	return i, true
}

func (o *jobj) number(k string, min, max float64) (float64, bool) {
	if !o.present(k, false) {
		return 0, false
	}
	n, ok := o.m[k].(json.Number)
	if !ok {
		o.fail(o.name(k), "must be a number")
		return 0, false
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) {
		o.fail(o.name(k), "must be a number")
		return 0, false
	}
	if f < min || f > max {
		o.fail(o.name(k), fmt.Sprintf("must be between %g and %g", min, max))
		return 0, false
	}
	return f, true
}

func (o *jobj) enum(k string, required bool, allowed ...string) (string, bool) {
	s, ok := o.str(k, required)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	o.fail(o.name(k), fmt.Sprintf("%q is not one of %s", s, strings.Join(allowed, ", ")))
	return "", false
}

func (o *jobj) obj(k string, required bool) *jobj {
	if !o.present(k, required) {
		return nil
	}
	m, ok := o.m[k].(map[string]any)
	if !ok {
		o.fail(o.name(k), "must be an object")
		return nil
	}
	return &jobj{m: m, path: o.name(k), err: o.err}
}

// arr reads a list of at most max items (max < 0: no limit).
func (o *jobj) arr(k string, required bool, minItems, max int) ([]any, bool) {
	if !o.present(k, required) {
		return nil, false
	}
	a, ok := o.m[k].([]any)
	if !ok {
		o.fail(o.name(k), "must be an array")
		return nil, false
	}
	if max >= 0 && len(a) > max {
		o.fail(o.name(k), fmt.Sprintf("has %d items, the maximum is %d", len(a), max))
		return nil, false
	}
	if len(a) < minItems {
		o.fail(o.name(k), fmt.Sprintf("must have at least %d item(s)", minItems))
		return nil, false
	}
	return a, true
}

// item returns element i of a list as an object.
func (o *jobj) item(k string, a []any, i int) *jobj {
	field := fmt.Sprintf("%s[%d]", o.name(k), i)
	m, ok := a[i].(map[string]any)
	if !ok {
		o.fail(field, "must be an object")
		return nil
	}
	return &jobj{m: m, path: field, err: o.err}
}

func (o *jobj) strList(k string, max int) ([]string, bool) {
	a, ok := o.arr(k, false, 0, max)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(a))
	for i, v := range a {
		s, ok := v.(string)
		if !ok {
			o.fail(fmt.Sprintf("%s[%d]", o.name(k), i), "must be a string")
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// strMap reads an object of strings (capture rule metadata, content
// variables) of at most maxProps entries (maxProps < 0: no limit).
func (o *jobj) strMap(k string, maxProps int) (map[string]string, bool) {
	c := o.obj(k, false)
	if c == nil {
		return nil, false
	}
	if maxProps >= 0 && len(c.m) > maxProps {
		o.fail(c.path, fmt.Sprintf("has %d entries, the maximum is %d", len(c.m), maxProps))
		return nil, false
	}
	out := make(map[string]string, len(c.m))
	for _, key := range sortedKeys(c.m) {
		s, ok := c.m[key].(string)
		if !ok {
			o.fail(c.name(key), "must be a string")
			return nil, false
		}
		out[key] = s
	}
	return out, true
}

func (o *jobj) dateTime(k string) (time.Time, bool) {
	s, ok := o.str(k, false)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		o.fail(o.name(k), fmt.Sprintf("%q is not an RFC 3339 date-time", s))
		return time.Time{}, false
	}
	return t.UTC(), true
}

// absoluteURL checks a format: uri field used as a webhook target.
func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Patterns of the spec.
var (
	v2DisplayNamePattern = regexp.MustCompile(`^[a-zA-Z0-9-_ ]+$`)
	v2ServiceIDPattern   = regexp.MustCompile(`^IS[0-9a-f]{32}$`)
	v2MemoryStorePattern = regexp.MustCompile(`^mem_(store|service)_[0-7][0-9a-z]{25}$`)
	v2IdemKeyPattern     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	v2FlowIDPattern      = regexp.MustCompile(`^FW[0-9a-fA-F]{32}$`)
	v2MetadataKeyPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,128}$`)
)

// The enums of the spec.
var (
	v2GroupingTypes         = []string{"GROUP_BY_PROFILE", "GROUP_BY_PARTICIPANT_ADDRESSES", "GROUP_BY_PARTICIPANT_ADDRESSES_AND_CHANNEL_TYPE"}
	v2ConversationStatus    = []string{"ACTIVE", "INACTIVE", "CLOSED"}
	v2ParticipantTypes      = []string{"HUMAN_AGENT", "CUSTOMER", "AI_AGENT", "AGENT", "UNKNOWN"}
	v2Channels              = []string{"VOICE", "SMS", "RCS", "WHATSAPP", "CHAT", "VIDEO"}
	v2SendChannels          = []string{"SMS", "RCS", "WHATSAPP", "CHAT"}
	v2SettingChannels       = []string{"VOICE", "SMS", "RCS", "WHATSAPP", "CHAT"}
	v2CallbackMethods       = []string{"POST", "GET"}
	v2MaxConfigCallbacks    = 2  // statusCallbacks maxItems of the configuration write bodies
	v2MaxConvCallbacks      = 20 // statusCallbacks maxItems of the conversation PATCH body
	v2MaxIntelligenceIDs    = 5
	v2MaxMetadataEntries    = 8
	v2MaxCreateParticipants = 50
)
