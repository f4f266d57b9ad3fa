package accesstoken

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Input far over MaxTokenSize is refused before it is split or decoded:
// 8 MiB of dots costs the error only (before the bound: 8 allocations and
// about 136 MB of heap per call).
func TestParse_RefusesOversizedInputCheaply(t *testing.T) {
	dots := strings.Repeat(".", 8<<20)
	_, err := Parse(dots, secret)
	assert.ErrorIs(t, err, ErrMalformedToken)
	assert.ErrorIs(t, err, ErrTokenTooLarge)
	assert.EqualError(t, err, "accesstoken: malformed token: accesstoken: token longer than MaxTokenSize: 8388608 bytes")
	_, err = ParseUnverified(dots)
	assert.ErrorIs(t, err, ErrTokenTooLarge)

	allocs := testing.AllocsPerRun(20, func() { _, _ = Parse(dots, secret) })
	assert.LessOrEqual(t, allocs, 8.0, "allocations per refused call (the wrapped error only)")
	assert.Less(t, bytesPerCall(func() { _, _ = Parse(dots, secret) }), uint64(1024), "heap bytes per refused call")

	// Under the limit, a string that is not three parts is refused by
	// counting separators, not by splitting it.
	manyDots := strings.Repeat(".", MaxTokenSize)
	_, err = Parse(manyDots, secret)
	assert.ErrorIs(t, err, ErrMalformedToken)
	assert.NotErrorIs(t, err, ErrTokenTooLarge)
	assert.EqualError(t, err, "accesstoken: malformed token: want 3 parts, got 65537")
	assert.Less(t, bytesPerCall(func() { _, _ = Parse(manyDots, secret) }), uint64(1024), "heap bytes per refused call")
}

// The bound is exact: the longest token JWT makes (MaxTokenSize bytes or
// just under) parses, and one byte more is refused.
func TestParse_MaxTokenSizeIsExact(t *testing.T) {
	var longest string
	for n := MaxTokenSize*3/4 - 1024; ; n++ {
		tok, err := base().Identity(strings.Repeat("a", n)).JWT()
		if err != nil {
			require.ErrorIs(t, err, ErrTokenTooLarge)
			break
		}
		longest = tok
	}
	require.LessOrEqual(t, len(longest), MaxTokenSize)
	require.Greater(t, len(longest), MaxTokenSize-4, "base64 grows by at most 4 bytes per identity byte step")
	_, err := Parse(longest, secret)
	require.NoError(t, err)

	padded := strings.Repeat("A", MaxTokenSize+1-len(longest)) + longest
	require.Len(t, padded, MaxTokenSize+1)
	_, err = Parse(padded, secret)
	assert.ErrorIs(t, err, ErrTokenTooLarge)
}

func bytesPerCall(f func()) uint64 {
	const runs = 20
	f()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}

// BenchmarkParse_8MiBOfDots measures the refusal of oversized input.
// Before the bound: ~200 ms, 135,904,286 B and 8 allocs per call; after:
// about 1 µs, 392 B and 6 allocs (the wrapped error).
func BenchmarkParse_8MiBOfDots(b *testing.B) {
	dots := strings.Repeat(".", 8<<20)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = Parse(dots, secret)
	}
}
