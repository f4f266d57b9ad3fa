package orchestrator

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
)

// testClient returns a client of the test server at url, with fast
// retries (3 attempts, 1ms apart).
func testClient(t *testing.T, url string) *Client {
	t.Helper()
	return testClientHTTP(t, url, &http.Client{})
}

func testClientHTTP(t *testing.T, url string, hc *http.Client) *Client {
	t.Helper()
	c, err := conversations.NewClient("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token", conversations.WithBaseURL(url),
		conversations.WithHTTPClient(hc), conversations.WithRetry(conversations.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return New(c)
}

// routeObserver records the method and route of each call.
type routeObserver struct {
	mu     sync.Mutex
	routes []string
	ends   []conversations.CallResult
}

func (o *routeObserver) CallStart(ctx context.Context, call conversations.CallInfo) context.Context {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes = append(o.routes, call.Method+" "+call.Route)
	return ctx
}
func (o *routeObserver) LimiterWait(context.Context, conversations.CallInfo, string, time.Duration, error) {
}
func (o *routeObserver) Attempt(context.Context, conversations.CallInfo, conversations.AttemptInfo) {}
func (o *routeObserver) CallEnd(_ context.Context, _ conversations.CallInfo, r conversations.CallResult) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ends = append(o.ends, r)
}

// TestSharedClientConfiguration: a v2 client made from a v1 client uses
// its observer (with the v2 path templates as routes), credentials and
// User-Agent.
func TestSharedClientConfiguration(t *testing.T) {
	rec := newRecorder(t, func(_ int, r recorded) stub {
		return stub{status: 200, body: `{"id":"` + convID + `","accountId":"AC1","configurationId":"` + confID + `"}`}
	})
	obs := &routeObserver{}
	c, err := conversations.NewClient("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "secret-value", conversations.WithBaseURL(rec.srv.URL),
		conversations.WithObserver(obs), conversations.WithUserAgent("myapp/1.0"))
	if err != nil {
		t.Fatal(err)
	}
	v2 := New(c)
	if _, err := v2.Conversations.Fetch(context.Background(), convID); err != nil {
		t.Fatal(err)
	}
	if _, err := v2.Participants.Fetch(context.Background(), convID, partID); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /v2/Conversations/{id}", "GET /v2/Conversations/{ConversationId}/Participants/{id}"}
	if fmt.Sprint(obs.routes) != fmt.Sprint(want) || len(obs.ends) != 2 || obs.ends[0].Status != 200 {
		t.Errorf("routes %v, ends %+v", obs.routes, obs.ends)
	}
	r := rec.requests()[0]
	user, pass, ok := (&http.Request{Header: r.header}).BasicAuth()
	if !ok || user != "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" || pass != "secret-value" {
		t.Errorf("credentials %q %q", user, pass)
	}
	if ua := r.header.Get("User-Agent"); !strings.Contains(ua, "myapp/1.0") || !strings.Contains(ua, "conversations-go") {
		t.Errorf("User-Agent %q", ua)
	}
}

// TestNewNeedsAClient: New panics on a client NewClient did not make.
func TestNewNeedsAClient(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	New(nil)
}

// TestBuildPath: plain IDs take the concatenation path, others rest.Path;
// both give the same escaped path, and bad IDs are refused.
func TestBuildPath(t *testing.T) {
	for _, tc := range []struct {
		tmpl string
		args []string
		want string
	}{
		{routeConversation, []string{"conv_1"}, "/v2/Conversations/conv_1"},
		{routeConversation, []string{"a b/c?d"}, "/v2/Conversations/a%20b%2Fc%3Fd"},
		{routeParticipant, []string{"conv_1", "p~1.x"}, "/v2/Conversations/conv_1/Participants/p~1.x"},
		{routeParticipant, []string{"conv_1", "p%1"}, "/v2/Conversations/conv_1/Participants/p%251"},
		{routeAction, []string{"c", "a"}, "/v2/Conversations/c/Actions/a"},
		{routeParticipants, []string{"c"}, "/v2/Conversations/c/Participants"},
	} {
		got, err := buildPath(tc.tmpl, tc.args...)
		if err != nil || got != tc.want {
			t.Errorf("buildPath(%q, %q) = %q, %v; want %q", tc.tmpl, tc.args, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", ".", ".."} {
		if _, err := buildPath(routeParticipant, "c", bad); !conversations.IsValidation(err) {
			t.Errorf("buildPath(%q): %v", bad, err)
		}
	}
}
