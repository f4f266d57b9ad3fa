package conversationstest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault describes a failure the fake answers with instead of handling a
// request; see FailNext.
type Fault struct {
	// Status is the HTTP status to answer with, e.g. 429 or 503.
	Status int
	// Header holds extra response headers, e.g. Retry-After.
	Header http.Header
	// Body, when set, is sent as is (with Content-Type application/json
	// unless Header sets another). When empty, the fake sends Twilio's error
	// JSON built from Code and Message.
	Body string
	// Code is the Twilio error code of the generated body. When 0, a code
	// Twilio documents for Status is used: 20429 for 429, 20503 for 503,
	// 20500 for other 5xx, 20404 for 404, 20003 for 401, otherwise Status.
	Code int
	// Message is the message of the generated body; by default the HTTP
	// status text.
	Message string
	// Delay holds the answer back this long (or until the client gives
	// up), to exercise client timeouts.
	Delay time.Duration
	// AfterHandling makes the fake handle the request first (so a create
	// really creates) and then answer with the fault, as when a response
	// is lost on the way back.
	AfterHandling bool
}

type faultRule struct {
	method string // "" matches every method
	path   string
	prefix bool
	left   int
	fault  Fault
}

func (f *faultRule) matches(method, path string) bool {
	if f.left <= 0 || (f.method != "" && !strings.EqualFold(f.method, method)) {
		return false
	}
	if f.prefix {
		return strings.HasPrefix(path, f.path)
	}
	return path == f.path
}

// FailNext makes the next n requests matching method and path fail with f.
// An empty method matches every method. path is a decoded URL path such as
// "/v1/Conversations"; a trailing "*" makes it a prefix
// ("/v1/Conversations/*" matches everything below /v1/Conversations/).
// Rules are consumed in the order they were added; each request uses up at
// most one.
//
//	srv.FailNext(2, "GET", "/v1/Conversations", conversationstest.Fault{
//		Status: 429, Header: http.Header{"Retry-After": {"1"}},
//	})
func (s *Server) FailNext(n int, method, path string, f Fault) {
	rule := &faultRule{method: method, path: path, left: n, fault: f}
	if strings.HasSuffix(path, "*") {
		rule.path, rule.prefix = strings.TrimSuffix(path, "*"), true
	}
	s.recMu.Lock()
	defer s.recMu.Unlock()
	s.faults = append(s.faults, rule)
}

// RateLimitNext makes the next n requests matching method and path fail with
// 429 Too Many Requests (Twilio code 20429) and a Retry-After header of
// retryAfter, rounded up to whole seconds.
func (s *Server) RateLimitNext(n int, method, path string, retryAfter time.Duration) {
	secs := int((retryAfter + time.Second - 1) / time.Second)
	s.FailNext(n, method, path, Fault{
		Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {strconv.Itoa(secs)}},
	})
}

// PendingFaults returns how many injected failures have not been used yet.
func (s *Server) PendingFaults() int {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += max(f.left, 0)
	}
	return n
}

// ClearFaults drops every injected failure not used yet.
func (s *Server) ClearFaults() {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	s.faults = nil
}

func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.Body != "" {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	code := f.Code
	if code == 0 {
		code = defaultFaultCode(status)
	}
	msg := f.Message
	if msg == "" {
		msg = http.StatusText(status)
	}
	writeJSON(w, status, (&apiError{status, code, msg}).body())
}
