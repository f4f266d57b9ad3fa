package conversations

import (
	"github.com/conversations-go/conversations/internal/rest"

	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Run with: go test -run '^$' -fuzz '^FuzzDecodeResponse$' -fuzztime 20s .
// (.ci/fuzz.sh runs every target). Seeds: testdata/fuzz/<target>/ plus,
// for responses, every golden body.

// fuzzResponse builds a response with body.
func fuzzResponse(status int, body []byte, header http.Header) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body))}
}

// fuzzDecodeAs checks the core's decoding stage into a fresh T against
// json.Unmarshal.
func fuzzDecodeAs[T any](t *testing.T, body []byte) {
	t.Helper()
	var got T
	fuzzDecodeWith(t, body, rest.JSON(&got), &got)
}

// fuzzDecodeWith checks the core's decoding stage with dec, which decodes
// into *got, against json.Unmarshal.
func fuzzDecodeWith[T any](t *testing.T, body []byte, dec rest.Decoder, got *T) {
	t.Helper()
	readErr, err := rest.Decode(fuzzResponse(200, body, nil), dec, DefaultMaxResponseBytes, "GET", "/v1/Conversations")
	if readErr != nil {
		t.Fatalf("%T: a body read from memory gave a read error %v", got, readErr)
	}
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("%T: a body read from memory gave %T %v, want *DecodeError", got, err, err)
		}
		if de.Status != 200 || de.Error() == "" {
			t.Fatalf("bad DecodeError %#v", de)
		}
	}
	var want T
	if json.Unmarshal(body, &want) == nil && !bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		if err != nil {
			t.Fatalf("%T: json.Unmarshal accepts the body but decodeSuccess says %v", got, err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("%T: decodeSuccess and json.Unmarshal disagree:\n%#v\n%#v", got, got, want)
		}
	}
}

// FuzzDecodeResponse feeds arbitrary bodies to the success decoder, as a
// resource and as a list page, and through a whole call: it must never
// panic, must agree with encoding/json, and must only ever fail with a
// *DecodeError.
func FuzzDecodeResponse(f *testing.F) {
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	for _, g := range golden {
		if b, err := os.ReadFile(g); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(faultPageJSON(faultSID, "https://conversations.twilio.com/v1/Conversations?PageToken=PT1")))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzDecodeAs[Conversation](t, body)
		fuzzDecodeAs[Conversation](t, body)
		var pd pageDecoder[Conversation]
		fuzzDecodeWith(t, body, &pd, &pd.env)
		// The page digest does not depend on how the body is split into reads.
		if a, b := digestOf(string(body), len(body)+1), digestOf(string(body), 3); a != b {
			t.Fatalf("page digest depends on read sizes: %x %x", a, b)
		}

		// The same body through the request core, as a fetch and as a page.
		c, _ := newRecorderAs(t, faultUser, faultSecret, 200, string(body), nil)
		conv, err := c.Conversations.Fetch(context.Background(), faultSID)
		if (conv == nil) == (err == nil) {
			t.Fatalf("Fetch: got %v and %v", conv, err)
		}
		page, err := c.Conversations.List(context.Background(), nil)
		if err == nil {
			_ = page.HasNextPage()
			for _, it := range page.Items {
				_ = it.SID
			}
		}
		n := 0
		for _, err := range c.Conversations.All(context.Background(), nil) {
			n++
			if err != nil || n > 1000 {
				break
			}
		}
	})
}

// Secrets the error fuzzer plants in bodies; they must never come out.
const (
	fuzzUser   = "ACfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"
	fuzzSecret = "fuzzsecret0123456789abcdef"
)

// FuzzDecodeError feeds arbitrary status codes, bodies and Retry-After
// values to the error decoder and the retry decision. The *Error must keep
// the status, stay bounded (snippet at most 512 bytes of valid single-line
// UTF-8), never quote the credentials, and the retry wait must never be
// negative or longer than the policy allows.
func FuzzDecodeError(f *testing.F) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(fuzzUser+":"+fuzzSecret))
	f.Add(404, []byte(`{"code":20404,"message":"The requested resource /Conversations/CHx was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`), "")
	f.Add(429, []byte(`{"code":20429,"message":"Too Many Requests","status":429}`), "3600")
	f.Add(503, []byte("<html><body>503 Service Unavailable</body></html>"), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(422, []byte(`{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"detail":"body must have required property 'FriendlyName'"}`), "")
	f.Add(500, []byte(`{"code":20500,"message":"echo `+basic+` `+fuzzSecret+`","details":{"a":["`+fuzzSecret+`"]}}`), "1")
	f.Add(502, []byte("Authorization: "+basic+"\n\xff"+fuzzSecret[:4]+"\xfe"+fuzzSecret[4:]), "-1")
	f.Add(500, []byte(`{"message":"fuzz\u0073ecret0123456789abcdef"}`), "99999999999999999999")
	f.Add(500, []byte(`{"code":"20500"}`), "")
	f.Add(400, []byte{}, "")
	f.Add(400, bytes.Repeat([]byte("é"), 600), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		if status < 0 {
			status = -(status + 1)
		}
		status = 300 + status%300
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		e := rest.ResponseError(fuzzResponse(status, body, h), "GET", "/v1/Conversations/CH1", fuzzSecret, strings.TrimPrefix(basic, "Basic "))
		if e == nil || e.Status != status {
			t.Fatalf("status %d: got %#v", status, e)
		}
		if len(e.Snippet) > rest.MaxSnippet || !utf8.ValidString(e.Snippet) || strings.ContainsAny(e.Snippet, "\r\n\t") {
			t.Fatalf("bad snippet %q", e.Snippet)
		}
		if len(e.MoreInfo) > rest.MaxMessage || len(e.Message) > rest.MaxMessage+len(http.StatusText(status))+2 {
			t.Fatalf("unbounded message (%d bytes) or more info (%d bytes)", len(e.Message), len(e.MoreInfo))
		}
		s := e.Error()
		if !strings.Contains(s, "HTTP "+strconv.Itoa(status)) {
			t.Fatalf("Error() %q lacks the status", s)
		}
		for _, out := range []string{s, e.Snippet, e.Message, e.MoreInfo, fmt.Sprint(e.Details), fmt.Sprintf("%+v", e)} {
			if strings.Contains(out, fuzzSecret) || strings.Contains(out, strings.TrimPrefix(basic, "Basic ")) {
				t.Fatalf("a credential leaked: %q", out)
			}
		}

		// The retry decision on the same response.
		p := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond, MaxRetryAfter: time.Minute}
		for _, k := range []kind{kindRead, kindCreate, kindUpdate, kindDelete} {
			wait, retry := rest.Decide(p, 1, k != kindCreate, fuzzResponse(status, nil, h), nil)
			want := status == 429 || (status >= 500 && k != kindCreate)
			if retry && !want {
				t.Fatalf("status %d kind %d retried", status, k)
			}
			if retry && (wait < 0 || wait > max(p.MaxRetryAfter, p.MaxDelay)) {
				t.Fatalf("Retry-After %q: wait %v out of bounds", retryAfter, wait)
			}
		}
		if d, ok := rest.ParseRetryAfter(retryAfter, time.Now()); ok && d < 0 {
			t.Fatalf("Retry-After %q: negative %v", retryAfter, d)
		}

		// And through a whole call.
		c, _ := newRecorderAs(t, fuzzUser, fuzzSecret, status, string(body), h)
		_, err := c.Conversations.Fetch(context.Background(), "CH1")
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Status != status {
			t.Fatalf("Fetch: %v", err)
		}
		if strings.Contains(err.Error(), fuzzSecret) {
			t.Fatalf("a credential leaked: %q", err)
		}
	})
}
