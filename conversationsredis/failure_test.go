package conversationsredis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestRedisStopped: with its Redis stopped, a Limiter and a SeenSet answer
// promptly with an *Error (never a hang, never a permit or a claim made up),
// work again once Redis is back, and leave no goroutine behind.
func TestRedisStopped(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv, err := startRedis(0)
	require.NoError(t, err)
	defer func() { srv.stop() }()
	rdb := newRedisClient(t, srv.addr)
	defer rdb.Close()
	lim := conversationsredis.NewLimiter(rdb)
	seen := conversationsredis.NewSeenSet(rdb)
	ctx := context.Background()

	require.NoError(t, lim.Wait(ctx, "conversation:CH1"))
	ok, err := seen.Claim(ctx, "EV1", time.Hour)
	require.NoError(t, err)
	require.True(t, ok)

	srv.stop()
	start := time.Now()
	err = lim.Wait(ctx, "conversation:CH1")
	var e *conversationsredis.Error
	require.True(t, errors.As(err, &e), "%v", err)
	require.Equal(t, "limit", e.Op)
	require.Equal(t, "conversation:CH1", e.Key)
	require.Contains(t, err.Error(), "conversationsredis: limit conversation:CH1: ")
	// For DefaultRecheck, the Limiter answers at once without asking Redis.
	t0 := time.Now()
	for range 100 {
		err = lim.Wait(ctx, "service:IS1")
		require.True(t, errors.As(err, &e), "%v", err)
		require.Equal(t, "service:IS1", e.Key)
	}
	require.Less(t, time.Since(t0), 100*time.Millisecond, "100 Waits while Redis is known down")

	ok, err = seen.Claim(ctx, "EV2", time.Hour)
	require.False(t, ok, "no claim without Redis: the event is not processed now, Twilio redelivers it")
	require.True(t, errors.As(err, &e), "%v", err)
	require.Equal(t, "claim", e.Op)
	err = seen.Release(ctx, "EV1")
	require.True(t, errors.As(err, &e), "%v", err)
	require.Equal(t, "release", e.Op)
	require.Less(t, time.Since(start), 3*time.Second, "an unreachable Redis is reported, not waited for")

	// Redis back on the same address (empty: no persistence): everything works again.
	srv, err = startRedis(srv.port)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return lim.Wait(ctx, "conversation:CH1") == nil }, 5*time.Second, 20*time.Millisecond)
	ok, err = seen.Claim(ctx, "EV2", time.Hour)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, rdb.Close())
}
