package conversationsredis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/stretchr/testify/require"
)

func TestSeenSetClaimAndRelease(t *testing.T) {
	ctx := context.Background()
	rdb := newRedisClient(t, redisAddr)
	seen := conversationsredis.NewSeenSet(rdb, conversationsredis.WithPrefix("t2:"))
	id := "EV" + t.Name()
	require.Equal(t, "t2:seen:"+id, seen.RedisKey(id))

	ok, err := seen.Claim(ctx, id, 4*time.Hour)
	require.NoError(t, err)
	require.True(t, ok, "first delivery: process it")
	ok, err = seen.Claim(ctx, id, 4*time.Hour)
	require.NoError(t, err)
	require.False(t, ok, "redelivery: skip it")

	// SET key 1 NX PX ttl: the value is 1 and the key expires after ttl.
	v, err := rdb.Get(ctx, seen.RedisKey(id)).Result()
	require.NoError(t, err)
	require.Equal(t, "1", v)
	pttl, err := rdb.PTTL(ctx, seen.RedisKey(id)).Result()
	require.NoError(t, err)
	require.Greater(t, pttl, 4*time.Hour-time.Minute)
	require.LessOrEqual(t, pttl, 4*time.Hour)

	// Released (processing failed): the next delivery is processed.
	require.NoError(t, seen.Release(ctx, id))
	ok, err = seen.Claim(ctx, id, 50*time.Millisecond)
	require.NoError(t, err)
	require.True(t, ok)
	pttl, err = rdb.PTTL(ctx, seen.RedisKey(id)).Result()
	require.NoError(t, err)
	require.LessOrEqual(t, pttl, 50*time.Millisecond, "millisecond TTLs are kept (PX)")
	require.Eventually(t, func() bool {
		ok, err := seen.Claim(ctx, id, time.Hour)
		return err == nil && ok
	}, 2*time.Second, 20*time.Millisecond, "the id is forgotten after its TTL")

	// Releasing an id that is not there is not an error.
	require.NoError(t, seen.Release(ctx, "EVnever"))
}

func TestSeenSetBadTTL(t *testing.T) {
	seen := conversationsredis.NewSeenSet(newRedisClient(t, redisAddr))
	for _, ttl := range []time.Duration{0, -time.Second, 999 * time.Microsecond} {
		ok, err := seen.Claim(context.Background(), "EVx", ttl)
		require.False(t, ok)
		var e *conversationsredis.Error
		require.True(t, errors.As(err, &e), "ttl %v: %v", ttl, err)
		require.Equal(t, "claim", e.Op)
		require.Equal(t, "EVx", e.Key)
		require.EqualError(t, err, "conversationsredis: claim EVx: ttl must be at least 1ms")
	}
}

func TestSeenSetContextEnds(t *testing.T) {
	seen := conversationsredis.NewSeenSet(newRedisClient(t, redisAddr))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := seen.Claim(ctx, "EVy", time.Hour)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, seen.Release(ctx, "EVy"), context.Canceled)
}
