package orchestrator

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/conversations-go/conversations"
)

// cannedTransport answers every request with one status, header and body.
type cannedTransport struct {
	status int
	header http.Header
	body   []byte
}

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: c.status, Header: c.header.Clone(), Body: io.NopCloser(bytes.NewReader(c.body)), Request: req}, nil
}

// typed reports whether err is one of the SDK's documented error types.
func typed(err error) bool {
	var (
		v *conversations.ValidationError
		n *conversations.NetworkError
		e *conversations.Error
		d *conversations.DecodeError
	)
	return errors.As(err, &v) || errors.As(err, &n) || errors.As(err, &e) || errors.As(err, &d)
}

// FuzzV2Answers feeds arbitrary answers to an asynchronous write, a list
// and an operation fetch: each returns a usable result or one of the
// documented error types, never a panic.
func FuzzV2Answers(f *testing.F) {
	f.Add(202, "proc_job_1", "1", []byte(`{"statusUrl":"https://x/v2/ControlPlane/Operations/proc_job_1","related":{"configurationId":"c"}}`))
	f.Add(200, "", "", []byte(`{"conversations":[{"id":"a"}],"meta":{"key":"conversations","pageSize":1,"nextToken":"t"}}`))
	f.Add(200, "", "abc", []byte(`{"operationId":"x","status":"FAILED","error":{"title":"t"}}`))
	f.Add(409, "", "", []byte(`{"code":409,"message":"conflict"}`))
	f.Add(202, "", "", []byte(`null`))
	f.Fuzz(func(t *testing.T, status int, opID, retryAfter string, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		h := http.Header{"Content-Type": {"application/json"}, "Operation-Id": {opID}, "Retry-After": {retryAfter}}
		c, err := conversations.NewClient("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token", conversations.WithoutRetry(),
			conversations.WithHTTPClient(&http.Client{Transport: cannedTransport{status, h, body}}))
		if err != nil {
			t.Fatal(err)
		}
		v2 := New(c)
		ctx := context.Background()
		op, err := v2.Conversations.Delete(ctx, "conv_1")
		if err != nil && !typed(err) {
			t.Fatalf("Delete: untyped error %T %v", err, err)
		}
		if err == nil && op.ID == "" && op.StatusURL == "" {
			t.Fatalf("Delete: an operation without an ID or a status URL: %+v", op)
		}
		page, err := v2.Conversations.List(ctx, nil)
		if err != nil && !typed(err) {
			t.Fatalf("List: untyped error %T %v", err, err)
		}
		if err == nil && page.Items == nil {
			t.Fatal("List: a page without items")
		}
		if _, err := v2.Operations.Fetch(ctx, "proc_1"); err != nil && !typed(err) {
			t.Fatalf("Fetch: untyped error %T %v", err, err)
		}
	})
}
