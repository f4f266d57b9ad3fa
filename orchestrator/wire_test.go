package orchestrator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorded is one request the test server received.
type recorded struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// stub is one canned answer.
type stub struct {
	status int
	header map[string]string
	body   string
}

// recorder is an httptest server that records requests and answers with
// the stubs that answer returns.
type recorder struct {
	mu     sync.Mutex
	reqs   []recorded
	answer func(n int, r recorded) stub
	srv    *httptest.Server
}

func newRecorder(t *testing.T, answer func(n int, r recorded) stub) *recorder {
	rec := &recorder{answer: answer}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rr := recorded{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(), body: b}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, rr)
		n := len(rec.reqs)
		rec.mu.Unlock()
		s := rec.answer(n, rr)
		for k, v := range s.header {
			w.Header().Set(k, v)
		}
		if s.body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(s.status)
		_, _ = io.WriteString(w, s.body)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// specResponse returns the spec's example of an operation's success body;
// for a list, an envelope with the item example and a meta block.
func specResponse(t *testing.T, opID string) (int, string) {
	t.Helper()
	doc := loadSpec(t)
	for _, item := range doc["paths"].(map[string]any) {
		for _, o := range item.(map[string]any) {
			op, ok := o.(map[string]any)
			if !ok || op["operationId"] != opID {
				continue
			}
			for code, r := range op["responses"].(map[string]any) {
				if code[0] != '2' {
					continue
				}
				s := r.(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
				status := map[string]int{"200": 200, "201": 201, "202": 202}[code]
				if strings.HasPrefix(opID, "List") {
					for k, v := range s["properties"].(map[string]any) {
						if k == "meta" {
							continue
						}
						env := map[string]any{k: []any{v.(map[string]any)["items"].(map[string]any)["example"]},
							"meta": map[string]any{"key": k, "pageSize": 1}}
						b, _ := json.Marshal(env)
						return status, string(b)
					}
				}
				b, _ := json.Marshal(s["example"])
				return status, string(b)
			}
		}
	}
	t.Fatalf("no operation %s", opID)
	return 0, ""
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// jsonEqual compares two JSON documents semantically.
func jsonEqual(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Errorf("%s: body %s, want none", what, got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: body %q is not JSON: %v", what, got, err)
		return
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad want %q: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: body\n got %s\nwant %s", what, got, want)
	}
}

const (
	confID = "conv_configuration_00000000000000000000000001"
	convID = "conv_conversation_00000000000000000000000001"
	partID = "conv_participant_00000000000000000000000001"
	commID = "conv_communication_00000000000000000000000001"
	actID  = "conv_action_00000000000000000000000000"
	opID   = "proc_job_01h9d8r0vte3hz8tykdj329t7r"
	memID  = "mem_store_01k1etk2y5f1y9fpe2epfdtvv2"
)

type wireCase struct {
	op         string // operationId
	call       func(ctx context.Context, c *Client) (any, error)
	method     string
	path       string
	query      string
	body       string // expected JSON body, "" for none
	idempotent bool   // sends a UUIDv4 Idempotency-Key
}

func wireCases() []wireCase {
	bridge := &ConversationsV1Bridge{ServiceID: "IS0123456789abcdef0123456789abcdef"}
	return []wireCase{
		{op: "ListConfiguration", method: "GET", path: "/v2/ControlPlane/Configurations", query: "pageSize=10&memoryStoreId=" + memID,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Configurations.List(ctx, &ConfigurationListParams{MemoryStoreID: memID, PageSize: 10})
			}},
		{op: "CreateConfiguration", method: "POST", path: "/v2/ControlPlane/Configurations", idempotent: true,
			body: `{"displayName":"Support Config","description":"Inbound support","conversationGroupingType":"GROUP_BY_PROFILE","memoryStoreId":"` + memID + `",
			"channelSettings":{"SMS":{"statusTimeouts":{"inactive":10,"closed":15},"captureRules":[{"from":"+18005550100","to":"*"}]}},
			"statusCallbacks":[{"url":"https://example.com/cb","method":"POST"}],"intelligenceConfigurationIds":["intel_1"],"memoryExtractionEnabled":true,
			"conversationsV1Bridge":{"serviceId":"IS0123456789abcdef0123456789abcdef"}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Configurations.Create(ctx, &ConfigurationCreateParams{
					DisplayName: "Support Config", Description: "Inbound support", ConversationGroupingType: GroupByProfile, MemoryStoreID: memID,
					ChannelSettings: map[Channel]ChannelSetting{ChannelSMS: {StatusTimeouts: &StatusTimeouts{Inactive: 10, Closed: 15},
						CaptureRules: []CaptureRule{{From: "+18005550100", To: "*"}}}},
					StatusCallbacks:              []StatusCallback{{URL: "https://example.com/cb", Method: CallbackMethodPOST}},
					IntelligenceConfigurationIDs: []string{"intel_1"}, MemoryExtractionEnabled: true, ConversationsV1Bridge: bridge,
				})
			}},
		{op: "FetchConfiguration", method: "GET", path: "/v2/ControlPlane/Configurations/" + confID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Configurations.Fetch(ctx, confID) }},
		{op: "UpdateConfiguration", method: "PUT", path: "/v2/ControlPlane/Configurations/" + confID, idempotent: true,
			body: `{"description":"Replaced","conversationGroupingType":"GROUP_BY_PARTICIPANT_ADDRESSES","memoryStoreId":"` + memID + `","channelSettings":{}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Configurations.Update(ctx, confID, &ConfigurationUpdateParams{Description: "Replaced",
					ConversationGroupingType: GroupByParticipantAddresses, MemoryStoreID: memID})
			}},
		{op: "PatchConfiguration", method: "PATCH", path: "/v2/ControlPlane/Configurations/" + confID, idempotent: true,
			body: `{"displayName":"Renamed","memoryStoreId":null,"channelSettings":{"VOICE":null,"SMS":{"captureRules":[{"from":"*","to":"+18005550100"}]}},
			"statusCallbacks":null,"memoryExtractionEnabled":false,"conversationsV1Bridge":null}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Configurations.Patch(ctx, confID, &ConfigurationPatchParams{
					DisplayName: Set("Renamed"), MemoryStoreID: Null[string](),
					ChannelSettings: map[Channel]*ChannelSetting{ChannelVoice: nil,
						ChannelSMS: {CaptureRules: []CaptureRule{{From: "*", To: "+18005550100"}}}},
					StatusCallbacks: Null[[]StatusCallback](), MemoryExtractionEnabled: Set(false),
					ConversationsV1Bridge: Null[ConversationsV1Bridge](),
				})
			}},
		{op: "DeleteConfiguration", method: "DELETE", path: "/v2/ControlPlane/Configurations/" + confID, idempotent: true,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Configurations.Delete(ctx, confID) }},
		{op: "ListConversationByAccount", method: "GET", path: "/v2/Conversations", query: "status=ACTIVE&status=INACTIVE&channelId=SM123&pageSize=5",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Conversations.List(ctx, &ConversationListParams{Status: []ConversationStatus{ConversationStatusActive, ConversationStatusInactive},
					ChannelID: "SM123", PageSize: 5})
			}},
		{op: "CreateConversationWithConfig", method: "POST", path: "/v2/Conversations",
			body: `{"configurationId":"` + confID + `","name":"Support","configuration":{"intelligenceConfigurationIds":["intel_1"]},
			"participants":[{"name":"Dana","type":"CUSTOMER","addresses":[{"channel":"SMS","address":"+18005550100"}]}],"metadata":{"ticket":"T-1"}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Conversations.Create(ctx, &ConversationCreateParams{ConfigurationID: confID, Name: "Support",
					Configuration: &ConversationConfigurationParams{IntelligenceConfigurationIDs: []string{"intel_1"}},
					Participants: []ParticipantParams{{Name: "Dana", Type: ParticipantTypeCustomer,
						Addresses: []Address{{Channel: ChannelSMS, Address: "+18005550100"}}}},
					Metadata: map[string]string{"ticket": "T-1"}})
			}},
		{op: "FetchConversation", method: "GET", path: "/v2/Conversations/" + convID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Conversations.Fetch(ctx, convID) }},
		{op: "UpdateConversationById", method: "PUT", path: "/v2/Conversations/" + convID,
			body: `{"name":"Renamed","status":"CLOSED","metadata":{"a":"b"}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Conversations.Update(ctx, convID, &ConversationUpdateParams{Name: "Renamed", Status: ConversationStatusClosed,
					Metadata: map[string]string{"a": "b"}})
			}},
		{op: "PatchConversationById", method: "PATCH", path: "/v2/Conversations/" + convID,
			body: `{"name":null,"status":"INACTIVE","configuration":{"statusCallbacks":[]},"metadata":{"keep.me":"v","drop_me":null}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Conversations.Patch(ctx, convID, &ConversationPatchParams{Name: Null[string](), Status: ConversationStatusInactive,
					Configuration: &ConversationConfigurationPatch{StatusCallbacks: Set([]StatusCallback{})},
					Metadata:      map[string]*string{"keep.me": ptr("v"), "drop_me": nil}})
			}},
		{op: "DeleteConversationAsync", method: "DELETE", path: "/v2/Conversations/" + convID, idempotent: true,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Conversations.Delete(ctx, convID) }},
		{op: "CreateConversationAction", method: "POST", path: "/v2/Conversations/" + convID + "/Actions",
			body: `{"type":"SEND_MESSAGE","payload":{"from":{"address":"+18005550100","channel":"SMS"},"to":[{"participantId":"` + partID + `"}],
			"content":{"text":"Hello","mediaUrls":["https://example.com/a.png"]},"channelSettings":{"messagingServiceSid":"MG1"}}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Actions.Create(ctx, convID, &ActionCreateParams{Type: ActionTypeSendMessage, Payload: SendMessagePayload{
					From:            MessageParticipant{Address: "+18005550100", Channel: ChannelSMS},
					To:              []MessageParticipant{{ParticipantID: partID}},
					Content:         MessageContent{Text: "Hello", MediaURLs: []string{"https://example.com/a.png"}},
					ChannelSettings: map[string]any{"messagingServiceSid": "MG1"}}})
			}},
		{op: "FetchConversationAction", method: "GET", path: "/v2/Conversations/" + convID + "/Actions/" + actID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Actions.Fetch(ctx, convID, actID) }},
		{op: "ListParticipantByConversation", method: "GET", path: "/v2/Conversations/" + convID + "/Participants", query: "pageSize=1000",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Participants.List(ctx, convID, &ListParams{PageSize: 1000})
			}},
		{op: "CreateParticipantInConversation", method: "POST", path: "/v2/Conversations/" + convID + "/Participants",
			body: `{"name":"Dana","type":"CUSTOMER","profileId":"mem_profile_1","addresses":[{"channel":"WHATSAPP","address":"whatsapp:+18005550100","channelId":"ch1"}]}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Participants.Create(ctx, convID, &ParticipantParams{Name: "Dana", Type: ParticipantTypeCustomer, ProfileID: "mem_profile_1",
					Addresses: []Address{{Channel: ChannelWhatsApp, Address: "whatsapp:+18005550100", ChannelID: "ch1"}}})
			}},
		{op: "FetchParticipant", method: "GET", path: "/v2/Conversations/" + convID + "/Participants/" + partID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Participants.Fetch(ctx, convID, partID) }},
		{op: "UpdateParticipantInConversation", method: "PUT", path: "/v2/Conversations/" + convID + "/Participants/" + partID,
			body: `{"name":"Dana B","type":"HUMAN_AGENT"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Participants.Update(ctx, convID, partID, &ParticipantParams{Name: "Dana B", Type: ParticipantTypeHumanAgent})
			}},
		{op: "ListCommunicationByConversation", method: "GET", path: "/v2/Conversations/" + convID + "/Communications", query: "channelId=SM1&pageSize=2",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Communications.List(ctx, convID, &CommunicationListParams{ChannelID: "SM1", PageSize: 2})
			}},
		{op: "CreateCommunicationInConversation", method: "POST", path: "/v2/Conversations/" + convID + "/Communications",
			body: `{"author":{"address":"+18005550100","channel":"VOICE","participantId":"` + partID + `"},
			"content":{"type":"TRANSCRIPTION","text":"hello there","transcription":{"channel":0,"confidence":0.93,"engine":"deepgram"}},
			"resourceId":"GT1","recipients":[{"address":"+18005550102","channel":"VOICE"}],"occurredAt":"2026-03-30T10:30:00Z"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Communications.Create(ctx, convID, &CommunicationCreateParams{
					Author: ParticipantAddress{Address: "+18005550100", Channel: ChannelVoice, ParticipantID: partID},
					Content: Content{Type: ContentTypeTranscription, Text: "hello there",
						Transcription: &Transcription{Channel: ptr(0), Confidence: ptr(0.93), Engine: "deepgram"}},
					ResourceID: "GT1", Recipients: []ParticipantAddress{{Address: "+18005550102", Channel: ChannelVoice}},
					OccurredAt: time.Date(2026, 3, 30, 10, 30, 0, 0, time.UTC)})
			}},
		{op: "FetchCommunication", method: "GET", path: "/v2/Conversations/" + convID + "/Communications/" + commID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Communications.Fetch(ctx, convID, commID) }},
		{op: "FetchOperationStatus", method: "GET", path: "/v2/ControlPlane/Operations/" + opID,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Operations.Fetch(ctx, opID) }},
	}
}

func ptr[T any](v T) *T { return &v }

// TestWireEveryOperation calls each of the 22 operations against a
// recorder answering with the spec's example, and checks the request
// (method, path, query, JSON body, headers) and the decoded result.
func TestWireEveryOperation(t *testing.T) {
	cases := wireCases()
	ops := map[string]bool{}
	for _, tc := range cases {
		ops[tc.op] = true
	}
	if len(ops) != 22 || len(cases) != 22 {
		t.Fatalf("%d cases for %d operations, want 22", len(cases), len(ops))
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			status, body := specResponse(t, tc.op)
			hdr := map[string]string{}
			if status == 202 && responseModel[tc.op]() != any(new(Action)) {
				hdr = map[string]string{"Operation-Id": opID, "Location": "https://conversations.twilio.com/v2/ControlPlane/Operations/" + opID, "Retry-After": "5"}
			}
			rec := newRecorder(t, func(int, recorded) stub { return stub{status: status, header: hdr, body: body} })
			c := testClient(t, rec.srv.URL)
			got, err := tc.call(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != tc.method || r.path != tc.path || r.query != tc.query {
				t.Errorf("request %s %s?%s, want %s %s?%s", r.method, r.path, r.query, tc.method, tc.path, tc.query)
			}
			jsonEqual(t, "request", r.body, tc.body)
			if ct := r.header.Get("Content-Type"); tc.body != "" && ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			} else if tc.body == "" && ct != "" {
				t.Errorf("Content-Type %q on a request without a body", ct)
			}
			if a := r.header.Get("Authorization"); !strings.HasPrefix(a, "Basic ") {
				t.Errorf("Authorization %q", a)
			}
			key := r.header.Get("Idempotency-Key")
			if tc.idempotent && !uuidV4.MatchString(key) {
				t.Errorf("Idempotency-Key %q, want a UUIDv4", key)
			} else if !tc.idempotent && key != "" {
				t.Errorf("Idempotency-Key %q on an operation that takes none", key)
			}
			checkDecoded(t, tc.op, body, got)
		})
	}
}

// checkDecoded compares the SDK's result with a strict decode of the body
// into the operation's model, and checks the operation handle's headers.
func checkDecoded(t *testing.T, op, body string, got any) {
	t.Helper()
	want := responseModel[op]()
	if strings.HasPrefix(op, "List") {
		var env map[string]json.RawMessage
		_ = json.Unmarshal([]byte(body), &env)
		var items json.RawMessage
		for k, v := range env {
			if k != "meta" {
				items = v
			}
		}
		sl := reflect.New(reflect.SliceOf(reflect.TypeOf(want).Elem()))
		if err := strictDecode(items, sl.Interface()); err != nil {
			t.Fatal(err)
		}
		page := reflect.ValueOf(got).Elem()
		if !reflect.DeepEqual(page.FieldByName("Items").Interface(), sl.Elem().Interface()) {
			t.Errorf("items %+v, want %+v", page.FieldByName("Items").Interface(), sl.Elem().Interface())
		}
		if m := page.FieldByName("Meta").Interface().(Meta); m.PageSize != 1 || m.Key == "" || m.NextToken != "" {
			t.Errorf("meta %+v", m)
		}
		return
	}
	if err := strictDecode([]byte(body), want); err != nil {
		t.Fatal(err)
	}
	if o, ok := got.(*Operation); ok {
		if o.ID != opID || o.RetryAfter != 5*time.Second || o.Location != "https://conversations.twilio.com/v2/ControlPlane/Operations/"+opID {
			t.Errorf("operation handle %+v", o)
		}
		w := want.(*Operation)
		if o.StatusURL != w.StatusURL || !reflect.DeepEqual(o.Related, w.Related) || o.StatusURL == "" {
			t.Errorf("operation body %+v, want %+v", o, w)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n got %+v\nwant %+v", got, want)
	}
}
