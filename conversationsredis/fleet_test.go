package conversationsredis_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/eventstreams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

var _ conversations.Limiter = (*conversationsredis.Limiter)(nil)

// soakEnv turns the full soak on (.ci/run sets it once).
const soakEnv = "CONVERSATIONS_SOAK"

// fleetResult is what one run of writers saw.
type fleetResult struct {
	ok        int64         // writes that succeeded
	refused   int64         // writes that failed with a 429 after their retries
	throttled int           // 429s the fake answered (retried ones included)
	elapsed   time.Duration // from the first write to the deadline
}

// runFleet runs replicas clients × workers goroutines, each creating
// messages in conv as fast as the client lets it, for d. limiter makes each
// replica's Limiter (nil: none).
func runFleet(t *testing.T, srv *conversationstest.Server, conv string, replicas, workers int, d time.Duration, limiter func() conversations.Limiter) fleetResult {
	t.Helper()
	clients := make([]*conversations.Client, replicas)
	for i := range clients {
		opts := []conversations.Option{conversations.WithRetry(conversations.DefaultRetryPolicy())}
		if limiter != nil {
			opts = append(opts, conversations.WithLimiter(limiter()))
		}
		clients[i] = srv.Client(opts...)
	}
	before := srv.Throttled()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range clients {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf("worker %d", w)
				for ctx.Err() == nil {
					_, err := c.Messages.Create(ctx, conv, &conversations.MessageCreateParams{Body: &body})
					switch {
					case err == nil:
						ok.Add(1)
					case conversations.IsRateLimited(err):
						refused.Add(1)
					case ctx.Err() != nil:
						// The run ended during this call.
						assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
					default:
						assert.NoError(t, err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	return fleetResult{ok: ok.Load(), refused: refused.Load(), throttled: srv.Throttled() - before, elapsed: time.Since(start)}
}

// sinkFleet is an Event Streams sink served by 4 replicas behind a load
// balancer that sends each request to one of them at random. Each replica
// has its own eventstreams.Handler, Redis connection pool and SeenSet, all
// on the same Redis.
type sinkFleet struct {
	lb        *httptest.Server
	mu        sync.Mutex
	processed map[string]int // successful callbacks per event id
	failed    sync.Map       // ids whose first callback failed
	failures  atomic.Int64
}

// newSinkFleet starts the replicas; one event in failEvery (by message
// index) fails its first callback, so that its batch is answered 500 and
// delivered again.
func newSinkFleet(t *testing.T, token string, failEvery int) *sinkFleet {
	t.Helper()
	f := &sinkFleet{processed: map[string]int{}}
	prefix := fmt.Sprintf("sinkfleet-%d:", time.Now().UnixNano())
	var handlers []http.Handler
	for range 4 {
		h, err := eventstreams.NewHandler(eventstreams.Config{
			AuthToken: token,
			Seen:      conversationsredis.NewSeenSet(newRedisClient(t, redisAddr), conversationsredis.WithPrefix(prefix)),
			OnMessage: func(_ context.Context, e *eventstreams.MessageEvent) error {
				id := e.Base().ID
				if e.Index != nil && *e.Index%failEvery == failEvery-1 {
					if _, loaded := f.failed.LoadOrStore(id, true); !loaded {
						f.failures.Add(1)
						return errors.New("downstream unavailable")
					}
				}
				f.mu.Lock()
				f.processed[id]++
				f.mu.Unlock()
				return nil
			},
		})
		require.NoError(t, err)
		handlers = append(handlers, h)
	}
	f.lb = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers[rand.IntN(len(handlers))].ServeHTTP(w, r)
	}))
	t.Cleanup(f.lb.Close)
	return f
}

// TestFleetSoak: 4 replicas × 16 goroutines write to one conversation of
// the fake, which enforces Twilio's 30 writes/s; the replicas share a Redis
// Limiter. 0 429s and at least 90 % of the limit. The fake streams every
// message.added event three times, shuffled, to a sink served by 4 replicas
// sharing a Redis SeenSet, one event in 10 failing its first callback: each
// event is processed exactly once. The full 10 s run needs
// CONVERSATIONS_SOAK=1; without it the same run lasts 2 s.
func TestFleetSoak(t *testing.T) {
	d := 2 * time.Second
	full := os.Getenv(soakEnv) == "1"
	if full {
		d = 10 * time.Second
	}
	ctx := context.Background()
	sinks := newSinkFleet(t, conversationstest.DefaultAuthToken, 10)
	srv := conversationstest.NewServer(t, conversationstest.WithWriteLimits(), conversationstest.WithEventStreams(conversationstest.EventStreamsSink{
		URL:       sinks.lb.URL + "/events",
		Types:     []string{string(eventstreams.MessageAdded)},
		Redeliver: 2,
		Reorder:   true,
		Seed:      24,
	}))
	conv, err := srv.Client().Conversations.Create(ctx, nil)
	require.NoError(t, err)

	res := runFleet(t, srv, conv.SID, 4, 16, d, func() conversations.Limiter {
		return conversationsredis.NewLimiter(newRedisClient(t, redisAddr))
	})
	rate := float64(res.ok) / res.elapsed.Seconds()
	limit := float64(conversationstest.WriteLimitPerSecond)
	t.Logf("soak %v: 4 replicas x 16 goroutines, Redis limiter: %d writes, %.2f/s = %.1f%% of Twilio's %v/s, %d 429s",
		res.elapsed.Round(time.Millisecond), res.ok, rate, 100*rate/limit, limit, res.throttled)
	require.Zero(t, res.throttled, "no write was refused by the fake's limit")
	require.Zero(t, res.refused)
	require.GreaterOrEqual(t, rate, 0.9*limit, "throughput ≥ 90 %% of the limit")
	require.LessOrEqual(t, rate, limit)

	// Every message.added event, delivered three times over the 4 sink
	// replicas, was processed exactly once.
	fctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, srv.FlushEventStreams(fctx))
	msgs := 0
	for _, err := range srv.Client().Messages.All(ctx, conv.SID, nil) {
		require.NoError(t, err)
		msgs++
	}
	published := map[string]bool{}
	for _, e := range srv.StreamEvents() {
		published[e.ID] = true
	}
	deliveries, redelivered := 0, 0
	for _, sd := range srv.StreamDeliveries() {
		deliveries++
		if sd.Outcome == "retry" {
			redelivered++
		}
		require.NotEqual(t, "dropped", sd.Outcome)
		require.NotEqual(t, "discarded", sd.Outcome)
	}
	sinks.mu.Lock()
	dups := 0
	for id := range published {
		if sinks.processed[id] != 1 {
			dups++
		}
	}
	processed := len(sinks.processed)
	sinks.mu.Unlock()
	t.Logf("Event Streams: %d message.added events for %d messages, each sent 3 times in %d requests to 4 sink replicas (%d answered 500 and sent again after %d failed callbacks): %d processed, %d other than once",
		len(published), msgs, deliveries, redelivered, sinks.failures.Load(), processed, dups)
	require.Equal(t, msgs, len(published), "one event per message")
	require.Equal(t, len(published), processed)
	require.Zero(t, dups, "each event processed exactly once")

	if full {
		// The same fleet without a limiter, for contrast (2 s).
		srv2 := conversationstest.NewServer(t, conversationstest.WithWriteLimits())
		conv2, err := srv2.Client().Conversations.Create(ctx, nil)
		require.NoError(t, err)
		res := runFleet(t, srv2, conv2.SID, 4, 16, 2*time.Second, nil)
		t.Logf("contrast %v: the same fleet without a limiter: %d writes (%.2f/s), %d 429s",
			res.elapsed.Round(time.Millisecond), res.ok, float64(res.ok)/res.elapsed.Seconds(), res.throttled)
	}
}

// TestFleetRedisStopped: Redis goes away while replicas write. Calls that
// fail open (the default) go on, unpaced, and the 429 retry protects the
// limit (a call whose retries all meet a 429 returns that 429); a call that
// fails closed gets a *NetworkError wrapping a *LimiterError wrapping a
// *conversationsredis.Error, and nothing is sent. Once Redis is back, writes
// are paced again. No goroutine is left behind.
func TestFleetRedisStopped(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	rs, err := startRedis(0)
	require.NoError(t, err)
	defer func() { rs.stop() }()
	srv := conversationstest.New(conversationstest.WithWriteLimits())
	defer srv.Close()
	rdb := newRedisClient(t, rs.addr)
	defer rdb.Close()
	lim := conversationsredis.NewLimiter(rdb)
	c := srv.Client(conversations.WithLimiter(lim), conversations.WithRetry(conversations.DefaultRetryPolicy()))
	ctx := context.Background()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	body := "hello"
	params := &conversations.MessageCreateParams{Body: &body}

	// Redis stopped in the middle of a run of 2 replicas × 8 writers: the
	// writers go on (fail open), nothing hangs, every call returns by the
	// run's deadline.
	done := make(chan fleetResult, 1)
	go func() {
		done <- runFleet(t, srv, conv.SID, 2, 8, 2*time.Second, func() conversations.Limiter { return lim })
	}()
	time.Sleep(700 * time.Millisecond)
	rs.stop()
	res := <-done
	t.Logf("Redis stopped after 0.7 s of a 2 s run, fail open: %d writes; the fake answered %d 429s, retried (%d calls still refused after their retries)",
		res.ok, res.throttled, res.refused)
	require.Positive(t, res.ok)
	require.Less(t, res.elapsed, 2*time.Second+time.Second, "no call outlived the run")

	// Fail open (the client's default): sent anyway.
	_, err = c.Messages.Create(ctx, conv.SID, params)
	require.NoError(t, err, "fail open: the write goes through without Redis")

	// Fail closed for this call: a typed error and nothing sent.
	sent := len(srv.Requests())
	_, err = c.Messages.Create(ctx, conv.SID, params, conversations.WithCallLimiterFailureMode(conversations.LimiterFailClosed))
	require.Error(t, err)
	var netErr *conversations.NetworkError
	require.True(t, errors.As(err, &netErr), "%T %v", err, err)
	var limErr *conversations.LimiterError
	require.True(t, errors.As(err, &limErr), "%v", err)
	require.Equal(t, "conversation:"+conv.SID, limErr.Key)
	var redisErr *conversationsredis.Error
	require.True(t, errors.As(err, &redisErr), "%v", err)
	require.Equal(t, "limit", redisErr.Op)
	require.Equal(t, "conversation:"+conv.SID, redisErr.Key)
	require.Equal(t, sent, len(srv.Requests()), "fail closed: nothing was sent")
	require.False(t, conversations.IsRateLimited(err))

	// A client that fails closed by default; reads are never limited.
	closed := srv.Client(conversations.WithLimiter(lim), conversations.WithLimiterFailureMode(conversations.LimiterFailClosed))
	_, err = closed.Messages.Create(ctx, conv.SID, params)
	require.True(t, errors.As(err, &limErr), "%v", err)
	_, err = closed.Messages.List(ctx, conv.SID, nil)
	require.NoError(t, err, "reads are unkeyed: no limiter, no failure")
	require.Equal(t, sent+1, len(srv.Requests()), "only the read was sent")

	// Redis back: paced again, no 429.
	rs, err = startRedis(rs.port)
	require.NoError(t, err)
	time.Sleep(1100 * time.Millisecond) // let the fake's window forget the unpaced second
	res = runFleet(t, srv, conv.SID, 2, 8, 1500*time.Millisecond, func() conversations.Limiter { return lim })
	require.Zero(t, res.throttled, "paced again once Redis is back")
	require.Zero(t, res.refused)
	require.Positive(t, res.ok)
	_, err = closed.Messages.Create(ctx, conv.SID, params)
	require.NoError(t, err)
	require.NoError(t, rdb.Close())
}
