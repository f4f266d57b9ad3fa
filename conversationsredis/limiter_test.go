package conversationsredis_test

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLimiterPacesReplicas: 4 Limiters (4 replicas, each with its own
// Redis connection pool) × 8 goroutines waiting on one key for 2 s get
// DefaultLimit's pace between them, never more than Rate+1 in any second.
func TestLimiterPacesReplicas(t *testing.T) {
	const replicas, workers = 4, 8
	const run = 2 * time.Second
	key := "conversation:CH" + unique(t)
	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	var mu sync.Mutex
	var grants []time.Time
	var wg sync.WaitGroup
	start := time.Now()
	for range replicas {
		l := conversationsredis.NewLimiter(newRedisClient(t, redisAddr))
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					err := l.Wait(ctx, key)
					if err != nil {
						assert.ErrorIs(t, err, context.DeadlineExceeded)
						return
					}
					mu.Lock()
					grants = append(grants, time.Now())
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	lim := conversationsredis.DefaultLimit
	sort.Slice(grants, func(i, j int) bool { return grants[i].Before(grants[j]) })
	// Redis grants at most Rate+Burst-1 = 29 permits in any one-second
	// window; seen from here, after scheduling jitter, never above Twilio's 30.
	for i := range grants {
		j := i
		for j < len(grants) && grants[j].Sub(grants[i]) < time.Second {
			j++
		}
		require.LessOrEqual(t, j-i, conversationsredis.TwilioLimitPerSecond, "permits in the second from grant %d", i)
	}
	want := float64(lim.Rate) * elapsed.Seconds()
	require.InDelta(t, want, float64(len(grants)), 0.1*want+float64(lim.Burst), "%d permits in %v", len(grants), elapsed)
}

func TestLimiterKeysAndExpiry(t *testing.T) {
	ctx := context.Background()
	rdb := newRedisClient(t, redisAddr)
	prefix := unique(t) + ":"
	l := conversationsredis.NewLimiter(rdb, conversationsredis.WithPrefix(prefix), conversationsredis.WithLimit(conversationsredis.Limit{Rate: 10}))
	require.Equal(t, conversationsredis.Limit{Rate: 10, Period: time.Second, Burst: 2}, l.Limit())
	require.Equal(t, "rate:"+prefix+"conversation:CH1", l.RedisKey("conversation:CH1"))

	require.NoError(t, l.Wait(ctx, "conversation:CH1"))
	ttl, err := rdb.TTL(ctx, "rate:"+prefix+"conversation:CH1").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, time.Duration(0))
	require.LessOrEqual(t, ttl, time.Second, "an idle key expires within a second")

	// Keys are independent: the burst of another key is untouched.
	start := time.Now()
	require.NoError(t, l.Wait(ctx, "conversation:CH1"))
	require.NoError(t, l.Wait(ctx, "service:IS1"))
	require.NoError(t, l.Wait(ctx, "service:IS1"))
	require.Less(t, time.Since(start), 90*time.Millisecond, "bursts of 2, no wait")
	require.NoError(t, l.Wait(ctx, "conversation:CH1"))
	require.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond, "the third permit of CH1 waits its 1/10 s")

	// An empty key is not limited and touches no Redis key.
	require.NoError(t, l.Wait(ctx, ""))
	n, err := rdb.Exists(ctx, "rate:"+prefix).Result()
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestLimiterContextEnds(t *testing.T) {
	rdb := newRedisClient(t, redisAddr)
	l := conversationsredis.NewLimiter(rdb, conversationsredis.WithLimit(conversationsredis.Limit{Rate: 1, Period: time.Minute, Burst: 1}))
	key := "conversation:CH" + unique(t)
	require.NoError(t, l.Wait(context.Background(), key))

	// The next permit is a minute away: callers give up when their ctx ends,
	// whether they wait on Redis's answer or on the other caller's turn.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- l.Wait(ctx, key) }()
	}
	for range 3 {
		require.ErrorIs(t, <-errs, context.DeadlineExceeded)
	}
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	err := l.Wait(cctx, key)
	require.ErrorIs(t, err, context.Canceled)
	var rerr *conversationsredis.Error
	require.False(t, errors.As(err, &rerr), "a done ctx is not a Redis failure")
}
