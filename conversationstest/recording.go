package conversationstest

import (
	"net/http"
	"net/url"
)

// Request is one HTTP request the fake received, as recorded before it was
// handled (requests that failed authentication or an injected fault are
// recorded too).
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the decoded URL path, e.g. "/v1/Conversations/CH.../Messages".
	Path string
	// Query is the parsed query string.
	Query url.Values
	// Form is the parsed form body of a POST (empty otherwise): dotted keys
	// as sent ("Timers.Inactive"), one value per repeated key.
	Form url.Values
	// Header holds the request headers, Authorization included.
	Header http.Header
	// Body is the raw request body.
	Body string
}

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	kept := s.keptRequests() // control.go: WithRequestHistory
	out := make([]Request, len(kept))
	copy(out, kept)
	return out
}

// LastRequest returns the most recent request, and false when there was
// none.
func (s *Server) LastRequest() (Request, bool) {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	if len(s.requests) == 0 {
		return Request{}, false
	}
	return s.requests[len(s.requests)-1], true
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	s.requests = nil
}

// record stores rec and takes the fault that applies to it, if any.
func (s *Server) record(rec Request) *Fault {
	s.recMu.Lock()
	defer s.recMu.Unlock()
	s.requests = append(s.requests, rec)
	s.trimRequests() // control.go: WithRequestHistory
	for i, f := range s.faults {
		if f.matches(rec.Method, rec.Path) {
			f.left--
			fault := f.fault
			if f.left <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return &fault
		}
	}
	return nil
}
