// Package spectest reads the copy of Twilio's Conversations OpenAPI spec
// kept in testdata/spec for the module's tests: the operations (method, path
// template, documented params, response schema, list key, examples in
// document order), a matcher from a request to its operation, and the SDK
// model of every response schema. Only tests import it.
package spectest

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Op is one operation of the spec.
type Op struct {
	// ID is the operationId, e.g. CreateConversation.
	ID string
	// Method is GET, POST or DELETE.
	Method string
	// Template is the path with placeholders, e.g. /v1/Conversations/{Sid}.
	Template string
	re       *regexp.Regexp
	holes    int
	// Status is the success status (the lowest one the spec lists).
	Status int
	// Example is the body of the preferred example (nil for 204).
	Example json.RawMessage
	// ExampleName names Example: the first example in document order, or
	// for lists the first one with items.
	ExampleName string
	// Examples are all example bodies of the success response, by name.
	Examples map[string]json.RawMessage
	// Schema is the response component name (for lists, the item's).
	Schema string
	// ListKey is the envelope's array key ("" for single-resource answers).
	ListKey string
	// Params are the documented query and form parameter names, sorted.
	Params []string
	// Fields are the properties of the response schema, sorted.
	Fields []string
}

type specDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

type specOperation struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	RequestBody struct {
		Content map[string]struct {
			Schema struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema struct {
				Ref        string `json:"$ref"`
				Properties map[string]struct {
					Type  string `json:"type"`
					Items struct {
						Ref string `json:"$ref"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"schema"`
			Examples json.RawMessage `json:"examples"`
		} `json:"content"`
	} `json:"responses"`
}

var (
	mu    sync.Mutex
	cache = map[string][]*Op{}
)

var holeRe = regexp.MustCompile(`\{[A-Za-z]+\}`)

// Load parses an OpenAPI file (cached per path) into its operations,
// sorted by operationId.
func Load(file string) ([]*Op, error) {
	mu.Lock()
	defer mu.Unlock()
	if ops, ok := cache[file]; ok {
		return ops, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc specDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var ops []*Op
	for path, item := range doc.Paths {
		for method, rawOp := range item {
			m := strings.ToUpper(method)
			if m != "GET" && m != "POST" && m != "DELETE" {
				continue
			}
			var op specOperation
			if err := json.Unmarshal(rawOp, &op); err != nil {
				return nil, err
			}
			so := &Op{ID: op.OperationID, Method: m, Template: path,
				re:    regexp.MustCompile("^" + holeRe.ReplaceAllString(path, `[^/]+`) + "$"),
				holes: len(holeRe.FindAllString(path, -1))}
			for _, p := range op.Parameters {
				if p.In == "query" {
					so.Params = append(so.Params, p.Name)
				}
			}
			for _, c := range op.RequestBody.Content {
				for name := range c.Schema.Properties {
					so.Params = append(so.Params, name)
				}
			}
			sort.Strings(so.Params)
			codes := make([]string, 0, len(op.Responses))
			for code := range op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			code := codes[0]
			so.Status = map[string]int{"200": 200, "201": 201, "202": 202, "204": 204}[code]
			if c, ok := op.Responses[code].Content["application/json"]; ok {
				so.Schema = strings.TrimPrefix(c.Schema.Ref, "#/components/schemas/")
				for key, p := range c.Schema.Properties {
					if p.Type == "array" {
						so.ListKey = key
						so.Schema = strings.TrimPrefix(p.Items.Ref, "#/components/schemas/")
					}
				}
				names, values, err := orderedExamples(c.Examples)
				if err != nil {
					return nil, err
				}
				so.Examples = map[string]json.RawMessage{}
				for i, name := range names {
					so.Examples[name] = values[i]
				}
				// The preferred example is the first in document order
				// (what Prism serves), or for lists the first with items.
				for i, name := range names {
					if so.ExampleName == "" || (so.ListKey != "" && ListLen(so.Examples[so.ExampleName], so.ListKey) == 0 && ListLen(values[i], so.ListKey) > 0) {
						so.ExampleName = name
					}
				}
				so.Example = so.Examples[so.ExampleName]
				for f := range doc.Components.Schemas[so.Schema].Properties {
					so.Fields = append(so.Fields, f)
				}
				sort.Strings(so.Fields)
			}
			ops = append(ops, so)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	cache[file] = ops
	return ops, nil
}

// Match finds the operation that serves method and an escaped path; with
// several matches the most literal template (fewest placeholders) wins.
func Match(ops []*Op, method, path string) *Op {
	var best *Op
	for _, op := range ops {
		if op.Method == method && op.re.MatchString(path) && (best == nil || op.holes < best.holes) {
			best = op
		}
	}
	return best
}

// orderedExamples reads an OpenAPI examples object keeping document order.
func orderedExamples(raw json.RawMessage) ([]string, []json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var names []string
	var values []json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var ex struct {
			Value json.RawMessage `json:"value"`
		}
		if err := dec.Decode(&ex); err != nil {
			return nil, nil, err
		}
		names = append(names, tok.(string))
		values = append(values, ex.Value)
	}
	return names, values, nil
}

// ListLen counts the items under key in a list body.
func ListLen(body json.RawMessage, key string) int {
	var env map[string]json.RawMessage
	var items []json.RawMessage
	if json.Unmarshal(body, &env) != nil || json.Unmarshal(env[key], &items) != nil {
		return 0
	}
	return len(items)
}

// DecodeStrict decodes b into a new value of type typ, failing on any field
// the model does not have.
func DecodeStrict(b []byte, typ reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(reflect.New(typ).Interface())
}

// Path is the spec copy the spec-driven tests read, relative to the module
// root (the root package's directory).
const Path = "testdata/spec/twilio_conversations_v1.json"
