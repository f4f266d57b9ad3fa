//go:build contract

package conversations_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/spectest"
	"github.com/stretchr/testify/require"
)

// The contract suite runs the scenario against Stoplight Prism serving
// Twilio's spec (bash .ci/run starts it). Prism validates every request
// against the spec (paths, enums, required params, PageSize limits, Basic
// auth) and answers 422 when one breaks it, so the bar is: no error at all.
//
//	go test -tags contract -run Contract .   # with Prism on CONTRACT_BASE_URL
//
// CONTRACT_BASE_URL defaults to http://127.0.0.1:4010. With CI=true an
// unreachable Prism fails the suite; elsewhere it skips, saying how to run it.

// prismTransport asks Prism for the example the scenario expects (the first
// in document order, or for lists the first with items) and records every
// status it answered.
type prismTransport struct {
	ops      []*spectest.Op
	base     http.RoundTripper
	mu       sync.Mutex
	requests int
	statuses map[int]int
	failures []string
	hits     map[string]bool
}

func (p *prismTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := spectest.Match(p.ops, req.Method, req.URL.EscapedPath())
	if op != nil && op.ExampleName != "" {
		req = req.Clone(req.Context())
		req.Header.Set("Prefer", "example="+op.ExampleName)
	}
	resp, err := p.base.RoundTrip(req)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests++
	if op != nil {
		p.hits[op.ID] = true
	}
	if err == nil {
		p.statuses[resp.StatusCode]++
		if resp.StatusCode >= 300 {
			p.failures = append(p.failures, req.Method+" "+req.URL.String())
		}
	}
	return resp, err
}

func (p *prismTransport) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

func prismBase(t *testing.T) string {
	base := os.Getenv("CONTRACT_BASE_URL")
	if base == "" {
		base = "http://127.0.0.1:4010"
	}
	u, err := url.Parse(base)
	require.NoError(t, err)
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Prism is not reachable at %s (%v): CI must start it (bash .ci/run does)", base, err)
		}
		t.Skipf("Prism is not reachable at %s: run `bash .ci/run`, or start Prism as .ci/run does and set CONTRACT_BASE_URL", base)
	}
	conn.Close()
	return base
}

func newPrismClient(t *testing.T) (*cv.Client, *prismTransport) {
	base := prismBase(t)
	pt := &prismTransport{ops: loadSpec(t), base: http.DefaultTransport, statuses: map[int]int{}, hits: map[string]bool{}}
	c, err := cv.NewClient("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "contract-test-token",
		cv.WithBaseURL(base), cv.WithHTTPClient(&http.Client{Transport: pt, Timeout: 30 * time.Second}), cv.WithoutRetry())
	require.NoError(t, err)
	return c, pt
}

// TestContractPrism calls every SDK method, in both scopes, against Prism.
func TestContractPrism(t *testing.T) {
	c, pt := newPrismClient(t)
	(&scenario{t: t, ctx: context.Background(), c: c}).run()
	pt.mu.Lock()
	defer pt.mu.Unlock()
	require.Empty(t, pt.failures, "requests Prism refused")
	require.Zero(t, pt.statuses[422], "422 answers from Prism")
	require.Len(t, pt.hits, len(pt.ops), "operations exercised against Prism")
	t.Logf("contract: %d/%d operations, %d requests, statuses %v", len(pt.hits), len(pt.ops), pt.requests, pt.statuses)
}

// TestContractPrismRejectsBadInputLocally checks that input the SDK must
// refuse never reaches Prism.
func TestContractPrismRejectsBadInputLocally(t *testing.T) {
	c, pt := newPrismClient(t)
	before := pt.count()
	checkRejected(t, rejectedBeforeSending(context.Background(), c))
	require.Equal(t, before, pt.count(), "a rejected call reached Prism")
}
