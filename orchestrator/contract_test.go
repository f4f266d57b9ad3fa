//go:build contract

package orchestrator

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"
	"time"
)

// The v2 contract suite runs every operation against Stoplight Prism
// serving the v2 spec (bash .ci/run starts it on port 4011). Prism checks
// each request against the spec (path, query, JSON body, Basic auth) and
// answers 4xx when one breaks it, so the bar is: no status >= 300, every
// operation reached, every answer decoded.
//
//	go test -tags contract -run Contract ./orchestrator   # with Prism on CONTRACT_V2_BASE_URL
//
// CONTRACT_V2_BASE_URL defaults to http://127.0.0.1:4011. With CI=true an
// unreachable Prism fails the suite; elsewhere it skips.

type statusRecorder struct {
	base     http.RoundTripper
	mu       sync.Mutex
	statuses map[int]int
	failures []string
}

func (s *statusRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.statuses[resp.StatusCode]++
		if resp.StatusCode >= 300 {
			s.failures = append(s.failures, req.Method+" "+req.URL.String())
		}
	}
	return resp, err
}

func TestContractV2(t *testing.T) {
	base := os.Getenv("CONTRACT_V2_BASE_URL")
	if base == "" {
		base = "http://127.0.0.1:4011"
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Prism is not reachable at %s: %v", base, err)
		}
		t.Skipf("Prism is not reachable at %s (start it: contract/node_modules/.bin/prism mock -p 4011 testdata/spec/twilio_conversations_v2.json)", base)
	}
	conn.Close()
	rec := &statusRecorder{base: http.DefaultTransport, statuses: map[int]int{}}
	c := testClientHTTP(t, base, &http.Client{Transport: rec, Timeout: 30 * time.Second})
	ctx := context.Background()
	for _, tc := range wireCases() {
		got, err := tc.call(ctx, c)
		if err != nil {
			t.Errorf("%s: %v", tc.op, err)
			continue
		}
		if op, ok := got.(*Operation); ok {
			if op.ID == "" || op.StatusURL == "" {
				t.Errorf("%s: operation handle %+v", tc.op, op)
			}
			st, err := c.Operations.Wait(ctx, "proc_job_01h9d8r0vte3hz8tykdj329t7r", &WaitPolicy{Interval: time.Millisecond})
			if err != nil || !st.Status.Terminal() {
				t.Errorf("%s: wait: %v %+v", tc.op, err, st)
			}
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.failures) > 0 {
		sort.Strings(rec.failures)
		t.Errorf("Prism refused %d requests: %v", len(rec.failures), rec.failures)
	}
	t.Logf("statuses %v", rec.statuses)
}
