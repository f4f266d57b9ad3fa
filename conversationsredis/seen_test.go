package conversationsredis_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/conversations-go/conversations/eventstreams"
	"github.com/stretchr/testify/require"
)

func TestSeenSetClaimAndRelease(t *testing.T) {
	ctx := context.Background()
	rdb := newRedisClient(t, redisAddr)
	prefix := unique(t) + ":"
	seen := conversationsredis.NewSeenSet(rdb, conversationsredis.WithPrefix(prefix))
	id := "EV1"
	require.Equal(t, prefix+"seen:"+id, seen.RedisKey(id))

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

func TestSeenSetDefaultTTL(t *testing.T) {
	ctx := context.Background()
	rdb := newRedisClient(t, redisAddr)
	seen := conversationsredis.NewSeenSet(rdb, conversationsredis.WithPrefix(unique(t)+":"))
	for i, ttl := range []time.Duration{0, -time.Second} {
		id := fmt.Sprintf("EVdefault%d", i)
		ok, err := seen.Claim(ctx, id, ttl)
		require.NoError(t, err)
		require.True(t, ok)
		pttl, err := rdb.PTTL(ctx, seen.RedisKey(id)).Result()
		require.NoError(t, err)
		require.Greater(t, pttl, eventstreams.DefaultSeenTTL-time.Minute, "ttl %v counts as eventstreams.DefaultSeenTTL", ttl)
	}
	ok, err := seen.Claim(ctx, "EVsub", time.Microsecond)
	require.NoError(t, err)
	require.True(t, ok, "a sub-millisecond ttl is rounded up to 1 ms")
}

func TestSeenSetContextEnds(t *testing.T) {
	seen := conversationsredis.NewSeenSet(newRedisClient(t, redisAddr))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := seen.Claim(ctx, "EVy", time.Hour)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, seen.Release(ctx, "EVy"), context.Canceled)
}
