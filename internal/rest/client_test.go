package rest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUserAgent: the SDK's version, platform and Go version, then the
// caller's suffix after one space.
func TestUserAgent(t *testing.T) {
	want := fmt.Sprintf("conversations-go/1.2.3 (%s %s) go/%s", runtime.GOOS, runtime.GOARCH, runtime.Version())
	c, err := New(Config{Username: "AC1", Password: "secret", Version: "1.2.3"})
	require.NoError(t, err)
	assert.Equal(t, want, c.UserAgent())
	c, err = New(Config{Username: "AC1", Password: "secret", Version: "1.2.3", UserAgentSuffix: "app/9"})
	require.NoError(t, err)
	assert.Equal(t, want+" app/9", c.UserAgent())
}

// TestResolveBaseURLRegionEdge: the host a region and an edge select.
func TestResolveBaseURLRegionEdge(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "https://conversations.twilio.com"},
		{Config{Region: "ie1"}, "https://conversations.ie1.twilio.com"},
		{Config{Edge: "dublin"}, "https://conversations.dublin.us1.twilio.com"},
		{Config{Region: "au1", Edge: "sydney"}, "https://conversations.sydney.au1.twilio.com"},
		{Config{Region: "au1", BaseURL: "http://127.0.0.1:9", BaseURLSet: true}, "http://127.0.0.1:9"},
	} {
		u, err := ResolveBaseURL(tc.cfg)
		require.NoError(t, err, "%+v", tc.cfg)
		assert.Equal(t, tc.want, u.String(), "%+v", tc.cfg)
	}
}

// lengthStream is a Stream of data whose Open reports length.
type lengthStream struct {
	data   string
	length int64
}

func (s *lengthStream) Open() (io.Reader, int64)    { return strings.NewReader(s.data), s.length }
func (s *lengthStream) Rewind(context.Context) bool { return true }
func (s *lengthStream) Release()                    {}

// TestDoBodyLength: a body of known length is sent with its
// Content-Length, a stream of unknown length chunked, no body with none.
func TestDoBodyLength(t *testing.T) {
	type got struct {
		length int64
		te     []string
		body   string
	}
	var mu sync.Mutex
	var seen []got
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, got{r.ContentLength, r.TransferEncoding, string(b)})
		mu.Unlock()
		jsonReply(w, 200, `{"id":"x"}`)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)
	for _, body := range []Body{
		StreamBody("image/png", &lengthStream{data: "\x89PNG", length: 4}),
		StreamBody("image/png", &lengthStream{data: "\x89PNG", length: -1}),
		FormBody("A=1"),
		{},
	} {
		var out item
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/v1/Media", Body: body, Decoder: JSON(&out)}))
	}
	assert.Equal(t, []got{{4, nil, "\x89PNG"}, {-1, []string{"chunked"}, "\x89PNG"}, {3, nil, "A=1"}, {0, nil, ""}}, seen)
}

// TestSleepCtxNoWait: no wait returns the context's state at once, never a
// race between a zero timer and a done context.
func TestSleepCtxNoWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 64 {
		require.ErrorIs(t, sleepCtx(ctx, 0), context.Canceled)
	}
	require.NoError(t, sleepCtx(context.Background(), 0))
	require.NoError(t, sleepCtx(context.Background(), -time.Second))
}
