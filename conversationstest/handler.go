package conversationstest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// WithListenAddr makes New listen on addr ("host:port", e.g.
// "127.0.0.1:4010" or ":4010") instead of a random port on 127.0.0.1.
// Without WithPublicBaseURL the fake's URL is "http://" plus the address
// it listens on, with 127.0.0.1 for an unspecified host (0.0.0.0, ::).
// NewHandler does not listen and ignores it.
func WithListenAddr(addr string) Option {
	return func(s *Server) { s.listenAddr = addr }
}

// WithPublicBaseURL sets the base URL the fake writes into every absolute
// URL it returns (url, links, first/next/previous_page_url, media links),
// e.g. "http://localhost:4010" or "https://emulator.internal": the
// address its clients reach it at, which may differ from the one it
// listens on (a proxy, a container's port mapping). It must be an
// absolute http or https URL with no query or fragment; a path is kept
// (the fake then expects to be served below it by a proxy that strips
// it) and a trailing "/" is dropped. New panics and NewHandler returns an
// error when it is not.
func WithPublicBaseURL(u string) Option {
	return func(s *Server) {
		clean, err := checkBaseURL(u)
		if err != nil {
			s.optErr = err
			return
		}
		s.URL = clean
	}
}

// NewHandler returns a fake that does not listen: the Server is an
// http.Handler for the caller's own HTTP server (with its own middleware,
// address and shutdown), as cmd/conversations-emulator does:
//
//	srv, err := conversationstest.NewHandler(conversationstest.WithPublicBaseURL("http://127.0.0.1:4010"))
//	...
//	mux := http.NewServeMux()
//	mux.Handle("/_emulator/", srv.ControlPlane())
//	mux.Handle("/", srv)
//	err = http.ListenAndServe("127.0.0.1:4010", mux)
//
// WithPublicBaseURL is required: it is where clients reach the handler,
// and the base of the absolute URLs the fake returns. Call Close when done
// to stop webhooks in flight.
func NewHandler(opts ...Option) (*Server, error) {
	s := newUnstarted(opts)
	if s.optErr != nil {
		s.bgCancel()
		return nil, s.optErr
	}
	if s.URL == "" {
		s.bgCancel()
		return nil, errors.New("conversationstest: NewHandler needs WithPublicBaseURL")
	}
	return s, nil
}

// ServeHTTP serves the fake's API (v1 and media) for a Server from
// NewHandler; a Server from New serves the same on its own listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serveHTTP(w, r) }

// WithManualClock makes the fake's clock stand still at start (truncated
// to the second) until Advance moves it: dates, state timers, media link
// expiry and the other time rules then change only when a test (or the
// emulator's control plane) says so.
func WithManualClock(start time.Time) Option {
	start = start.UTC().Truncate(time.Second)
	return WithClock(func() time.Time { return start })
}

// checkBaseURL validates a public base URL and drops a trailing "/".
func checkBaseURL(u string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("conversationstest: public base URL %q: %v", u, err)
	}
	if (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" || p.User != nil {
		return "", fmt.Errorf("conversationstest: public base URL %q is not an absolute http(s) URL without user, query or fragment", u)
	}
	return strings.TrimSuffix(u, "/"), nil
}
