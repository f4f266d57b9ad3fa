package conversationsrate_test

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationsrate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestLimiterPaces(t *testing.T) {
	l := conversationsrate.NewLimiter()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var mu sync.Mutex
	var grants []time.Time
	var wg sync.WaitGroup
	start := time.Now()
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := l.Wait(ctx, "conversation:CH1"); err != nil {
					assert.ErrorIs(t, err, context.DeadlineExceeded)
					return
				}
				mu.Lock()
				grants = append(grants, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(grants, func(i, j int) bool { return grants[i].Before(grants[j]) })
	for i := range grants {
		j := i
		for j < len(grants) && grants[j].Sub(grants[i]) < time.Second {
			j++
		}
		// 29 by the limiter's schedule; at most Twilio's 30 after scheduling jitter.
		require.LessOrEqual(t, j-i, conversationsrate.TwilioLimitPerSecond)
	}
	want := float64(conversationsrate.DefaultRate) * elapsed.Seconds()
	require.InDelta(t, want, float64(len(grants)), 0.1*want+2)
}

func TestLimiterKeysAreIndependentAndForgotten(t *testing.T) {
	ctx := context.Background()
	l := conversationsrate.NewLimiter(conversationsrate.WithRate(1, 1))
	require.NoError(t, l.Wait(ctx, ""), "an empty key is not limited")
	require.Zero(t, l.Keys())
	start := time.Now()
	for i := range 2000 {
		require.NoError(t, l.Wait(ctx, "conversation:CH"+strconv.Itoa(i)))
	}
	require.Less(t, time.Since(start), time.Second, "each key has its own burst")
	require.LessOrEqual(t, l.Keys(), 2000)

	// A full second later every bucket is full again: the next new key sweeps them.
	time.Sleep(1100 * time.Millisecond)
	for i := range 1100 {
		require.NoError(t, l.Wait(ctx, "service:IS"+strconv.Itoa(i)))
	}
	require.LessOrEqual(t, l.Keys(), 1100+1, "idle keys were forgotten")
}

func TestLimiterContextEnds(t *testing.T) {
	l := conversationsrate.NewLimiter(conversationsrate.WithRate(0.1, 1))
	require.NoError(t, l.Wait(context.Background(), "conversation:CH1"))

	// The next permit is 10 s away, past the deadline: Wait returns ctx's
	// error when the deadline comes (not a limiter error the client would
	// fail open on), and gives its reservation back.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	require.ErrorIs(t, l.Wait(ctx, "conversation:CH1"), context.DeadlineExceeded)
	require.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond)

	cctx, ccancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); ccancel() }()
	require.ErrorIs(t, l.Wait(cctx, "conversation:CH1"), context.Canceled)
}
