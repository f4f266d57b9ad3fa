package eventstreams

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultSeenTTLCoversTheRetryWindow(t *testing.T) {
	assert.GreaterOrEqual(t, DefaultSeenTTL, 4*time.Hour)
	assert.Equal(t, 100_000, DefaultSeenCapacity)
}

// Claim records once; Release forgets; the TTL expires ids.
func TestMemorySeenSet_ClaimReleaseExpire(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewMemorySeenSet(10)
	s.now = func() time.Time { return now }

	ok, err := s.Claim(ctx, "EZ1", time.Hour)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, _ = s.Claim(ctx, "EZ1", time.Hour)
	assert.False(t, ok, "second claim")

	require.NoError(t, s.Release(ctx, "EZ1"))
	ok, _ = s.Claim(ctx, "EZ1", time.Hour)
	assert.True(t, ok, "claim after release")
	require.NoError(t, s.Release(ctx, "EZ-never-claimed"))

	now = now.Add(time.Hour - time.Nanosecond)
	ok, _ = s.Claim(ctx, "EZ1", time.Hour)
	assert.False(t, ok, "still within the TTL")
	now = now.Add(time.Nanosecond)
	ok, _ = s.Claim(ctx, "EZ1", time.Hour)
	assert.True(t, ok, "TTL passed")

	// A ttl of 0 is DefaultSeenTTL.
	ok, _ = s.Claim(ctx, "EZ2", 0)
	assert.True(t, ok)
	now = now.Add(DefaultSeenTTL - time.Second)
	ok, _ = s.Claim(ctx, "EZ2", 0)
	assert.False(t, ok)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Claim(cancelled, "EZ3", time.Hour)
	assert.ErrorIs(t, err, context.Canceled)
}

// The set is bounded: expired ids go first, then the oldest claim.
func TestMemorySeenSet_Bounded(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewMemorySeenSet(3)
	s.now = func() time.Time { return now }
	for i := 1; i <= 3; i++ {
		ok, _ := s.Claim(ctx, fmt.Sprint("EZ", i), time.Hour)
		require.True(t, ok)
	}
	ok, _ := s.Claim(ctx, "EZ4", time.Hour) // evicts EZ1, the oldest
	require.True(t, ok)
	assert.Equal(t, 3, s.Len())
	ok, _ = s.Claim(ctx, "EZ2", time.Hour)
	assert.False(t, ok, "EZ2 kept")
	ok, _ = s.Claim(ctx, "EZ1", time.Hour)
	assert.True(t, ok, "EZ1 was evicted (now claimed again, evicting EZ2)")
	assert.Equal(t, 3, s.Len())

	// Expired ids are dropped before anything else.
	now = now.Add(2 * time.Hour)
	ok, _ = s.Claim(ctx, "EZ5", time.Minute)
	require.True(t, ok)
	assert.Equal(t, 1, s.Len())

	assert.Equal(t, DefaultSeenCapacity, NewMemorySeenSet(0).capacity)
}

// Concurrent claims of one id: exactly one wins.
func TestMemorySeenSet_ConcurrentClaims(t *testing.T) {
	s := NewMemorySeenSet(0)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := s.Claim(context.Background(), "EZsame", time.Hour); ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
}
