package conversations_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/spectest"
	"github.com/stretchr/testify/require"
)

// exampleReplies answers each request, on the package's one recorder, with
// the first spec example of the operation that serves it, and counts which
// operations were reached.
type exampleReplies struct {
	ops  []*spectest.Op
	mu   sync.Mutex
	hits map[string]int // operationId -> requests
	miss []string       // requests that matched no operation
}

func (e *exampleReplies) reply(_ int, req *http.Request) (*http.Response, error) {
	op := spectest.Match(e.ops, req.Method, req.URL.EscapedPath())
	e.mu.Lock()
	defer e.mu.Unlock()
	if op == nil {
		e.miss = append(e.miss, req.Method+" "+req.URL.EscapedPath())
		return &http.Response{StatusCode: 404, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"code":20404,"message":"no such operation","status":404}`)), Request: req}, nil
	}
	e.hits[op.ID]++
	body := []byte(op.Example)
	return &http.Response{StatusCode: op.Status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
}

// newExampleClient returns a client whose requests get the spec's examples.
func newExampleClient(t *testing.T) (*cv.Client, *exampleReplies, *cv.Recorder) {
	t.Helper()
	et := &exampleReplies{ops: loadSpec(t), hits: map[string]int{}}
	c, rec := cv.NewReplyRecorder(t, et.reply)
	return c, et, rec
}

// TestCoverage calls every SDK method in both scopes and checks that the
// set of operations reached is exactly the spec's 103, naming any that is
// missing or extra.
func TestCoverage(t *testing.T) {
	ops := loadSpec(t)
	require.Len(t, ops, 103, "the spec copy in testdata/spec has 103 operations")
	c, et, rec := newExampleClient(t)
	(&scenario{t: t, ctx: context.Background(), c: c}).run()

	hits, miss := et.snapshot()
	require.Empty(t, miss, "requests that match no operation of the spec")
	var missing []string
	for _, op := range ops {
		if hits[op.ID] == 0 {
			missing = append(missing, fmt.Sprintf("%s (%s %s)", op.ID, op.Method, op.Template))
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "operations no SDK method reached")
	t.Logf("coverage: %d/%d operations reached", len(hits), len(ops))

	// Bad input never reaches the transport.
	before := rec.Count()
	checkRejected(t, rejectedBeforeSending(context.Background(), c))
	require.Equal(t, before, rec.Count(), "a rejected call reached the transport")
}

// snapshot copies what the transport recorded.
func (e *exampleReplies) snapshot() (map[string]int, []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	hits := make(map[string]int, len(e.hits))
	for k, v := range e.hits {
		hits[k] = v
	}
	return hits, append([]string(nil), e.miss...)
}
