package conversations

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// leakCheck snapshots the goroutines now and returns a function that, once
// the test's servers and connections are closed, fails the test if any new
// goroutine is still running, and logs the counts before, at the peak (as
// reported by the caller) and after.
func leakCheck(t *testing.T) func(peak int) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	before := runtime.NumGoroutine()
	return func(peak int) {
		t.Helper()
		goleak.VerifyNone(t, ignore)
		after := runtime.NumGoroutine()
		t.Logf("goroutines: before=%d peak=%d after=%d", before, peak, after)
		assert.LessOrEqual(t, after, before)
	}
}

// leakServer serves conversations and a two-page conversation list.
func leakServer(t *testing.T) *faultServer {
	return faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/v1/Conversations" {
			next := ""
			if r.URL.Query().Get("PageToken") == "" {
				next = "https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken=PT1"
			}
			faultJSON(w, 200, faultPageJSON(fmt.Sprintf("CH%d", n), next))
			return
		}
		faultJSON(w, 200, faultConversationJSON(faultSID))
	})
}

// TestLeakThousandCalls makes 1,000 calls (16 at a time) and checks that no
// goroutine outlives the server and the client's idle connections.
func TestLeakThousandCalls(t *testing.T) {
	done := leakCheck(t)
	peak := 0
	func() {
		srv := leakServer(t)
		defer srv.Close()
		c, _ := faultClient(t, srv.URL)
		defer c.core.HTTPClient().CloseIdleConnections()
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		var mu sync.Mutex
		for i := range 1000 {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				var err error
				if i%2 == 0 {
					_, err = c.Conversations.Fetch(context.Background(), faultSID)
				} else {
					_, err = c.Conversations.List(context.Background(), nil)
				}
				assert.NoError(t, err)
				mu.Lock()
				peak = max(peak, runtime.NumGoroutine())
				mu.Unlock()
			}()
		}
		wg.Wait()
		assert.Equal(t, 1000, srv.count())
	}()
	done(peak)
}

// TestLeakThousandAbandonedIterators abandons 1,000 iterators after their
// first item (half with break, half through iter.Pull2 and stop), checks
// that no abandoned iterator fetched another page, and that nothing leaked.
func TestLeakThousandAbandonedIterators(t *testing.T) {
	done := leakCheck(t)
	peak := 0
	func() {
		srv := leakServer(t)
		defer srv.Close()
		c, _ := faultClient(t, srv.URL)
		defer c.core.HTTPClient().CloseIdleConnections()
		for i := range 1000 {
			seq := c.Conversations.All(context.Background(), nil)
			if i%2 == 0 {
				for conv, err := range seq {
					require.NoError(t, err)
					require.NotNil(t, conv)
					break
				}
			} else {
				next, stop := iter.Pull2(seq)
				conv, err, ok := next()
				require.True(t, ok)
				require.NoError(t, err)
				require.NotNil(t, conv)
				stop()
			}
			peak = max(peak, runtime.NumGoroutine())
		}
		assert.Equal(t, 1000, srv.count(), "one page per iterator: nothing fetched after the consumer stopped")
	}()
	done(peak)
}

// TestLeakFaultMatrixTwice runs the whole fault matrix twice in a row and
// checks for leaks once at the end (TestFaultMatrix checks after each case).
func TestLeakFaultMatrixTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: TestFaultMatrix runs the matrix once")
	}
	done := leakCheck(t)
	peak := 0
	for round := range 2 {
		for _, fc := range faultCases {
			t.Run(fmt.Sprint(fc.name, round), func(t *testing.T) {
				fc.run(t)
				peak = max(peak, runtime.NumGoroutine())
			})
		}
	}
	done(peak)
}
