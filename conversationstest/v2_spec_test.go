package conversationstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The v2 spec is the reference for the fake's v2 answers: every answer is
// checked against the response schema the spec gives for its operation and
// status (types, required keys, no key the schema lacks, enums, formats,
// lengths, patterns), and fields the spec marks libraryVisibility: private
// must never appear.

// v2SpecPath is the v2 spec copy the tests read (an unmodified copy of
// twilio-oai's, see testdata/spec).
var v2SpecPath = filepath.Join("..", "testdata", "spec", "twilio_conversations_v2.json")

type v2SpecOp struct {
	id        string
	method    string
	template  string
	re        *regexp.Regexp
	holes     int
	responses map[string]any // status -> response object
}

type v2Spec struct {
	doc map[string]any
	ops []*v2SpecOp
}

var (
	v2SpecOnce sync.Once
	v2SpecVal  *v2Spec
	v2SpecErr  error
)

// loadV2Spec reads the spec copy once.
func loadV2Spec(t testing.TB) *v2Spec {
	t.Helper()
	v2SpecOnce.Do(func() {
		raw, err := os.ReadFile(v2SpecPath)
		if err != nil {
			v2SpecErr = err
			return
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			v2SpecErr = err
			return
		}
		sp := &v2Spec{doc: doc}
		hole := regexp.MustCompile(`\{[A-Za-z]+\}`)
		for path, item := range doc["paths"].(map[string]any) {
			for method, raw := range item.(map[string]any) {
				m := strings.ToUpper(method)
				switch m {
				case "GET", "POST", "PUT", "PATCH", "DELETE":
				default:
					continue
				}
				op := raw.(map[string]any)
				sp.ops = append(sp.ops, &v2SpecOp{
					id:        op["operationId"].(string),
					method:    m,
					template:  path,
					re:        regexp.MustCompile("^" + hole.ReplaceAllString(path, `[^/]+`) + "$"),
					holes:     len(hole.FindAllString(path, -1)),
					responses: op["responses"].(map[string]any),
				})
			}
		}
		sort.Slice(sp.ops, func(i, j int) bool { return sp.ops[i].id < sp.ops[j].id })
		v2SpecVal = sp
	})
	if v2SpecErr != nil {
		t.Fatalf("loading the v2 spec: %v", v2SpecErr)
	}
	return v2SpecVal
}

func (sp *v2Spec) match(method, path string) *v2SpecOp {
	var best *v2SpecOp
	for _, op := range sp.ops {
		if op.method == method && op.re.MatchString(path) && (best == nil || op.holes < best.holes) {
			best = op
		}
	}
	return best
}

// resolve follows a $ref.
func (sp *v2Spec) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		cur := any(sp.doc)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		s = cur.(map[string]any)
	}
}

// responseSchema returns the JSON schema of op's answer with status.
func (sp *v2Spec) responseSchema(op *v2SpecOp, status int) (map[string]any, bool) {
	r, ok := op.responses[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return nil, false
	}
	r = sp.resolve(r)
	content, _ := r["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	schema, ok := js["schema"].(map[string]any)
	return schema, ok
}

// validate checks v (decoded with UseNumber) against schema.
func (sp *v2Spec) validate(schema map[string]any, v any, at string) error {
	schema = sp.resolve(schema)
	if all, ok := schema["allOf"].([]any); ok {
		merged := map[string]any{"type": "object", "properties": map[string]any{}, "required": []any{}}
		for _, part := range all {
			p := sp.resolve(part.(map[string]any))
			for k, pv := range p["properties"].(map[string]any) {
				merged["properties"].(map[string]any)[k] = pv
			}
			if req, ok := p["required"].([]any); ok {
				merged["required"] = append(merged["required"].([]any), req...)
			}
		}
		schema = merged
	}
	if v == nil {
		if n, _ := schema["nullable"].(bool); n {
			return nil
		}
		return fmt.Errorf("%s: null, the schema is not nullable", at)
	}
	if one, ok := schema["oneOf"].([]any); ok {
		var errs []string
		matched := 0
		for _, alt := range one {
			if err := sp.validate(alt.(map[string]any), v, at); err != nil {
				errs = append(errs, err.Error())
			} else {
				matched++
			}
		}
		if matched != 1 {
			return fmt.Errorf("%s: matches %d of the oneOf alternatives: %s", at, matched, strings.Join(errs, "; "))
		}
		return nil
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if e == v {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s: %v is not in the enum %v", at, v, enum)
		}
	}
	typ, _ := schema["type"].(string)
	if typ == "" {
		if _, ok := schema["properties"]; ok {
			typ = "object"
		}
	}
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an object", at, v)
		}
		props, _ := schema["properties"].(map[string]any)
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if _, ok := m[r.(string)]; !ok {
					return fmt.Errorf("%s: required key %q missing", at, r)
				}
			}
		}
		if max, ok := schema["maxProperties"].(json.Number); ok {
			if n, _ := max.Int64(); int64(len(m)) > n {
				return fmt.Errorf("%s: %d properties, max %d", at, len(m), n)
			}
		}
		for _, k := range sortedMapKeys(m) {
			ps, ok := props[k].(map[string]any)
			if ok {
				if xt, ok := ps["x-twilio"].(map[string]any); ok && xt["libraryVisibility"] == "private" {
					return fmt.Errorf("%s.%s: a private (beta) field", at, k)
				}
				if err := sp.validate(ps, m[k], at+"."+k); err != nil {
					return err
				}
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: key %q not in the schema", at, k)
				}
			case map[string]any:
				if err := sp.validate(ap, m[k], at+"."+k); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%s: key %q not in the schema", at, k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: %T, want an array", at, v)
		}
		if max, ok := schema["maxItems"].(json.Number); ok {
			if n, _ := max.Int64(); int64(len(a)) > n {
				return fmt.Errorf("%s: %d items, max %d", at, len(a), n)
			}
		}
		items, _ := schema["items"].(map[string]any)
		for i, it := range a {
			if items != nil {
				if err := sp.validate(items, it, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: %T, want a string", at, v)
		}
		if f, _ := schema["format"].(string); f == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				return fmt.Errorf("%s: %q is not a date-time", at, s)
			}
		}
		if f, _ := schema["format"].(string); f == "uri" && !strings.Contains(s, "://") {
			return fmt.Errorf("%s: %q is not a URI", at, s)
		}
		if max, ok := schema["maxLength"].(json.Number); ok {
			if n, _ := max.Int64(); int64(len([]rune(s))) > n {
				return fmt.Errorf("%s: longer than %d", at, n)
			}
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			return fmt.Errorf("%s: %q does not match %s", at, s, p)
		}
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s: %T, want an integer", at, v)
		}
		if _, err := n.Int64(); err != nil {
			return fmt.Errorf("%s: %s is not an integer", at, n)
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			return fmt.Errorf("%s: %T, want a number", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %T, want a boolean", at, v)
		}
	}
	return nil
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// check validates one answer of the fake: its status must be one the spec
// lists for the operation and its body must match that status's schema.
// It returns the operation's ID.
func (sp *v2Spec) check(method, path string, status int, header http.Header, body []byte) (string, error) {
	op := sp.match(method, path)
	if op == nil {
		if status < 400 {
			return "", fmt.Errorf("%s %s answered %d but matches no v2 operation", method, path, status)
		}
		// An unknown path or method: Twilio's error shape all the same.
		op = &v2SpecOp{id: method + " " + path, responses: map[string]any{}}
	}
	schema, ok := sp.responseSchema(op, status)
	if !ok {
		if _, listed := op.responses[fmt.Sprint(status)]; !listed && len(op.responses) > 0 && status != http.StatusUnauthorized && status != http.StatusMethodNotAllowed && status != http.StatusUnprocessableEntity {
			return op.id, fmt.Errorf("%s answered %d, which the spec does not list", op.id, status)
		}
		// 401, 405 and 422 are Twilio's error shape though the spec does not list them.
		schema, _ = sp.responseSchema(&v2SpecOp{responses: map[string]any{"400": map[string]any{"$ref": "#/components/responses/BadRequest"}}}, 400)
	}
	if ct := header.Get("Content-Type"); ct != "application/json" {
		return op.id, fmt.Errorf("%s: Content-Type %q", op.id, ct)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return op.id, fmt.Errorf("%s: body is not JSON: %v", op.id, err)
	}
	if status >= 400 {
		// Twilio's error shape: exactly code, message, more_info, status.
		m, _ := v.(map[string]any)
		if keys := sortedMapKeys(m); strings.Join(keys, ",") != "code,message,more_info,status" {
			return op.id, fmt.Errorf("%s: error keys %v", op.id, keys)
		}
	}
	if err := sp.validate(schema, v, op.id); err != nil {
		return op.id, err
	}
	if status == http.StatusAccepted {
		r := sp.resolve(op.responses["202"].(map[string]any))
		if hs, ok := r["headers"].(map[string]any); ok {
			for h := range hs {
				if header.Get(h) == "" {
					return op.id, fmt.Errorf("%s: 202 without the %s header", op.id, h)
				}
			}
		}
	}
	return op.id, nil
}

func TestV2SpecHas22Operations(t *testing.T) {
	sp := loadV2Spec(t)
	if len(sp.ops) != 22 {
		t.Fatalf("v2 spec has %d operations, want 22", len(sp.ops))
	}
}

// The checker itself catches what it is meant to.
func TestV2SpecCheckerCatches(t *testing.T) {
	sp := loadV2Spec(t)
	good := `{"id":"conv_configuration_00000000000000000000000001","displayName":"A","description":"d",` +
		`"conversationGroupingType":"GROUP_BY_PROFILE","memoryStoreId":"m","createdAt":"2026-01-01T00:00:00Z","version":1}`
	hdr := http.Header{"Content-Type": {"application/json"}}
	path := "/v2/ControlPlane/Configurations/conv_configuration_00000000000000000000000001"
	if _, err := sp.check("GET", path, 200, hdr, []byte(good)); err != nil {
		t.Fatalf("a valid body: %v", err)
	}
	for name, body := range map[string]string{
		"unknown key":      strings.Replace(good, `"version":1`, `"version":1,"colour":"red"`, 1),
		"missing required": strings.Replace(good, `"memoryStoreId":"m",`, "", 1),
		"enum":             strings.Replace(good, "GROUP_BY_PROFILE", "GROUP", 1),
		"pattern":          strings.Replace(good, `"displayName":"A"`, `"displayName":"a/b"`, 1),
		"date-time":        strings.Replace(good, "2026-01-01T00:00:00Z", "yesterday", 1),
		"type":             strings.Replace(good, `"version":1`, `"version":"1"`, 1),
		"private field":    strings.Replace(good, `"version":1`, `"version":1,"traitExtractionStrategyIds":[]`, 1),
	} {
		if _, err := sp.check("GET", path, 200, hdr, []byte(body)); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
	if _, err := sp.check("GET", path, 201, hdr, []byte(good)); err == nil {
		t.Error("a status the spec does not list: not caught")
	}
	if _, err := sp.check("GET", path, 404, hdr, []byte(`{"code":20404,"message":"m","more_info":"u","status":404,"x":1}`)); err == nil {
		t.Error("an extra key in an error: not caught")
	}
}
