package conversations

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConnectionReusedAfterDecode: returning at once never costs the
// connection when the body is complete — plain with Content-Length,
// chunked, and gzip (which net/http decodes transparently).
func TestConnectionReusedAfterDecode(t *testing.T) {
	page := faultListPage("", "CH0", "CH1", "CH2", "CH3", "CH4", "CH5", "CH6", "CH7") // > 2 KiB: chunked
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = io.WriteString(zw, faultConversationJSON(faultSID))
	require.NoError(t, zw.Close())
	for name, h := range map[string]func(w http.ResponseWriter){
		"content-length": func(w http.ResponseWriter) { faultJSON(w, 200, faultConversationJSON(faultSID)) },
		"chunked": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, page[:len(page)/2])
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, page[len(page)/2:])
		},
		"gzip": func(w http.ResponseWriter) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(gz.Bytes())
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) { h(w) })
			c, _ := faultClient(t, srv.URL)
			for range 5 {
				if name == "chunked" {
					_, err := c.Conversations.List(context.Background(), nil)
					require.NoError(t, err)
				} else {
					_, err := c.Conversations.Fetch(context.Background(), faultSID)
					require.NoError(t, err)
				}
			}
			assert.Equal(t, int32(1), srv.conns.Load(), "connections for 5 sequential calls")
		})
	}
}

// TestPathTemplateArgumentCount: a template with more placeholders than
// arguments is a programming error of the SDK, reported by name.
func TestPathTemplateArgumentCount(t *testing.T) {
	assert.PanicsWithValue(t, "conversations: path template A/{X}/B/{Y} has more placeholders than arguments", func() {
		_, _ = scopeRef{}.path("A/{X}/B/{Y}", "x")
	})
	p, err := scopeRef{}.path("A/{X}/B/{Y}", "x", "y")
	require.NoError(t, err)
	assert.Equal(t, "/v1/A/x/B/y", p)
}

// TestRequestOptionsReadBack: what a mock reads back from the options.
func TestRequestOptionsReadBack(t *testing.T) {
	assert.Equal(t, CallOptions{}, RequestOptions())
	assert.Equal(t, CallOptions{}, RequestOptions(nil))

	var resp *http.Response
	policy := RetryPolicy{MaxAttempts: 2}
	o := RequestOptions(
		WithWebhookEnabled(true),
		WithHeader("X-Custom", "a"),
		WithHeader("x-custom", "b"),
		WithCallRetry(policy),
		WithIdempotencyKey("job-7"),
		WithCallLimiterFailureMode(LimiterFailClosed),
		WithResponse(&resp),
		WithWebhookEnabled(false), // the last one wins
	)
	assert.Equal(t, http.Header{"X-Twilio-Webhook-Enabled": {"true", "false"}, "X-Custom": {"a", "b"}}, o.Header)
	require.NotNil(t, o.WebhookEnabled)
	assert.False(t, *o.WebhookEnabled)
	assert.Equal(t, &policy, o.Retry)
	assert.Equal(t, "job-7", o.IdempotencyKey)
	require.NotNil(t, o.LimiterFailureMode)
	assert.Equal(t, LimiterFailClosed, *o.LimiterFailureMode)
	assert.Same(t, &resp, o.Response)

	o = RequestOptions(WithWebhookEnabled(true))
	require.NotNil(t, o.WebhookEnabled)
	assert.True(t, *o.WebhookEnabled)
	assert.Nil(t, RequestOptions(WithHeader("X-Twilio-Webhook-Enabled", "maybe")).WebhookEnabled)
	assert.Nil(t, o.Retry)
	assert.Nil(t, o.LimiterFailureMode)

	// Each call reads afresh: changing one result changes no other.
	opts := []RequestOption{WithHeader("X-A", "1")}
	RequestOptions(opts...).Header.Set("X-A", "2")
	assert.Equal(t, "1", RequestOptions(opts...).Header.Get("X-A"))
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
