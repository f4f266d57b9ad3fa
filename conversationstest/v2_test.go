package conversationstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationstest"
)

// v2Client drives the fake's v2 API with raw HTTP and checks every answer
// against the spec.
type v2Client struct {
	t    *testing.T
	srv  *conversationstest.Server
	sp   *v2Spec
	hits map[string]int
}

type v2Resp struct {
	status int
	header http.Header
	body   []byte
	m      map[string]any
}

func newV2(t *testing.T, opts ...conversationstest.Option) (*conversationstest.Server, *v2Client) {
	t.Helper()
	srv := conversationstest.NewServer(t, opts...)
	return srv, &v2Client{t: t, srv: srv, sp: loadV2Spec(t), hits: map[string]int{}}
}

// do sends one request. body is nil, a string (sent as is) or a value
// (sent as JSON); hdr holds header name/value pairs.
func (c *v2Client) do(method, path string, body any, hdr ...string) v2Resp {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.SetBasicAuth(c.srv.AccountSID, c.srv.AuthToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.srv.HTTPClient().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := v2Resp{status: resp.StatusCode, header: resp.Header, body: raw}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.m); err != nil {
			c.t.Errorf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	escaped := req.URL.EscapedPath()
	id, err := c.sp.check(method, escaped, resp.StatusCode, resp.Header, raw)
	if err != nil {
		c.t.Errorf("%s %s → %d: %v\n%s", method, path, resp.StatusCode, err, raw)
	}
	if resp.StatusCode < 300 {
		c.hits[id]++
	}
	return r
}

// must sends a request and fails the test unless the status is want.
func (c *v2Client) must(want int, method, path string, body any, hdr ...string) v2Resp {
	c.t.Helper()
	r := c.do(method, path, body, hdr...)
	if r.status != want {
		c.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, r.status, want, r.body)
	}
	return r
}

// wantError checks an error answer: status and Twilio code.
func (c *v2Client) wantError(r v2Resp, status, code int, msgPart string) {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	if got := int(num(r.m, "code")); got != code {
		c.t.Errorf("code %d, want %d\n%s", got, code, r.body)
	}
	if got := int(num(r.m, "status")); got != status {
		c.t.Errorf("body status %d, want %d", got, status)
	}
	if want := fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code); str(r.m, "more_info") != want {
		c.t.Errorf("more_info %q, want %q", str(r.m, "more_info"), want)
	}
	if !strings.Contains(str(r.m, "message"), msgPart) {
		c.t.Errorf("message %q does not contain %q", str(r.m, "message"), msgPart)
	}
}

// get walks a dotted path ("meta.nextToken", "participants.0.id").
func get(m any, path string) any {
	cur := m
	for _, p := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func str(m any, path string) string  { s, _ := get(m, path).(string); return s }
func num(m any, path string) float64 { f, _ := get(m, path).(float64); return f }
func list(m any, path string) []any  { a, _ := get(m, path).([]any); return a }
func has(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

const v2MemStore = "mem_store_01k1etk2y5f1y9fpe2epfdtvv2"

func configBody(name string) map[string]any {
	return map[string]any{
		"displayName":              name,
		"description":              "Support configuration",
		"conversationGroupingType": "GROUP_BY_PARTICIPANT_ADDRESSES",
		"memoryStoreId":            v2MemStore,
		"channelSettings": map[string]any{
			"SMS": map[string]any{
				"statusTimeouts": map[string]any{"inactive": 10, "closed": 15},
				"captureRules":   []any{map[string]any{"from": "+18005550100", "to": "*"}},
			},
		},
		"statusCallbacks": []any{map[string]any{"url": "https://hooks.example.com/status"}},
	}
}

// createConfig creates a configuration and returns its ID (the zero
// AsyncPlan completes the operation at once).
func (c *v2Client) createConfig(body any, hdr ...string) string {
	c.t.Helper()
	r := c.must(202, "POST", "/v2/ControlPlane/Configurations", body, hdr...)
	id := str(r.m, "related.configurationId")
	if !strings.HasPrefix(id, "conv_configuration_") || len(id) != len("conv_configuration_")+26 {
		c.t.Fatalf("configurationId %q", id)
	}
	return id
}

func (c *v2Client) createConversation(cfgID string, extra map[string]any) map[string]any {
	c.t.Helper()
	body := map[string]any{"configurationId": cfgID}
	for k, v := range extra {
		body[k] = v
	}
	return c.must(201, "POST", "/v2/Conversations", body).m
}

func TestV2EveryOperation(t *testing.T) {
	srv, c := newV2(t, conversationstest.WithManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)))

	// Configurations: create (202 + operation), fetch, list, PUT, PATCH, delete.
	r := c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Support"))
	opID := r.header.Get("Operation-Id")
	cfgID := str(r.m, "related.configurationId")
	statusURL := srv.URL + "/v2/ControlPlane/Operations/" + opID
	if !strings.HasPrefix(opID, "proc_job_") || r.header.Get("Location") != statusURL || str(r.m, "statusUrl") != statusURL {
		t.Fatalf("202 headers %v body %s", r.header, r.body)
	}
	if r.header.Get("Retry-After") != "0" {
		t.Errorf("Retry-After %q of a settled operation, want 0", r.header.Get("Retry-After"))
	}
	op := c.must(200, "GET", "/v2/ControlPlane/Operations/"+opID, nil).m
	if str(op, "status") != "COMPLETED" || get(op, "error") != nil || str(op, "completedAt") == "" || str(op, "related.configurationId") != cfgID {
		t.Fatalf("operation %v", op)
	}
	cfg := c.must(200, "GET", "/v2/ControlPlane/Configurations/"+cfgID, nil).m
	want := map[string]any{
		"id": cfgID, "displayName": "Support", "description": "Support configuration",
		"conversationGroupingType": "GROUP_BY_PARTICIPANT_ADDRESSES", "memoryStoreId": v2MemStore,
		"channelSettings": map[string]any{"SMS": map[string]any{
			"statusTimeouts": map[string]any{"inactive": 10.0, "closed": 15.0},
			"captureRules":   []any{map[string]any{"from": "+18005550100", "to": "*", "metadata": map[string]any{}}},
		}},
		"statusCallbacks":              []any{map[string]any{"url": "https://hooks.example.com/status", "method": "POST"}},
		"intelligenceConfigurationIds": []any{},
		"memoryExtractionEnabled":      false,
		"createdAt":                    srv.Now().Format(time.RFC3339),
		"updatedAt":                    srv.Now().Format(time.RFC3339),
		"version":                      1.0,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("configuration\n got %v\nwant %v", cfg, want)
	}
	list1 := c.must(200, "GET", "/v2/ControlPlane/Configurations", nil).m
	if len(list(list1, "configurations")) != 1 || str(list1, "meta.key") != "configurations" || num(list1, "meta.pageSize") != 1 || has(list1["meta"].(map[string]any), "nextToken") {
		t.Fatalf("list %v", list1)
	}
	put := configBody("Support")
	put["description"] = "Replaced"
	delete(put, "statusCallbacks")
	c.must(202, "PUT", "/v2/ControlPlane/Configurations/"+cfgID, put, "Idempotency-Key", "6f1c1a52-3c5b-4a7e-9d43-0c2f6f1f2a11")
	c.must(202, "PATCH", "/v2/ControlPlane/Configurations/"+cfgID, map[string]any{"memoryExtractionEnabled": true})
	cfg = c.must(200, "GET", "/v2/ControlPlane/Configurations/"+cfgID, nil).m
	if str(cfg, "description") != "Replaced" || len(list(cfg, "statusCallbacks")) != 0 || cfg["memoryExtractionEnabled"] != true || num(cfg, "version") != 3 {
		t.Fatalf("after PUT and PATCH: %v", cfg)
	}

	// Conversations.
	conv := c.createConversation(cfgID, map[string]any{
		"name":     "Order 42",
		"metadata": map[string]any{"ticket": "TKT-1"},
		"participants": []any{map[string]any{
			"name": "Dana", "type": "CUSTOMER",
			"addresses": []any{map[string]any{"channel": "SMS", "address": "+18005550199"}},
		}},
	})
	convID := str(conv, "id")
	if !strings.HasPrefix(convID, "conv_conversation_") || str(conv, "status") != "ACTIVE" || str(conv, "configurationId") != cfgID ||
		str(conv, "accountId") != srv.AccountSID || str(conv, "configuration.description") != "Replaced" || str(conv, "metadata.ticket") != "TKT-1" {
		t.Fatalf("conversation %v", conv)
	}
	customer := list(conv, "participants")[0].(map[string]any)
	if !strings.HasPrefix(str(customer, "profileId"), "mem_profile_") {
		t.Errorf("CUSTOMER without a resolved profile: %v", customer)
	}
	c.must(200, "GET", "/v2/Conversations/"+convID, nil)
	if l := c.must(200, "GET", "/v2/Conversations?status=ACTIVE", nil).m; len(list(l, "conversations")) != 1 {
		t.Fatalf("list %v", l)
	}
	if l := c.must(200, "GET", "/v2/Conversations?status=CLOSED", nil).m; len(list(l, "conversations")) != 0 {
		t.Fatalf("CLOSED list %v", l)
	}
	up := c.must(200, "PUT", "/v2/Conversations/"+convID, map[string]any{"status": "INACTIVE", "name": "Order 42 (put)"}).m
	if str(up, "status") != "INACTIVE" || str(up, "name") != "Order 42 (put)" || len(get(up, "metadata").(map[string]any)) != 0 {
		t.Fatalf("PUT conversation %v", up)
	}
	pa := c.must(200, "PATCH", "/v2/Conversations/"+convID, map[string]any{"status": "ACTIVE"}).m
	if str(pa, "status") != "ACTIVE" || str(pa, "name") != "Order 42 (put)" {
		t.Fatalf("PATCH conversation %v", pa)
	}

	// Participants.
	agent := c.must(201, "POST", "/v2/Conversations/"+convID+"/Participants", map[string]any{
		"name": "Alex", "type": "HUMAN_AGENT",
		"addresses": []any{map[string]any{"channel": "SMS", "address": "+18005550100"}},
	}).m
	agentID := str(agent, "id")
	if !strings.HasPrefix(agentID, "conv_participant_") || has(agent, "profileId") {
		t.Fatalf("participant %v", agent)
	}
	c.must(200, "GET", "/v2/Conversations/"+convID+"/Participants/"+agentID, nil)
	pl := c.must(200, "GET", "/v2/Conversations/"+convID+"/Participants", nil).m
	if len(list(pl, "participants")) != 2 {
		t.Fatalf("participants %v", pl)
	}
	pu := c.must(200, "PUT", "/v2/Conversations/"+convID+"/Participants/"+agentID, map[string]any{
		"type": "AI_AGENT", "addresses": []any{map[string]any{"channel": "SMS", "address": "+18005550100"}},
	}).m
	if str(pu, "type") != "AI_AGENT" || get(pu, "name") != nil {
		t.Fatalf("PUT participant (name must be removed) %v", pu)
	}

	// Communications.
	comm := c.must(201, "POST", "/v2/Conversations/"+convID+"/Communications", map[string]any{
		"author":     map[string]any{"address": "+18005550199", "channel": "SMS"},
		"content":    map[string]any{"type": "TEXT", "text": "Where is my order?"},
		"recipients": []any{map[string]any{"address": "+18005550100", "channel": "SMS"}},
		"resourceId": "SM00000000000000000000000000000001",
	}).m
	commID := str(comm, "id")
	if str(comm, "author.participantId") != str(customer, "id") || str(comm, "recipients.0.participantId") != agentID {
		t.Fatalf("communication participants not resolved: %v", comm)
	}
	c.must(200, "GET", "/v2/Conversations/"+convID+"/Communications/"+commID, nil)
	cl := c.must(200, "GET", "/v2/Conversations/"+convID+"/Communications?channelId=SM00000000000000000000000000000001", nil).m
	if len(list(cl, "communications")) != 1 {
		t.Fatalf("communications %v", cl)
	}

	// Actions.
	act := c.must(202, "POST", "/v2/Conversations/"+convID+"/Actions", map[string]any{
		"type": "SEND_MESSAGE",
		"payload": map[string]any{
			"from":    map[string]any{"participantId": agentID},
			"to":      []any{map[string]any{"participantId": str(customer, "id"), "channel": "SMS"}},
			"content": map[string]any{"text": "It ships today."},
		},
	}).m
	if str(act, "status") != "PENDING" || str(act, "type") != "SEND_MESSAGE" || !strings.HasPrefix(str(act, "related.messageSid"), "SM") {
		t.Fatalf("action %v", act)
	}
	done := c.must(200, "GET", "/v2/Conversations/"+convID+"/Actions/"+str(act, "id"), nil).m
	if str(done, "status") != "COMPLETED" || str(done, "completedAt") == "" || get(done, "failureReason") != nil {
		t.Fatalf("action after settling %v", done)
	}
	sent := c.must(200, "GET", "/v2/Conversations/"+convID+"/Communications/"+str(done, "related.communicationId"), nil).m
	if str(sent, "content.text") != "It ships today." || str(sent, "author.participantId") != agentID ||
		str(sent, "recipients.0.deliveryStatus") != "DELIVERED" || str(sent, "resourceId") != str(act, "related.messageSid") {
		t.Fatalf("communication of the action %v", sent)
	}

	// Deletes: both async, waited on.
	dr := c.must(202, "DELETE", "/v2/Conversations/"+convID, nil, "Idempotency-Key", "0b9d2a8e-5f4c-4e1a-8f55-0d1e2f3a4b5c")
	if str(dr.m, "related.conversationId") != convID {
		t.Fatalf("delete answer %v", dr.m)
	}
	if s := str(c.must(200, "GET", "/v2/ControlPlane/Operations/"+dr.header.Get("Operation-Id"), nil).m, "status"); s != "COMPLETED" {
		t.Fatalf("delete operation %s", s)
	}
	c.wantError(c.do("GET", "/v2/Conversations/"+convID, nil), 404, 20404, "/v2/Conversations/"+convID)
	c.wantError(c.do("GET", "/v2/Conversations/"+convID+"/Participants", nil), 404, 20404, "was not found")
	c.must(202, "DELETE", "/v2/ControlPlane/Configurations/"+cfgID, nil)
	c.wantError(c.do("GET", "/v2/ControlPlane/Configurations/"+cfgID, nil), 404, 20404, cfgID)

	// Every operation of the spec was reached with a success.
	for _, op := range c.sp.ops {
		if c.hits[op.id] == 0 {
			t.Errorf("operation %s (%s %s) not reached", op.id, op.method, op.template)
		}
	}
	if len(c.hits) != 22 {
		t.Errorf("reached %d operations, want 22: %v", len(c.hits), c.hits)
	}
}

func TestV2Idempotency(t *testing.T) {
	srv, c := newV2(t)
	const key = "7d7a5f0e-1b2c-4d3e-8f90-a1b2c3d4e5f6"
	first := c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Idem"), "Idempotency-Key", key)
	again := c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Idem"), "Idempotency-Key", key)
	if !bytes.Equal(first.body, again.body) || first.header.Get("Operation-Id") != again.header.Get("Operation-Id") ||
		first.header.Get("Location") != again.header.Get("Location") || first.header.Get("Retry-After") != again.header.Get("Retry-After") {
		t.Fatalf("replay differs:\n%v %s\n%v %s", first.header, first.body, again.header, again.body)
	}
	if n := len(list(c.must(200, "GET", "/v2/ControlPlane/Configurations", nil).m, "configurations")); n != 1 {
		t.Fatalf("%d configurations after a replay, want 1", n)
	}

	// The same key with another body, or on another operation: 422, 17534.
	c.wantError(c.do("POST", "/v2/ControlPlane/Configurations", configBody("Other"), "Idempotency-Key", key), 422, 17534, key)
	c.wantError(c.do("DELETE", "/v2/ControlPlane/Configurations/"+str(first.m, "related.configurationId"), nil, "Idempotency-Key", key), 422, 17534, "different request")

	// Not a UUID: 400.
	c.wantError(c.do("POST", "/v2/ControlPlane/Configurations", configBody("Bad"), "Idempotency-Key", "not-a-uuid"), 400, 400, "Idempotency-Key")

	// A rejected request is not remembered: fixing it under the same key works.
	const key2 = "11111111-2222-4333-8444-555555555555"
	bad := configBody("Fixed")
	delete(bad, "memoryStoreId")
	c.wantError(c.do("POST", "/v2/ControlPlane/Configurations", bad, "Idempotency-Key", key2), 400, 20001, "memoryStoreId")
	c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Fixed"), "Idempotency-Key", key2)

	// 24 hours of fake time later the key is forgotten: a new operation.
	srv.Advance(24*time.Hour + time.Second)
	later := c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Idem"), "Idempotency-Key", key)
	if later.header.Get("Operation-Id") == first.header.Get("Operation-Id") {
		t.Fatal("the key was still remembered after 24 hours")
	}
	if n := len(list(c.must(200, "GET", "/v2/ControlPlane/Configurations", nil).m, "configurations")); n != 3 {
		t.Fatalf("%d configurations, want 3", n)
	}

	// A lost answer (the write happened, a 503 came back) retried with the
	// key: the first answer, and no second configuration.
	const key3 = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
	srv.FailNext(1, "POST", "/v2/ControlPlane/Configurations", conversationstest.Fault{Status: 503, AfterHandling: true})
	lost := c.do("POST", "/v2/ControlPlane/Configurations", configBody("Lost"), "Idempotency-Key", key3)
	c.wantError(lost, 503, 20503, "Service Unavailable")
	retried := c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Lost"), "Idempotency-Key", key3)
	n := 0
	for _, it := range list(c.must(200, "GET", "/v2/ControlPlane/Configurations", nil).m, "configurations") {
		if str(it, "displayName") == "Lost" {
			n++
			if str(it, "id") != str(retried.m, "related.configurationId") {
				t.Errorf("retry answered %s, stored %s", str(retried.m, "related.configurationId"), str(it, "id"))
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d configurations named Lost, want 1", n)
	}
}

func TestV2OperationPlans(t *testing.T) {
	srv, c := newV2(t, conversationstest.WithAsyncPlan(conversationstest.AsyncPlan{PendingPolls: 2}))

	// Pending for two polls; the configuration appears when it completes.
	r := c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Slow"))
	opPath := "/v2/ControlPlane/Operations/" + r.header.Get("Operation-Id")
	cfgID := str(r.m, "related.configurationId")
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q of a pending operation, want 1", r.header.Get("Retry-After"))
	}
	c.wantError(c.do("GET", "/v2/ControlPlane/Configurations/"+cfgID, nil), 404, 20404, cfgID)
	for i := 0; i < 2; i++ {
		op := c.must(200, "GET", opPath, nil).m
		if str(op, "status") != "PENDING" || get(op, "completedAt") != nil || get(op, "error") != nil {
			t.Fatalf("poll %d: %v", i, op)
		}
	}
	if op := c.must(200, "GET", opPath, nil).m; str(op, "status") != "COMPLETED" {
		t.Fatalf("third poll: %v", op)
	}
	c.must(200, "GET", "/v2/ControlPlane/Configurations/"+cfgID, nil)

	// Hold: PENDING until the test settles it; a second write meanwhile is 409.
	srv.SetAsyncPlan(conversationstest.AsyncPlan{Hold: true, RetryAfter: 1500 * time.Millisecond})
	r = c.must(202, "PATCH", "/v2/ControlPlane/Configurations/"+cfgID, map[string]any{"description": "Held"})
	held := r.header.Get("Operation-Id")
	if r.header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q, want 2 (1.5 s rounded up)", r.header.Get("Retry-After"))
	}
	for i := 0; i < 3; i++ {
		if s := str(c.must(200, "GET", "/v2/ControlPlane/Operations/"+held, nil).m, "status"); s != "PENDING" {
			t.Fatalf("held operation %s", s)
		}
	}
	conflict := c.do("DELETE", "/v2/ControlPlane/Configurations/"+cfgID, nil)
	c.wantError(conflict, 409, 409, held)
	if conflict.header.Get("X-Conflicting-Resource-Id") != held {
		t.Errorf("X-Conflicting-Resource-Id %q, want %s", conflict.header.Get("X-Conflicting-Resource-Id"), held)
	}
	if d := str(c.must(200, "GET", "/v2/ControlPlane/Configurations/"+cfgID, nil).m, "description"); d != "Support configuration" {
		t.Fatalf("description %q before the held update completed", d)
	}
	if err := srv.CompleteOperation(held); err != nil {
		t.Fatal(err)
	}
	if err := srv.CompleteOperation(held); err == nil {
		t.Error("completing a completed operation: no error")
	}
	if d := str(c.must(200, "GET", "/v2/ControlPlane/Configurations/"+cfgID, nil).m, "description"); d != "Held" {
		t.Fatalf("description %q after the update completed", d)
	}

	// FailOperation: FAILED with the RFC 9457 problem, nothing changed.
	r = c.must(202, "DELETE", "/v2/ControlPlane/Configurations/"+cfgID, nil)
	if err := srv.FailOperation(r.header.Get("Operation-Id"), conversationstest.Problem{Status: 409, Title: "Conflict", Detail: "in use"}); err != nil {
		t.Fatal(err)
	}
	op := c.must(200, "GET", "/v2/ControlPlane/Operations/"+r.header.Get("Operation-Id"), nil).m
	wantErr := map[string]any{
		"type": "https://www.twilio.com/docs/errors/409", "title": "Conflict", "status": 409.0, "detail": "in use",
		"instance": srv.URL + "/v2/ControlPlane/Operations/" + r.header.Get("Operation-Id"),
	}
	if str(op, "status") != "FAILED" || str(op, "completedAt") == "" || !reflect.DeepEqual(get(op, "error"), wantErr) {
		t.Fatalf("failed operation %v", op)
	}
	c.must(200, "GET", "/v2/ControlPlane/Configurations/"+cfgID, nil)

	// Plan Fail: every new operation fails with defaults filled in; a
	// failed create leaves no configuration behind.
	srv.SetAsyncPlan(conversationstest.AsyncPlan{Fail: &conversationstest.Problem{Detail: "backend down"}})
	r = c.must(202, "POST", "/v2/ControlPlane/Configurations", configBody("Doomed"))
	op = c.must(200, "GET", "/v2/ControlPlane/Operations/"+r.header.Get("Operation-Id"), nil).m
	if str(op, "status") != "FAILED" || num(op, "error.status") != 500 || str(op, "error.type") != "https://www.twilio.com/docs/errors/20500" ||
		str(op, "error.title") != "Internal Server Error" || str(op, "error.detail") != "backend down" {
		t.Fatalf("plan-failed operation %v", op)
	}
	c.wantError(c.do("GET", "/v2/ControlPlane/Configurations/"+str(r.m, "related.configurationId"), nil), 404, 20404, "not found")
	if n := len(list(c.must(200, "GET", "/v2/ControlPlane/Configurations", nil).m, "configurations")); n != 1 {
		t.Fatalf("%d configurations, want 1", n)
	}

	// Actions follow the plan too: held, then failed by the test.
	srv.SetAsyncPlan(conversationstest.AsyncPlan{Hold: true})
	conv := c.createConversation(cfgID, map[string]any{"participants": []any{
		map[string]any{"addresses": []any{map[string]any{"channel": "WHATSAPP", "address": "whatsapp:+18005550199"}}},
	}})
	convID := str(conv, "id")
	act := c.must(202, "POST", "/v2/Conversations/"+convID+"/Actions", map[string]any{"type": "SEND_MESSAGE", "payload": map[string]any{
		"from":    map[string]any{"address": "whatsapp:+18005550100", "channel": "WHATSAPP"},
		"to":      []any{map[string]any{"participantId": str(conv, "participants.0.id")}},
		"content": map[string]any{"contentId": "HX78e8e67abc123def456789012345678", "variables": map[string]any{"name": "Dana"}},
	}}).m
	actPath := "/v2/Conversations/" + convID + "/Actions/" + str(act, "id")
	if s := str(c.must(200, "GET", actPath, nil).m, "status"); s != "PENDING" {
		t.Fatalf("held action %s", s)
	}
	if err := srv.FailAction(str(act, "id"), "Could not find template"); err != nil {
		t.Fatal(err)
	}
	failed := c.must(200, "GET", actPath, nil).m
	if str(failed, "status") != "FAILED" || str(failed, "failureReason") != "Could not find template" || len(get(failed, "related").(map[string]any)) != 0 {
		t.Fatalf("failed action %v", failed)
	}
	if n := len(list(c.must(200, "GET", "/v2/Conversations/"+convID+"/Communications", nil).m, "communications")); n != 0 {
		t.Fatalf("a failed action left %d communications", n)
	}
	// CompleteAction delivers.
	act = c.must(202, "POST", "/v2/Conversations/"+convID+"/Actions", map[string]any{"type": "SEND_MESSAGE", "payload": map[string]any{
		"from":    map[string]any{"address": "whatsapp:+18005550100", "channel": "WHATSAPP"},
		"to":      []any{map[string]any{"address": "whatsapp:+18005550199", "channel": "WHATSAPP"}},
		"content": map[string]any{"text": "hi"},
	}}).m
	if err := srv.CompleteAction(str(act, "id")); err != nil {
		t.Fatal(err)
	}
	doneAct := c.must(200, "GET", "/v2/Conversations/"+convID+"/Actions/"+str(act, "id"), nil).m
	if str(doneAct, "status") != "COMPLETED" || str(doneAct, "related.communicationId") == "" {
		t.Fatalf("completed action %v", doneAct)
	}
	// An action is only found below its own conversation.
	other := c.createConversation(cfgID, nil)
	c.wantError(c.do("GET", "/v2/Conversations/"+str(other, "id")+"/Actions/"+str(act, "id"), nil), 404, 20404, "not found")

	// A held conversation delete: the conversation stays until it
	// completes, a second delete is 409 naming the operation, and the same
	// key replays the first answer.
	const delKey = "5c2d7e1a-0b3f-4a6c-9d8e-7f6a5b4c3d2e"
	op1 := c.must(202, "DELETE", "/v2/Conversations/"+convID, nil, "Idempotency-Key", delKey)
	c.must(200, "GET", "/v2/Conversations/"+convID, nil)
	if again := c.must(202, "DELETE", "/v2/Conversations/"+convID, nil, "Idempotency-Key", delKey); again.header.Get("Operation-Id") != op1.header.Get("Operation-Id") {
		t.Fatalf("replayed delete started operation %s, want %s", again.header.Get("Operation-Id"), op1.header.Get("Operation-Id"))
	}
	second := c.do("DELETE", "/v2/Conversations/"+convID, nil)
	c.wantError(second, 409, 409, "operation in progress")
	if second.header.Get("X-Conflicting-Resource-Id") != op1.header.Get("Operation-Id") {
		t.Errorf("X-Conflicting-Resource-Id %q", second.header.Get("X-Conflicting-Resource-Id"))
	}
	if err := srv.CompleteOperation(op1.header.Get("Operation-Id")); err != nil {
		t.Fatal(err)
	}
	c.wantError(c.do("GET", "/v2/Conversations/"+convID, nil), 404, 20404, convID)
	c.wantError(c.do("GET", actPath, nil), 404, 20404, "not found")
	if err := srv.CompleteAction("conv_action_00000000000000000000000000"); err == nil {
		t.Error("CompleteAction of an unknown action: no error")
	}
}

func TestV2Paging(t *testing.T) {
	_, c := newV2(t)
	cfgID := c.createConfig(configBody("Paging"))
	conv := c.createConversation(cfgID, nil)
	base := "/v2/Conversations/" + str(conv, "id") + "/Participants"
	var ids []string
	for i := 0; i < 8; i++ {
		p := c.must(201, "POST", base, map[string]any{"addresses": []any{
			map[string]any{"channel": "SMS", "address": fmt.Sprintf("+1800555%04d", i)},
		}}).m
		ids = append(ids, str(p, "id"))
	}
	var got []string
	var pages []map[string]any
	next := ""
	for {
		path := base + "?pageSize=3"
		if next != "" {
			path += "&pageToken=" + url.QueryEscape(next)
		}
		pg := c.must(200, "GET", path, nil).m
		pages = append(pages, pg)
		for _, it := range list(pg, "participants") {
			got = append(got, str(it, "id"))
		}
		if int(num(pg, "meta.pageSize")) != len(list(pg, "participants")) || str(pg, "meta.key") != "participants" {
			t.Fatalf("meta %v", pg["meta"])
		}
		next = str(pg, "meta.nextToken")
		if next == "" {
			break
		}
	}
	if len(pages) != 3 || !reflect.DeepEqual(got, ids) {
		t.Fatalf("%d pages, items %v, want %v", len(pages), got, ids)
	}
	if has(pages[0]["meta"].(map[string]any), "previousToken") || !has(pages[2]["meta"].(map[string]any), "previousToken") {
		t.Fatalf("previousToken on the first page or missing on the last: %v %v", pages[0]["meta"], pages[2]["meta"])
	}
	// previousToken of the last page gives the middle page back.
	back := c.must(200, "GET", base+"?pageSize=3&pageToken="+url.QueryEscape(str(pages[2], "meta.previousToken")), nil).m
	if !reflect.DeepEqual(list(back, "participants"), list(pages[1], "participants")) {
		t.Fatalf("previous page %v, want %v", back, pages[1])
	}
	// Default page size 50.
	if n := len(list(c.must(200, "GET", base, nil).m, "participants")); n != 8 {
		t.Fatalf("default page has %d items", n)
	}

	// A token is bound to its list: another list or filter rejects it.
	tok := str(pages[0], "meta.nextToken")
	c.wantError(c.do("GET", "/v2/Conversations?pageToken="+url.QueryEscape(tok), nil), 400, 400, "pageToken")
	c.wantError(c.do("GET", base+"?pageToken=garbage", nil), 400, 400, "pageToken")
	for _, size := range []string{"0", "1001", "x"} {
		c.wantError(c.do("GET", base+"?pageSize="+size, nil), 400, 400, "pageSize")
	}
	c.must(200, "GET", base+"?pageSize=1000", nil)
	// The PascalCase spellings twilio-go sends for later pages work too.
	if pg := c.must(200, "GET", base+"?PageSize=3&PageToken="+url.QueryEscape(tok), nil).m; !reflect.DeepEqual(list(pg, "participants"), list(pages[1], "participants")) {
		t.Fatalf("PageToken page %v, want %v", pg, pages[1])
	}
	c.wantError(c.do("GET", "/v2/Conversations?state=ACTIVE", nil), 400, 400, "state: unknown query parameter; this list takes pageSize, pageToken, status, channelId")

	// Conversations across three pages, with the status filter; deleting
	// the item a token points at does not break the walk.
	var convIDs []string
	for i := 0; i < 6; i++ {
		convIDs = append(convIDs, str(c.createConversation(cfgID, nil), "id"))
	}
	c.must(200, "PATCH", "/v2/Conversations/"+convIDs[4], map[string]any{"status": "CLOSED"})
	p1 := c.must(200, "GET", "/v2/Conversations?status=ACTIVE&pageSize=2", nil).m
	c.must(202, "DELETE", "/v2/Conversations/"+str(p1, "conversations.1.id"), nil)
	var walked []string
	for _, it := range list(p1, "conversations") {
		walked = append(walked, str(it, "id"))
	}
	for tok := str(p1, "meta.nextToken"); tok != ""; {
		pg := c.must(200, "GET", "/v2/Conversations?status=ACTIVE&pageSize=2&pageToken="+url.QueryEscape(tok), nil).m
		for _, it := range list(pg, "conversations") {
			walked = append(walked, str(it, "id"))
		}
		tok = str(pg, "meta.nextToken")
	}
	// conv (the first) and the six new ones except the CLOSED one.
	wantWalk := []string{str(conv, "id"), convIDs[0], convIDs[1], convIDs[2], convIDs[3], convIDs[5]}
	if !reflect.DeepEqual(walked, wantWalk) {
		t.Fatalf("walked %v, want %v", walked, wantWalk)
	}
	// A token carries its filters: alone it continues the filtered list
	// (what twilio-go does), with other filters it is refused.
	ftok := str(p1, "meta.nextToken")
	alone := c.must(200, "GET", "/v2/Conversations?pageSize=2&pageToken="+url.QueryEscape(ftok), nil).m
	same := c.must(200, "GET", "/v2/Conversations?status=ACTIVE&pageSize=2&pageToken="+url.QueryEscape(ftok), nil).m
	if !reflect.DeepEqual(alone, same) || len(list(alone, "conversations")) != 2 {
		t.Fatalf("token alone %v, with its filter %v", alone, same)
	}
	c.wantError(c.do("GET", "/v2/Conversations?status=CLOSED&pageToken="+url.QueryEscape(ftok), nil), 400, 400, "other filters")
	c.must(200, "GET", "/v2/Conversations?status=CLOSED&status=ACTIVE&pageSize=2&pageToken="+url.QueryEscape(tok2(c)), nil)
	c.wantError(c.do("GET", "/v2/Conversations?status=OPEN", nil), 400, 400, "status")
	c.wantError(c.do("GET", "/v2/ControlPlane/Configurations?memoryStoreId=store1", nil), 400, 400, "memoryStoreId")
	if n := len(list(c.must(200, "GET", "/v2/ControlPlane/Configurations?memoryStoreId="+v2MemStore, nil).m, "configurations")); n != 1 {
		t.Fatalf("memoryStoreId filter: %d", n)
	}
}

// tok2 returns a next token of the ACTIVE+CLOSED conversation list (the
// statuses in another order than the request that uses it).
func tok2(c *v2Client) string {
	return str(c.must(200, "GET", "/v2/Conversations?status=ACTIVE&status=CLOSED&pageSize=2", nil).m, "meta.nextToken")
}

func TestV2MergePatch(t *testing.T) {
	srv, c := newV2(t)
	body := configBody("Merge")
	body["channelSettings"].(map[string]any)["WHATSAPP"] = map[string]any{"statusTimeouts": map[string]any{"inactive": 5}}
	body["conversationsV1Bridge"] = map[string]any{"serviceId": conversationstest.DefaultServiceSID}
	body["intelligenceConfigurationIds"] = []any{"ic1", "ic2"}
	cfgID := c.createConfig(body)
	path := "/v2/ControlPlane/Configurations/" + cfgID

	// Omitted keys are kept; null removes; a channel key replaces or removes that channel only.
	c.must(202, "PATCH", path, map[string]any{
		"description":           "Patched",
		"statusCallbacks":       nil,
		"conversationsV1Bridge": nil,
		"channelSettings": map[string]any{
			"WHATSAPP": nil,
			"CHAT":     map[string]any{"captureRules": []any{map[string]any{"from": "*", "to": "*", "metadata": map[string]any{"chatService": "IS1"}}}},
		},
	})
	cfg := c.must(200, "GET", path, nil).m
	if str(cfg, "displayName") != "Merge" || str(cfg, "description") != "Patched" || len(list(cfg, "statusCallbacks")) != 0 ||
		has(cfg, "conversationsV1Bridge") || !reflect.DeepEqual(list(cfg, "intelligenceConfigurationIds"), []any{"ic1", "ic2"}) {
		t.Fatalf("after PATCH %v", cfg)
	}
	cs := get(cfg, "channelSettings").(map[string]any)
	if _, ok := cs["WHATSAPP"]; ok || cs["SMS"] == nil || str(cs, "CHAT.captureRules.0.metadata.chatService") != "IS1" {
		t.Fatalf("channelSettings after PATCH %v", cs)
	}
	// Required fields cannot be removed.
	for _, k := range []string{"displayName", "description", "memoryStoreId", "conversationGroupingType"} {
		c.wantError(c.do("PATCH", path, map[string]any{k: nil}), 400, 400, k)
	}
	// PUT replaces: optional fields omitted go back to their defaults; the
	// displayName PUT does not require is kept.
	c.must(202, "PUT", path, map[string]any{
		"description": "Put", "conversationGroupingType": "GROUP_BY_PROFILE", "memoryStoreId": v2MemStore,
		"channelSettings": map[string]any{},
	})
	cfg = c.must(200, "GET", path, nil).m
	if str(cfg, "displayName") != "Merge" || len(list(cfg, "intelligenceConfigurationIds")) != 0 || len(get(cfg, "channelSettings").(map[string]any)) != 0 {
		t.Fatalf("after PUT %v", cfg)
	}
	c.wantError(c.do("PUT", path, map[string]any{"description": "x", "conversationGroupingType": "GROUP_BY_PROFILE", "memoryStoreId": v2MemStore}), 400, 20001, "channelSettings")

	// Conversations: metadata merges key by key, null removes a key; name null removes the name.
	conv := c.createConversation(cfgID, map[string]any{"name": "n", "metadata": map[string]any{"a": "1", "b": "2"}})
	cpath := "/v2/Conversations/" + str(conv, "id")
	srv.Advance(time.Minute)
	pc := c.must(200, "PATCH", cpath, map[string]any{
		"name":          nil,
		"metadata":      map[string]any{"a": nil, "c": "3"},
		"configuration": map[string]any{"statusCallbacks": []any{map[string]any{"url": "https://hooks.example.com/c", "method": "GET"}}},
	}).m
	if get(pc, "name") != nil || !reflect.DeepEqual(get(pc, "metadata"), map[string]any{"b": "2", "c": "3"}) ||
		str(pc, "configuration.statusCallbacks.0.method") != "GET" || str(pc, "status") != "ACTIVE" ||
		str(pc, "updatedAt") == str(pc, "createdAt") {
		t.Fatalf("after conversation PATCH %v", pc)
	}
	pc = c.must(200, "PATCH", cpath, map[string]any{"configuration": map[string]any{"statusCallbacks": nil}}).m
	if len(list(pc, "configuration.statusCallbacks")) != 0 || !reflect.DeepEqual(get(pc, "metadata"), map[string]any{"b": "2", "c": "3"}) {
		t.Fatalf("after clearing callbacks %v", pc)
	}
	c.wantError(c.do("PATCH", cpath, map[string]any{"status": nil}), 400, 400, "status")
	many := map[string]any{}
	for i := 0; i < 7; i++ {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	c.wantError(c.do("PATCH", cpath, map[string]any{"metadata": many}), 400, 400, "maximum is 8")
	c.wantError(c.do("PUT", cpath, map[string]any{"name": "x"}), 400, 20001, "status")
	// Merge patch media type accepted for PATCH.
	c.must(200, "PATCH", cpath, `{"name":"m"}`, "Content-Type", "application/merge-patch+json")
}

func TestV2Errors(t *testing.T) {
	srv, c := newV2(t)
	cfgs := "/v2/ControlPlane/Configurations"

	// Authentication, routing, methods.
	req, _ := http.NewRequest("GET", srv.URL+cfgs, nil)
	req.SetBasicAuth(srv.AccountSID, "wrong")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(raw), `"code":20003`) {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, raw)
	}
	c.wantError(c.do("GET", "/v2/Nope", nil), 404, 20404, "/v2/Nope")
	c.wantError(c.do("DELETE", cfgs, nil), 405, 20004, "Method not allowed")
	c.wantError(c.do("GET", "/v2/ControlPlane/Operations/proc_job_01h9d8r0vte3hz8tykdj329t7r", nil), 404, 20404, "proc_job_")

	// Bodies.
	c.wantError(c.do("POST", cfgs, "{"), 400, 400, "not valid JSON")
	c.wantError(c.do("POST", cfgs, "[]"), 400, 400, "JSON object")
	c.wantError(c.do("POST", cfgs, `{"displayName":"x"}`, "Content-Type", "application/x-www-form-urlencoded"), 400, 400, "Content-Type")
	bad := func(mut func(map[string]any)) v2Resp {
		b := configBody("Errors")
		mut(b)
		return c.do("POST", cfgs, b)
	}
	c.wantError(bad(func(b map[string]any) { b["colour"] = "red" }), 400, 400, "colour: unknown field")
	c.wantError(bad(func(b map[string]any) { delete(b, "displayName") }), 400, 20001, "Missing required parameter displayName in the request body")
	c.wantError(bad(func(b map[string]any) { b["displayName"] = strings.Repeat("a", 33) }), 400, 400, "32 characters")
	c.wantError(bad(func(b map[string]any) { b["displayName"] = "bad/name" }), 400, 400, "displayName")
	c.wantError(bad(func(b map[string]any) { b["displayName"] = 7 }), 400, 400, "must be a string")
	c.wantError(bad(func(b map[string]any) { b["conversationGroupingType"] = "GROUP" }), 400, 400, "conversationGroupingType")
	c.wantError(bad(func(b map[string]any) {
		b["statusCallbacks"] = []any{map[string]any{"url": "https://a.example"}, map[string]any{"url": "https://b.example"}, map[string]any{"url": "https://c.example"}}
	}), 400, 400, "maximum is 2")
	c.wantError(bad(func(b map[string]any) { b["statusCallbacks"] = []any{map[string]any{"url": "relative"}} }), 400, 400, "statusCallbacks[0].url")
	c.wantError(bad(func(b map[string]any) { b["intelligenceConfigurationIds"] = []any{"1", "2", "3", "4", "5", "6"} }), 400, 400, "maximum is 5")
	c.wantError(bad(func(b map[string]any) { b["channelSettings"] = map[string]any{"FAX": map[string]any{}} }), 400, 400, "channelSettings.FAX")
	c.wantError(bad(func(b map[string]any) {
		b["channelSettings"] = map[string]any{"SMS": map[string]any{"statusTimeouts": map[string]any{"inactive": 0}}}
	}), 400, 400, "channelSettings.SMS.statusTimeouts.inactive: must be at least 1")
	c.wantError(bad(func(b map[string]any) {
		b["conversationsV1Bridge"] = map[string]any{"serviceId": "IS" + strings.Repeat("a", 32)}
	}), 400, 400, "no Conversation Service")
	c.wantError(bad(func(b map[string]any) { b["conversationsV1Bridge"] = map[string]any{"serviceId": "ISX"} }), 400, 400, "serviceId")
	c.wantError(bad(func(b map[string]any) { b["conversationsV1Bridge"] = map[string]any{} }), 400, 20001, "conversationsV1Bridge.serviceId")
	// An empty serviceId is no bridge (what twilio-go sends when none is set).
	noBridge := configBody("NoBridge")
	noBridge["conversationsV1Bridge"] = map[string]any{"serviceId": ""}
	if cfg := c.must(200, "GET", "/v2/ControlPlane/Configurations/"+c.createConfig(noBridge), nil).m; has(cfg, "conversationsV1Bridge") {
		t.Fatalf("empty serviceId made a bridge: %v", cfg)
	}

	// One configuration per Conversation Service: 409 naming the owner.
	withBridge := configBody("Bridged")
	withBridge["conversationsV1Bridge"] = map[string]any{"serviceId": conversationstest.DefaultServiceSID}
	owner := c.createConfig(withBridge)
	r := c.do("POST", cfgs, withBridge)
	c.wantError(r, 409, 409, "already bridged")
	if r.header.Get("X-Conflicting-Resource-Id") != owner {
		t.Errorf("X-Conflicting-Resource-Id %q, want %s", r.header.Get("X-Conflicting-Resource-Id"), owner)
	}

	// Conversations and their children.
	c.wantError(c.do("POST", "/v2/Conversations", map[string]any{"configurationId": "conv_configuration_00000000000000000000000001"}), 404, 20404, "conv_configuration_00000000000000000000000001")
	c.wantError(c.do("POST", "/v2/Conversations", map[string]any{}), 400, 20001, "configurationId")
	tooMany := make([]any, 51)
	for i := range tooMany {
		tooMany[i] = map[string]any{}
	}
	c.wantError(c.do("POST", "/v2/Conversations", map[string]any{"configurationId": owner, "participants": tooMany}), 400, 400, "maximum is 50")
	c.wantError(c.do("POST", "/v2/Conversations", map[string]any{"configurationId": owner, "metadata": map[string]any{"bad key": "v"}}), 400, 400, "metadata.bad key")
	conv := c.createConversation(owner, nil)
	cp := "/v2/Conversations/" + str(conv, "id")
	p := c.must(201, "POST", cp+"/Participants", map[string]any{"addresses": []any{
		map[string]any{"channel": "SMS", "address": "+18005550100"},
		map[string]any{"channel": "WHATSAPP", "address": "whatsapp:+18005550100"},
	}}).m
	r = c.do("POST", cp+"/Participants", map[string]any{"addresses": []any{map[string]any{"channel": "SMS", "address": "+18005550100"}}})
	c.wantError(r, 409, 409, "already has the address")
	if r.header.Get("X-Conflicting-Resource-Id") != str(p, "id") {
		t.Errorf("X-Conflicting-Resource-Id %q", r.header.Get("X-Conflicting-Resource-Id"))
	}
	c.wantError(c.do("POST", cp+"/Participants", map[string]any{}), 400, 20001, "addresses")
	c.wantError(c.do("POST", cp+"/Participants", map[string]any{"addresses": []any{map[string]any{"channel": "PIGEON", "address": "x"}}}), 400, 400, "addresses[0].channel")
	c.wantError(c.do("PUT", cp+"/Participants/conv_participant_00000000000000000000000001", map[string]any{}), 404, 20404, "not found")
	c.wantError(c.do("POST", cp+"/Communications", map[string]any{
		"author": map[string]any{"address": "a", "channel": "CHAT"}, "content": map[string]any{"type": "TEXT", "text": "x"}, "recipients": []any{},
	}), 400, 400, "recipients: must have at least 1")
	c.wantError(c.do("POST", cp+"/Communications", map[string]any{
		"author": map[string]any{"address": "a", "channel": "CHAT"}, "content": map[string]any{"type": "HTML", "text": "x"},
		"recipients": []any{map[string]any{"address": "b", "channel": "CHAT"}},
	}), 400, 400, "content.type")
	c.wantError(c.do("POST", cp+"/Communications", map[string]any{
		"author": map[string]any{"address": "a", "channel": "CHAT", "participantId": "conv_participant_00000000000000000000000009"}, "content": map[string]any{"type": "TEXT", "text": "x"},
		"recipients": []any{map[string]any{"address": "b", "channel": "CHAT"}},
	}), 400, 400, "author.participantId")
	textWith := func(tr map[string]any) v2Resp {
		return c.do("POST", cp+"/Communications", map[string]any{
			"author": map[string]any{"address": "a", "channel": "CHAT"}, "content": map[string]any{"type": "TEXT", "text": "x", "transcription": tr},
			"recipients": []any{map[string]any{"address": "b", "channel": "CHAT"}},
		})
	}
	if r := textWith(map[string]any{}); r.status != 201 || has(r.m["content"].(map[string]any), "transcription") {
		t.Fatalf("TEXT with an empty transcription (as twilio-go sends): %d %s", r.status, r.body)
	}
	c.wantError(textWith(map[string]any{"engine": "e"}), 400, 400, "content.transcription: is only for TRANSCRIPTION content")
	send := func(from, to any, content any) v2Resp {
		return c.do("POST", cp+"/Actions", map[string]any{"type": "SEND_MESSAGE", "payload": map[string]any{"from": from, "to": []any{to}, "content": content}})
	}
	text := map[string]any{"text": "hi"}
	agent := map[string]any{"address": "+18005550111", "channel": "SMS"}
	c.wantError(send(agent, map[string]any{"participantId": str(p, "id")}, text), 400, 400, "has 2 addresses")
	c.wantError(send(agent, map[string]any{"address": "+1", "channel": "VOICE"}, text), 400, 400, "receive-only")
	c.wantError(send(agent, map[string]any{"address": "+1"}, text), 400, 400, "channel: is required with address")
	c.wantError(send(agent, map[string]any{"participantId": str(p, "id"), "channel": "SMS"}, map[string]any{}), 400, 400, "needs text, contentId or mediaUrls")
	c.wantError(c.do("POST", cp+"/Actions", map[string]any{"type": "START_FLOW", "payload": map[string]any{}}), 400, 400, "type")
	c.must(202, "POST", cp+"/Actions", map[string]any{"type": "SEND_MESSAGE", "payload": map[string]any{
		"from": agent, "to": []any{map[string]any{"participantId": str(p, "id"), "channel": "WHATSAPP"}}, "content": text,
		"channelSettings": map[string]any{"messagingServiceSid": "MG00000000000000000000000000000000"},
	}})
	// Communications with the same resourceId update the first one.
	comm := func(text string) map[string]any {
		return c.must(201, "POST", cp+"/Communications", map[string]any{
			"author": map[string]any{"address": "+18005550100", "channel": "SMS"}, "content": map[string]any{"type": "TRANSCRIPTION", "text": text,
				"transcription": map[string]any{"channel": 0, "confidence": 0.9, "engine": "twilio"}},
			"recipients": []any{map[string]any{"address": "+18005550111", "channel": "SMS"}}, "resourceId": "GT1-0",
			"occurredAt": "2026-01-02T03:04:05Z",
		}).m
	}
	first, second := comm("hello"), comm("hello there")
	if str(first, "id") != str(second, "id") || str(second, "content.text") != "hello there" || str(second, "occurredAt") != "2026-01-02T03:04:05Z" ||
		num(second, "content.transcription.confidence") != 0.9 {
		t.Fatalf("resourceId upsert: %v then %v", first, second)
	}
	if n := len(list(c.must(200, "GET", cp+"/Communications", nil).m, "communications")); n != 3 {
		t.Fatalf("%d communications, want 3 (the TEXT one, the action's and the upserted one)", n)
	}
}

func TestV2ClassicBridge(t *testing.T) {
	srv, c := newV2(t)
	v1 := func(path string, form url.Values) map[string]any {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		if resp.StatusCode != 201 {
			t.Fatalf("v1 POST %s: %d %v", path, resp.StatusCode, m)
		}
		return m
	}
	ch := v1("/v1/Conversations", url.Values{"FriendlyName": {"Classic chat"}})
	chSID := str(ch, "sid")
	alice := v1("/v1/Conversations/"+chSID+"/Participants", url.Values{"Identity": {"alice"}})
	v1("/v1/Conversations/"+chSID+"/Participants", url.Values{"MessagingBinding.Address": {"+15005550006"}, "MessagingBinding.ProxyAddress": {"+15005550001"}})
	v1("/v1/Conversations/"+chSID+"/Messages", url.Values{"Author": {"alice"}, "Body": {"Hello from classic"}})

	// Not bridged yet: v2 sees nothing.
	if n := len(list(c.must(200, "GET", "/v2/Conversations", nil).m, "conversations")); n != 0 {
		t.Fatalf("%d v2 conversations before the bridge", n)
	}
	body := configBody("Bridge")
	body["conversationsV1Bridge"] = map[string]any{"serviceId": srv.DefaultServiceSID()}
	cfgID := c.createConfig(body)

	convs := list(c.must(200, "GET", "/v2/Conversations", nil).m, "conversations")
	if len(convs) != 1 {
		t.Fatalf("%d mirrored conversations, want 1", len(convs))
	}
	conv := convs[0].(map[string]any)
	if str(conv, "configurationId") != cfgID || str(conv, "name") != "Classic chat" || len(list(conv, "participants")) != 2 {
		t.Fatalf("mirror %v", conv)
	}
	if str(conv, "participants.0.addresses.0.channel") != "CHAT" || str(conv, "participants.0.addresses.0.address") != "alice" ||
		str(conv, "participants.1.type") != "CUSTOMER" || str(conv, "participants.1.addresses.0.address") != "+15005550006" {
		t.Fatalf("mirrored participants %v", list(conv, "participants"))
	}
	cp := "/v2/Conversations/" + str(conv, "id") + "/Communications"
	comms := list(c.must(200, "GET", cp, nil).m, "communications")
	if len(comms) != 1 || str(comms[0], "content.text") != "Hello from classic" || str(comms[0], "author.address") != "alice" ||
		str(comms[0], "author.participantId") != str(conv, "participants.0.id") || !strings.HasPrefix(str(comms[0], "resourceId"), "IM") ||
		str(comms[0], "recipients.0.address") != "+15005550006" {
		t.Fatalf("mirrored communications %v", comms)
	}
	_ = alice

	// New classic messages follow; a v2 delete of the mirror sticks.
	v1("/v1/Conversations/"+chSID+"/Messages", url.Values{"Author": {"alice"}, "Body": {"Second"}})
	if comms = list(c.must(200, "GET", cp, nil).m, "communications"); len(comms) != 2 || str(comms[1], "content.text") != "Second" {
		t.Fatalf("after a second classic message %v", comms)
	}
	// v2 traffic in the mirror reaches the classic conversation, once.
	c.must(201, "POST", cp, map[string]any{
		"author":     map[string]any{"address": "+15005550006", "channel": "SMS"},
		"content":    map[string]any{"type": "TEXT", "text": "Reply through v2"},
		"recipients": []any{map[string]any{"address": "alice", "channel": "CHAT"}},
	})
	msgs := v1Get(t, srv, "/v1/Conversations/"+chSID+"/Messages")
	if n := len(list(msgs, "messages")); n != 3 || str(msgs, "messages.2.body") != "Reply through v2" || str(msgs, "messages.2.author") != "+15005550006" {
		t.Fatalf("classic messages %v", msgs)
	}
	if comms = list(c.must(200, "GET", cp, nil).m, "communications"); len(comms) != 3 {
		t.Fatalf("the v2 message came back from classic: %d communications", len(comms))
	}
	c.must(202, "POST", "/v2/Conversations/"+str(conv, "id")+"/Actions", map[string]any{"type": "SEND_MESSAGE", "payload": map[string]any{
		"from": map[string]any{"participantId": str(conv, "participants.0.id")}, "to": []any{map[string]any{"participantId": str(conv, "participants.1.id")}},
		"content": map[string]any{"text": "Action through v2"},
	}})
	msgs = v1Get(t, srv, "/v1/Conversations/"+chSID+"/Messages")
	if n := len(list(msgs, "messages")); n != 4 || str(msgs, "messages.3.body") != "Action through v2" || str(msgs, "messages.3.author") != "alice" {
		t.Fatalf("classic messages after the action %v", msgs)
	}

	// Traffic after the mirror was CLOSED starts a new v2 conversation.
	c.must(200, "PATCH", "/v2/Conversations/"+str(conv, "id"), map[string]any{"status": "CLOSED"})
	v1("/v1/Conversations/"+chSID+"/Messages", url.Values{"Author": {"alice"}, "Body": {"After close"}})
	convs = list(c.must(200, "GET", "/v2/Conversations", nil).m, "conversations")
	if len(convs) != 2 || str(convs[1], "status") != "ACTIVE" || len(list(convs[1], "participants")) != 2 {
		t.Fatalf("after a message to a CLOSED mirror %v", convs)
	}
	fresh := str(convs[1], "id")
	if comms = list(c.must(200, "GET", "/v2/Conversations/"+fresh+"/Communications", nil).m, "communications"); len(comms) != 1 || str(comms[0], "content.text") != "After close" {
		t.Fatalf("new mirror communications %v", comms)
	}
	if n := len(list(c.must(200, "GET", cp, nil).m, "communications")); n != 4 {
		t.Fatalf("the CLOSED mirror changed: %d communications", n)
	}
	c.must(202, "DELETE", "/v2/Conversations/"+fresh, nil)
	v1("/v1/Conversations/"+chSID+"/Messages", url.Values{"Author": {"alice"}, "Body": {"Third"}})
	if n := len(list(c.must(200, "GET", "/v2/Conversations", nil).m, "conversations")); n != 1 {
		t.Fatalf("the deleted mirror came back: %d conversations", n)
	}
	// A classic conversation created later is mirrored too.
	v1("/v1/Conversations", url.Values{"UniqueName": {"later"}})
	convs = list(c.must(200, "GET", "/v2/Conversations", nil).m, "conversations")
	if len(convs) != 2 || str(convs[1], "name") != "later" {
		t.Fatalf("later classic conversation %v", convs)
	}
}

func TestV2RecordsAndFaults(t *testing.T) {
	srv, c := newV2(t)
	srv.RateLimitNext(1, "GET", "/v2/Conversations", 2*time.Second)
	r := c.do("GET", "/v2/Conversations", nil)
	c.wantError(r, 429, 20429, "Too Many Requests")
	if r.header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	c.must(200, "GET", "/v2/Conversations", nil)
	c.createConfig(configBody("Rec"), "Idempotency-Key", "99999999-8888-4777-8666-555555555555")
	last, ok := srv.LastRequest()
	if !ok || last.Method != "POST" || last.Path != "/v2/ControlPlane/Configurations" || last.Header.Get("Idempotency-Key") == "" ||
		!strings.Contains(last.Body, `"displayName":"Rec"`) {
		t.Fatalf("recorded %+v", last)
	}
	srv.Reset()
	if n := len(list(c.must(200, "GET", "/v2/ControlPlane/Configurations", nil).m, "configurations")); n != 0 {
		t.Fatalf("%d configurations after Reset", n)
	}
}

func TestV2Lifecycle(t *testing.T) {
	srv, c := newV2(t, conversationstest.WithManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)))
	cfgID := c.createConfig(configBody("Timers")) // SMS: inactive 10 min, closed 15 min
	conv := c.createConversation(cfgID, nil)
	cp := "/v2/Conversations/" + str(conv, "id")
	sms := func() v2Resp {
		return c.do("POST", cp+"/Communications", map[string]any{
			"author": map[string]any{"address": "+18005550199", "channel": "SMS"}, "content": map[string]any{"type": "TEXT", "text": "hi"},
			"recipients": []any{map[string]any{"address": "+18005550100", "channel": "SMS"}},
		})
	}
	status := func() string { return str(c.must(200, "GET", cp, nil).m, "status") }

	// No communication yet: no timers.
	srv.Advance(time.Hour)
	if s := status(); s != "ACTIVE" {
		t.Fatalf("without communications: %s", s)
	}
	if r := sms(); r.status != 201 {
		t.Fatalf("communication: %d %s", r.status, r.body)
	}
	sent := srv.Now()
	srv.Advance(9*time.Minute + 59*time.Second)
	if s := status(); s != "ACTIVE" {
		t.Fatalf("before the inactive timeout: %s", s)
	}
	srv.Advance(time.Second)
	got := c.must(200, "GET", cp, nil).m
	if str(got, "status") != "INACTIVE" || str(got, "updatedAt") != sent.Add(10*time.Minute).Format(time.RFC3339) {
		t.Fatalf("after the inactive timeout: %v", got)
	}
	if l := c.must(200, "GET", "/v2/Conversations?status=INACTIVE", nil).m; len(list(l, "conversations")) != 1 {
		t.Fatalf("INACTIVE list %v", l)
	}
	// New traffic reactivates; both timers count from it.
	sms()
	if s := status(); s != "ACTIVE" {
		t.Fatalf("after new traffic: %s", s)
	}
	srv.Advance(15 * time.Minute)
	if s := status(); s != "CLOSED" {
		t.Fatalf("after the closed timeout: %s", s)
	}
	// CLOSED is final.
	c.wantError(sms(), 400, 400, "is CLOSED")
	c.wantError(c.do("PATCH", cp, map[string]any{"status": "ACTIVE"}), 400, 400, "cannot be reopened")
	c.wantError(c.do("POST", cp+"/Participants", map[string]any{"addresses": []any{}}), 400, 400, "is CLOSED")
	c.must(200, "PATCH", cp, map[string]any{"name": "archived"})

	// Closing by hand bypasses INACTIVE.
	conv2 := c.createConversation(cfgID, nil)
	if s := str(c.must(200, "PATCH", "/v2/Conversations/"+str(conv2, "id"), map[string]any{"status": "CLOSED"}).m, "status"); s != "CLOSED" {
		t.Fatalf("closed by hand: %s", s)
	}
}

// mutations returns copies of v with one value replaced by each of a set
// of wrong values, or removed, at every position of the tree.
func mutations(v any) []any {
	wrong := []any{nil, 7, -1, "x", "", true, []any{}, map[string]any{}, []any{1}, strings.Repeat("y", 600)}
	var out []any
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedMapKeys(t) {
			cp := func() map[string]any {
				m := make(map[string]any, len(t))
				for k2, v2 := range t {
					m[k2] = v2
				}
				return m
			}
			m := cp()
			delete(m, k)
			out = append(out, m)
			for _, w := range wrong {
				m := cp()
				m[k] = w
				out = append(out, m)
			}
			for _, sub := range mutations(t[k]) {
				m := cp()
				m[k] = sub
				out = append(out, m)
			}
		}
	case []any:
		for i := range t {
			for _, sub := range mutations(t[i]) {
				cp := append([]any(nil), t...)
				cp[i] = sub
				out = append(out, cp)
			}
		}
	}
	return out
}

// Every write, with every field of a valid body made wrong or removed in
// turn, answers a 2xx or a 4xx in Twilio's shape, never a 5xx, and every
// answer matches the spec.
func TestV2MutatedBodiesNever5xx(t *testing.T) {
	_, c := newV2(t)
	cfgID := c.createConfig(configBody("Mutations"))
	conv := c.createConversation(cfgID, map[string]any{"participants": []any{map[string]any{
		"addresses": []any{map[string]any{"channel": "SMS", "address": "+18005550199"}},
	}}})
	cp := "/v2/Conversations/" + str(conv, "id")
	partID := str(conv, "participants.0.id")
	withBridge := configBody("Bridged")
	withBridge["conversationsV1Bridge"] = map[string]any{"serviceId": conversationstest.DefaultServiceSID}
	withBridge["intelligenceConfigurationIds"] = []any{"ic"}
	cases := []struct {
		method, path string
		body         map[string]any
	}{
		{"POST", "/v2/ControlPlane/Configurations", withBridge},
		{"PUT", "/v2/ControlPlane/Configurations/" + cfgID, configBody("Put")},
		{"PATCH", "/v2/ControlPlane/Configurations/" + cfgID, configBody("Patch")},
		{"POST", "/v2/Conversations", map[string]any{"configurationId": cfgID, "name": "n", "metadata": map[string]any{"k": "v"},
			"configuration": map[string]any{"intelligenceConfigurationIds": []any{"a"}, "workflows": []any{map[string]any{"flowId": "FW00000000000000000000000000000000"}}},
			"participants":  []any{map[string]any{"name": "n", "type": "CUSTOMER", "profileId": "p", "addresses": []any{map[string]any{"channel": "SMS", "address": "+1", "channelId": "SM1"}}}}}},
		{"PUT", cp, map[string]any{"name": "n", "status": "ACTIVE", "metadata": map[string]any{"k": "v"}}},
		{"PATCH", cp, map[string]any{"name": "n", "status": "ACTIVE", "metadata": map[string]any{"k": "v"},
			"configuration": map[string]any{"statusCallbacks": []any{map[string]any{"url": "https://h.example", "method": "GET"}}}}},
		{"POST", cp + "/Participants", map[string]any{"name": "n", "type": "AGENT", "profileId": "p", "addresses": []any{map[string]any{"channel": "CHAT", "address": "agent", "channelId": "c"}}}},
		{"PUT", cp + "/Participants/" + partID, map[string]any{"name": "n", "type": "CUSTOMER", "addresses": []any{map[string]any{"channel": "SMS", "address": "+18005550199"}}}},
		{"POST", cp + "/Communications", map[string]any{
			"author":    map[string]any{"address": "+18005550199", "channel": "SMS", "participantId": partID},
			"content":   map[string]any{"type": "TRANSCRIPTION", "text": "t", "transcription": map[string]any{"channel": 1, "confidence": 0.5, "engine": "e", "words": []any{map[string]any{"text": "t", "startTime": "2026-01-01T00:00:00Z"}}}},
			"channelId": "CA1", "resourceId": "GT1", "occurredAt": "2026-01-01T00:00:00Z",
			"recipients": []any{map[string]any{"address": "+18005550100", "channel": "SMS"}}}},
		{"POST", cp + "/Actions", map[string]any{"type": "SEND_MESSAGE", "payload": map[string]any{
			"from":            map[string]any{"address": "+18005550100", "channel": "SMS"},
			"to":              []any{map[string]any{"participantId": partID, "channel": "SMS"}},
			"content":         map[string]any{"text": "t", "contentId": "HX1", "variables": map[string]any{"a": "b"}, "mediaUrls": []any{"https://m.example/a.png"}},
			"channelSettings": map[string]any{"x": 1}}}},
	}
	n := 0
	for _, tc := range cases {
		if r := c.do(tc.method, tc.path, tc.body); r.status >= 300 {
			t.Fatalf("the valid body of %s %s: %d %s", tc.method, tc.path, r.status, r.body)
		}
		for _, m := range mutations(tc.body) {
			r := c.do(tc.method, tc.path, m)
			n++
			if r.status >= 500 {
				b, _ := json.Marshal(m)
				t.Fatalf("%s %s %s: %d %s", tc.method, tc.path, b, r.status, r.body)
			}
		}
	}
	t.Logf("%d mutated requests", n)
}

// v1Get reads a classic resource of the fake.
func v1Get(t *testing.T, srv *conversationstest.Server, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return m
}
