package conversations

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testMediaSID = "ME59b872f1e52fbd6fe6ad956bbb4fa9bd"
	// testSignedURL stands for a pre-signed content URL on another host.
	testSignedURL = "https://media.us1.twilio.com/ME59b872f1e52fbd6fe6ad956bbb4fa9bd?Expires=1700000300&Signature=c2lnbmF0dXJl&Key-Pair-Id=K2"
)

// mediaJSON is a media resource shaped like the Media Content Service's
// answers (timestamps with microseconds and an offset, null message and
// channel until attached).
func mediaJSON(links string) string {
	return `{
  "sid": "` + testMediaSID + `",
  "account_sid": "` + testAccountSID + `",
  "service_sid": "` + testServiceSID + `",
  "date_created": "2022-03-14T13:10:38.897143-07:00",
  "date_upload_updated": "2022-03-14T13:10:38.906058-07:00",
  "date_updated": null,
  "links": ` + links + `,
  "size": 11,
  "content_type": "image/png",
  "filename": "receipt (1).png",
  "author": "system",
  "category": "media",
  "message_sid": null,
  "channel_sid": null,
  "url": "/v1/Services/` + testServiceSID + `/Media/` + testMediaSID + `",
  "is_multipart_upstream": false
}`
}

var mediaLinksJSON = `{"content": "/v1/Services/` + testServiceSID + `/Media/` + testMediaSID + `/Content", "content_direct_temporary": "` + testSignedURL + `"}`

func jsonReply(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	return resp
}

var basicAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(testAccountSID+":"+testAuthToken))

// onlyReader hides every method but Read (no Seek, no WriteTo).
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestMediaUploadWire(t *testing.T) {
	c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
		return jsonReply(201, mediaJSON(`{"content": "/v1/Services/`+testServiceSID+`/Media/`+testMediaSID+`/Content"}`)), nil
	})
	payload := []byte("\x89PNG\r\n\x1a\nabc")
	m, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{
		ContentType: "image/png", Filename: "receipt (1).png", Body: onlyReader{bytes.NewReader(payload)}, Size: int64(len(payload)),
	})
	require.NoError(t, err)

	reqs := mm.all()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "mcs.us1.twilio.com", r.Host)
	assert.Equal(t, "/v1/Services/"+testServiceSID+"/Media", r.Path)
	assert.Equal(t, "Filename=receipt+%281%29.png", r.RawQuery)
	assert.Equal(t, string(payload), r.Body, "the raw bytes, not multipart or form encoded")
	assert.Equal(t, int64(len(payload)), r.ContentLength)
	assert.Equal(t, "image/png", r.Header.Get("Content-Type"))
	assert.Equal(t, "11", r.Header.Get("Content-Size"))
	assert.Equal(t, basicAuth, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "conversations-go/"+Version+" ("))

	assert.Equal(t, testMediaSID, m.SID)
	assert.Equal(t, testAccountSID, m.AccountSID)
	assert.Equal(t, testServiceSID, m.ServiceSID)
	assert.Equal(t, int64(11), m.Size)
	assert.Equal(t, "image/png", m.ContentType)
	assert.Equal(t, "receipt (1).png", m.Filename)
	assert.Equal(t, "system", m.Author)
	assert.Equal(t, MediaCategoryMedia, m.Category)
	assert.Empty(t, m.MessageSID)
	assert.Empty(t, m.ChannelSID)
	assert.Equal(t, "/v1/Services/"+testServiceSID+"/Media/"+testMediaSID+"/Content", m.Links.Content)
	assert.Empty(t, m.Links.ContentDirectTemporary)
	want := time.Date(2022, 3, 14, 20, 10, 38, 897143000, time.UTC)
	assert.True(t, want.Equal(m.DateCreated), "DateCreated %v", m.DateCreated)
	assert.True(t, m.DateUpdated.IsZero())
	assert.True(t, time.Date(2022, 3, 14, 20, 10, 38, 906058000, time.UTC).Equal(m.DateUploadUpdated))
}

func TestMediaUploadUnknownSizeAndNoFilename(t *testing.T) {
	c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
		return jsonReply(201, mediaJSON(mediaLinksJSON)), nil
	})
	_, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{
		ContentType: "application/pdf", Body: onlyReader{strings.NewReader("%PDF-1.7")},
	})
	require.NoError(t, err)
	r := mm.all()[0]
	assert.Empty(t, r.RawQuery, "no Filename parameter without a file name")
	assert.Equal(t, int64(-1), r.ContentLength, "unknown size goes chunked")
	assert.Empty(t, r.Header.Get("Content-Size"))
	assert.Equal(t, "application/pdf", r.Header.Get("Content-Type"))
	assert.Equal(t, "%PDF-1.7", r.Body)
}

func TestMediaFetchWire(t *testing.T) {
	c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
		return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
	})
	m, err := c.Service(testServiceSID).Media.Fetch(context.Background(), testMediaSID)
	require.NoError(t, err)
	r := mm.all()[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "mcs.us1.twilio.com", r.Host)
	assert.Equal(t, "/v1/Services/"+testServiceSID+"/Media/"+testMediaSID, r.Path)
	assert.Empty(t, r.RawQuery)
	assert.Empty(t, r.Body)
	assert.Empty(t, r.Header.Get("Content-Type"))
	assert.Equal(t, basicAuth, r.Header.Get("Authorization"))
	assert.Equal(t, testSignedURL, m.Links.ContentDirectTemporary)
}

func TestMediaFileNameSpelledAsInTheDocs(t *testing.T) {
	var m Media
	require.NoError(t, m.UnmarshalJSON([]byte(`{"sid":"ME1","file_name":"a.txt"}`)))
	assert.Equal(t, "a.txt", m.Filename)
	require.NoError(t, m.UnmarshalJSON([]byte(`{"sid":"ME1","filename":"b.txt","file_name":"a.txt"}`)))
	assert.Equal(t, "b.txt", m.Filename)
	assert.Error(t, m.UnmarshalJSON([]byte(`{"size":"big"}`)))
}

func TestMediaDownload(t *testing.T) {
	content := []byte("the file's bytes")
	c, mm := newReplyRecorder(t, func(n int, req *http.Request) (*http.Response, error) {
		if req.URL.Host == "media.us1.twilio.com" {
			resp := httpmock.NewBytesResponse(200, content)
			resp.Header.Set("Content-Type", "image/png")
			return resp, nil
		}
		return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
	})
	rc, m, err := c.Service(testServiceSID).Media.Download(context.Background(), testMediaSID)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, content, got)
	assert.Equal(t, testMediaSID, m.SID)

	reqs := mm.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, "mcs.us1.twilio.com", reqs[0].Host)
	assert.Equal(t, basicAuth, reqs[0].Header.Get("Authorization"))
	d := reqs[1]
	assert.Equal(t, http.MethodGet, d.Method)
	assert.Equal(t, "media.us1.twilio.com", d.Host)
	assert.Equal(t, "/"+testMediaSID, d.Path)
	assert.Equal(t, "Expires=1700000300&Signature=c2lnbmF0dXJl&Key-Pair-Id=K2", d.RawQuery, "the signed query is sent unchanged")
	assert.Empty(t, d.Header.Values("Authorization"), "no credentials go to the pre-signed URL")
	assert.NotContains(t, fmt.Sprint(d.Header), testAuthToken)
}

func TestMediaDownloadErrors(t *testing.T) {
	t.Run("expired link is an *Error without the signature", func(t *testing.T) {
		c, _ := newReplyRecorder(t, func(n int, req *http.Request) (*http.Response, error) {
			if req.URL.Host == "media.us1.twilio.com" {
				return httpmock.NewStringResponse(403, `<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`), nil
			}
			return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
		})
		rc, m, err := c.Service(testServiceSID).Media.Download(context.Background(), testMediaSID)
		assert.Nil(t, rc)
		require.NotNil(t, m, "the media resource is returned with the error")
		var apiErr *Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 403, apiErr.Status)
		assert.Equal(t, "/"+testMediaSID, apiErr.Path)
		assert.NotContains(t, err.Error(), "Signature")
		assert.Contains(t, apiErr.Snippet, "Request has expired")
	})
	t.Run("transport failure does not quote the signed URL", func(t *testing.T) {
		c, _ := newReplyRecorder(t, func(n int, req *http.Request) (*http.Response, error) {
			if req.URL.Host == "media.us1.twilio.com" {
				return nil, errors.New("connection reset by peer")
			}
			return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
		})
		_, _, err := c.Service(testServiceSID).Media.Download(context.Background(), testMediaSID)
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.NotContains(t, err.Error(), "Signature")
		assert.Contains(t, err.Error(), "connection reset by peer")
	})
	t.Run("no temporary link", func(t *testing.T) {
		c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
			return jsonReply(200, mediaJSON(`{"content": "/x"}`)), nil
		})
		_, _, err := c.Service(testServiceSID).Media.Download(context.Background(), testMediaSID)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Len(t, mm.all(), 1, "nothing is fetched without a link")
	})
	t.Run("media fetch fails", func(t *testing.T) {
		c, _ := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
			return jsonReply(404, `{"code": 20404, "message": "The requested resource was not found", "status": 404}`), nil
		})
		rc, m, err := c.Service(testServiceSID).Media.Download(context.Background(), testMediaSID)
		assert.Nil(t, rc)
		assert.Nil(t, m)
		assert.True(t, IsNotFound(err))
	})
}

func TestMediaDownloadCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/content" {
			assert.Empty(t, r.Header.Values("Authorization"))
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write([]byte("first chunk"))
			w.(http.Flusher).Flush()
			<-release
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, mediaJSON(`{"content_direct_temporary": "http://`+r.Host+`/content?sig=1"}`))
	}))
	defer srv.Close()
	defer close(release)
	c, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	rc, _, err := c.Service(testServiceSID).Media.Download(ctx, testMediaSID)
	require.NoError(t, err)
	defer rc.Close()
	buf := make([]byte, 11)
	_, err = io.ReadFull(rc, buf)
	require.NoError(t, err)
	assert.Equal(t, "first chunk", string(buf))
	cancel()
	_, err = io.ReadAll(rc)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestMediaValidation(t *testing.T) {
	c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
		return jsonReply(201, mediaJSON(mediaLinksJSON)), nil
	})
	body := strings.NewReader("x")
	cases := []struct {
		name  string
		p     *MediaUploadParams
		param string
	}{
		{"nil params", nil, "params"},
		{"no content type", &MediaUploadParams{Body: body}, "ContentType"},
		{"not a MIME type", &MediaUploadParams{ContentType: "image/png\r\nX-Evil: 1", Body: body}, "ContentType"},
		{"nil body", &MediaUploadParams{ContentType: "image/png"}, "Body"},
		{"negative size", &MediaUploadParams{ContentType: "image/png", Body: body, Size: -1}, "Size"},
		{"over the limit", &MediaUploadParams{ContentType: "image/png", Body: body, Size: MaxMediaSize + 1}, "Size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, media := range []MediaAPI{c.Media, c.Service(testServiceSID).Media} {
				_, err := media.Upload(context.Background(), tc.p)
				var v *ValidationError
				require.ErrorAs(t, err, &v)
				assert.Equal(t, tc.param, v.Param)
			}
		})
	}
	_, err := c.Service(testServiceSID).Media.Fetch(context.Background(), "")
	assert.True(t, IsValidation(err))
	_, _, err = c.Service(testServiceSID).Media.Download(context.Background(), "..")
	assert.True(t, IsValidation(err))
	_, err = c.Service("").Media.Fetch(context.Background(), testMediaSID)
	assert.True(t, IsValidation(err))
	//lint:ignore SA1012 a nil context is what this checks
	_, err = c.Service(testServiceSID).Media.Upload(nil, &MediaUploadParams{ContentType: "image/png", Body: body}) //nolint:staticcheck
	assert.True(t, IsValidation(err))
	//lint:ignore SA1012 a nil context is what this checks
	_, err = c.Media.Fetch(nil, testMediaSID) //nolint:staticcheck
	assert.True(t, IsValidation(err))
	assert.Empty(t, mm.all(), "nothing was sent")
}

func TestMediaDefaultServiceResolvedOnce(t *testing.T) {
	var configCalls atomic.Int32
	c, mm := newReplyRecorder(t, func(n int, req *http.Request) (*http.Response, error) {
		if req.URL.Path == "/v1/Configuration" {
			configCalls.Add(1)
			time.Sleep(5 * time.Millisecond) // let the other callers pile up behind it
			return jsonReply(200, `{"account_sid": "`+testAccountSID+`", "default_chat_service_sid": "`+testServiceSID+`"}`), nil
		}
		if req.Method == http.MethodPost {
			return jsonReply(201, mediaJSON(mediaLinksJSON)), nil
		}
		return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
	})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("hi")})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	_, err := c.Media.Fetch(context.Background(), testMediaSID)
	require.NoError(t, err)
	assert.Equal(t, int32(1), configCalls.Load(), "the default service is looked up once per Client")

	var posts, gets int
	for _, r := range mm.all() {
		switch {
		case r.Path == "/v1/Configuration":
			assert.Equal(t, "conversations.twilio.com", r.Host)
		case r.Method == http.MethodPost:
			posts++
			assert.Equal(t, "mcs.us1.twilio.com", r.Host)
			assert.Equal(t, "/v1/Services/"+testServiceSID+"/Media", r.Path)
		default:
			gets++
			assert.Equal(t, "/v1/Services/"+testServiceSID+"/Media/"+testMediaSID, r.Path)
		}
	}
	assert.Equal(t, 8, posts)
	assert.Equal(t, 1, gets)

	// Another Client looks it up again: the cache is per Client.
	c2, _ := newReplyRecorder(t, mm.reply)
	_, err = c2.Media.Fetch(context.Background(), testMediaSID)
	require.NoError(t, err)
	assert.Equal(t, int32(2), configCalls.Load())
}

func TestMediaDefaultServiceErrorNotCached(t *testing.T) {
	c, mm := newReplyRecorder(t, func(n int, req *http.Request) (*http.Response, error) {
		switch {
		case req.URL.Path == "/v1/Configuration" && n == 1:
			return jsonReply(503, `{"code": 20503, "message": "Service unavailable", "status": 503}`), nil
		case req.URL.Path == "/v1/Configuration" && n == 2:
			return jsonReply(200, `{"default_chat_service_sid": ""}`), nil
		case req.URL.Path == "/v1/Configuration":
			return jsonReply(200, `{"default_chat_service_sid": "`+testServiceSID+`"}`), nil
		}
		return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
	})
	_, err := c.Media.Fetch(context.Background(), testMediaSID)
	assert.Equal(t, 503, StatusCode(err))
	_, err = c.Media.Fetch(context.Background(), testMediaSID)
	assert.ErrorContains(t, err, "default_chat_service_sid")
	m, err := c.Media.Fetch(context.Background(), testMediaSID)
	require.NoError(t, err)
	assert.Equal(t, testMediaSID, m.SID)
	assert.Len(t, mm.all(), 4)

	// A caller waiting for the lookup gives up when its context is done.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c3, _ := newReplyRecorder(t, mm.reply)
	c3.Credentials.s.shared.defaultSID.sem <- struct{}{} // a lookup in flight
	_, err = c3.Media.Fetch(ctx, testMediaSID)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestMediaHosts(t *testing.T) {
	cases := []struct {
		name string
		opts []Option
		want string
	}{
		{"default", nil, "https://mcs.us1.twilio.com"},
		{"base URL", []Option{WithBaseURL("http://127.0.0.1:4010/")}, "http://127.0.0.1:4010"},
		{"base URL wins over region", []Option{WithRegion("ie1"), WithBaseURL("http://127.0.0.1:4010")}, "http://127.0.0.1:4010"},
		{"region", []Option{WithRegion("ie1")}, "https://mcs.ie1.twilio.com"},
		{"region us1 with an edge", []Option{WithRegion("us1"), WithEdge("ashburn")}, "https://mcs.us1.twilio.com"},
		{"edge only", []Option{WithEdge("dublin")}, "https://mcs.us1.twilio.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(testAccountSID, testAuthToken, tc.opts...)
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Credentials.s.shared.mediaBase)
		})
	}
}

func TestMediaUploadRetries(t *testing.T) {
	fast := WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
	payload := []byte("0123456789")
	tooMany := func(n int, _ *http.Request) (*http.Response, error) {
		if n == 1 {
			return jsonReply(429, `{"code": 20429, "message": "Too Many Requests", "status": 429}`), nil
		}
		return jsonReply(201, mediaJSON(mediaLinksJSON)), nil
	}
	t.Run("429 with a seekable body is replayed from its start offset", func(t *testing.T) {
		c, mm := newReplyRecorder(t, tooMany, fast)
		r := bytes.NewReader(append([]byte("skip"), payload...))
		_, _ = r.Seek(4, io.SeekStart)
		_, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: r, Size: 10})
		require.NoError(t, err)
		reqs := mm.all()
		require.Len(t, reqs, 2)
		assert.Equal(t, string(payload), reqs[0].Body)
		assert.Equal(t, string(payload), reqs[1].Body, "the retry sends the same bytes")
	})
	t.Run("429 with GetBody reopens the body", func(t *testing.T) {
		c, mm := newReplyRecorder(t, tooMany, fast)
		var opened, closed atomic.Int32
		_, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{
			ContentType: "text/plain", Body: onlyReader{bytes.NewReader(payload)},
			GetBody: func() (io.ReadCloser, error) {
				opened.Add(1)
				return closeCounter{bytes.NewReader(payload), &closed}, nil
			},
		})
		require.NoError(t, err)
		reqs := mm.all()
		require.Len(t, reqs, 2)
		assert.Equal(t, string(payload), reqs[1].Body)
		assert.Equal(t, int32(1), opened.Load())
		assert.Equal(t, int32(1), closed.Load(), "the reopened body is closed")
	})
	t.Run("429 with a one-shot body is not retried", func(t *testing.T) {
		c, mm := newReplyRecorder(t, tooMany, fast)
		_, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: onlyReader{bytes.NewReader(payload)}})
		assert.True(t, IsRateLimited(err))
		assert.Len(t, mm.all(), 1)
	})
	t.Run("5xx on an upload is never retried", func(t *testing.T) {
		c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
			return jsonReply(503, `{"code": 20503, "message": "unavailable", "status": 503}`), nil
		}, fast)
		_, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: bytes.NewReader(payload)})
		assert.Equal(t, 503, StatusCode(err))
		assert.Len(t, mm.all(), 1, "the upload may have reached the server")
	})
	t.Run("a network error after sending is never retried", func(t *testing.T) {
		c, mm := newReplyRecorder(t, func(int, *http.Request) (*http.Response, error) {
			return nil, errors.New("connection reset by peer")
		}, fast)
		_, err := c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: bytes.NewReader(payload)})
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.Len(t, mm.all(), 1)
	})
	t.Run("fetch retries 5xx", func(t *testing.T) {
		c, mm := newReplyRecorder(t, func(n int, _ *http.Request) (*http.Response, error) {
			if n == 1 {
				return jsonReply(502, `{"code": 20500, "message": "bad gateway", "status": 502}`), nil
			}
			return jsonReply(200, mediaJSON(mediaLinksJSON)), nil
		}, fast)
		m, err := c.Service(testServiceSID).Media.Fetch(context.Background(), testMediaSID)
		require.NoError(t, err)
		assert.Equal(t, testMediaSID, m.SID)
		assert.Len(t, mm.all(), 2)
	})
	t.Run("request options", func(t *testing.T) {
		c, mm := newReplyRecorder(t, tooMany, fast)
		var resp *http.Response
		_, err := c.Service(testServiceSID).Media.Upload(context.Background(),
			&MediaUploadParams{ContentType: "text/plain", Body: bytes.NewReader(payload), Size: 10},
			WithHeader("X-Trace", "t1"), WithHeader("Content-Type", "text/html"), WithHeader("Content-Size", "1"),
			WithCallRetry(NoRetry()), WithResponse(&resp))
		assert.True(t, IsRateLimited(err))
		require.Len(t, mm.all(), 1, "the per-call policy wins")
		r := mm.all()[0]
		assert.Equal(t, "t1", r.Header.Get("X-Trace"))
		assert.Equal(t, "text/plain", r.Header.Get("Content-Type"), "WithHeader cannot replace the SDK's headers")
		assert.Equal(t, "10", r.Header.Get("Content-Size"))
		require.NotNil(t, resp)
		assert.Equal(t, 429, resp.StatusCode)
		_, err = c.Service(testServiceSID).Media.Fetch(context.Background(), testMediaSID, WithCallRetry(RetryPolicy{MaxAttempts: -1}))
		assert.True(t, IsValidation(err))
	})
}

type closeCounter struct {
	io.Reader
	n *atomic.Int32
}

func (c closeCounter) Close() error { c.n.Add(1); return nil }

// uploadServer is a 127.0.0.1 server that answers uploads with a media
// resource after reading the whole body, and records how many bytes and
// complete bodies it got.
type uploadServer struct {
	*httptest.Server
	complete atomic.Int32
	bytes    atomic.Int64
	chunked  atomic.Bool
}

func newUploadServer(t testing.TB) *uploadServer {
	us := &uploadServer{}
	us.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked" {
			us.chunked.Store(true)
		}
		n, err := io.Copy(io.Discard, r.Body)
		us.bytes.Add(n)
		if err != nil {
			return
		}
		us.complete.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		_, _ = io.WriteString(w, mediaJSON(mediaLinksJSON))
	}))
	t.Cleanup(us.Close)
	return us
}

func TestMediaUploadSizeIsChecked(t *testing.T) {
	us := newUploadServer(t)
	c, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(us.URL))
	require.NoError(t, err)
	media := c.Service(testServiceSID).Media

	_, err = media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("short"), Size: 10})
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "Body", v.Param)
	assert.Contains(t, v.Reason, "ended after 5 of Size (10) bytes")

	_, err = media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: strings.NewReader("longer than five"), Size: 5})
	require.ErrorAs(t, err, &v)
	assert.Contains(t, v.Reason, "holds more than Size (5 bytes)")
	assert.Equal(t, int32(0), us.complete.Load(), "no upload completed with the wrong size")

	_, err = media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: onlyReader{strings.NewReader("exact")}, Size: 5})
	require.NoError(t, err)
	_, err = media.Upload(context.Background(), &MediaUploadParams{ContentType: "text/plain", Body: onlyReader{strings.NewReader("chunked")}})
	require.NoError(t, err)
	assert.True(t, us.chunked.Load())
	assert.Equal(t, int32(2), us.complete.Load())
}

func TestMediaUploadUnknownSizeStopsAtTheLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 150 MB")
	}
	us := newUploadServer(t)
	c, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(us.URL))
	require.NoError(t, err)
	_, err = c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{
		ContentType: "application/octet-stream", Body: io.LimitReader(zeros{}, MaxMediaSize+1),
	})
	var v *ValidationError
	require.ErrorAs(t, err, &v)
	assert.Contains(t, v.Reason, "media limit")
	assert.Equal(t, int32(0), us.complete.Load())
}

// zeros is an endless generator of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestMediaUploadStreams uploads 100 MiB from a generator and samples the
// heap meanwhile: the SDK must not hold the file in memory. The figure is
// logged (go test -run TestMediaUploadStreams -v); the bound asserted is
// loose on purpose (buffering the file would add 100 MiB).
func TestMediaUploadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100 MiB")
	}
	const size = 100 << 20
	us := newUploadServer(t)
	c, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(us.URL))
	require.NoError(t, err)
	peak, base := heapDuring(func() {
		_, err = c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{
			ContentType: "application/octet-stream", Body: io.LimitReader(zeros{}, size), Size: size,
		})
	})
	require.NoError(t, err)
	assert.Equal(t, int64(size), us.bytes.Load())
	t.Logf("uploading 100 MiB: peak heap %.2f MiB over a baseline of %.2f MiB", float64(peak-base)/(1<<20), float64(base)/(1<<20))
	assert.Less(t, peak-base, uint64(32<<20), "the upload buffered the file")
}

// A server that answers 429 before reading the body: net/http may still be
// writing the first attempt when the retry starts. The retry must send the
// whole file again from its start, and the first attempt must never read
// the caller's reader after it was rewound (checked by -race).
func TestMediaUploadEarlyAnswerThenRetry(t *testing.T) {
	file := bytes.Repeat([]byte("0123456789abcdef"), 512<<10) // 8 MiB
	var calls atomic.Int32
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(429)
			_, _ = io.WriteString(w, `{"code": 20429, "message": "Too Many Requests", "status": 429}`)
			return
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		got.Store(b)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		_, _ = io.WriteString(w, mediaJSON(mediaLinksJSON))
	}))
	defer srv.Close()
	c, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(srv.URL),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.Service(testServiceSID).Media.Upload(context.Background(), &MediaUploadParams{
		ContentType: "application/octet-stream", Body: bytes.NewReader(file), Size: int64(len(file)),
	})
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())
	b, _ := got.Load().([]byte)
	assert.True(t, bytes.Equal(file, b), "the retry sent the whole file (%d of %d bytes)", len(b), len(file))
}
