package orchestrator

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The v2 spec as the module's tests read it.
const specFile = "../testdata/spec/twilio_conversations_v2.json"

func loadSpec(t testing.TB) map[string]any {
	t.Helper()
	b, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// responseModel and requestModel give the Go type of each operation's
// success body and request body.
var responseModel = map[string]func() any{
	"ListConfiguration":                 func() any { return new(Configuration) },
	"CreateConfiguration":               func() any { return new(Operation) },
	"FetchConfiguration":                func() any { return new(Configuration) },
	"UpdateConfiguration":               func() any { return new(Operation) },
	"PatchConfiguration":                func() any { return new(Operation) },
	"DeleteConfiguration":               func() any { return new(Operation) },
	"ListConversationByAccount":         func() any { return new(Conversation) },
	"CreateConversationWithConfig":      func() any { return new(Conversation) },
	"FetchConversation":                 func() any { return new(Conversation) },
	"UpdateConversationById":            func() any { return new(Conversation) },
	"PatchConversationById":             func() any { return new(Conversation) },
	"DeleteConversationAsync":           func() any { return new(Operation) },
	"CreateConversationAction":          func() any { return new(Action) },
	"FetchConversationAction":           func() any { return new(Action) },
	"ListParticipantByConversation":     func() any { return new(Participant) },
	"CreateParticipantInConversation":   func() any { return new(Participant) },
	"FetchParticipant":                  func() any { return new(Participant) },
	"UpdateParticipantInConversation":   func() any { return new(Participant) },
	"ListCommunicationByConversation":   func() any { return new(Communication) },
	"CreateCommunicationInConversation": func() any { return new(Communication) },
	"FetchCommunication":                func() any { return new(Communication) },
	"FetchOperationStatus":              func() any { return new(OperationState) },
}

var requestModel = map[string]func() any{
	"CreateConfiguration":               func() any { return new(ConfigurationCreateParams) },
	"UpdateConfiguration":               func() any { return new(ConfigurationUpdateParams) },
	"PatchConfiguration":                func() any { return new(ConfigurationPatchParams) },
	"CreateConversationWithConfig":      func() any { return new(ConversationCreateParams) },
	"UpdateConversationById":            func() any { return new(ConversationUpdateParams) },
	"PatchConversationById":             func() any { return new(ConversationPatchParams) },
	"CreateConversationAction":          func() any { return new(ActionCreateParams) },
	"CreateParticipantInConversation":   func() any { return new(ParticipantParams) },
	"UpdateParticipantInConversation":   func() any { return new(ParticipantParams) },
	"CreateCommunicationInConversation": func() any { return new(CommunicationCreateParams) },
}

// propertyModel types the examples given on one property.
var propertyModel = map[string]func() any{
	"intelligenceConfigurationIds": func() any { return new([]string) },
	"conversationsV1Bridge":        func() any { return new(ConversationsV1Bridge) },
	"related":                      func() any { return new(map[string]string) },
	"metadata":                     func() any { return new(map[string]string) },
	"variables":                    func() any { return new(map[string]string) },
	"mediaUrls":                    func() any { return new([]string) },
}

// componentModel types the examples of the components the paths use.
var componentModel = map[string]func() any{
	"conversations.v2.address":                        func() any { return new(Address) },
	"conversations.v2.capture_rule":                   func() any { return new(CaptureRule) },
	"conversations.v2.channel_settings":               func() any { return new(map[string]any) },
	"conversations.v2.configuration_channel_settings": func() any { return new(map[Channel]ChannelSetting) },
	"conversations.v2.content_text":                   func() any { return new(Content) },
	"conversations.v2.content_transcription":          func() any { return new(Content) },
	"conversations.v2.conversations_v1_bridge":        func() any { return new(ConversationsV1Bridge) },
	"conversations.v2.metadata":                       func() any { return new(map[string]string) },
	"conversations.v2.participant":                    func() any { return new(Participant) },
	"conversations.v2.participant_address":            func() any { return new(ParticipantAddress) },
}

// usedComponents are the schemas that a path references, directly or not.
func usedComponents(doc map[string]any) map[string]bool {
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	re := regexp.MustCompile(`#/components/schemas/([\w.]+)`)
	used := map[string]bool{}
	b, _ := json.Marshal(doc["paths"])
	queue := []string{string(b)}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			if !used[m[1]] {
				used[m[1]] = true
				c, _ := json.Marshal(schemas[m[1]])
				queue = append(queue, string(c))
			}
		}
	}
	return used
}

func isPrivate(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	x, _ := m["x-twilio"].(map[string]any)
	return x["libraryVisibility"] == "private"
}

type example struct {
	where string
	op    string // operationId, "" for components
	loc   string // "response", "request" or "component:<name>" / "property:<name>"
	value any
}

// collectExamples finds every object or array example below v, skipping
// private fields.
func collectExamples(v any, where, op, loc string, out *[]example) {
	switch x := v.(type) {
	case map[string]any:
		if isPrivate(x) {
			return
		}
		if ex, ok := x["example"]; ok {
			switch ex.(type) {
			case map[string]any, []any:
				*out = append(*out, example{where, op, loc, ex})
			}
		}
		if exs, ok := x["examples"].(map[string]any); ok && strings.HasSuffix(where, "application/json") {
			for name, e := range exs {
				*out = append(*out, example{where + " examples." + name, op, loc, e.(map[string]any)["value"]})
			}
		}
		for k, c := range x {
			if k == "example" || k == "examples" {
				continue
			}
			l := loc
			if k == "requestBody" {
				l = "request"
			} else if k == "responses" {
				l = "response"
			}
			if strings.HasSuffix(where, "/properties") {
				l = "property:" + k
			}
			if strings.HasSuffix(where, "/items") || k == "items" {
				if strings.HasPrefix(l, "property:") && k == "items" {
					l += "[]"
				}
			}
			collectExamples(c, where+"/"+k, op, l, out)
		}
	case []any:
		for _, c := range x {
			collectExamples(c, where+"/[]", op, loc, out)
		}
	}
}

func strictDecode(raw []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

// TestSpecExamplesDecodeStrictly decodes every example of the v2 spec (on
// the paths and on the components they use) into its Go type with unknown
// fields refused.
func TestSpecExamplesDecodeStrictly(t *testing.T) {
	doc := loadSpec(t)
	var exs []example
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			op, ok := o.(map[string]any)
			if !ok || op["operationId"] == nil {
				continue
			}
			collectExamples(op, path+" "+method, op["operationId"].(string), "", &exs)
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name := range usedComponents(doc) {
		collectExamples(schemas[name], "#/components/schemas/"+name, "", "component:"+name, &exs)
	}
	sort.Slice(exs, func(i, j int) bool { return exs[i].where < exs[j].where })
	if len(exs) < 50 {
		t.Fatalf("found only %d examples; the walk is broken", len(exs))
	}
	for _, ex := range exs {
		var mk func() any
		switch {
		case strings.HasPrefix(ex.loc, "property:"):
			name := strings.TrimSuffix(strings.TrimPrefix(ex.loc, "property:"), "[]")
			mk = propertyModel[name]
			if strings.HasSuffix(ex.loc, "[]") {
				// The example of a list response's item.
				mk = nil
				if strings.HasPrefix(ex.op, "List") && strings.Contains(ex.where, "/responses/") {
					mk = responseModel[ex.op]
				}
			}
		case strings.HasPrefix(ex.loc, "component:"):
			mk = componentModel[strings.TrimPrefix(ex.loc, "component:")]
		case ex.loc == "request":
			mk = requestModel[ex.op]
		case ex.loc == "response":
			mk = responseModel[ex.op]
		}
		if mk == nil {
			t.Errorf("%s: no model for this example (%s)", ex.where, ex.loc)
			continue
		}
		raw, _ := json.Marshal(ex.value)
		dst := mk()
		if err := strictDecode(raw, dst); err != nil {
			t.Errorf("%s: decoding into %T: %v\n%s", ex.where, dst, err, raw)
		}
	}
	t.Logf("%d examples decoded strictly", len(exs))
}

// resolve follows $ref and merges allOf and oneOf members into one object
// schema (the union of their properties).
func resolve(doc map[string]any, s map[string]any) map[string]any {
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			break
		}
		s = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
	for _, comb := range []string{"allOf", "oneOf"} {
		members, ok := s[comb].([]any)
		if !ok {
			continue
		}
		props := map[string]any{}
		for _, m := range members {
			r := resolve(doc, m.(map[string]any))
			for k, v := range r["properties"].(map[string]any) {
				props[k] = v
			}
		}
		merged := map[string]any{"type": "object", "properties": props}
		return merged
	}
	return s
}

// jsonFields lists the JSON names of a struct's fields, flattening embedded
// structs; "-" fields are left out.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// sharedReadOnly are fields of a type shared by a response and a request
// whose request schema lacks them: the API fills them, and the request
// schema allows additional properties.
var sharedReadOnly = map[string]bool{
	"CreateCommunicationInConversation request.content.transcription.words": true,
}

var timeType = reflect.TypeOf(Configuration{}.CreatedAt)

// compareSchema checks that goType has exactly the non-private properties
// of schema, recursively.
func compareSchema(t *testing.T, doc map[string]any, where string, schema map[string]any, goType reflect.Type) {
	schema = resolve(doc, schema)
	for goType.Kind() == reflect.Pointer {
		goType = goType.Elem()
	}
	if strings.HasPrefix(goType.Name(), "Nullable[") {
		f, _ := goType.FieldByName("value")
		goType = f.Type
		for goType.Kind() == reflect.Pointer {
			goType = goType.Elem()
		}
	}
	switch goType.Kind() {
	case reflect.Struct:
		if goType == timeType {
			if schema["format"] != "date-time" {
				t.Errorf("%s: time.Time for a schema that is not a date-time", where)
			}
			return
		}
		props, _ := schema["properties"].(map[string]any)
		fields := jsonFields(goType)
		for name, p := range props {
			if isPrivate(p) {
				if _, ok := fields[name]; ok {
					t.Errorf("%s.%s: private field is in the Go type %v", where, name, goType)
				}
				continue
			}
			ft, ok := fields[name]
			if !ok {
				t.Errorf("%s.%s: missing from the Go type %v", where, name, goType)
				continue
			}
			compareSchema(t, doc, where+"."+name, p.(map[string]any), ft)
		}
		for name := range fields {
			if _, ok := props[name]; !ok && !sharedReadOnly[where+"."+name] {
				t.Errorf("%s: Go type %v has field %q that the spec does not", where, goType, name)
			}
		}
	case reflect.Slice:
		if items, ok := schema["items"].(map[string]any); ok {
			compareSchema(t, doc, where+"[]", items, goType.Elem())
		} else {
			t.Errorf("%s: slice for a schema without items", where)
		}
	case reflect.Map:
		if ap, ok := schema["additionalProperties"].(map[string]any); ok {
			compareSchema(t, doc, where+"{}", ap, goType.Elem())
		}
	}
}

// TestModelsMatchSpec checks every operation's request and response types
// against the spec's schemas: every public property has a field, every
// field a property, and date-times are time.Time.
func TestModelsMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	seen := 0
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			op, ok := o.(map[string]any)
			if !ok || op["operationId"] == nil {
				continue
			}
			id := op["operationId"].(string)
			seen++
			if rb, ok := op["requestBody"].(map[string]any); ok {
				s := rb["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
				mk := requestModel[id]
				if mk == nil {
					t.Errorf("%s: no request model", id)
				} else {
					compareSchema(t, doc, id+" request", s, reflect.TypeOf(mk()))
				}
			}
			for code, r := range op["responses"].(map[string]any) {
				if code[0] != '2' {
					continue
				}
				s := r.(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
				if strings.HasPrefix(id, "List") {
					props := s["properties"].(map[string]any)
					for k, v := range props {
						if k != "meta" {
							s = v.(map[string]any)["items"].(map[string]any)
						}
					}
					compareSchema(t, doc, id+" meta", props["meta"].(map[string]any), reflect.TypeOf(Meta{}))
				}
				compareSchema(t, doc, id+" "+code, s, reflect.TypeOf(responseModel[id]()))
			}
			_ = path
			_ = method
		}
	}
	if seen != 22 {
		t.Errorf("the spec has %d operations, want 22", seen)
	}
}
