package conversationstest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mediaScope is one of the two scopes media is sent in.
type mediaScope struct {
	name     string
	media    cv.MediaAPI
	convs    cv.ConversationsAPI
	messages cv.MessagesAPI
}

func mediaScopes(t *testing.T, srv *conversationstest.Server, c *cv.Client) []mediaScope {
	t.Helper()
	svc, err := c.Services.Create(context.Background(), &cv.ChatServiceCreateParams{FriendlyName: "media"})
	require.NoError(t, err)
	s := c.Service(svc.SID)
	return []mediaScope{
		{"default service", c.Media, c.Conversations, c.Messages},
		{"named service", s.Media, s.Conversations, s.Messages},
	}
}

func TestMediaRoundTrip(t *testing.T) {
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	for _, sc := range mediaScopes(t, srv, c) {
		t.Run(sc.name, func(t *testing.T) {
			file := make([]byte, 300<<10)
			_, _ = rand.Read(file)
			up, err := sc.media.Upload(ctx, &cv.MediaUploadParams{
				ContentType: "image/png", Filename: "receipt.png", Body: bytes.NewReader(file), Size: int64(len(file)),
			})
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(up.SID, "ME"))
			assert.Equal(t, int64(len(file)), up.Size)
			assert.Equal(t, "image/png", up.ContentType)
			assert.Equal(t, "receipt.png", up.Filename)
			assert.Equal(t, srv.AccountSID, up.AccountSID)
			assert.Empty(t, up.MessageSID)
			assert.Empty(t, up.Links.ContentDirectTemporary, "the upload answer has no temporary link")

			conv, err := sc.convs.Create(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, up.ServiceSID, conv.ChatServiceSID, "media and conversation share the Conversation Service")
			msg, err := sc.messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(up.SID)})
			require.NoError(t, err)
			got, err := sc.messages.Fetch(ctx, conv.SID, msg.SID)
			require.NoError(t, err)
			require.Len(t, got.Media, 1)
			assert.Equal(t, cv.MessageMedia{SID: up.SID, Size: int64(len(file)), ContentType: "image/png", Filename: "receipt.png"}, got.Media[0])

			rc, m, err := sc.media.Download(ctx, got.Media[0].SID)
			require.NoError(t, err)
			data, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			assert.Equal(t, file, data, "identical bytes")
			assert.Equal(t, msg.SID, m.MessageSID)
			assert.Equal(t, conv.SID, m.ChannelSID)
			assert.True(t, strings.HasPrefix(m.Links.ContentDirectTemporary, srv.URL+"/"), "the link is on the fake's origin")

			// The fake saw the upload as Twilio documents it, and the
			// download without credentials.
			var sawUpload, sawDownload bool
			for _, r := range srv.Requests() {
				switch {
				case r.Method == http.MethodPost && r.Path == "/v1/Services/"+up.ServiceSID+"/Media":
					sawUpload = true
					assert.Equal(t, "image/png", r.Header.Get("Content-Type"))
					assert.Equal(t, "receipt.png", r.Query.Get("Filename"))
					assert.NotEmpty(t, r.Header.Get("Authorization"))
				case strings.HasPrefix(r.Path, "/media-content/"):
					sawDownload = true
					assert.Empty(t, r.Header.Values("Authorization"))
				}
			}
			assert.True(t, sawUpload)
			assert.True(t, sawDownload)
		})
	}
}

func TestMediaAttachRules(t *testing.T) {
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	upload := func(media cv.MediaAPI) *cv.Media {
		t.Helper()
		m, err := media.Upload(ctx, &cv.MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("hello")})
		require.NoError(t, err)
		return m
	}
	code := func(err error) int {
		t.Helper()
		var apiErr *cv.Error
		require.ErrorAs(t, err, &apiErr)
		return apiErr.Code
	}

	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr("ME00000000000000000000000000000000")})
	assert.Equal(t, 50507, code(err), "unknown media")

	m := upload(c.Media)
	msg, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(m.SID)})
	require.NoError(t, err)
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(m.SID)})
	assert.Equal(t, 50508, code(err), "already sent")

	// Media of another Conversation Service is not found.
	svc, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "other"})
	require.NoError(t, err)
	other := upload(c.Service(svc.SID).Media)
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(other.SID)})
	assert.Equal(t, 50507, code(err))
	_, err = c.Media.Fetch(ctx, other.SID)
	assert.True(t, cv.IsNotFound(err))

	// Deleting the message deletes its media.
	require.NoError(t, c.Messages.Delete(ctx, conv.SID, msg.SID))
	_, err = c.Media.Fetch(ctx, m.SID)
	assert.True(t, cv.IsNotFound(err))

	// So does deleting the conversation.
	m2 := upload(c.Media)
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(m2.SID)})
	require.NoError(t, err)
	require.NoError(t, c.Conversations.Delete(ctx, conv.SID))
	_, err = c.Media.Fetch(ctx, m2.SID)
	assert.True(t, cv.IsNotFound(err))
}

func TestMediaClock(t *testing.T) {
	// A clock that moves only with Advance: on the wall clock, a second
	// boundary crossed during the test would shift every edge by one.
	srv := conversationstest.NewServer(t, conversationstest.WithManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)))
	c := srv.Client()
	ctx := context.Background()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)

	// Unattached media disappears after 5 minutes.
	lost, err := c.Media.Upload(ctx, &cv.MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("a")})
	require.NoError(t, err)
	kept, err := c.Media.Upload(ctx, &cv.MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("b")})
	require.NoError(t, err)
	srv.Advance(4*time.Minute + 59*time.Second)
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(kept.SID)})
	require.NoError(t, err, "attached in time")
	srv.Advance(time.Second)
	_, err = c.Media.Fetch(ctx, lost.SID)
	assert.True(t, cv.IsNotFound(err), "unattached for 5 minutes")
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{MediaSID: cv.Ptr(lost.SID)})
	assert.Error(t, err)

	// The temporary link works for 300 s, without credentials only.
	m, err := c.Media.Fetch(ctx, kept.SID)
	require.NoError(t, err)
	link := m.Links.ContentDirectTemporary
	get := func(auth bool) (int, string) {
		t.Helper()
		return rawCall(t, srv, http.MethodGet, link, nil, 0, auth)
	}
	status, body := get(false)
	assert.Equal(t, 200, status)
	assert.Equal(t, "b", body)
	status, _ = get(true)
	assert.Equal(t, 400, status, "a pre-signed URL refuses credentials")
	srv.Advance(299 * time.Second)
	status, _ = get(false)
	assert.Equal(t, 200, status)
	srv.Advance(time.Second)
	status, body = get(false)
	assert.Equal(t, 403, status)
	assert.Contains(t, body, "expired")

	// Download asks for a fresh link each time, so it still works.
	rc, _, err := c.Media.Download(ctx, kept.SID)
	require.NoError(t, err)
	data, _ := io.ReadAll(rc)
	rc.Close()
	assert.Equal(t, "b", string(data))
}

func TestMediaServiceRoutes(t *testing.T) {
	srv := conversationstest.NewServer(t)
	ctx := context.Background()
	c := srv.Client()
	m, err := c.Media.Upload(ctx, &cv.MediaUploadParams{ContentType: "application/pdf", Body: strings.NewReader("%PDF")})
	require.NoError(t, err)
	base := srv.URL + "/v1/Services/" + srv.DefaultServiceSID() + "/Media"
	do := func(method, url string, body io.Reader, size int64, auth bool) (int, string) {
		t.Helper()
		return rawCall(t, srv, method, url, body, size, auth)
	}
	status, body := do(http.MethodGet, base+"/"+m.SID+"/Content", nil, 0, true)
	assert.Equal(t, 200, status)
	assert.Equal(t, "%PDF", body)
	status, _ = do(http.MethodGet, base+"/"+m.SID, nil, 0, false)
	assert.Equal(t, 401, status)
	status, _ = do(http.MethodDelete, base+"/"+m.SID, nil, 0, true)
	assert.Equal(t, 405, status)
	status, _ = do(http.MethodGet, srv.URL+"/v1/Services/IS11111111111111111111111111111111/Media/"+m.SID, nil, 0, true)
	assert.Equal(t, 404, status)

	// A file over 150 MB is refused with 50512 before it is read.
	status, body = do(http.MethodPost, base, io.LimitReader(zeros{}, cv.MaxMediaSize+1), cv.MaxMediaSize+1, true)
	assert.Equal(t, 400, status)
	assert.Contains(t, body, `"code":50512`)

	// Faults apply to media routes too.
	srv.RateLimitNext(1, http.MethodPost, "/v1/Services/*", time.Second)
	_, err = c.Media.Upload(ctx, &cv.MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("x")})
	assert.True(t, cv.IsRateLimited(err))
}

// rawCall sends one request to the fake with a plain HTTP client and
// returns the status and body of the answer.
func rawCall(t *testing.T, srv *conversationstest.Server, method, url string, body io.Reader, size int64, auth bool) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	if size != 0 {
		req.ContentLength = size
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/octet-stream")
	}
	if auth {
		req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
	}
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
