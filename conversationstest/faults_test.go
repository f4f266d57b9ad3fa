package conversationstest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

// fastRetry retries quickly, so that tests stay fast.
var fastRetry = cv.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}

func TestRateLimitIsRetriedHonouringRetryAfter(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client(cv.WithRetry(fastRetry))
	srv.RateLimitNext(1, "POST", "/v1/Conversations", time.Second)
	srv.RateLimitNext(1, "POST", "/v1/Conversations", 0)
	require.Equal(t, 2, srv.PendingFaults())

	start := time.Now()
	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("after 429s")})
	require.NoError(t, err, "429 is retried for every method, creates included")
	require.GreaterOrEqual(t, time.Since(start), time.Second, "Retry-After: 1 was honoured")
	require.Equal(t, "after 429s", conv.FriendlyName)
	require.Zero(t, srv.PendingFaults())
	require.Len(t, srv.Requests(), 3)
	require.Len(t, all(t, c.Conversations.All(ctx, nil)), 1, "the refused attempts created nothing")
}

func TestRateLimitWithoutRetries(t *testing.T) {
	srv := conversationstest.NewServer(t)
	srv.RateLimitNext(1, "", "/v1/Services", 30*time.Second)
	_, err := srv.Client().Services.List(context.Background(), nil)
	require.True(t, cv.IsRateLimited(err))
	e := apiErr(t, err, 429, 20429)
	require.Equal(t, "30", e.RetryAfter)
	_, err = srv.Client().Services.List(context.Background(), nil)
	require.NoError(t, err, "the fault is used up")
}

func TestServerErrorsAndTheRetryPolicy(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client(cv.WithRetry(fastRetry))
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)

	// Reads are retried on 5xx.
	srv.FailNext(2, "GET", "/v1/Conversations/*", conversationstest.Fault{Status: http.StatusServiceUnavailable})
	_, err = c.Conversations.Fetch(ctx, conv.SID)
	require.NoError(t, err)

	// Updates of an existing resource are idempotent and retried too.
	srv.FailNext(1, "POST", "/v1/Conversations/"+conv.SID, conversationstest.Fault{Status: http.StatusBadGateway})
	_, err = c.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{FriendlyName: cv.Ptr("x")})
	require.NoError(t, err)

	// A create is never replayed after a 5xx: it may have happened.
	srv.ResetRequests()
	srv.FailNext(1, "POST", "/v1/Conversations/"+conv.SID+"/Messages", conversationstest.Fault{Status: http.StatusInternalServerError, AfterHandling: true})
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("once")})
	apiErr(t, err, 500, 20500)
	require.Len(t, srv.Requests(), 1, "no retry of the create")
	msgs := all(t, c.Messages.All(ctx, conv.SID, nil))
	require.Len(t, msgs, 1, "the fault came after the message was created")
	require.Equal(t, "once", msgs[0].Body)

	// Retries give up after MaxAttempts.
	srv.FailNext(5, "", "/v1/Conversations/"+conv.SID, conversationstest.Fault{Status: 503, Code: 12345, Message: "down for maintenance"})
	_, err = c.Conversations.Fetch(ctx, conv.SID)
	e := apiErr(t, err, 503, 12345)
	require.Equal(t, "down for maintenance", e.Message)
	require.Equal(t, 2, srv.PendingFaults())
	srv.ClearFaults()
	require.Zero(t, srv.PendingFaults())
}

func TestFaultBodiesHeadersAndDelays(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()

	srv.FailNext(1, "get", "/v1/Services", conversationstest.Fault{Status: 502, Body: "<html>bad gateway</html>", Header: http.Header{"Content-Type": {"text/html"}}})
	_, err := c.Services.List(ctx, nil)
	e := apiErr(t, err, 502, 0)
	require.Contains(t, e.Snippet, "bad gateway")

	srv.FailNext(1, "", "/v1/Services", conversationstest.Fault{Status: 504, Delay: time.Minute})
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Services.List(tctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 5*time.Second, "the fake lets go when the client gives up")

	// Faults only hit what they match.
	srv.FailNext(1, "DELETE", "/v1/Services/*", conversationstest.Fault{Status: 500})
	_, err = c.Services.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, srv.PendingFaults())
}
