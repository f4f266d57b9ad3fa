package conversationsrate_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationsrate"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneReplica: one client, 16 goroutines writing to one conversation of
// the fake, which enforces Twilio's write limits, through the in-process
// limiter for 2 s: no 429, at least 90 % of the limit.
func TestOneReplica(t *testing.T) {
	srv := conversationstest.NewServer(t, conversationstest.WithWriteLimits())
	c := srv.Client(conversations.WithLimiter(conversationsrate.NewLimiter()))
	conv, err := c.Conversations.Create(context.Background(), nil)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr("hi")})
				if err == nil {
					ok.Add(1)
					continue
				}
				assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
			}
		}()
	}
	wg.Wait()
	rate := float64(ok.Load()) / time.Since(start).Seconds()
	t.Logf("one replica, 16 goroutines: %d writes, %.2f/s, %d 429s", ok.Load(), rate, srv.Throttled())
	require.Zero(t, srv.Throttled())
	require.GreaterOrEqual(t, rate, 0.9*conversationstest.WriteLimitPerSecond)
}
