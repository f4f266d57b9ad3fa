package conversations

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/conversations-go/conversations/internal/benchutil"
)

// noopLimiter and noopObserver are the cheapest hooks possible: the
// benchmark measures the hooks' own cost, not an adapter's.
type noopLimiter struct{}

func (noopLimiter) Wait(context.Context, string) error { return nil }

type noopObserver struct{}

func (noopObserver) CallStart(ctx context.Context, _ CallInfo) context.Context { return ctx }
func (noopObserver) LimiterWait(context.Context, CallInfo, string, time.Duration, error) {
}
func (noopObserver) Attempt(context.Context, CallInfo, AttemptInfo) {}
func (noopObserver) CallEnd(context.Context, CallInfo, CallResult)  {}

// BenchmarkHooks measures the Limiter and Observer hooks on a write that
// has a limit key (a message create), in one run: "none" is a client
// without hooks (the default), the others set no-op hooks. Compare "none"
// with BenchmarkCreateMessage/raw, and with BenchmarkCreateMessage/sdk of
// the commit before the hooks, for the cost of the hooks when none is set:
//
//	go test -run '^$' -bench 'Hooks|CreateMessage' -benchmem -count 6 .
func BenchmarkHooks(b *testing.B) {
	body := benchGolden(b, "CreateConversationMessage_create")
	ctx := context.Background()
	params := benchMessageParams()
	for _, bc := range []struct {
		name string
		opts []Option
	}{
		{"none", nil},
		{"limiter", []Option{WithLimiter(noopLimiter{})}},
		{"observer", []Option{WithObserver(noopObserver{})}},
		{"both", []Option{WithLimiter(noopLimiter{}), WithObserver(noopObserver{})}},
	} {
		hc := &http.Client{Transport: benchutil.Transport{Body: func(*http.Request) []byte { return body }}}
		c, err := NewClient(testAccountSID, testAuthToken, append([]Option{WithHTTPClient(hc)}, bc.opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Messages.Create(ctx, testConversationSID, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
