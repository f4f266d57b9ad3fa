package rest

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPathPlaceholders: each placeholder takes the next argument, checked
// under the placeholder's name and escaped; a template with more
// placeholders than arguments panics with its name; the path is built in
// one allocation.
func TestPathPlaceholders(t *testing.T) {
	p, err := Path("/v2/A/{a}/B/{b}/c", "x y", "z/1")
	require.NoError(t, err)
	assert.Equal(t, "/v2/A/x%20y/B/z%2F1/c", p)
	p, err = Path("/v2/Plain")
	require.NoError(t, err)
	assert.Equal(t, "/v2/Plain", p)
	for _, tc := range []struct {
		args []string
		name string
	}{{[]string{"", "b"}, "a"}, {[]string{"a", ".."}, "bee"}, {[]string{".", "b"}, "a"}} {
		_, err := Path("/v2/A/{a}/B/{bee}", tc.args...)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q", tc.args)
		assert.Equal(t, tc.name, ve.Param, "%q", tc.args)
	}
	assert.PanicsWithValue(t, "conversations: path template /v2/{a}/{b} has more placeholders than arguments", func() {
		_, _ = Path("/v2/{a}/{b}", "x")
	})
	long := strings.Repeat("s", 39)
	assert.Equal(t, 1.0, testing.AllocsPerRun(20, func() { _, _ = Path("/v2/A/{a}/B/{b}", long, long) }))
}

// TestValidateDelayOrder: MaxDelay below BaseDelay is refused only when a
// retry could happen.
func TestValidateDelayOrder(t *testing.T) {
	for _, tc := range []struct {
		p  RetryPolicy
		ok bool
	}{
		{RetryPolicy{MaxAttempts: 1, BaseDelay: 2 * time.Second, MaxDelay: time.Second}, true},
		{RetryPolicy{MaxAttempts: 2, BaseDelay: 2 * time.Second, MaxDelay: time.Second}, false},
		{RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Second}, true},
		{RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Second + 1}, true},
		{RetryPolicy{BaseDelay: 2 * time.Minute, MaxDelay: time.Second}, false},
	} {
		err := tc.p.Validate()
		if tc.ok {
			assert.NoError(t, err, "%+v", tc.p)
			continue
		}
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%+v", tc.p)
		assert.Equal(t, "RetryPolicy.MaxDelay", ve.Param)
	}
}

// TestBackoffHugeCap: with a cap near the largest duration, the wait still
// doubles from the base.
func TestBackoffHugeCap(t *testing.T) {
	old := jitter
	t.Cleanup(func() { jitter = old })
	jitter = func(n time.Duration) time.Duration { return n - 1 }
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: math.MaxInt64}
	assert.Equal(t, time.Second, p.backoff(1))
	assert.Equal(t, 2*time.Second, p.backoff(2))
	assert.Equal(t, 4*time.Second, p.backoff(3))
	q := RetryPolicy{BaseDelay: 3 * time.Second, MaxDelay: 2 * time.Second}
	assert.Equal(t, 2*time.Second, q.backoff(1), "a base above the cap is capped")
}

// TestDoRetryWithinDeadline: a retry whose wait fits before the context's
// deadline is made; one whose wait does not is not, and the call fails at
// once with the answer's error rather than the context's.
func TestDoRetryWithinDeadline(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, n int) {
		if n%2 == 1 {
			jsonReply(w, 503, `{"message":"down"}`)
			return
		}
		jsonReply(w, 200, `{"id":"x"}`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out item
	require.NoError(t, newTestClient(t, srv.URL).Do(ctx, &Request{Method: http.MethodGet, Path: "/v2/X", Replay: true, Decoder: JSON(&out)}))
	assert.Len(t, srv.seen(), 2)

	slow := newTestClient(t, srv.URL, func(c *Config) {
		c.Retry = RetryPolicy{MaxAttempts: 3, BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second, NoRetryBudget: true}
	})
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := slow.Do(ctx, &Request{Method: http.MethodGet, Path: "/v2/X", Replay: true, Decoder: JSON(&out)})
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.Status)
	assert.Len(t, srv.seen(), 3)
	assert.Less(t, time.Since(start), time.Second)
}
