package conversations

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/conversations-go/conversations/internal/rest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routeObserver records the routes and results of calls.
type routeObserver struct {
	mu     sync.Mutex
	routes []string
	ends   []CallResult
}

func (o *routeObserver) CallStart(ctx context.Context, call CallInfo) context.Context {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes = append(o.routes, call.Method+" "+call.Route)
	return ctx
}

func (o *routeObserver) LimiterWait(context.Context, CallInfo, string, time.Duration, error) {}

func (o *routeObserver) Attempt(context.Context, CallInfo, AttemptInfo) {}

func (o *routeObserver) CallEnd(ctx context.Context, call CallInfo, r CallResult) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ends = append(o.ends, r)
}

// TestObserverRoutesOfV1Calls: an Observer sees each v1 call's path
// template in both scopes, a list's next pages under the list's route, and
// media under the media route.
func TestObserverRoutesOfV1Calls(t *testing.T) {
	next := "https://conversations.twilio.com/v1/Services/IS1/Conversations?PageSize=1&PageToken=PT1"
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.URL.Path == "/v1/Services/IS1/Conversations" && r.URL.Query().Get("PageToken") == "":
			faultJSON(w, 200, faultListPage(next, "CH1"))
		case r.URL.Path == "/v1/Services/IS1/Conversations":
			faultJSON(w, 200, faultListPage("", "CH2"))
		case r.URL.Path == "/v1/Services/IS1/Media/ME1":
			faultJSON(w, 200, `{"sid":"ME1"}`)
		default:
			faultJSON(w, 200, faultConversationJSON(faultSID))
		}
	})
	o := &routeObserver{}
	c, _ := faultClient(t, srv.URL, WithObserver(o))
	ctx := context.Background()
	_, err := c.Conversations.Fetch(ctx, "CH1")
	require.NoError(t, err)
	_, err = c.Service("IS1").Messages.Create(ctx, "CH1", &MessageCreateParams{Body: Ptr("hi")})
	require.NoError(t, err)
	n := 0
	for _, err := range c.Service("IS1").Conversations.All(ctx, &ConversationListParams{ListParams: ListParams{PageSize: Ptr(1)}}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
	_, err = c.Service("IS1").Media.Fetch(ctx, "ME1")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"GET /v1/Conversations/{Sid}",
		"POST /v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages",
		"GET /v1/Services/{ChatServiceSid}/Conversations",
		"GET /v1/Services/{ChatServiceSid}/Conversations",
		"GET /v1/Services/{ChatServiceSid}/Media/{MediaSid}",
	}, o.routes)
	for _, e := range o.ends {
		assert.Equal(t, CallResult{Status: 200, Attempts: 1, Duration: e.Duration}, e)
	}
}

// TestClientOfAndServiceAllocs: the bridge returns the client's core, and
// Service allocates once whatever the number of services.
func TestClientOfAndServiceAllocs(t *testing.T) {
	c, err := NewClient(testAccountSID, testAuthToken)
	require.NoError(t, err)
	assert.Same(t, c.core, rest.ClientOf(c))
	assert.Nil(t, rest.ClientOf("not a client"))
	assert.Nil(t, rest.ClientOf((*Client)(nil)))
	allocs := testing.AllocsPerRun(100, func() { _ = c.Service("IS1") })
	assert.Equal(t, 1.0, allocs)
	s := c.Service("IS1")
	assert.NotNil(t, s.Bindings)
	assert.NotNil(t, s.Configuration)
	assert.NotNil(t, s.Media)
	fake := &Scope{Messages: s.Messages}
	assert.Same(t, s.Messages, fake.Messages, "a Scope of interfaces can be built by hand")
}
