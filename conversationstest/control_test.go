package conversationstest_test

// Tests of NewHandler, the listen and URL options (handler.go) and the
// control plane (control.go).

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/webhook"
	"github.com/stretchr/testify/require"
)

func TestNewHandlerPublicBaseURL(t *testing.T) {
	_, err := conversationstest.NewHandler()
	require.EqualError(t, err, "conversationstest: NewHandler needs WithPublicBaseURL")
	for _, bad := range []string{"127.0.0.1:4010", "ftp://x", "http://x?a=1", "http://u:p@x", "http://x/#f", "::"} {
		_, err := conversationstest.NewHandler(conversationstest.WithPublicBaseURL(bad))
		require.Error(t, err, bad)
	}
	require.Panics(t, func() { conversationstest.New(conversationstest.WithPublicBaseURL("nope")) })

	srv, err := conversationstest.NewHandler(conversationstest.WithPublicBaseURL("https://emu.example:8443/"))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	require.Equal(t, "https://emu.example:8443", srv.URL)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	do := func(method, path string, form url.Values) map[string]any {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		require.Less(t, resp.StatusCode, 300, "%v", out)
		return out
	}
	c := do(http.MethodPost, "/v1/Conversations", url.Values{"FriendlyName": {"a"}})
	sid := c["sid"].(string)
	require.Equal(t, "https://emu.example:8443/v1/Conversations/"+sid, c["url"])
	require.Equal(t, "https://emu.example:8443/v1/Conversations/"+sid+"/Messages", c["links"].(map[string]any)["messages"])
	do(http.MethodPost, "/v1/Conversations", url.Values{"FriendlyName": {"b"}})
	page := do(http.MethodGet, "/v1/Conversations?PageSize=1", url.Values{})
	meta := page["meta"].(map[string]any)
	require.Equal(t, "https://emu.example:8443/v1/Conversations?PageSize=1&Page=0", meta["url"])
	require.True(t, strings.HasPrefix(meta["next_page_url"].(string), "https://emu.example:8443/v1/Conversations?PageSize=1&Page=1&PageToken="), meta["next_page_url"])
}

func TestWithListenAddrAndManualClock(t *testing.T) {
	start := time.Date(2026, 5, 1, 8, 30, 15, 999, time.UTC)
	srv := conversationstest.NewServer(t, conversationstest.WithListenAddr("127.0.0.1:0"), conversationstest.WithManualClock(start))
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	status, c := raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{})
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, srv.URL+"/v1/Conversations/"+c["sid"].(string), c["url"])
	require.Equal(t, "2026-05-01T08:30:15Z", c["date_created"])
	time.Sleep(1100 * time.Millisecond) // the manual clock does not move by itself
	require.Equal(t, start.Truncate(time.Second), srv.Now())
	srv.Advance(time.Hour)
	require.Equal(t, start.Truncate(time.Second).Add(time.Hour), srv.Now())

	require.Panics(t, func() { conversationstest.New(conversationstest.WithListenAddr(srv.URL[len("http://"):])) }, "address in use")
}

// control serves srv and its control plane as the emulator does.
func control(t *testing.T, opts ...conversationstest.Option) (*conversationstest.Server, func(method, path, body string) (int, map[string]any)) {
	t.Helper()
	srv := conversationstest.NewServer(t, opts...)
	ts := httptest.NewServer(srv.ControlPlane())
	t.Cleanup(ts.Close)
	return srv, func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		var out map[string]any
		require.NoError(t, json.Unmarshal(b, &out), "%s", b)
		return resp.StatusCode, out
	}
}

func TestControlPlaneBasics(t *testing.T) {
	start := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	srv, ctl := control(t, conversationstest.WithManualClock(start))

	status, body := ctl(http.MethodGet, "/_emulator/health", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "ok", "account_sid": srv.AccountSID, "url": srv.URL, "now": "2026-05-01T08:00:00Z"}, body)

	status, body = ctl(http.MethodPost, "/_emulator/clock/advance", `{"duration":"1h30m"}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"now": "2026-05-01T09:30:00Z"}, body)
	status, body = ctl(http.MethodGet, "/_emulator/clock", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"now": "2026-05-01T09:30:00Z"}, body)

	for _, tc := range []struct {
		method, path, body string
		status             int
		err                string
	}{
		{http.MethodPost, "/_emulator/clock/advance", `{"duration":"-1s"}`, 400, `duration "-1s" is not a Go duration of 0 or more, e.g. "90s" or "1h30m"`},
		{http.MethodPost, "/_emulator/clock/advance", `{"duration":"soon"}`, 400, `duration "soon" is not a Go duration of 0 or more, e.g. "90s" or "1h30m"`},
		{http.MethodPost, "/_emulator/clock/advance", `{"duraton":"1s"}`, 400, `request body: json: unknown field "duraton"`},
		{http.MethodPost, "/_emulator/clock/advance", `{"duration":"1s"} {}`, 400, "request body: trailing data after the JSON object"},
		{http.MethodPost, "/_emulator/inbound", strings.Repeat(" ", 1<<20+1), 413, "request body: http: request body too large"},
		{http.MethodGet, "/_emulator/nope", "", 404, "no control-plane endpoint /_emulator/nope"},
		{http.MethodPost, "/_emulator/health", "", 405, "POST is not allowed on /_emulator/health; use GET"},
		{http.MethodPatch, "/_emulator/webhooks", "", 405, "PATCH is not allowed on /_emulator/webhooks; use GET or DELETE"},
		{http.MethodGet, "/_emulator/webhooks?wait=2h", "", 400, `wait "2h" is not a Go duration between 0 and 1m`},
		{http.MethodPost, "/_emulator/inbound", `{"address":"+1555"}`, 400, "conversationstest: an inbound message needs an Address and a ProxyAddress"},
		{http.MethodPost, "/_emulator/inbound", `{"address":"+1555","proxy_address":"+1666"}`, 404, "conversationstest: no open conversation has a participant with this address and proxy address"},
		{http.MethodPut, "/_emulator/state", `{"version":7}`, 400, "conversationstest: state version 7 is not 1"},
	} {
		status, body := ctl(tc.method, tc.path, tc.body)
		require.Equal(t, tc.status, status, "%s %s: %v", tc.method, tc.path, body)
		require.Equal(t, map[string]any{"error": tc.err}, body, "%s %s", tc.method, tc.path)
	}

	// State out and in, and reset.
	status, _ = raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{"UniqueName": {"kept"}})
	require.Equal(t, http.StatusCreated, status)
	var saved bytes.Buffer
	require.NoError(t, srv.SaveState(&saved))
	status, body = ctl(http.MethodPost, "/_emulator/reset", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "reset"}, body)
	status, _ = raw(t, srv, http.MethodGet, "/v1/Conversations/kept", nil)
	require.Equal(t, http.StatusNotFound, status)
	status, body = ctl(http.MethodPut, "/_emulator/state", saved.String())
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "loaded"}, body)
	status, _ = raw(t, srv, http.MethodGet, "/v1/Conversations/kept", nil)
	require.Equal(t, http.StatusOK, status)
	status, body = ctl(http.MethodGet, "/_emulator/state", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, float64(1), body["version"])
	require.Equal(t, "kept", body["services"].([]any)[0].(map[string]any)["conversations"].([]any)[0].(map[string]any)["unique_name"])
}

func TestControlPlaneInbound(t *testing.T) {
	srv, ctl := control(t)
	rv := newReceiver(t, srv.AuthToken)
	rv.setOnMessageAdd(func(_ *http.Request, e *webhook.MessageEvent) webhook.Response {
		switch {
		case strings.Contains(e.Body, "spam"):
			return webhook.Reject(http.StatusForbidden)
		case strings.Contains(e.Body, "shout"):
			return webhook.ModifyMessage(webhook.MessageChanges{Body: &[]string{"SHOUT"}[0]})
		}
		return webhook.Allow()
	})
	svcSID, convSID, partSID := inboundSetup(t, srv, rv)

	in := `{"address":"+15558675310","proxy_address":"+15017122661","body":"%s"}`
	status, body := ctl(http.MethodPost, "/_emulator/inbound", strings.Replace(in, "%s", "hi", 1))
	require.Equal(t, http.StatusCreated, status, "%v", body)
	msgSID := body["message_sid"].(string)
	require.True(t, strings.HasPrefix(msgSID, "IM") && len(msgSID) == 34, msgSID)
	require.Equal(t, map[string]any{
		"stored": true, "message_sid": msgSID, "conversation_sid": convSID,
		"pre_action": []any{map[string]any{"url": rv.URL + "/pre", "status": float64(200), "verdict": "accepted"}},
	}, body)

	status, body = ctl(http.MethodPost, "/_emulator/inbound", strings.Replace(in, "%s", "please shout", 1))
	require.Equal(t, http.StatusCreated, status, "%v", body)
	require.Equal(t, []any{map[string]any{"url": rv.URL + "/pre", "status": float64(200), "verdict": "modified"}}, body["pre_action"])

	status, body = ctl(http.MethodPost, "/_emulator/inbound", strings.Replace(in, "%s", "buy spam", 1))
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, map[string]any{
		"stored":     false,
		"pre_action": []any{map[string]any{"url": rv.URL + "/pre", "status": float64(403), "verdict": "rejected"}},
	}, body)
	require.Equal(t, []string{"hi", "SHOUT"}, listBodies(t, srv, svcSID, convSID))

	// Deliveries: the three pre-action ones and two post-action ones.
	status, body = ctl(http.MethodGet, "/_emulator/webhooks?wait=10s", "")
	require.Equal(t, http.StatusOK, status)
	ds := body["deliveries"].([]any)
	var types []string
	for _, d := range ds {
		types = append(types, d.(map[string]any)["event_type"].(string))
	}
	require.ElementsMatch(t, []string{"onMessageAdd", "onMessageAdd", "onMessageAdd", "onMessageAdded", "onMessageAdded"}, types)
	first := ds[0].(map[string]any)
	require.Equal(t, rv.URL+"/pre", first["url"])
	require.Equal(t, "POST", first["method"])
	require.Equal(t, true, first["pre_action"])
	require.Equal(t, convSID, first["conversation_sid"])
	require.Equal(t, float64(200), first["status"])
	require.Equal(t, []any{"hi"}, first["form"].(map[string]any)["Body"])
	require.Equal(t, []any{partSID}, first["form"].(map[string]any)["ParticipantSid"])
	require.NotEmpty(t, first["header"].(map[string]any)["X-Twilio-Signature"])
	require.NotContains(t, first, "error")

	status, body = ctl(http.MethodDelete, "/_emulator/webhooks", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "cleared"}, body)
	_, body = ctl(http.MethodGet, "/_emulator/webhooks", "")
	require.Equal(t, map[string]any{"deliveries": []any{}}, body)
}

func TestControlPlaneRequestsAndHistory(t *testing.T) {
	srv, ctl := control(t, conversationstest.WithRequestHistory(3))
	for i := 0; i < 7; i++ {
		status, _ := raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{"FriendlyName": {strings.Repeat("x", i+1)}})
		require.Equal(t, http.StatusCreated, status)
	}
	rs := srv.Requests()
	require.Len(t, rs, 3)
	require.Equal(t, []string{"xxxxx", "xxxxxx", "xxxxxxx"}, []string{rs[0].Form.Get("FriendlyName"), rs[1].Form.Get("FriendlyName"), rs[2].Form.Get("FriendlyName")})
	last, ok := srv.LastRequest()
	require.True(t, ok)
	require.Equal(t, "xxxxxxx", last.Form.Get("FriendlyName"))

	status, body := ctl(http.MethodGet, "/_emulator/requests", "")
	require.Equal(t, http.StatusOK, status)
	list := body["requests"].([]any)
	require.Len(t, list, 3)
	r := list[2].(map[string]any)
	require.Equal(t, "POST", r["method"])
	require.Equal(t, "/v1/Conversations", r["path"])
	require.Equal(t, map[string]any{}, r["query"])
	require.Equal(t, map[string]any{"FriendlyName": []any{"xxxxxxx"}}, r["form"])
	require.Equal(t, "FriendlyName=xxxxxxx", r["body"])
	require.Equal(t, []any{"application/x-www-form-urlencoded"}, r["header"].(map[string]any)["Content-Type"])
	require.NotContains(t, r["header"], "Authorization", "credentials never leave through the control plane")
	b, err := json.Marshal(body)
	require.NoError(t, err)
	require.NotContains(t, string(b), srv.AuthToken)

	status, body = ctl(http.MethodDelete, "/_emulator/requests", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "cleared"}, body)
	require.Empty(t, srv.Requests())

	none := conversationstest.NewServer(t, conversationstest.WithRequestHistory(0))
	raw(t, none, http.MethodGet, "/v1/Conversations", nil)
	require.Empty(t, none.Requests())
	_, ok = none.LastRequest()
	require.False(t, ok)
}

func TestControlPlaneHooks(t *testing.T) {
	srv, ctl := control(t)

	status, body := ctl(http.MethodPost, "/_emulator/faults", `{"count":2,"method":"post","path":"/v1/Conversations","status":429,"header":{"Retry-After":["1"]}}`)
	require.Equal(t, http.StatusCreated, status, "%v", body)
	require.Equal(t, map[string]any{"pending": float64(2)}, body)
	status, e := raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{})
	twilioError(t, status, e, http.StatusTooManyRequests, 20429)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/Conversations", strings.NewReader(""))
	req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, []any{429, "1"}, []any{resp.StatusCode, resp.Header.Get("Retry-After")})
	_, body = ctl(http.MethodGet, "/_emulator/faults", "")
	require.Equal(t, map[string]any{"pending": float64(0)}, body)
	status, _ = raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{})
	require.Equal(t, http.StatusCreated, status, "the faults are used up")

	_, _ = ctl(http.MethodPost, "/_emulator/faults", `{"path":"/v1/*","status":503,"code":20503,"message":"down"}`)
	status, body = ctl(http.MethodDelete, "/_emulator/faults", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"pending": float64(0)}, body)
	for in, want := range map[string]string{
		`{"count":0,"path":"/v1/Conversations","status":429}`:      "count must be 1 or more",
		`{"path":"v1/Conversations","status":429}`:                 `path "v1/Conversations" is not a URL path such as /v1/Conversations (a trailing * matches a prefix)`,
		`{"path":"/v1/Conversations","status":42}`:                 "status 42 is not an HTTP status",
		`{"path":"/v1/Conversations","status":500,"delay":"soon"}`: `delay "soon" is not a Go duration between 0 and 5m`,
	} {
		status, body := ctl(http.MethodPost, "/_emulator/faults", in)
		require.Equal(t, http.StatusBadRequest, status, in)
		require.Equal(t, map[string]any{"error": want}, body, in)
	}

	// A delivery report for the receipt of an SMS participant.
	status, c := raw(t, srv, http.MethodPost, "/v1/Conversations", url.Values{})
	require.Equal(t, http.StatusCreated, status)
	cp := "/v1/Conversations/" + c["sid"].(string)
	status, _ = raw(t, srv, http.MethodPost, cp+"/Participants", url.Values{"MessagingBinding.Address": {"+15558675310"}, "MessagingBinding.ProxyAddress": {"+15017122661"}})
	require.Equal(t, http.StatusCreated, status)
	status, m := raw(t, srv, http.MethodPost, cp+"/Messages", url.Values{"Author": {"agent"}, "Body": {"hi"}})
	require.Equal(t, http.StatusCreated, status)
	mp := cp + "/Messages/" + m["sid"].(string)
	_, rl := raw(t, srv, http.MethodGet, mp+"/Receipts", nil)
	dy := rl["delivery_receipts"].([]any)[0].(map[string]any)["sid"].(string)
	status, body = ctl(http.MethodPost, "/_emulator/receipts", `{"receipt_sid":"`+dy+`","status":"failed","error_code":30008}`)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, map[string]any{"receipt_sid": dy, "status": "failed"}, body)
	_, rc := raw(t, srv, http.MethodGet, mp+"/Receipts/"+dy, nil)
	require.Equal(t, []any{"failed", float64(30008)}, []any{rc["status"], rc["error_code"]})
	status, body = ctl(http.MethodPost, "/_emulator/receipts", `{"receipt_sid":"DY00000000000000000000000000000000","status":"read"}`)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, map[string]any{"error": "conversationstest: no receipt DY00000000000000000000000000000000"}, body)
	status, body = ctl(http.MethodPost, "/_emulator/receipts", `{"receipt_sid":"`+dy+`","status":"lost"}`)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, map[string]any{"error": `conversationstest: "lost" is not a receipt status`}, body)

	// A push binding in the default service.
	status, body = ctl(http.MethodPost, "/_emulator/bindings", `{"identity":"alice","binding_type":"fcm"}`)
	require.Equal(t, http.StatusCreated, status, "%v", body)
	bs := body["sid"].(string)
	require.Regexp(t, `^BS[0-9a-f]{32}$`, bs)
	require.Equal(t, srv.DefaultServiceSID(), body["chat_service_sid"])
	_, b := raw(t, srv, http.MethodGet, "/v1/Services/"+srv.DefaultServiceSID()+"/Bindings/"+bs, nil)
	require.Equal(t, []any{"alice", "fcm", "alice-endpoint"}, []any{b["identity"], b["binding_type"], b["endpoint"]})
	status, body = ctl(http.MethodPost, "/_emulator/bindings", `{"chat_service_sid":"IS00000000000000000000000000000009","identity":"a","binding_type":"fcm"}`)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, map[string]any{"error": "conversationstest: no Conversation Service IS00000000000000000000000000000009"}, body)
	status, _ = ctl(http.MethodPost, "/_emulator/bindings", `{"identity":"a","binding_type":"pager"}`)
	require.Equal(t, http.StatusBadRequest, status)
}
