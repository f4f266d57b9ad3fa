package conversationstest

import (
	"context"
	"fmt"
	"net"
	"net/http"
)

// guardClient returns the client the fake sends webhooks (and Event
// Streams batches) with: a copy of hc (or a new client when hc is nil)
// that enforces the loopback rule for every request, whatever hc does:
//
//   - redirects are never followed (CheckRedirect answers
//     http.ErrUseLastResponse), so a hook's 3xx is the answer recorded;
//   - every request the transport is asked for must name a loopback host
//     or one allowed with WithWebhookHosts (ErrHostNotAllowed otherwise);
//   - when the transport is an *http.Transport (or nil: the default
//     transport), a clone of it is used with its Proxy removed, and its
//     dialers connect only to a host the rule allows and, unless the host
//     was allowed by name, only to a loopback address once resolved.
//
// A transport of another type cannot be looked into; for it the URL check
// is the guarantee.
func guardClient(hc *http.Client, allowed func(host string) bool) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if t, ok := base.(*http.Transport); ok {
		t = t.Clone()
		t.Proxy = nil
		dial := t.DialContext
		if dial == nil {
			dial = (&net.Dialer{}).DialContext
		}
		t.DialContext = guardDial(dial, allowed)
		if t.DialTLSContext != nil {
			t.DialTLSContext = guardDial(t.DialTLSContext, allowed)
		}
		base = t
	}
	c.Transport = guardTransport{next: base, allowed: allowed}
	return &c
}

// guardTransport refuses requests to hosts the loopback rule does not allow.
type guardTransport struct {
	next    http.RoundTripper
	allowed func(host string) bool
}

// RoundTrip implements http.RoundTripper.
func (g guardTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !g.allowed(r.URL.Hostname()) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, ErrHostNotAllowed
	}
	return g.next.RoundTrip(r)
}

// guardDial wraps a dialer: it dials only hosts the rule allows, and a
// host allowed only for being loopback ("localhost", a loopback IP) must
// connect to a loopback address.
func guardDial(dial func(ctx context.Context, network, addr string) (net.Conn, error), allowed func(string) bool) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		if !allowed(host) {
			return nil, fmt.Errorf("%w: dial %s", ErrHostNotAllowed, addr)
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if isLoopbackName(host) {
			if ta, ok := conn.RemoteAddr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
				conn.Close()
				return nil, fmt.Errorf("%w: %s resolved to %s", ErrHostNotAllowed, host, ta.IP)
			}
		}
		return conn, nil
	}
}

// isLoopbackName reports whether host is allowed for being loopback
// rather than by name: "localhost" or a loopback IP.
func isLoopbackName(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
