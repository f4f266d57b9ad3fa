package conversationstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// The spec copy of the root module's testdata is the reference for the
// fake's answers: every answer must carry exactly the fields of the
// operation's response schema, in Twilio's list envelope for lists, and
// decode into the SDK's model with DisallowUnknownFields.

type specOp struct {
	id      string
	method  string
	re      *regexp.Regexp
	holes   int
	status  int
	schema  string   // response component (for lists, the item's)
	listKey string   // "" for single resources
	fields  []string // properties of schema
}

var (
	specOnce sync.Once
	specOps  []*specOp
	specErr  error
)

var holeRe = regexp.MustCompile(`\{[A-Za-z]+\}`)

func loadSpec(t testing.TB) []*specOp {
	t.Helper()
	specOnce.Do(func() {
		specOps, specErr = parseSpec(filepath.Join("..", "testdata", "spec", "twilio_conversations_v1.json"))
	})
	if specErr != nil {
		t.Fatalf("loading spec: %v", specErr)
	}
	return specOps
}

func parseSpec(file string) ([]*specOp, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var ops []*specOp
	for path, item := range doc.Paths {
		for method, rawOp := range item {
			m := strings.ToUpper(method)
			if m != "GET" && m != "POST" && m != "DELETE" {
				continue
			}
			var op struct {
				OperationID string `json:"operationId"`
				Responses   map[string]struct {
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
					} `json:"content"`
				} `json:"responses"`
			}
			if err := json.Unmarshal(rawOp, &op); err != nil {
				return nil, err
			}
			so := &specOp{id: op.OperationID, method: m,
				re:    regexp.MustCompile("^" + holeRe.ReplaceAllString(path, `[^/]+`) + "$"),
				holes: len(holeRe.FindAllString(path, -1))}
			codes := make([]string, 0, len(op.Responses))
			for code := range op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			fmt.Sscan(codes[0], &so.status)
			if c, ok := op.Responses[codes[0]].Content["application/json"]; ok {
				so.schema = strings.TrimPrefix(c.Schema.Ref, "#/components/schemas/")
				for key, p := range c.Schema.Properties {
					if p.Type == "array" {
						so.listKey = key
						so.schema = strings.TrimPrefix(p.Items.Ref, "#/components/schemas/")
					}
				}
				for f := range doc.Components.Schemas[so.schema].Properties {
					so.fields = append(so.fields, f)
				}
				sort.Strings(so.fields)
			}
			ops = append(ops, so)
		}
	}
	return ops, nil
}

func matchOp(ops []*specOp, method, path string) *specOp {
	var best *specOp
	for _, op := range ops {
		if op.method == method && op.re.MatchString(path) && (best == nil || op.holes < best.holes) {
			best = op
		}
	}
	return best
}

// modelOf maps each response schema to the SDK type that decodes it.
var modelOf = map[string]reflect.Type{
	"conversations.v1.configuration":                                                  reflect.TypeFor[cv.Configuration](),
	"conversations.v1.configuration.configuration_webhook":                            reflect.TypeFor[cv.ConfigurationWebhook](),
	"conversations.v1.configuration_address":                                          reflect.TypeFor[cv.AddressConfiguration](),
	"conversations.v1.conversation":                                                   reflect.TypeFor[cv.Conversation](),
	"conversations.v1.conversation.conversation_message":                              reflect.TypeFor[cv.Message](),
	"conversations.v1.conversation.conversation_message.conversation_message_receipt": reflect.TypeFor[cv.Receipt](),
	"conversations.v1.conversation.conversation_participant":                          reflect.TypeFor[cv.Participant](),
	"conversations.v1.conversation.conversation_scoped_webhook":                       reflect.TypeFor[cv.Webhook](),
	"conversations.v1.conversation_with_participants":                                 reflect.TypeFor[cv.ConversationWithParticipants](),
	"conversations.v1.credential":                                                     reflect.TypeFor[cv.Credential](),
	"conversations.v1.participant_conversation":                                       reflect.TypeFor[cv.ParticipantConversation](),
	"conversations.v1.role":                                                           reflect.TypeFor[cv.Role](),
	"conversations.v1.user":                                                           reflect.TypeFor[cv.User](),
	"conversations.v1.user.user_conversation":                                         reflect.TypeFor[cv.UserConversation](),
	"conversations.v1.service":                                                        reflect.TypeFor[cv.Service](),
	"conversations.v1.service.service_binding":                                        reflect.TypeFor[cv.Binding](),
	"conversations.v1.service.service_configuration":                                  reflect.TypeFor[cv.ServiceConfiguration](),
	"conversations.v1.service.service_configuration.service_notification":             reflect.TypeFor[cv.ServiceNotification](),
	"conversations.v1.service.service_configuration.service_webhook_configuration":    reflect.TypeFor[cv.ServiceWebhookConfiguration](),
	"conversations.v1.service.service_conversation":                                   reflect.TypeFor[cv.Conversation](),
	"conversations.v1.service.service_conversation.service_conversation_message":      reflect.TypeFor[cv.Message](),
	"conversations.v1.service.service_conversation.service_conversation_message.service_conversation_message_receipt": reflect.TypeFor[cv.Receipt](),
	"conversations.v1.service.service_conversation.service_conversation_participant":                                  reflect.TypeFor[cv.Participant](),
	"conversations.v1.service.service_conversation.service_conversation_scoped_webhook":                               reflect.TypeFor[cv.Webhook](),
	"conversations.v1.service.service_conversation_with_participants":                                                 reflect.TypeFor[cv.ConversationWithParticipants](),
	"conversations.v1.service.service_participant_conversation":                                                       reflect.TypeFor[cv.ParticipantConversation](),
	"conversations.v1.service.service_role":                                                                           reflect.TypeFor[cv.Role](),
	"conversations.v1.service.service_user":                                                                           reflect.TypeFor[cv.User](),
	"conversations.v1.service.service_user.service_user_conversation":                                                 reflect.TypeFor[cv.UserConversation](),
}

var metaFields = []string{"first_page_url", "key", "next_page_url", "page", "page_size", "previous_page_url", "url"}

// strictTransport checks every successful answer of the fake against the
// spec and records the operations reached.
type strictTransport struct {
	t    testing.TB
	ops  []*specOp
	base http.RoundTripper
	mu   sync.Mutex
	hits map[string]int
}

func (s *strictTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(req)
	if err != nil || resp.StatusCode >= 300 {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	op := matchOp(s.ops, req.Method, req.URL.EscapedPath())
	if op == nil {
		s.t.Errorf("%s %s answered %d but matches no spec operation", req.Method, req.URL.Path, resp.StatusCode)
		return resp, nil
	}
	s.mu.Lock()
	s.hits[op.id]++
	s.mu.Unlock()
	if resp.StatusCode != op.status && !(op.status == 201 && resp.StatusCode == 202) {
		s.t.Errorf("%s: status %d, spec says %d", op.id, resp.StatusCode, op.status)
	}
	if op.status == 204 {
		if len(body) != 0 {
			s.t.Errorf("%s: 204 with a body", op.id)
		}
		return resp, nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		s.t.Errorf("%s: Content-Type %q", op.id, ct)
	}
	if err := checkBody(op, body); err != nil {
		s.t.Errorf("%s (%s %s): %v\n%s", op.id, req.Method, req.URL, err, body)
	}
	return resp, nil
}

func keysOf(raw json.RawMessage) ([]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// checkBody compares an answer with the spec and decodes it strictly.
func checkBody(op *specOp, body []byte) error {
	typ, ok := modelOf[op.schema]
	if !ok {
		return fmt.Errorf("no SDK model for schema %s", op.schema)
	}
	checkOne := func(raw json.RawMessage) error {
		keys, err := keysOf(raw)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(keys, op.fields) {
			return fmt.Errorf("fields %v, spec %s has %v", keys, op.schema, op.fields)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		return dec.Decode(reflect.New(typ).Interface())
	}
	if op.listKey == "" {
		return checkOne(body)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	keys, _ := keysOf(body)
	if want := []string{op.listKey, "meta"}; !reflect.DeepEqual(keys, sortedCopy(want)) {
		return fmt.Errorf("envelope keys %v, want %v", keys, want)
	}
	mk, err := keysOf(env["meta"])
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(mk, metaFields) {
		return fmt.Errorf("meta keys %v, want %v", mk, metaFields)
	}
	var meta struct {
		Key string `json:"key"`
	}
	_ = json.Unmarshal(env["meta"], &meta)
	if meta.Key != op.listKey {
		return fmt.Errorf("meta.key %q, want %q", meta.Key, op.listKey)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(env[op.listKey], &items); err != nil {
		return fmt.Errorf("%s is not an array: %v", op.listKey, err)
	}
	if items == nil {
		return fmt.Errorf("%s is null, want an array", op.listKey)
	}
	for i, it := range items {
		if err := checkOne(it); err != nil {
			return fmt.Errorf("item %d: %v", i, err)
		}
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// strictClient returns a client of srv whose every answer is checked
// against the spec, and the transport that records the operations reached.
func strictClient(t testing.TB, srv *conversationstest.Server, opts ...cv.Option) (*cv.Client, *strictTransport) {
	t.Helper()
	st := &strictTransport{t: t, ops: loadSpec(t), base: srv.HTTPClient().Transport, hits: map[string]int{}}
	all := append([]cv.Option{cv.WithHTTPClient(&http.Client{Transport: st})}, opts...)
	return srv.Client(all...), st
}

func TestSpecHas103Operations(t *testing.T) {
	ops := loadSpec(t)
	if len(ops) != 103 {
		t.Fatalf("spec has %d operations, want 103", len(ops))
	}
	for _, op := range ops {
		if op.status != 204 {
			if _, ok := modelOf[op.schema]; !ok {
				t.Errorf("%s: no SDK model for %s", op.id, op.schema)
			}
		}
	}
}
