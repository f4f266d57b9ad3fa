package conversations

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientTConv is a minimal Conversation body.
const clientTConv = `{"sid":"CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","friendly_name":"support","attributes":"{}","state":"active"}`

// clientTTransport returns a recorder answering every request with status
// and body, and the option that puts it behind a new Client, for tests that
// build the Client themselves (other credentials, environment, base URLs).
func clientTTransport(t *testing.T, status int, body string) (*recorder, Option) {
	t.Helper()
	_, rec := newRecorder(t, status, body)
	return rec, WithHTTPClient(&http.Client{Transport: rec.mt})
}

// clientTFetchURL fetches conversation CH1 and returns the absolute URL the
// request went to.
func clientTFetchURL(t *testing.T, c *Client) string {
	t.Helper()
	var resp *http.Response
	_, err := c.Conversations.Fetch(context.Background(), "CH1", WithResponse(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	require.NotNil(t, resp.Request)
	return resp.Request.URL.String()
}

// clientTBasic is the Authorization header value of user and pass.
func clientTBasic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestClientNewClientRequiresCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, user, pass, param, msg string
	}{
		{"username", "", testAuthToken, "username", "conversations: username is required (an Account SID or API Key SID)"},
		{"password", testAccountSID, "", "password", "conversations: password is required (an Auth Token or API Key secret)"},
		{"both", "", "", "username", "conversations: username is required (an Account SID or API Key SID)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(tc.user, tc.pass)
			require.Error(t, err)
			assert.Nil(t, c)
			var v *ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, tc.param, v.Param)
			assert.Equal(t, tc.msg, err.Error())
			assert.True(t, IsValidation(err))
		})
	}
}

func TestClientNewClientRejectsBadBaseURL(t *testing.T) {
	for _, tc := range []struct {
		name, base string
	}{
		{"empty", ""},
		{"relative", "/v1"},
		{"host only", "conversations.twilio.com"},
		{"ftp scheme", "ftp://conversations.twilio.com"},
		{"no host", "https://"},
		{"userinfo", "https://user:pass@conversations.twilio.com"},
		{"user only", "https://user@conversations.twilio.com"},
		{"query", "https://conversations.twilio.com?x=1"},
		{"fragment", "https://conversations.twilio.com/#frag"},
		{"unparsable", "http://[::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, hc := clientTTransport(t, 200, clientTConv)
			c, err := NewClient(testAccountSID, testAuthToken, hc, WithBaseURL(tc.base))
			require.Error(t, err)
			assert.Nil(t, c)
			var v *ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "base URL", v.Param)
			assert.True(t, strings.HasPrefix(err.Error(), "conversations: base URL "), err.Error())
			assert.Equal(t, 0, rec.count())
		})
	}
}

// A base URL that is refused for another reason than its userinfo must not
// quote the userinfo's password in the error either.
func TestClientBadBaseURLErrorHidesPassword(t *testing.T) {
	for _, base := range []string{
		"https://user:hunter2pw@conversations.twilio.com",
		"ftp://user:hunter2pw@conversations.twilio.com",
		"https://user:hunter2pw@conversations.twilio.com?x=1",
		"http://user:hunter2pw@[::1",
	} {
		_, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(base))
		require.Error(t, err, base)
		assert.NotContains(t, err.Error(), "hunter2pw", "error for %q", base)
	}
}

func TestClientBaseURLResolution(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, "https://conversations.twilio.com/v1/Conversations/CH1"},
		{"base URL", []Option{WithBaseURL("http://127.0.0.1:4010")}, "http://127.0.0.1:4010/v1/Conversations/CH1"},
		{"base URL with trailing slash", []Option{WithBaseURL("http://127.0.0.1:4010/")}, "http://127.0.0.1:4010/v1/Conversations/CH1"},
		{"base URL with path prefix", []Option{WithBaseURL("https://proxy.example.test/twilio/")}, "https://proxy.example.test/twilio/v1/Conversations/CH1"},
		{"region", []Option{WithRegion("ie1")}, "https://conversations.ie1.twilio.com/v1/Conversations/CH1"},
		{"edge", []Option{WithEdge("dublin")}, "https://conversations.dublin.us1.twilio.com/v1/Conversations/CH1"},
		{"edge and region", []Option{WithEdge("sydney"), WithRegion("au1")}, "https://conversations.sydney.au1.twilio.com/v1/Conversations/CH1"},
		{"base URL wins over region and edge", []Option{WithRegion("ie1"), WithEdge("dublin"), WithBaseURL("http://127.0.0.1:4010")}, "http://127.0.0.1:4010/v1/Conversations/CH1"},
		{"nil option ignored", []Option{nil}, "https://conversations.twilio.com/v1/Conversations/CH1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, hc := clientTTransport(t, 200, clientTConv)
			c, err := NewClient(testAccountSID, testAuthToken, append([]Option{hc}, tc.opts...)...)
			require.NoError(t, err)
			assert.Equal(t, tc.want, clientTFetchURL(t, c))
			require.Equal(t, 1, rec.count())
			assert.Equal(t, clientTBasic(testAccountSID, testAuthToken), rec.last(t).Header.Get("Authorization"))
		})
	}
}

func TestClientInvalidRegionOrEdge(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
	}{
		{"region with dot", WithRegion("ie1.evil.example.com")},
		{"region with slash", WithRegion("ie1/x")},
		{"region with at", WithRegion("x@evil")},
		{"region with space", WithRegion("ie 1")},
		{"edge with dot", WithEdge("dublin.evil")},
		{"edge with colon", WithEdge("dublin:443")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(testAccountSID, testAuthToken, tc.opt)
			require.Error(t, err)
			assert.Nil(t, c)
			var v *ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "region/edge", v.Param)
		})
	}
}

func TestClientWithHTTPClientNil(t *testing.T) {
	c, err := NewClient(testAccountSID, testAuthToken, WithHTTPClient(nil))
	require.Error(t, err)
	assert.Nil(t, c)
	assert.Contains(t, err.Error(), "WithHTTPClient")
}

// clientTClearEnv empties every variable NewClientFromEnv reads.
func clientTClearEnv(t *testing.T) {
	for _, k := range []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_REGION", "TWILIO_EDGE"} {
		t.Setenv(k, "")
	}
}

func TestClientFromEnv(t *testing.T) {
	const (
		keySID    = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		keySecret = "api-key-secret-0123456789"
	)
	for _, tc := range []struct {
		name     string
		env      map[string]string
		opts     []Option
		wantAuth string
		wantURL  string
	}{
		{
			name:     "account SID and token",
			env:      map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name:     "API key only",
			env:      map[string]string{"TWILIO_API_KEY": keySID, "TWILIO_API_SECRET": keySecret},
			wantAuth: clientTBasic(keySID, keySecret),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "API key preferred when both are set",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_API_KEY": keySID, "TWILIO_API_SECRET": keySecret},
			wantAuth: clientTBasic(keySID, keySecret),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "API key without secret falls back to the account",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_API_KEY": keySID},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "region and edge",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin"},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.dublin.ie1.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "region only",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_REGION": "au1"},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.au1.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "edge only",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_EDGE": "dublin"},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.dublin.us1.twilio.com/v1/Conversations/CH1",
		},
		{
			name: "options win over the environment",
			env: map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID, "TWILIO_AUTH_TOKEN": testAuthToken,
				"TWILIO_REGION": "ie1"},
			opts:     []Option{WithRegion("au1")},
			wantAuth: clientTBasic(testAccountSID, testAuthToken),
			wantURL:  "https://conversations.au1.twilio.com/v1/Conversations/CH1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clientTClearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			rec, hc := clientTTransport(t, 200, clientTConv)
			c, err := NewClientFromEnv(append([]Option{hc}, tc.opts...)...)
			require.NoError(t, err)
			assert.Equal(t, tc.wantURL, clientTFetchURL(t, c))
			assert.Equal(t, tc.wantAuth, rec.last(t).Header.Get("Authorization"))
		})
	}
}

func TestClientFromEnvMissing(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"nothing", nil},
		{"account SID without token", map[string]string{"TWILIO_ACCOUNT_SID": testAccountSID}},
		{"token without account SID", map[string]string{"TWILIO_AUTH_TOKEN": testAuthToken}},
		{"API secret alone", map[string]string{"TWILIO_API_SECRET": "s"}},
		{"region alone", map[string]string{"TWILIO_REGION": "ie1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clientTClearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := NewClientFromEnv()
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), "TWILIO_ACCOUNT_SID")
			assert.Contains(t, err.Error(), "TWILIO_API_KEY")
		})
	}
}

func TestClientFromEnvInvalidRegion(t *testing.T) {
	clientTClearEnv(t)
	t.Setenv("TWILIO_ACCOUNT_SID", testAccountSID)
	t.Setenv("TWILIO_AUTH_TOKEN", testAuthToken)
	t.Setenv("TWILIO_REGION", "ie1.evil.example.com")
	_, err := NewClientFromEnv()
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "region/edge", v.Param)
}

func TestClientUserAgent(t *testing.T) {
	base := "conversations-go/" + Version + " (" + runtime.GOOS + " " + runtime.GOARCH + ") go/" + runtime.Version()
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, base},
		{"suffix", []Option{WithUserAgent("my-app/1.2.3")}, base + " my-app/1.2.3"},
		{"empty suffix", []Option{WithUserAgent("")}, base},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, clientTConv, tc.opts...)
			_, err := c.Conversations.Fetch(context.Background(), "CH1")
			require.NoError(t, err)
			assert.Equal(t, tc.want, rec.last(t).Header.Get("User-Agent"))
			assert.Len(t, rec.last(t).Header.Values("User-Agent"), 1)
		})
	}
}

func TestClientWithHeader(t *testing.T) {
	c, rec := newRecorder(t, 200, clientTConv)
	ctx := context.Background()
	_, err := c.Conversations.Fetch(ctx, "CH1",
		WithHeader("X-Trace-Id", "trace-1"),
		WithHeader("x-multi", "a"), WithHeader("X-Multi", "b"),
	)
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "GET", "/v1/Conversations/CH1", nil, nil)
	assert.Equal(t, []string{"trace-1"}, r.Header.Values("X-Trace-Id"))
	assert.Equal(t, []string{"a", "b"}, r.Header.Values("X-Multi"))

	// The headers belong to that call only.
	_, err = c.Conversations.Fetch(ctx, "CH1")
	require.NoError(t, err)
	assert.Empty(t, rec.last(t).Header.Values("X-Trace-Id"))
	assert.Empty(t, rec.last(t).Header.Values("X-Multi"))
}

func TestClientWithHeaderCannotOverrideSDKHeaders(t *testing.T) {
	c, rec := newRecorder(t, 200, clientTConv)
	ctx := context.Background()
	hijack := []RequestOption{
		WithHeader("Authorization", "Bearer stolen"),
		WithHeader("authorization", "Basic Zm9vOmJhcg=="),
		WithHeader("User-Agent", "evil/1.0"),
		WithHeader("Accept", "text/html"),
		WithHeader("content-type", "application/json"),
	}
	ua := "conversations-go/" + Version + " (" + runtime.GOOS + " " + runtime.GOARCH + ") go/" + runtime.Version()
	check := func(r recorded) {
		t.Helper()
		assert.Equal(t, []string{clientTBasic(testAccountSID, testAuthToken)}, r.Header.Values("Authorization"))
		assert.Equal(t, []string{ua}, r.Header.Values("User-Agent"))
		assert.Equal(t, []string{"application/json"}, r.Header.Values("Accept"))
	}

	// A POST with a body: Content-Type stays the form's.
	_, err := c.Conversations.Update(ctx, "CH1", &ConversationUpdateParams{FriendlyName: Ptr("x")}, hijack...)
	require.NoError(t, err)
	r := rec.last(t)
	check(r)
	assert.Equal(t, []string{"application/x-www-form-urlencoded"}, r.Header.Values("Content-Type"))
	assert.Equal(t, "FriendlyName=x", r.Body)

	_, err = c.Conversations.Fetch(ctx, "CH1", hijack...)
	require.NoError(t, err)
	check(rec.last(t))
}

// The SDK owns Content-Type: a request without a body (GET, DELETE, a POST
// with nothing to send) carries none, whatever WithHeader says.
func TestClientWithHeaderNoContentTypeWithoutBody(t *testing.T) {
	c, rec := newRecorder(t, 200, clientTConv)
	ctx := context.Background()
	ct := WithHeader("Content-Type", "application/json")

	_, err := c.Conversations.Fetch(ctx, "CH1", ct)
	require.NoError(t, err)
	assert.Empty(t, rec.last(t).Header.Values("Content-Type"), "GET")

	require.NoError(t, c.Conversations.Delete(ctx, "CH1", ct))
	assert.Empty(t, rec.last(t).Header.Values("Content-Type"), "DELETE")

	_, err = c.Conversations.Create(ctx, nil, ct)
	require.NoError(t, err)
	assert.Empty(t, rec.last(t).Header.Values("Content-Type"), "POST without a body")
}

func TestClientWithWebhookEnabled(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []RequestOption
		want []string
	}{
		{"true", []RequestOption{WithWebhookEnabled(true)}, []string{"true"}},
		{"false", []RequestOption{WithWebhookEnabled(false)}, []string{"false"}},
		{"unset", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			require.NoError(t, c.Conversations.Delete(context.Background(), "CH1", tc.opts...))
			r := rec.last(t)
			assertWire(t, r, "DELETE", "/v1/Conversations/CH1", nil, nil)
			assert.Equal(t, tc.want, r.Header.Values("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestClientWithResponse(t *testing.T) {
	ctx := context.Background()
	t.Run("success", func(t *testing.T) {
		c, rec := newRecorder(t, 201, clientTConv)
		rec.responses[0].header = http.Header{"Twilio-Request-Id": {"RQ123"}, "X-Rate-Limit": {"7"}}
		var resp *http.Response
		got, err := c.Conversations.Create(ctx, &ConversationCreateParams{FriendlyName: Ptr("support")}, WithResponse(&resp))
		require.NoError(t, err)
		assert.Equal(t, "support", got.FriendlyName)
		require.NotNil(t, resp)
		assert.Equal(t, 201, resp.StatusCode)
		assert.Equal(t, "RQ123", resp.Header.Get("Twilio-Request-Id"))
		assert.Equal(t, "7", resp.Header.Get("X-Rate-Limit"))
		assert.Equal(t, http.MethodPost, resp.Request.Method)
		assert.Equal(t, "/v1/Conversations", resp.Request.URL.Path)
	})
	t.Run("error", func(t *testing.T) {
		c, rec := newRecorder(t, 404, `{"code":20404,"message":"not found","status":404}`)
		rec.responses[0].header = http.Header{"Twilio-Request-Id": {"RQ404"}}
		var resp *http.Response
		_, err := c.Conversations.Fetch(ctx, "CH1", WithResponse(&resp))
		require.Error(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "RQ404", resp.Header.Get("Twilio-Request-Id"))
	})
	t.Run("final attempt after a retry", func(t *testing.T) {
		c, rec := newRecorder(t, 503, `{"code":20503,"message":"busy","status":503}`)
		rec.then(200, clientTConv)
		rec.responses[1].header = http.Header{"Twilio-Request-Id": {"RQfinal"}}
		var resp *http.Response
		_, err := c.Conversations.Fetch(ctx, "CH1", WithResponse(&resp),
			WithCallRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
		require.NoError(t, err)
		assert.Equal(t, 2, rec.count())
		require.NotNil(t, resp)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "RQfinal", resp.Header.Get("Twilio-Request-Id"))
	})
}

func TestClientContentTypeOnlyWithBody(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 200, clientTConv)

	_, err := c.Conversations.Fetch(ctx, "CH1")
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Conversations/CH1", nil, nil)

	_, err = c.Conversations.List(ctx, &ConversationListParams{ListParams: ListParams{PageSize: Ptr(5)}})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Conversations", url.Values{"PageSize": {"5"}}, nil)

	require.NoError(t, c.Conversations.Delete(ctx, "CH1"))
	assertWire(t, rec.last(t), "DELETE", "/v1/Conversations/CH1", nil, nil)

	_, err = c.Conversations.Update(ctx, "CH1", &ConversationUpdateParams{FriendlyName: Ptr("a b&c")})
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Conversations/CH1", nil, url.Values{"FriendlyName": {"a b&c"}})
	assert.Equal(t, "FriendlyName=a+b%26c", r.Body)
	assert.Equal(t, []string{"application/x-www-form-urlencoded"}, r.Header.Values("Content-Type"))
}

// A POST with nothing to send (nil params, or params with every field
// unset) goes out with an empty body and no Content-Type.
func TestClientPostWithoutParams(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 201, clientTConv)

	_, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Conversations", nil, nil)
	assert.Equal(t, "", r.Body)
	assert.Empty(t, r.Header.Values("Content-Type"))

	_, err = c.Conversations.Update(ctx, "CH1", &ConversationUpdateParams{})
	require.NoError(t, err)
	r = rec.last(t)
	assertWire(t, r, "POST", "/v1/Conversations/CH1", nil, nil)
	assert.Equal(t, "", r.Body)
	assert.Empty(t, r.Header.Values("Content-Type"))
	assert.Equal(t, 2, rec.count())
}

func TestClientPtr(t *testing.T) {
	s := Ptr("x")
	require.NotNil(t, s)
	assert.Equal(t, "x", *s)
	assert.NotSame(t, Ptr("x"), s, "a new pointer each call")

	v := 3
	p := Ptr(v)
	*p = 4
	assert.Equal(t, 3, v, "Ptr copies its argument")

	assert.Equal(t, false, *Ptr(false))
	assert.Equal(t, 0, *Ptr(0))
	assert.Equal(t, ConversationStateClosed, *Ptr(ConversationStateClosed))
}

func TestClientAttributes(t *testing.T) {
	t.Run("unmarshal", func(t *testing.T) {
		var v struct {
			Topic string `json:"topic"`
			N     int    `json:"n"`
		}
		require.NoError(t, UnmarshalAttributes(`{"topic":"feedback","n":2}`, &v))
		assert.Equal(t, "feedback", v.Topic)
		assert.Equal(t, 2, v.N)
	})
	t.Run("empty string is {}", func(t *testing.T) {
		for _, s := range []string{"", "   ", "\n\t"} {
			var m map[string]any
			require.NoError(t, UnmarshalAttributes(s, &m), "%q", s)
			assert.NotNil(t, m, "%q decodes as {}", s)
			assert.Empty(t, m)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		var m map[string]any
		err := UnmarshalAttributes(`{"topic":`, &m)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "conversations: decoding attributes")
		var se *json.SyntaxError
		assert.ErrorAs(t, err, &se)
	})
	t.Run("marshal", func(t *testing.T) {
		s, err := MarshalAttributes(map[string]any{"topic": "feedback", "n": 2})
		require.NoError(t, err)
		assert.Equal(t, `{"n":2,"topic":"feedback"}`, s)
		s, err = MarshalAttributes(struct {
			A string `json:"a"`
		}{"<&>"})
		require.NoError(t, err)
		var back struct {
			A string `json:"a"`
		}
		require.NoError(t, UnmarshalAttributes(s, &back))
		assert.Equal(t, "<&>", back.A)
	})
	t.Run("marshal error", func(t *testing.T) {
		_, err := MarshalAttributes(map[string]any{"c": make(chan int)})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "conversations: encoding attributes")
		var ue *json.UnsupportedTypeError
		assert.ErrorAs(t, err, &ue)
	})
}

func TestClientFlexBool(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`true`, true},
		{`false`, false},
		{`"True"`, true},
		{`"False"`, false},
		{`"true"`, true},
		{`"false"`, false},
		{`"TRUE"`, true},
		{`null`, false},
		{`""`, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			v := Credential{Sandbox: !tc.want, FriendlyName: "kept"} // prove the decoder writes the value
			require.NoError(t, json.Unmarshal([]byte(`{"sid":"CR1","sandbox":`+tc.in+`}`), &v))
			assert.Equal(t, tc.want, v.Sandbox)
			assert.Equal(t, "CR1", v.SID)
		})
	}
	for _, in := range []string{`"yes"`, `"maybe"`, `2`, `"tru"`} {
		t.Run("invalid "+in, func(t *testing.T) {
			var v Credential
			err := json.Unmarshal([]byte(`{"sandbox":`+in+`}`), &v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is not a boolean")
		})
	}
	b, err := json.Marshal(Credential{Sandbox: true})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"sandbox":true`)
}

func TestClientPathEscaping(t *testing.T) {
	const sid = "a b/c?d#e%f+g@hé日"
	const escaped = "a%20b%2Fc%3Fd%23e%25f%2Bg%40h%C3%A9%E6%97%A5"
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, clientTConv)
			_, err := sc.of(c).Conversations.Fetch(ctx, sid)
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "GET", sc.prefix+"/Conversations/"+escaped, nil, nil)
			assert.Empty(t, r.Query, "nothing of the SID leaks into the query")

			_, err = sc.of(c).Messages.Fetch(ctx, sid, "IM 1/2")
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+escaped+"/Messages/IM%201%2F2", nil, nil)
		})
	}
}

func TestClientServiceSIDEscaping(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 200, clientTConv)
	s := c.Service("IS 1/?#%+@é")
	_, err := s.Conversations.Fetch(ctx, "CH1")
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/IS%201%2F%3F%23%25%2B%40%C3%A9/Conversations/CH1", nil, nil)

	_, err = s.Conversations.Update(ctx, "CH1", &ConversationUpdateParams{FriendlyName: Ptr("x")})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Services/IS%201%2F%3F%23%25%2B%40%C3%A9/Conversations/CH1", nil,
		url.Values{"FriendlyName": {"x"}})

	// An empty service SID is refused before sending.
	_, err = c.Service("").Conversations.Fetch(ctx, "CH1")
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "ChatServiceSid", v.Param)
	assert.Equal(t, 2, rec.count())
}
