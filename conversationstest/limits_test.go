package conversationstest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

// frozenClock is a clock that moves only when the test says so (Advance).
func frozenClock() conversationstest.Option {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	return conversationstest.WithClock(func() time.Time { return t0 })
}

// rawPost sends one form POST to the fake and returns its status and body.
func rawPost(t *testing.T, srv *conversationstest.Server, path string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.SetBasicAuth(srv.AccountSID, srv.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(b)
}

func TestWriteLimitPerConversation(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithWriteLimits(), frozenClock())
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("busy")})
	require.NoError(t, err)
	other, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)

	for i := range conversationstest.WriteLimitPerSecond {
		_, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("m")})
		require.NoError(t, err, "write %d of the second", i+1)
	}
	// The 31st write of the same second is refused with Twilio's exact body and not processed.
	status, body := rawPost(t, srv, "/v1/Conversations/"+conv.SID+"/Messages", url.Values{"Body": {"over"}})
	require.Equal(t, http.StatusTooManyRequests, status)
	require.JSONEq(t, `{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}`, body)
	msgs, err := c.Messages.List(ctx, conv.SID, nil)
	require.NoError(t, err, "reads do not count")
	require.Len(t, msgs.Items, conversationstest.WriteLimitPerSecond, "the refused write created nothing")

	// Participant writes and conversation updates share the conversation's key,
	// whether the path names it by SID or by unique name.
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	apiErr(t, err, 429, 20429)
	_, err = c.Conversations.Update(ctx, "busy", &cv.ConversationUpdateParams{FriendlyName: cv.Ptr("x")})
	apiErr(t, err, 429, 20429)
	_, err = c.Service(conversationstest.DefaultServiceSID).Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("scoped")})
	apiErr(t, err, 429, 20429)
	require.Equal(t, 4, srv.Throttled())

	// Another conversation has its own limit; conversation creates count per service.
	_, err = c.Messages.Create(ctx, other.SID, &cv.MessageCreateParams{Body: cv.Ptr("elsewhere")})
	require.NoError(t, err)

	// One second later the conversation takes writes again.
	srv.Advance(time.Second)
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("next second")})
	require.NoError(t, err)
	require.Equal(t, 4, srv.Throttled())
}

func TestWriteLimitPerService(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithWriteLimits(), frozenClock())
	c := srv.Client()
	// Conversation create and delete, user and role writes: one budget per service.
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	u, err := c.Users.Create(ctx, &cv.UserCreateParams{Identity: "alice"})
	require.NoError(t, err)
	_, err = c.Users.Update(ctx, u.SID, &cv.UserUpdateParams{FriendlyName: cv.Ptr("Alice")})
	require.NoError(t, err)
	_, err = c.Roles.Create(ctx, &cv.RoleCreateParams{FriendlyName: "r", Type: cv.RoleTypeConversation, Permission: []string{"sendMessage"}})
	require.NoError(t, err)
	require.NoError(t, c.Conversations.Delete(ctx, conv.SID))
	for i := 5; i < conversationstest.WriteLimitPerSecond; i++ {
		_, err := c.Conversations.Create(ctx, nil)
		require.NoError(t, err, "write %d of the second", i+1)
	}
	_, err = c.Users.Create(ctx, &cv.UserCreateParams{Identity: "bob"})
	apiErr(t, err, 429, 20429)
	// /v1/Services/{default SID}/... is the same service as /v1/...
	_, err = c.Service(conversationstest.DefaultServiceSID).Conversations.Create(ctx, nil)
	apiErr(t, err, 429, 20429)

	// Reads and service creates do not count; another service has its own budget.
	_, err = c.Conversations.List(ctx, nil)
	require.NoError(t, err)
	svc, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "other"})
	require.NoError(t, err)
	_, err = c.Service(svc.SID).Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 2, srv.Throttled())
}

func TestWriteLimitsOff(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, frozenClock())
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	for range conversationstest.WriteLimitPerSecond + 5 {
		_, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("m")})
		require.NoError(t, err)
	}
	require.Zero(t, srv.Throttled())
}

// TestWriteLimitConcurrent checks the count under concurrent writers on the
// wall clock: of 2×WriteLimitPerSecond writes sent at once, at most
// WriteLimitPerSecond land in any second.
func TestWriteLimitConcurrent(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithWriteLimits())
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	const n = 2 * conversationstest.WriteLimitPerSecond
	var wg sync.WaitGroup
	var mu sync.Mutex
	var okAt []time.Time
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("m")})
			if err == nil {
				mu.Lock()
				okAt = append(okAt, time.Now())
				mu.Unlock()
				return
			}
			apiErr(t, err, 429, 20429)
		}()
	}
	wg.Wait()
	require.Equal(t, n, len(okAt)+srv.Throttled())
	if time.Since(start) < time.Second {
		require.Len(t, okAt, conversationstest.WriteLimitPerSecond, "all within one second: exactly the limit lands")
	} else {
		require.GreaterOrEqual(t, len(okAt), conversationstest.WriteLimitPerSecond)
	}
}

func TestWriteLimitUnauthenticatedDoesNotCount(t *testing.T) {
	srv := conversationstest.NewServer(t, conversationstest.WithWriteLimits(), frozenClock())
	for range conversationstest.WriteLimitPerSecond + 1 {
		res, err := srv.HTTPClient().Post(srv.URL+"/v1/Conversations", "application/x-www-form-urlencoded", nil)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	}
	status, _ := rawPost(t, srv, "/v1/Conversations", nil)
	require.Equal(t, http.StatusCreated, status)
	require.Zero(t, srv.Throttled())
}
