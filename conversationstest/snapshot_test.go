package conversationstest_test

// Tests of SaveState and LoadState (snapshot.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

// richState fills srv with one of everything the state holds and returns
// the paths whose answers a reloaded fake must repeat.
func richState(t *testing.T, srv *conversationstest.Server) []string {
	t.Helper()
	post := func(path string, form url.Values) map[string]any {
		t.Helper()
		status, body := raw(t, srv, http.MethodPost, path, form)
		require.Contains(t, []int{200, 201}, status, "%s: %v", path, body)
		return body
	}
	svc := post("/v1/Services", url.Values{"FriendlyName": {"support"}})["sid"].(string)
	sp := "/v1/Services/" + svc
	role := post(sp+"/Roles", url.Values{"FriendlyName": {"agent"}, "Type": {"conversation"}, "Permission": {"sendMessage", "leaveConversation"}})["sid"].(string)
	post(sp+"/Configuration", url.Values{"DefaultConversationRoleSid": {role}, "ReachabilityEnabled": {"true"}})
	post(sp+"/Configuration/Notifications", url.Values{"LogEnabled": {"true"}, "NewMessage.Enabled": {"true"}, "NewMessage.Template": {"${MESSAGE}"}})
	post(sp+"/Configuration/Webhooks", url.Values{"PreWebhookUrl": {"http://127.0.0.1:1/pre"}, "Filters": {"onMessageAdd"}, "Method": {"POST"}})
	cred := post("/v1/Credentials", url.Values{"Type": {"fcm"}, "FriendlyName": {"push"}, "Secret": {"s3cr3t"}})["sid"].(string)
	_, err := srv.AddBinding(svc, conversationstest.BindingSpec{Identity: "alice", BindingType: "fcm", CredentialSID: cred})
	require.NoError(t, err)
	post(sp+"/Users", url.Values{"Identity": {"alice"}, "FriendlyName": {"Alice"}, "Attributes": {`{"tier":1}`}})
	post("/v1/Configuration", url.Values{"DefaultInactiveTimer": {"PT1H"}})
	post("/v1/Configuration/Addresses", url.Values{"Type": {"sms"}, "Address": {"+15017122661"}, "AutoCreation.Enabled": {"true"}, "AutoCreation.Type": {"webhook"}, "AutoCreation.WebhookUrl": {"http://127.0.0.1:1/auto"}})
	conv := post(sp+"/Conversations", url.Values{"UniqueName": {"ticket-1"}, "Attributes": {`{"a":1}`}, "Timers.Closed": {"P1D"}})["sid"].(string)
	cp := sp + "/Conversations/" + conv
	post(cp+"/Participants", url.Values{"Identity": {"alice"}})
	post(cp+"/Participants", url.Values{"MessagingBinding.Address": {"+15558675310"}, "MessagingBinding.ProxyAddress": {"+15017122661"}})
	post(cp+"/Webhooks", url.Values{"Target": {"webhook"}, "Configuration.Url": {"http://127.0.0.1:1/h"}, "Configuration.Method": {"POST"}, "Configuration.Filters": {"onMessageAdded"}})

	req, err := http.NewRequest(http.MethodPost, srv.URL+sp+"/Media?Filename=a.txt", strings.NewReader("hello media"))
	require.NoError(t, err)
	req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
	req.Header.Set("Content-Type", "text/plain")
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	var media map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&media))
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%v", media)

	post(cp+"/Messages", url.Values{"Author": {"alice"}, "Body": {"hello"}})
	post(cp+"/Messages", url.Values{"Author": {"alice"}, "MediaSid": {media["sid"].(string)}})
	// A deleted message leaves a gap in the indexes that a reload keeps.
	msg := post(cp+"/Messages", url.Values{"Author": {"alice"}, "Body": {"oops"}})["sid"].(string)
	status, _ := raw(t, srv, http.MethodDelete, cp+"/Messages/"+msg, nil)
	require.Equal(t, http.StatusNoContent, status)
	return []string{
		"/v1/Services", sp, sp + "/Configuration", sp + "/Configuration/Notifications", sp + "/Configuration/Webhooks",
		sp + "/Roles", sp + "/Users", sp + "/Bindings", "/v1/Credentials", "/v1/Configuration", "/v1/Configuration/Webhooks",
		"/v1/Configuration/Addresses", sp + "/Conversations", cp, cp + "/Participants", cp + "/Messages", cp + "/Webhooks",
		sp + "/Conversations/ticket-1", "/v1/Conversations",
	}
}

func getJSON(t *testing.T, srv *conversationstest.Server, path string) string {
	t.Helper()
	status, body := raw(t, srv, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status, "%s: %v", path, body)
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return strings.ReplaceAll(string(b), srv.URL, "http://fake")
}

func TestStateRoundTrip(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := conversationstest.NewServer(t, conversationstest.WithManualClock(start))
	paths := richState(t, a)
	var saved bytes.Buffer
	require.NoError(t, a.SaveState(&saved))
	require.NotContains(t, saved.String(), a.AuthToken)
	require.NotContains(t, saved.String(), a.AccountSID)
	require.NotContains(t, saved.String(), "s3cr3t")

	b := conversationstest.NewServer(t, conversationstest.WithManualClock(start.Add(time.Minute)))
	require.NoError(t, b.LoadState(bytes.NewReader(saved.Bytes())))
	var again bytes.Buffer
	require.NoError(t, b.SaveState(&again))
	require.Equal(t, saved.String(), again.String(), "save, load, save is stable")
	for _, p := range paths {
		require.Equal(t, getJSON(t, a, p), getJSON(t, b, p), p)
	}

	// The loaded state is live: indexes continue, uniqueness holds, the
	// saved timer fires on the clock, inbound messages find the binding.
	var svc string
	for _, s := range getServices(t, b) {
		if s != b.DefaultServiceSID() {
			svc = s
		}
	}
	_, conv := raw(t, b, http.MethodGet, "/v1/Services/"+svc+"/Conversations/ticket-1", nil)
	cp := "/v1/Services/" + svc + "/Conversations/" + conv["sid"].(string)
	status, m := raw(t, b, http.MethodPost, cp+"/Messages", url.Values{"Body": {"next"}})
	require.Equal(t, http.StatusCreated, status, "%v", m)
	require.Equal(t, float64(3), m["index"], "index after the deleted message 2")
	status, e := raw(t, b, http.MethodPost, "/v1/Services/"+svc+"/Conversations", url.Values{"UniqueName": {"ticket-1"}})
	twilioError(t, status, e, http.StatusConflict, 50353)
	sid, err := b.ReceiveMessage(context.Background(), conversationstest.InboundMessage{Address: "+15558675310", ProxyAddress: "+15017122661", Body: "sms"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(sid, "IM"))
	b.Advance(25 * time.Hour)
	_, c := raw(t, b, http.MethodGet, cp, nil)
	require.Equal(t, "closed", c["state"])
}

func getServices(t *testing.T, srv *conversationstest.Server) []string {
	t.Helper()
	_, body := raw(t, srv, http.MethodGet, "/v1/Services", nil)
	var out []string
	for _, s := range body["services"].([]any) {
		out = append(out, s.(map[string]any)["sid"].(string))
	}
	return out
}

func TestLoadStateSeed(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := conversationstest.NewServer(t, conversationstest.WithManualClock(now))
	seed := `{"version": 1, "services": [{"friendly_name": "Support",
	  "conversations": [{"unique_name": "ticket-1",
	    "participants": [{"identity": "alice"}],
	    "messages": [{"author": "alice", "body": "hello"}, {"author": "bob", "body": "hi"}]}]}]}`
	require.NoError(t, srv.LoadState(strings.NewReader(seed)))
	svc := srv.DefaultServiceSID()
	require.True(t, strings.HasPrefix(svc, "IS") && svc != conversationstest.DefaultServiceSID, svc)

	status, c := raw(t, srv, http.MethodGet, "/v1/Conversations/ticket-1", nil)
	require.Equal(t, http.StatusOK, status, "%v", c)
	require.Equal(t, "active", c["state"])
	require.Equal(t, "{}", c["attributes"])
	require.Equal(t, "2026-03-01T12:00:00Z", c["date_created"])
	require.Equal(t, conversationstest.DefaultMessagingServiceSID, c["messaging_service_sid"])
	require.Equal(t, svc, c["chat_service_sid"])
	_, list := raw(t, srv, http.MethodGet, "/v1/Conversations/"+c["sid"].(string)+"/Messages", nil)
	ms := list["messages"].([]any)
	require.Len(t, ms, 2)
	m0, m1 := ms[0].(map[string]any), ms[1].(map[string]any)
	require.Equal(t, []any{float64(0), "alice", "hello"}, []any{m0["index"], m0["author"], m0["body"]})
	require.Equal(t, []any{float64(1), "bob", "hi", nil}, []any{m1["index"], m1["author"], m1["body"], m1["participant_sid"]})
	_, ps := raw(t, srv, http.MethodGet, "/v1/Conversations/"+c["sid"].(string)+"/Participants", nil)
	p := ps["participants"].([]any)[0].(map[string]any)
	require.Equal(t, p["sid"], m0["participant_sid"])
	require.Equal(t, "alice", p["identity"])

	// No services: the default one exists, as in a fresh fake.
	require.NoError(t, srv.LoadState(strings.NewReader(`{"version":1}`)))
	require.Equal(t, conversationstest.DefaultServiceSID, srv.DefaultServiceSID())
	_, list = raw(t, srv, http.MethodGet, "/v1/Conversations", nil)
	require.Empty(t, list["conversations"])
}

func TestLoadStateRefusesInvalid(t *testing.T) {
	srv := conversationstest.NewServer(t)
	status, _ := raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{"UniqueName": {"keep"}})
	require.Equal(t, http.StatusCreated, status)
	for name, tc := range map[string]struct{ seed, want string }{
		"version":       {`{"version": 2}`, "state version 2 is not 1"},
		"unknown field": {`{"version": 1, "servies": []}`, `unknown field "servies"`},
		"not JSON":      {`{"version": 1,`, "reading state"},
		"bad sid":       {`{"version": 1, "services": [{"sid": "CH00000000000000000000000000000000", "friendly_name": "x"}]}`, `sid "CH00000000000000000000000000000000" is not a IS SID`},
		"unique name": {`{"version": 1, "services": [{"friendly_name": "x", "conversations": [{"unique_name": "u"}, {"unique_name": "u"}]}]}`,
			`services[0].conversations[1]: unique_name "u" is a conversation SID or taken`},
		"both": {`{"version": 1, "services": [{"friendly_name": "x", "conversations": [{"participants": [{"identity": "a", "address": "+1555"}]}]}]}`,
			"has an identity and an address"},
		"binding": {`{"version": 1, "services": [{"friendly_name": "x", "conversations": [{"participants": [{"address": "+1555", "proxy_address": "+1666"}]}, {"participants": [{"address": "+1555", "proxy_address": "+1666"}]}]}]}`,
			"is already in open conversation"},
		"duplicate sid": {`{"version": 1, "services": [{"sid": "IS00000000000000000000000000000001", "friendly_name": "x"}, {"sid": "IS00000000000000000000000000000001", "friendly_name": "y"}]}`,
			"sid IS00000000000000000000000000000001 is also services[0]"},
		"default": {`{"version": 1, "default_chat_service_sid": "IS00000000000000000000000000000009", "services": [{"friendly_name": "x"}]}`,
			"default_chat_service_sid IS00000000000000000000000000000009 names none of the services"},
		"participant ref": {`{"version": 1, "services": [{"friendly_name": "x", "conversations": [{"messages": [{"participant_sid": "MB00000000000000000000000000000001"}]}]}]}`,
			"participant_sid MB00000000000000000000000000000001 is none of the conversation's participants"},
		"media ref": {`{"version": 1, "services": [{"friendly_name": "x", "conversations": [{"messages": [{"media_sid": "ME00000000000000000000000000000001"}]}]}]}`,
			"media_sid ME00000000000000000000000000000001 names none of the media"},
		"attributes": {`{"version": 1, "services": [{"friendly_name": "x", "users": [{"identity": "a", "attributes": "{"}]}]}`, `attributes "{" are not JSON`},
		"timer":      {`{"version": 1, "configuration": {"default_inactive_timer": "1h"}}`, `"1h" is not an ISO 8601 duration`},
	} {
		err := srv.LoadState(strings.NewReader(tc.seed))
		require.ErrorContains(t, err, tc.want, name)
	}
	status, _ = raw(t, srv, http.MethodGet, "/v1/Conversations/keep", nil)
	require.Equal(t, http.StatusOK, status, "a refused load leaves the state as it was")
}

// TestDocsSeedLoads loads the seed shown in docs/emulator.md.
func TestDocsSeedLoads(t *testing.T) {
	b, err := os.ReadFile("../docs/emulator.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(string(b))
	require.NotNil(t, m, "docs/emulator.md has a json block")
	srv := conversationstest.NewServer(t)
	require.NoError(t, srv.LoadState(strings.NewReader(m[1])))
	status, c := raw(t, srv, http.MethodGet, "/v1/Conversations/ticket-1", nil)
	require.Equal(t, http.StatusOK, status, "%v", c)
	sid, err := srv.ReceiveMessage(context.Background(), conversationstest.InboundMessage{Address: "+15558675310", ProxyAddress: "+15017122661", Body: "hi"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(sid, "IM"))
}

// FuzzLoadState: LoadState never panics, and a state it accepts saves,
// loads and saves again to the same JSON.
func FuzzLoadState(f *testing.F) {
	for _, seed := range []string{
		`{"version":1}`,
		`{"version": 1, "services": [{"friendly_name": "Support", "conversations": [{"unique_name": "ticket-1", "participants": [{"identity": "alice"}, {"address": "+15558675310", "proxy_address": "+15017122661"}], "messages": [{"author": "alice", "body": "hello"}]}]}]}`,
		`{"version":1,"configuration":{"default_inactive_timer":"PT1H","default_closed_timer":"P1D"},"services":[{"friendly_name":"x","roles":[{"friendly_name":"r","type":"service","permissions":["a"]}],"users":[{"identity":"u"}],"bindings":[{"identity":"u","binding_type":"fcm","message_types":[]}],"conversations":[{"state":"inactive","timers_closed":"PT1M","date_inactive":"2026-01-01T00:00:00Z","messages":[{"index":3,"media_sid":"ME00000000000000000000000000000001","receipts":[]}]}]}],"media":[{"sid":"ME00000000000000000000000000000001","content_type":"text/plain","content":"aGk="}]}`,
		`{"version":1,"services":[{"friendly_name":"x","conversations":[{"participants":[{"address":"+1","proxy_address":"+2"}],"messages":[{"receipts":[{"participant_sid":"MB00000000000000000000000000000001"}]}]}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	newFake := func(t *testing.T) *conversationstest.Server {
		srv, err := conversationstest.NewHandler(conversationstest.WithPublicBaseURL("http://fuzz"), conversationstest.WithManualClock(now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		return srv
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := newFake(t)
		if a.LoadState(bytes.NewReader(data)) != nil {
			return
		}
		var first, second bytes.Buffer
		if err := a.SaveState(&first); err != nil {
			t.Fatal(err)
		}
		b := newFake(t)
		if err := b.LoadState(bytes.NewReader(first.Bytes())); err != nil {
			t.Fatalf("a saved state does not load: %v\n%s", err, first.String())
		}
		if err := b.SaveState(&second); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("save, load, save changed the state:\n%s\n---\n%s", first.String(), second.String())
		}
	})
}
