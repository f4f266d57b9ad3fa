package conversationstest_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// addrLog records the addresses a client dialled and the URLs its
// transport was asked for; it refuses anything that is not loopback, so a
// test never reaches the network, and records the attempt.
type addrLog struct {
	mu    sync.Mutex
	dials []string
	urls  []string
}

func (l *addrLog) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	l.mu.Lock()
	l.dials = append(l.dials, addr)
	l.mu.Unlock()
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, errors.New("test dialer: refusing non-loopback " + addr)
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

func (l *addrLog) nonLoopback() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, a := range append(append([]string(nil), l.dials...), l.urls...) {
		host := a
		if u, err := url.Parse(a); err == nil && u.Host != "" {
			host = u.Hostname()
		} else if h, _, err := net.SplitHostPort(a); err == nil {
			host = h
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			out = append(out, a)
		}
	}
	return out
}

type loggingTransport struct {
	log  *addrLog
	next http.RoundTripper
}

func (t loggingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.log.mu.Lock()
	t.log.urls = append(t.log.urls, r.URL.String())
	t.log.mu.Unlock()
	return t.next.RoundTrip(r)
}

// The fake must never be turned into a proxy: whatever http.Client it was
// given with WithWebhookClient — one that follows redirects (as
// httptest.Server.Client() does), one with an HTTP proxy, one with a
// RoundTripper of its own — a loopback hook answering 301/302/307/308 with
// a Location elsewhere gets no request there, and nothing is dialled but
// loopback. The redirect answer is what the Delivery records.
func TestWebhookClientNeverFollowsRedirectsOrLeavesLoopback(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://203.0.113.7/collect?from=fake", status)
		}))
		defer hook.Close()
		proxyURL, _ := url.Parse("http://198.51.100.9:3128")

		clients := map[string]func(*addrLog) *http.Client{
			"follows redirects": func(l *addrLog) *http.Client {
				return &http.Client{Transport: loggingTransport{l, &http.Transport{DialContext: l.dial}}}
			},
			"follows redirects through a proxy": func(l *addrLog) *http.Client {
				return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), DialContext: l.dial}}
			},
			"own round tripper": func(l *addrLog) *http.Client {
				return &http.Client{Transport: loggingTransport{l, &http.Transport{DialContext: l.dial}}, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
			},
		}
		for name, mk := range clients {
			t.Run(http.StatusText(status)+"/"+name, func(t *testing.T) {
				l := &addrLog{}
				srv := conversationstest.NewServer(t, conversationstest.WithWebhookClient(mk(l)))
				client := srv.Client()
				accountHooks(t, client, "", hook.URL+"/post", "onConversationAdded")
				if _, err := client.Conversations.Create(context.Background(), nil, cv.WithWebhookEnabled(true)); err != nil {
					t.Fatal(err)
				}
				settle(t, srv)
				ds := srv.Deliveries()
				if len(ds) != 1 {
					t.Fatalf("deliveries %+v", ds)
				}
				if ds[0].Status != status || ds[0].Err != nil {
					t.Errorf("delivery status %d, err %v; want the hook's %d as answered", ds[0].Status, ds[0].Err, status)
				}
				if bad := l.nonLoopback(); len(bad) != 0 {
					t.Errorf("the fake reached non-loopback addresses %v", bad)
				}
			})
		}
	}
}
