package conversations

// Fault cases of the request core: bodies and connections,
// pagination, caller input and context errors. Each is a row of
// TestFaultMatrix (goleak after each) and asserts the outcome and its cost:
// requests the server saw, bytes, heap, elapsed time.

import (
	"github.com/conversations-go/conversations/internal/rest"

	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() {
	faultCases = append(faultCases,
		faultCase{"HugeSuccessBodyBounded", faultHugeSuccessBody},
		faultCase{"GzipBombSuccessBodyBounded", faultGzipBomb},
		faultCase{"StalledBodyAfterCompleteJSON", faultStalledAfterJSON},
		faultCase{"StalledChunkedBodyAfterCompleteJSON", faultStalledChunkedAfterJSON},
		faultCase{"Unsolicited101", faultUnsolicited101},
		faultCase{"HugeRequestIDHeader", faultHugeRequestID},
		faultCase{"SuccessWithoutResource", faultSuccessWithoutResource},
		faultCase{"NextPageAdvancesByPageOnly", faultNextByPageOnly},
		faultCase{"NextPageOnAnotherCollection", faultNextOtherCollection},
		faultCase{"NextPageSameItemsNewTokens", faultSameItemsNewTokens},
		faultCase{"NextPageHugeTokensBoundedHeap", faultHugeTokensHeap},
		faultCase{"BadHeaderNeverSent", faultBadHeader},
		faultCase{"MediaContentTypeHeaderNeverSent", faultMediaContentTypeHeader},
		faultCase{"NilContext", faultNilContext},
		faultCase{"ContextDoneBeforeCall", faultCtxBeforeCall},
		faultCase{"ContextDeadlineWaitingForHeaders", faultCtxWaitingHeaders},
		faultCase{"ContextDeadlineReadingBody", faultCtxReadingBody},
	)
}

// heapAfterGC is the live heap after a forced collection.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// totalAlloc is the bytes allocated so far by the process.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// faultStreamBody answers 200 with `{"sid":"` and then 'a's until the client
// goes away or max bytes were written; it returns how many bytes the
// handler managed to write.
func faultStreamBody(w http.ResponseWriter, max int64, written *atomic.Int64) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	n, _ := io.WriteString(w, `{"sid":"`)
	written.Add(int64(n))
	chunk := bytes.Repeat([]byte("a"), 32<<10)
	for written.Load() < max {
		n, err := w.Write(chunk)
		written.Add(int64(n))
		if err != nil {
			return
		}
	}
}

func faultHugeSuccessBody(t *testing.T) {
	var written atomic.Int64
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultStreamBody(w, 256<<20, &written)
	})
	c, _ := faultClient(t, srv.URL, WithMaxResponseBytes(1<<20))
	before := totalAlloc()
	start := time.Now()
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	allocated := totalAlloc() - before
	faultCheckErr(t, err)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	var tl *ResponseTooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(1<<20), tl.Limit)
	assert.Equal(t, 1, srv.count(), "requests: a too-large body is not retried")
	srv.CloseClientConnections()
	// The server writes into socket buffers after the client stopped
	// reading; it never gets near the 256 MiB it would send.
	assert.Less(t, written.Load(), int64(64<<20), "bytes the server could write")
	assert.Less(t, allocated, uint64(16<<20), "bytes allocated by the call")
	t.Logf("limit 1 MiB: server wrote %d KiB, call allocated %d KiB in %v", written.Load()>>10, allocated>>10, time.Since(start))
}

func faultGzipBomb(t *testing.T) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = io.WriteString(zw, `{"sid":"`)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 64 {
		_, _ = zw.Write(chunk)
	}
	_, _ = io.WriteString(zw, `"}`)
	require.NoError(t, zw.Close())
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(200)
		_, _ = w.Write(gz.Bytes())
	})
	c, _ := faultClient(t, srv.URL, WithMaxResponseBytes(2<<20))
	before := totalAlloc()
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	allocated := totalAlloc() - before
	faultCheckErr(t, err)
	var tl *ResponseTooLargeError
	require.ErrorAs(t, err, &tl, "%v", err)
	assert.Equal(t, 1, srv.count(), "requests")
	assert.Less(t, allocated, uint64(24<<20), "bytes allocated: bounded by the limit, not by the 64 MiB expansion")
	t.Logf("%d KiB of gzip expanding to 64 MiB, limit 2 MiB: call allocated %d KiB", gz.Len()>>10, allocated>>10)
}

// faultStallAfter writes a complete JSON resource, flushes it, and then
// holds the response open (without finishing it) until release is closed.
func faultStallAfter(w http.ResponseWriter, contentLength bool, release <-chan struct{}) {
	body := faultConversationJSON(faultSID)
	w.Header().Set("Content-Type", "application/json")
	if contentLength {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)+100)) // promises 100 more bytes
	}
	w.WriteHeader(200)
	_, _ = io.WriteString(w, body)
	w.(http.Flusher).Flush()
	<-release
}

func faultStalled(t *testing.T, contentLength bool) {
	release := make(chan struct{})
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultStallAfter(w, contentLength, release)
	})
	defer close(release)
	c, _ := faultClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	got, err := c.Conversations.Fetch(ctx, faultSID)
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Equal(t, faultSID, got.SID)
	assert.Equal(t, 1, srv.count(), "requests")
	// The body never ends: before, the call waited for it until the
	// deadline. Now it returns once the resource is decoded.
	assert.Less(t, elapsed, 5*time.Second, "returned without waiting for the rest of the body")
	t.Logf("returned after %v with the body still open", elapsed)
}

func faultStalledAfterJSON(t *testing.T)        { faultStalled(t, true) }
func faultStalledChunkedAfterJSON(t *testing.T) { faultStalled(t, false) }

func faultUnsolicited101(t *testing.T) {
	release := make(chan struct{})
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if !assert.NoError(t, err) {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		select { // hold the connection open, sending nothing
		case <-release:
		case <-time.After(10 * time.Second):
		}
	})
	defer close(release)
	c, _ := faultClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	elapsed := time.Since(start)
	faultCheckErr(t, err)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 101, apiErr.Status)
	assert.Equal(t, 1, srv.count(), "requests: a 1xx is not retried")
	assert.Less(t, elapsed, 4*time.Second, "an *Error at once, not held past the deadline")
	t.Logf("101 answered in %v", elapsed)
}

func faultHugeRequestID(t *testing.T) {
	huge := strings.Repeat("R", 512<<10)
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Twilio-Request-Id", huge)
		w.Header().Set("Retry-After", huge)
		faultJSON(w, 404, `{"code":20404,"message":"not found","status":404}`)
	})
	c, _ := faultClient(t, srv.URL)
	_, err := c.Conversations.Fetch(context.Background(), faultSID)
	faultCheckErr(t, err)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.RequestID, rest.MaxHeaderValue)
	assert.Len(t, apiErr.RetryAfter, rest.MaxHeaderValue)
	assert.Less(t, len(err.Error()), 4<<10, "error string length")
	assert.Less(t, len(fmt.Sprintf("%+v", *apiErr)), 4<<10, "%%+v length")
	assert.Equal(t, 1, srv.count(), "requests")
	t.Logf("512 KiB Twilio-Request-Id: err.Error() is %d bytes", len(err.Error()))
}

func faultSuccessWithoutResource(t *testing.T) {
	type answer struct {
		status int
		body   string
	}
	answers := []answer{{204, ""}, {200, "null"}, {200, " null\n"}, {200, ""}, {201, "null"}}
	var cur atomic.Pointer[answer]
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		a := cur.Load()
		if a.status == 204 {
			w.WriteHeader(204)
			return
		}
		faultJSON(w, a.status, a.body)
	})
	c, _ := faultClient(t, srv.URL)
	ctx := context.Background()
	calls := map[string]func() error{
		"Fetch":  func() error { _, err := c.Conversations.Fetch(ctx, faultSID); return err },
		"Create": func() error { _, err := c.Conversations.Create(ctx, nil); return err },
		"Update": func() error { _, err := c.Conversations.Update(ctx, faultSID, nil); return err },
		"List":   func() error { _, err := c.Conversations.List(ctx, nil); return err },
	}
	requests := 0
	for _, a := range answers {
		cur.Store(&a)
		for name, call := range calls {
			err := call()
			requests++
			if name == "List" && a.status != 204 && strings.TrimSpace(a.body) != "null" && a.body != "" {
				continue
			}
			var de *DecodeError
			assert.ErrorAs(t, err, &de, "%s answered %d %q: %v", name, a.status, a.body, err)
			assert.Equal(t, requests, srv.count(), "%s %d %q: not retried", name, a.status, a.body)
		}
		// Delete accepts any 2xx.
		assert.NoError(t, c.Conversations.Delete(ctx, faultSID), "Delete answered %d %q", a.status, a.body)
		requests++
	}
	assert.Equal(t, requests, srv.count(), "requests: one per call")
}

// faultListPage is a Conversations page of the given SIDs whose next URL is next.
func faultListPage(next string, sids ...string) string {
	items := make([]string, len(sids))
	for i, s := range sids {
		items[i] = faultConversationJSON(s)
	}
	n := "null"
	if next != "" {
		n = `"` + next + `"`
	}
	return `{"conversations":[` + strings.Join(items, ",") + `],"meta":{"page":0,"page_size":1,"next_page_url":` + n + `,"key":"conversations"}}`
}

func faultNextByPageOnly(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		page := r.URL.Query().Get("Page")
		switch page {
		case "", "0":
			faultJSON(w, 200, faultListPage("https://conversations.twilio.com/v1/Conversations?PageSize=1&Page=1", "CH0"))
		case "1":
			faultJSON(w, 200, faultListPage("https://conversations.twilio.com/v1/Conversations?PageSize=1&Page=2", "CH1"))
		default:
			faultJSON(w, 200, faultListPage("", "CH2"))
		}
	})
	c, _ := faultClient(t, srv.URL)
	var sids []string
	for conv, err := range c.Conversations.All(context.Background(), nil) {
		require.NoError(t, err)
		sids = append(sids, conv.SID)
	}
	assert.Equal(t, []string{"CH0", "CH1", "CH2"}, sids, "every item: before, iteration stopped after page 1")
	assert.Equal(t, 3, srv.count(), "requests")
}

func faultNextOtherCollection(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/v1/Users" {
			faultJSON(w, 200, `{"users":[{"sid":"US1","identity":"mallory"}],"meta":{"next_page_url":null,"key":"users"}}`)
			return
		}
		faultJSON(w, 200, faultListPage("https://conversations.twilio.com/v1/Users?PageSize=1&Page=1", "CH0"))
	})
	c, _ := faultClient(t, srv.URL)
	n, err := faultAllCycle(t, c)
	assert.Equal(t, 1, n, "items: the Users page is never decoded as conversations")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "meta.next_page_url", ve.Param)
	assert.Equal(t, 1, srv.count(), "requests: /v1/Users never fetched")
}

func faultSameItemsNewTokens(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		sid := "CH0"
		if n > 1 {
			sid = "CH1" // page 2 onwards: the same item under ever new tokens
		}
		faultJSON(w, 200, faultListPage(fmt.Sprintf("https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken=PT%d", n), sid))
	})
	c, _ := faultClient(t, srv.URL)
	n, err := faultAllCycle(t, c)
	assert.Equal(t, 2, n, "items: CH0, CH1, then the repeat is refused")
	assert.ErrorIs(t, err, ErrPageCycle)
	assert.Equal(t, 3, srv.count(), "requests")
}

func faultHugeTokensHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 75 MiB of page tokens")
	}
	const pages, tokenLen = 300, 256 << 10
	token := strings.Repeat("T", tokenLen-8)
	// Not a faultServer: it would keep every request line (the tokens).
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(count.Add(1))
		next := ""
		if n < pages {
			next = fmt.Sprintf("https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken=%s%08d", token, n)
		}
		faultJSON(w, 200, faultListPage(next, fmt.Sprintf("CH%032d", n)))
	}))
	t.Cleanup(srv.Close)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	c, _ := faultClient(t, srv.URL, WithLogger(nil))
	base := heapAfterGC()
	var peak uint64
	n := 0
	for _, err := range c.Conversations.All(context.Background(), nil) {
		require.NoError(t, err)
		n++
		if n%50 == 0 {
			peak = max(peak, heapAfterGC())
		}
	}
	assert.Equal(t, pages, n, "items")
	assert.Equal(t, pages, int(count.Load()), "requests")
	growth := int64(peak) - int64(base)
	// Before: every token was kept (300 × 256 KiB = 75 MiB).
	assert.Less(t, growth, int64(4<<20), "live heap growth over %d pages of %d KiB tokens", pages, tokenLen>>10)
	t.Logf("live heap growth over %d pages with %d KiB tokens: %d KiB", pages, tokenLen>>10, growth>>10)
}

func faultBadHeader(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, _ := faultClient(t, srv.URL)
	bad := []RequestOption{
		WithHeader("X-Note", "a\r\nX-Injected: 1"),
		WithHeader("X-Note", "a\nb"),
		WithHeader("X-Note", "a\x00b"),
		WithHeader("X-Note", "a\x7fb"),
		WithHeader("X Bad", "v"),
		WithHeader("X-Bad:", "v"),
		WithHeader("", "v"),
		WithHeader("X-\r\n", "v"),
	}
	for _, opt := range bad {
		_, err := c.Conversations.Fetch(context.Background(), faultSID, opt)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, "%v", err)
	}
	assert.Equal(t, 0, srv.count(), "requests: nothing sent, nothing retried")
	_, err := c.Conversations.Fetch(context.Background(), faultSID, WithHeader("X-Note", "tab\tand ~!#$%&'*+-.^_`|"))
	require.NoError(t, err, "a tab and visible characters are fine")
	assert.Equal(t, 1, srv.count())
}

// faultMediaContentTypeHeader: a media ContentType that passes the MIME
// check but is not a valid header value (CR/LF after a parameter, NUL or DEL
// in a quoted parameter) is a *ValidationError with nothing sent, and the
// body is not read.
func faultMediaContentTypeHeader(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 201, `{"sid":"ME1"}`)
	})
	c, _ := faultClient(t, srv.URL)
	for _, ct := range []string{"image/png; a=b\r\n", "image/png; a=b\n", "image/png; a=\"b\x00c\"", "image/png; a=\"b\x7fc\""} {
		body := strings.NewReader("PNGDATA")
		_, err := c.Service("IS00000000000000000000000000000000").Media.Upload(context.Background(),
			&MediaUploadParams{ContentType: ct, Body: body, Size: 7})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q: %v", ct, err)
		assert.Equal(t, "header Content-Type", ve.Param, "%q", ct)
		assert.Equal(t, 7, body.Len(), "%q: the body is not read", ct)
	}
	assert.Equal(t, 0, srv.count(), "requests: nothing sent")
}

func faultNilContext(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultListPage("https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken=PT1", "CH1"))
	})
	c, _ := faultClient(t, srv.URL)
	page, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	before := srv.count()
	var nilCtx context.Context
	calls := map[string]func() error{
		"Fetch":    func() error { _, err := c.Conversations.Fetch(nilCtx, faultSID); return err },
		"Create":   func() error { _, err := c.Conversations.Create(nilCtx, nil); return err },
		"Update":   func() error { _, err := c.Conversations.Update(nilCtx, faultSID, nil); return err },
		"Delete":   func() error { return c.Conversations.Delete(nilCtx, faultSID) },
		"List":     func() error { _, err := c.Conversations.List(nilCtx, nil); return err },
		"NextPage": func() error { _, err := page.NextPage(nilCtx); return err },
		"All": func() error {
			for _, err := range c.Conversations.All(nilCtx, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		var err error
		require.NotPanics(t, func() { err = call() }, name)
		var ve *ValidationError
		assert.ErrorAs(t, err, &ve, "%s: %v", name, err)
	}
	assert.Equal(t, before, srv.count(), "requests: nothing sent")
}

func faultCtxBeforeCall(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
	c, _ := faultClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	faultCheckErr(t, err)
	var ne *NetworkError
	assert.ErrorAs(t, err, &ne)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, srv.count(), "requests")
}

// faultCtxDeadline runs a Fetch with a 100 ms deadline against a server
// that calls begin (nothing, or the start of a body) and then holds the
// response until the client goes away; the call must fail with a
// *NetworkError that unwraps to context.DeadlineExceeded, after 1 request.
func faultCtxDeadline(t *testing.T, begin func(w http.ResponseWriter)) {
	release := make(chan struct{})
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		begin(w)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, _ := faultClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Conversations.Fetch(ctx, faultSID)
	faultCheckErr(t, err)
	var ne *NetworkError
	assert.ErrorAs(t, err, &ne, "%T %v", err, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, errors.As(err, new(*DecodeError)), "a cut-off body is not a decode error")
	assert.Equal(t, 1, srv.count(), "requests: no retry once the context is done")
	t.Logf("deadline 1s: returned after %v", time.Since(start))
}

// faultCtxWaitingHeaders: the deadline passes before any header arrives.
func faultCtxWaitingHeaders(t *testing.T) { faultCtxDeadline(t, func(http.ResponseWriter) {}) }

// faultCtxReadingBody: the deadline passes in the middle of the body.
func faultCtxReadingBody(t *testing.T) {
	faultCtxDeadline(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"sid":"CH`)
		w.(http.Flusher).Flush()
	})
}
