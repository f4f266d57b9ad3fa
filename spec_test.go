package conversations_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// specOp is one operation of the spec copy in testdata/spec.
type specOp struct {
	ID       string
	Method   string // GET, POST, DELETE
	Template string // e.g. /v1/Conversations/{Sid}
	re       *regexp.Regexp
	holes    int
	// Status and Example are the success status and the first example body
	// (nil for 204).
	Status  int
	Example json.RawMessage
	// ExampleName names Example: the first example in document order, or
	// for lists the first one with items.
	ExampleName string
	// Examples are all example bodies of the success response, by name.
	Examples map[string]json.RawMessage
	// Schema is the response component name (for lists, the item's), and
	// ListKey the envelope's array key ("" for single-resource answers).
	Schema  string
	ListKey string
	// Params are the documented query and form parameter names.
	Params []string
}

type specDoc struct {
	Paths map[string]map[string]json.RawMessage `json:"paths"`
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
	specOnce sync.Once
	specOps  []*specOp
	specErr  error
)

var holeRe = regexp.MustCompile(`\{[A-Za-z]+\}`)

// loadSpec parses testdata/spec/twilio_conversations_v1.json once.
func loadSpec(t testing.TB) []*specOp {
	t.Helper()
	specOnce.Do(func() {
		raw, err := os.ReadFile(filepath.Join("testdata", "spec", "twilio_conversations_v1.json"))
		if err != nil {
			specErr = err
			return
		}
		var doc specDoc
		if err := json.Unmarshal(raw, &doc); err != nil {
			specErr = err
			return
		}
		for path, item := range doc.Paths {
			for method, rawOp := range item {
				m := strings.ToUpper(method)
				if m != "GET" && m != "POST" && m != "DELETE" {
					continue
				}
				var op specOperation
				if err := json.Unmarshal(rawOp, &op); err != nil {
					specErr = err
					return
				}
				so := &specOp{ID: op.OperationID, Method: m, Template: path,
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
						specErr = err
						return
					}
					so.Examples = map[string]json.RawMessage{}
					for i, name := range names {
						so.Examples[name] = values[i]
					}
					// The preferred example is the first in document order
					// (what Prism serves), or for lists the first with items.
					for i, name := range names {
						if so.ExampleName == "" || (so.ListKey != "" && listLen(so.Examples[so.ExampleName], so.ListKey) == 0 && listLen(values[i], so.ListKey) > 0) {
							so.ExampleName = name
						}
					}
					so.Example = so.Examples[so.ExampleName]
				}
				specOps = append(specOps, so)
			}
		}
		sort.Slice(specOps, func(i, j int) bool { return specOps[i].ID < specOps[j].ID })
	})
	require.NoError(t, specErr)
	return specOps
}

// matchOp finds the operation that serves method and an escaped path; with
// several matches the most literal template (fewest placeholders) wins.
func matchOp(ops []*specOp, method, path string) *specOp {
	var best *specOp
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

// listLen counts the items under key in a list body.
func listLen(body json.RawMessage, key string) int {
	var env map[string]json.RawMessage
	var items []json.RawMessage
	if json.Unmarshal(body, &env) != nil || json.Unmarshal(env[key], &items) != nil {
		return 0
	}
	return len(items)
}
