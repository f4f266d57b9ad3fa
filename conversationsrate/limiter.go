package conversationsrate

import (
	"context"
	"sync"
	"time"

	"github.com/conversations-go/conversations"
	"golang.org/x/time/rate"
)

// TwilioLimitPerSecond is Twilio's write limit of the Conversations (classic)
// API: 30 actions per second per conversation and 30 per second per
// Conversation Service ("Conversations (classic) Limits",
// https://www.twilio.com/docs/conversations-classic/conversations-limits).
const TwilioLimitPerSecond = 30

// DefaultRate and DefaultBurst are the pace a Limiter holds each key to
// unless WithRate says otherwise: 28 permits per second with a burst of 2,
// as conversationsredis.DefaultLimit. The rate stays 2/s under Twilio's 30
// so that the jitter between a permit and the moment Twilio counts the
// request does not push a 31st request into one second; with a burst of 2,
// any one-second window holds at most 29 permits.
const (
	DefaultRate  rate.Limit = 28
	DefaultBurst int        = 2
)

// Option configures a Limiter.
type Option func(*Limiter)

// WithRate sets the pace of every key: r permits per second, up to burst
// at once. Values below or equal to 0 keep the defaults.
func WithRate(r rate.Limit, burst int) Option {
	return func(l *Limiter) {
		if r > 0 {
			l.rate = r
		}
		if burst > 0 {
			l.burst = burst
		}
	}
}

// Limiter paces the writes of one process under Twilio's write limits: it is
// a conversations.Limiter (pass it to conversations.WithLimiter) that keeps
// one golang.org/x/time/rate limiter per key ("conversation:CH…",
// "service:IS…"). It holds the limits only for the replica it runs in: a
// fleet of N replicas needs conversationsredis.Limiter instead, or each
// replica's share (WithRate(DefaultRate/N, 1)).
//
// A Limiter is safe for concurrent use, starts no goroutine, and forgets a
// key once its bucket is full again, so its memory follows the keys in use.
type Limiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	keys    map[string]*rate.Limiter
	sweepAt int
}

var _ conversations.Limiter = (*Limiter)(nil)

// minSweep is the number of keys below which a Limiter never sweeps.
const minSweep = 1024

// NewLimiter returns a Limiter holding each key to DefaultRate and
// DefaultBurst, or to what WithRate sets.
func NewLimiter(opts ...Option) *Limiter {
	l := &Limiter{rate: DefaultRate, burst: DefaultBurst, keys: map[string]*rate.Limiter{}, sweepAt: minSweep}
	for _, o := range opts {
		if o != nil {
			o(l)
		}
	}
	return l
}

// Wait blocks until one request under key may be sent; an empty key is not
// limited. When ctx ends first — or its deadline falls before the permit,
// in which case Wait holds the caller until then — it returns ctx's error
// and gives its place back. It never fails otherwise.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	if key == "" {
		return nil
	}
	now := time.Now()
	l.mu.Lock()
	lim := l.keys[key]
	if lim == nil {
		if len(l.keys) >= l.sweepAt {
			l.sweepLocked(now)
		}
		lim = rate.NewLimiter(l.rate, l.burst)
		l.keys[key] = lim
	}
	r := lim.ReserveN(now, 1)
	l.mu.Unlock()
	d := r.DelayFrom(now)
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(now.Add(d)) {
		r.Cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// sweepLocked forgets the keys whose bucket is full: a new limiter for them
// would behave the same.
func (l *Limiter) sweepLocked(now time.Time) {
	for k, lim := range l.keys {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.keys, k)
		}
	}
	l.sweepAt = max(minSweep, 2*len(l.keys))
}

// Keys returns how many keys the Limiter currently holds.
func (l *Limiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
