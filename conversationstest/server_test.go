package conversationstest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

// raw sends a request with the fake's credentials (unless user is set) and
// returns the status and the decoded JSON body.
func raw(t testing.TB, srv *conversationstest.Server, method, path string, form url.Values, mod ...func(*http.Request)) (int, map[string]any) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, srv.URL+path, body)
	require.NoError(t, err)
	req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, m := range mod {
		m(req)
	}
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &out), "body %s", b)
	}
	return resp.StatusCode, out
}

// twilioError checks that body is Twilio's error JSON with this code.
func twilioError(t testing.TB, status int, body map[string]any, wantStatus, wantCode int) {
	t.Helper()
	require.Equal(t, wantStatus, status, "%v", body)
	require.Equal(t, float64(wantCode), body["code"], "%v", body)
	require.Equal(t, float64(wantStatus), body["status"], "%v", body)
	require.Equal(t, "https://www.twilio.com/docs/errors/"+strconv.Itoa(wantCode), body["more_info"])
	require.NotEmpty(t, body["message"])
	require.Len(t, body, 4, "code, message, more_info, status")
}

func TestNewAndCloseOutsideTests(t *testing.T) {
	srv := conversationstest.New()
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", u.Hostname(), "listens on loopback only")
	conv, err := srv.Client().Conversations.Create(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, conversationstest.DefaultServiceSID, conv.ChatServiceSID)
	srv.Close()
	_, err = srv.Client().Conversations.Fetch(context.Background(), conv.SID)
	var ne *cv.NetworkError
	require.ErrorAs(t, err, &ne, "the server is gone after Close")
}

type fakeTB struct {
	testing.TB
	cleanups []func()
}

func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

func TestNewServerClosesOnCleanup(t *testing.T) {
	ftb := &fakeTB{TB: t}
	srv := conversationstest.NewServer(ftb)
	require.Len(t, ftb.cleanups, 1)
	_, err := srv.Client().Services.List(context.Background(), nil)
	require.NoError(t, err)
	ftb.cleanups[0]()
	_, err = srv.Client().Services.List(context.Background(), nil)
	require.Error(t, err)
}

func TestCredentialsAndAuthFailure(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithCredentials("AC11111111111111111111111111111111", "s3cret"))
	conv, err := srv.Client().Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "AC11111111111111111111111111111111", conv.AccountSID)

	bad, err := cv.NewClient(srv.AccountSID, "wrong", cv.WithBaseURL(srv.URL), cv.WithoutRetry())
	require.NoError(t, err)
	_, err = bad.Conversations.Fetch(ctx, conv.SID)
	var apiErr *cv.Error
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 401, apiErr.Status)
	require.Equal(t, 20003, apiErr.Code)
	require.Equal(t, "Authenticate", apiErr.Message)
	require.True(t, cv.IsUnauthorized(err))

	status, body := raw(t, srv, "GET", "/v1/Conversations", nil, func(r *http.Request) { r.Header.Del("Authorization") })
	twilioError(t, status, body, 401, 20003)
}

func TestErrorsInTwilioShape(t *testing.T) {
	srv := conversationstest.NewServer(t)

	status, body := raw(t, srv, "GET", "/v1/Conversations/CH00000000000000000000000000000001", nil)
	twilioError(t, status, body, 404, 20404)
	require.Equal(t, "The requested resource /Conversations/CH00000000000000000000000000000001 was not found", body["message"])

	status, body = raw(t, srv, "GET", "/v1/NoSuchThing", nil)
	twilioError(t, status, body, 404, 20404)

	status, body = raw(t, srv, "DELETE", "/v1/Conversations", nil)
	twilioError(t, status, body, 405, 20004)
	status, body = raw(t, srv, "POST", "/v1/Services/"+conversationstest.DefaultServiceSID, url.Values{"FriendlyName": {"x"}})
	twilioError(t, status, body, 405, 20004)

	// Required params are enforced by the fake too (the SDK checks them
	// before sending, so these go in raw).
	for _, tc := range []struct {
		path string
		form url.Values
		miss string
	}{
		{"/v1/Services", url.Values{}, "FriendlyName"},
		{"/v1/Users", url.Values{"FriendlyName": {"x"}}, "Identity"},
		{"/v1/Roles", url.Values{"FriendlyName": {"r"}, "Type": {"service"}}, "Permission"},
		{"/v1/Roles", url.Values{"FriendlyName": {"r"}, "Permission": {"a"}}, "Type"},
		{"/v1/Credentials", url.Values{"FriendlyName": {"c"}}, "Type"},
		{"/v1/Configuration/Addresses", url.Values{"Type": {"sms"}}, "Address"},
	} {
		status, body = raw(t, srv, "POST", tc.path, tc.form)
		twilioError(t, status, body, 400, 20001)
		require.Equal(t, "Missing required parameter "+tc.miss+" in the post body", body["message"], tc.path)
	}
	// Brackets are not Twilio's array format: Permission[] is not Permission.
	status, body = raw(t, srv, "POST", "/v1/Roles", url.Values{"FriendlyName": {"r"}, "Type": {"service"}, "Permission[]": {"a"}})
	twilioError(t, status, body, 400, 20001)

	// Invalid values are refused with Twilio's generic 400.
	for _, form := range []url.Values{
		{"State": {"sleeping"}},
		{"Attributes": {"{not json"}},
		{"MessagingServiceSid": {"MGnope"}},
		{"Timers.Inactive": {"PT30S"}},
		{"Timers.Closed": {"five minutes"}},
		{"DateCreated": {"yesterday"}},
	} {
		status, body = raw(t, srv, "POST", "/v1/Conversations", form)
		twilioError(t, status, body, 400, 400)
	}
	status, body = raw(t, srv, "POST", "/v1/Services", url.Values{"FriendlyName": {"x"}}, func(r *http.Request) { r.Header.Set("Content-Type", "application/json") })
	twilioError(t, status, body, 400, 400)
	status, body = raw(t, srv, "POST", "/v1/Conversations", url.Values{}, func(r *http.Request) { r.Header.Set("X-Twilio-Webhook-Enabled", "maybe") })
	twilioError(t, status, body, 400, 400)
}

func TestRequestsAreRecordedAsSent(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	_, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{TimersInactive: cv.Ptr("PT1M"), BindingsEmailName: cv.Ptr("Support")}, cv.WithWebhookEnabled(true))
	require.NoError(t, err)
	_, err = c.Roles.Create(ctx, &cv.RoleCreateParams{FriendlyName: "r", Type: cv.RoleTypeService, Permission: []string{"a", "b"}})
	require.NoError(t, err)
	_, err = c.Conversations.List(ctx, &cv.ConversationListParams{State: cv.Ptr(cv.ConversationStateClosed), ListParams: cv.ListParams{PageSize: cv.Ptr(7)}})
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	require.Equal(t, "POST", reqs[0].Method)
	require.Equal(t, "/v1/Conversations", reqs[0].Path)
	require.Equal(t, "PT1M", reqs[0].Form.Get("Timers.Inactive"))
	require.Equal(t, "Support", reqs[0].Form.Get("Bindings.Email.Name"))
	require.Equal(t, "true", reqs[0].Header.Get("X-Twilio-Webhook-Enabled"))
	require.Equal(t, []string{"a", "b"}, reqs[1].Form["Permission"], "arrays are repeated keys")
	require.Equal(t, "closed", reqs[2].Query.Get("State"))
	require.Equal(t, "7", reqs[2].Query.Get("PageSize"))
	last, ok := srv.LastRequest()
	require.True(t, ok)
	require.Equal(t, reqs[2].Path, last.Path)
	srv.ResetRequests()
	require.Empty(t, srv.Requests())
	_, ok = srv.LastRequest()
	require.False(t, ok)
}

func TestResetStartsAfresh(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	srv.FailNext(1, "", "/v1/Services", conversationstest.Fault{Status: 500})
	srv.Reset()
	require.Zero(t, srv.PendingFaults())
	require.Empty(t, srv.Requests())
	_, err = c.Conversations.Fetch(ctx, conv.SID)
	require.True(t, cv.IsNotFound(err))
	svcs := all(t, c.Services.All(ctx, nil))
	require.Len(t, svcs, 1)
	require.Equal(t, conversationstest.DefaultServiceSID, svcs[0].SID)
}

func TestClockAndTimestamps(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)
	srv := conversationstest.NewServer(t, conversationstest.WithClock(func() time.Time { return start }))
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, start.Truncate(time.Second), conv.DateCreated)
	srv.Advance(90 * time.Second)
	require.Equal(t, start.Add(90*time.Second).Truncate(time.Second), srv.Now())

	// Timestamps are RFC 3339 in UTC with whole seconds, as Twilio sends.
	_, body := raw(t, srv, "GET", "/v1/Conversations/"+conv.SID, nil)
	require.Equal(t, "2030-01-02T03:04:05Z", body["date_created"])
}

func TestSIDsAndURLs(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Regexp(t, `^CH[0-9a-f]{32}$`, conv.SID)
	require.Equal(t, srv.URL+"/v1/Conversations/"+conv.SID, conv.URL)
	require.Equal(t, map[string]string{
		"participants": conv.URL + "/Participants",
		"messages":     conv.URL + "/Messages",
		"webhooks":     conv.URL + "/Webhooks",
		"export":       conv.URL + "/Export",
	}, conv.Links)

	svc, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "s"})
	require.NoError(t, err)
	require.Regexp(t, `^IS[0-9a-f]{32}$`, svc.SID)
	sconv, err := c.Service(svc.SID).Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/v1/Services/"+svc.SID+"/Conversations/"+sconv.SID, sconv.URL)
	m, err := c.Service(svc.SID).Messages.Create(ctx, sconv.SID, &cv.MessageCreateParams{Body: cv.Ptr("x")})
	require.NoError(t, err)
	require.Regexp(t, `^IM[0-9a-f]{32}$`, m.SID)
	require.Equal(t, svc.SID, m.ChatServiceSID, "service-scoped messages carry chat_service_sid")
	require.Equal(t, sconv.URL+"/Messages/"+m.SID+"/Receipts", m.Links["delivery_receipts"])
	am, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("x")})
	require.NoError(t, err)
	require.Empty(t, am.ChatServiceSID, "the account-level message model has no chat_service_sid")

	u, err := c.Users.Create(ctx, &cv.UserCreateParams{Identity: "a@example.com"})
	require.NoError(t, err)
	require.Regexp(t, `^US[0-9a-f]{32}$`, u.SID)
	require.Equal(t, srv.URL+"/v1/Users/"+u.SID+"/Conversations", u.Links["user_conversations"])
}

func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("x")})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	msgs := all(t, c.Messages.All(ctx, conv.SID, &cv.MessageListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(7)}}))
	require.Len(t, msgs, 40)
	for i, m := range msgs {
		require.Equal(t, i, m.Index, "indexes are unique and increasing")
	}
	require.Len(t, srv.Requests(), 1+40+6)
}

func TestClientOptionsApplyLast(t *testing.T) {
	srv := conversationstest.NewServer(t)
	var seen string
	c := srv.Client(cv.WithUserAgent("my-app/1.0"))
	_, err := c.Services.List(context.Background(), nil)
	require.NoError(t, err)
	req, _ := srv.LastRequest()
	seen = req.Header.Get("User-Agent")
	require.True(t, strings.HasSuffix(seen, " my-app/1.0"), seen)
}
