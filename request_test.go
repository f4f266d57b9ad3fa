package conversations

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPageOfAndSeqOf: the helpers for fakes.
func TestPageOfAndSeqOf(t *testing.T) {
	ctx := context.Background()
	items := []Conversation{{SID: "CH1"}, {SID: "CH2"}}
	last := PageOf(items, nil)
	assert.Equal(t, items, last.Items)
	assert.False(t, last.HasNextPage())
	_, err := last.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)

	boom := errors.New("boom")
	failing := PageOf(items, boom)
	assert.True(t, failing.HasNextPage(), "so that a NextPage loop sees the error")
	_, err = failing.NextPage(ctx)
	assert.ErrorIs(t, err, boom)

	var sids []string
	for c, err := range SeqOf(items, nil) {
		require.NoError(t, err)
		sids = append(sids, c.SID)
	}
	assert.Equal(t, []string{"CH1", "CH2"}, sids)

	sids = nil
	var errs []error
	for c, err := range SeqOf(items, boom) {
		if err != nil {
			assert.Nil(t, c)
			errs = append(errs, err)
			continue
		}
		sids = append(sids, c.SID)
	}
	assert.Equal(t, []string{"CH1", "CH2"}, sids)
	assert.Equal(t, []error{boom}, errs, "the error once, after the items")

	n := 0
	for range SeqOf(items, boom) {
		n++
		break
	}
	assert.Equal(t, 1, n, "stops when the consumer stops")
	for range SeqOf[Conversation](nil, nil) {
		t.Fatal("no items")
	}
	// The iterator yields pointers into items, as All yields pointers.
	for c := range SeqOf(items, nil) {
		c.FriendlyName = "changed"
		break
	}
	assert.Equal(t, "changed", items[0].FriendlyName)
}

// TestNewClientRefusesImpossibleOptions: options that cannot be right fail
// NewClient with a *ValidationError.
func TestNewClientRefusesImpossibleOptions(t *testing.T) {
	bad := map[string]Option{
		"base ends in /v1":        WithBaseURL("https://conversations.twilio.com/v1"),
		"base ends in /v1/":       WithBaseURL("https://conversations.twilio.com/v1/"),
		"proxy base ends in /v1":  WithBaseURL("http://127.0.0.1:4010/twilio/v1"),
		"user agent with newline": WithUserAgent("app/1.0\r\nX-Injected: 1"),
		"user agent with NUL":     WithUserAgent("app\x00"),
		"max response bytes 0":    WithMaxResponseBytes(0),
		"max response bytes < 0":  WithMaxResponseBytes(-1),
		"nil http client":         WithHTTPClient(nil),
		"negative retry budget":   WithRetry(RetryPolicy{RetryBudget: -5}),
	}
	for name, opt := range bad {
		_, err := NewClient("AC1", "secret", opt)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, "%s: %v", name, err)
	}
	for name, opt := range map[string]Option{
		"base with a path":        WithBaseURL("http://127.0.0.1:4010/twilio"),
		"base ending in v1 label": WithBaseURL("http://127.0.0.1:4010/xv1"),
		"user agent":              WithUserAgent("app/1.0 (tab\tok)"),
		"max response bytes 1":    WithMaxResponseBytes(1),
	} {
		_, err := NewClient("AC1", "secret", opt)
		assert.NoError(t, err, name)
	}
	c, err := NewClient("AC1", "secret")
	require.NoError(t, err)
	assert.Equal(t, int64(DefaultMaxResponseBytes), c.core.MaxBody())
	assert.Equal(t, int64(32<<20), int64(DefaultMaxResponseBytes))
	c, err = NewClient("AC1", "secret", WithMaxResponseBytes(1234))
	require.NoError(t, err)
	assert.Equal(t, int64(1234), c.core.MaxBody())
}

// TestResponseLimitExact: a body of exactly the limit decodes; one byte
// more is a *ResponseTooLargeError.
func TestResponseLimitExact(t *testing.T) {
	body := faultConversationJSON(faultSID)
	for _, tc := range []struct {
		limit int64
		ok    bool
	}{{int64(len(body)), true}, {int64(len(body)) - 1, false}, {int64(len(body)) + 1, true}} {
		c, _ := newRecorderAs(t, faultUser, faultSecret, 200, body, nil, WithMaxResponseBytes(tc.limit))
		got, err := c.Conversations.Fetch(context.Background(), faultSID)
		if tc.ok {
			require.NoError(t, err, "limit %d, body %d", tc.limit, len(body))
			assert.Equal(t, faultSID, got.SID)
			continue
		}
		var tl *ResponseTooLargeError
		require.ErrorAs(t, err, &tl, "limit %d", tc.limit)
		assert.Equal(t, tc.limit, tl.Limit)
		assert.Contains(t, err.Error(), "WithMaxResponseBytes")
	}
}

// TestDebugLogFinalStatusAndLatency: each call logs its final status,
// attempts and latency at debug level.
func TestDebugLogFinalStatusAndLatency(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			faultJSON(w, 503, `{"message":"down"}`)
			return
		}
		if n == 3 {
			faultJSON(w, 404, `{"code":20404,"message":"nope"}`)
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, lg := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	require.NoError(t, err)
	_, err = c.Conversations.Fetch(context.Background(), faultSID)
	require.Error(t, err)
	lines := []string{}
	for _, l := range strings.Split(lg.String(), "\n") {
		if strings.Contains(l, "conversations: response") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 2, lg.String())
	assert.Contains(t, lines[0], "status=200")
	assert.Contains(t, lines[0], "attempts=2")
	assert.Contains(t, lines[0], "latency=")
	assert.NotContains(t, lines[0], "error=")
	assert.Contains(t, lines[1], "status=404")
	assert.Contains(t, lines[1], "attempts=1")
	assert.Contains(t, lines[1], "error=")
}

// TestParamsJSONNeverPrintsSecrets: json.Marshal of the credential params
// leaves the secret fields out.
func TestParamsJSONNeverPrintsSecrets(t *testing.T) {
	const s = "secret-never-in-json"
	for _, p := range []any{
		CredentialCreateParams{Certificate: Ptr(s), PrivateKey: Ptr(s), APIKey: Ptr(s), Secret: Ptr(s)},
		CredentialUpdateParams{Certificate: Ptr(s), PrivateKey: Ptr(s), APIKey: Ptr(s), Secret: Ptr(s)},
	} {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		assert.NotContains(t, string(b), s, "%T", p)
	}
}

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

// TestPaginationEmptyPagesAreNotACycle: empty pages under new tokens
// repeat no items, so they never count as a cycle.
func TestPaginationEmptyPagesAreNotACycle(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		next := "https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken=PT" + strings.Repeat("x", n)
		switch n {
		case 1, 2, 3:
			faultJSON(w, 200, faultListPage(next))
		default:
			faultJSON(w, 200, faultListPage("", "CH9"))
		}
	})
	c, _ := faultClient(t, srv.URL)
	var sids []string
	for conv, err := range c.Conversations.All(context.Background(), nil) {
		require.NoError(t, err)
		sids = append(sids, conv.SID)
	}
	assert.Equal(t, []string{"CH9"}, sids)
	assert.Equal(t, 4, srv.count())
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

// TestPageZeroAndHandBuilt: every method of a nil, zero or hand-built Page
// is safe.
func TestPageZeroAndHandBuilt(t *testing.T) {
	ctx := context.Background()
	var nilPage *Page[Conversation]
	assert.False(t, nilPage.HasNextPage())
	_, err := nilPage.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)

	var zero Page[Conversation]
	assert.False(t, zero.HasNextPage())
	_, err = zero.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)

	built := &Page[Conversation]{Items: []Conversation{{SID: "CH1"}}, Meta: Meta{NextPageURL: "https://conversations.twilio.com/v1/Conversations?PageToken=PT1"}}
	assert.True(t, built.HasNextPage())
	var next *Page[Conversation]
	require.NotPanics(t, func() { next, err = built.NextPage(ctx) })
	assert.Nil(t, next)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Page", ve.Param)
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
