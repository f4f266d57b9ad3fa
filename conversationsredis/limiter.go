package conversationsredis

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// TwilioLimitPerSecond is Twilio's write limit of the Conversations (classic)
// API: 30 actions per second per conversation and 30 per second per
// Conversation Service ("Conversations (classic) Limits",
// https://www.twilio.com/docs/conversations-classic/conversations-limits).
const TwilioLimitPerSecond = 30

// Limit is the pace a Limiter holds each key to: Rate permits per Period,
// and at most Burst permits at once after a quiet spell.
type Limit struct {
	// Rate is the number of permits per Period.
	Rate int
	// Period is the time Rate permits are spread over.
	Period time.Duration
	// Burst is the most permits granted at once after a quiet spell (1:
	// each permit waits its turn, Period/Rate after the previous one).
	Burst int
}

// DefaultLimit is the pace a Limiter holds each key to unless WithLimit
// says otherwise: 28 permits per second, spaced 1/28 s apart, with a burst
// of 2. The rate stays 2/s under Twilio's 30 (93 % of it) so that the jitter
// between a permit and the moment Twilio counts the request (network,
// scheduling, GC) does not push a 31st request into one second: under
// steady demand the 1st and the 31st permit are 1.07 s apart. The burst of 2
// lets a waiter that asks a little late still get its permit on schedule
// (GCRA then keeps the schedule instead of restarting it from the late
// moment), and after a quiet spell allows at most 29 permits in any
// one-second window, so even a sliding-window count stays under 30.
var DefaultLimit = Limit{Rate: 28, Period: time.Second, Burst: 2}

// DefaultPrefix is put before every key a Limiter or SeenSet stores, so that
// the SDK's keys do not mix with others in the same Redis database.
const DefaultPrefix = "conversations:"

// DefaultTimeout bounds each Redis round trip of a Limiter or SeenSet when
// WithTimeout does not set another.
const DefaultTimeout = 250 * time.Millisecond

// DefaultRecheck is how long a Limiter answers every Wait with Redis's
// last error, without asking Redis, after a Redis call failed, unless
// WithRecheck sets another.
const DefaultRecheck = time.Second

// Option configures a Limiter or a SeenSet.
type Option func(*config)

type config struct {
	limit   Limit
	prefix  string
	timeout time.Duration
	recheck time.Duration
}

// WithLimit sets the pace of every key of a Limiter (DefaultLimit by
// default). A Rate, Period or Burst below 1 leaves DefaultLimit's value.
func WithLimit(l Limit) Option {
	return func(c *config) {
		if l.Rate > 0 {
			c.limit.Rate = l.Rate
		}
		if l.Period > 0 {
			c.limit.Period = l.Period
		}
		if l.Burst > 0 {
			c.limit.Burst = l.Burst
		}
	}
}

// WithPrefix sets the prefix of every Redis key (DefaultPrefix by default).
// Every replica of a fleet must use the same prefix and the same Redis.
func WithPrefix(p string) Option { return func(c *config) { c.prefix = p } }

// WithTimeout bounds each Redis round trip (DefaultTimeout by default; 0 or
// less: only the caller's context bounds it). The go-redis client observes it
// only when its Options.ContextTimeoutEnabled is true; without that, its own
// DialTimeout, ReadTimeout and MaxRetries decide how long an unreachable
// Redis holds a call up.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithRecheck sets how long a Limiter keeps answering Wait with Redis's last
// error, without asking Redis, after a Redis call failed (DefaultRecheck by
// default; 0 or less: ask Redis every time). While Redis is down, this
// keeps every write from paying a dial and its retries: calls that fail
// open are sent at once, calls that fail closed fail at once. The first
// Wait after the period asks Redis again.
func WithRecheck(d time.Duration) Option { return func(c *config) { c.recheck = d } }

func newConfig(opts []Option) config {
	c := config{limit: DefaultLimit, prefix: DefaultPrefix, timeout: DefaultTimeout, recheck: DefaultRecheck}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Limiter paces the writes of every replica that shares one Redis: it is a
// conversations.Limiter (pass it to conversations.WithLimiter). Each key
// ("conversation:CH…", "service:IS…") is a GCRA rate limit held in Redis
// and updated atomically by one Lua script (github.com/go-redis/redis_rate),
// so the replicas together never get more than the Limit's permits per
// Period, whatever their number.
//
// A Limiter is safe for concurrent use. Within one process, the callers
// waiting on the same key take turns: at most one of them asks Redis at a
// time, so 64 goroutines waiting on one conversation cost one Redis call
// per permit, not 64.
type Limiter struct {
	rl      *redis_rate.Limiter
	cfg     config
	rlLimit redis_rate.Limit

	mu        sync.Mutex
	gates     map[string]*gate
	downUntil time.Time // after a Redis failure: answer downErr until then
	downErr   error
}

var _ conversations.Limiter = (*Limiter)(nil)

// gate lets one caller per key at a time ask Redis.
type gate struct {
	turn    chan struct{}
	waiters int
}

// NewLimiter returns a Limiter that keeps its state in rdb, which may be a
// *redis.Client, *redis.ClusterClient, *redis.Ring or failover client.
func NewLimiter(rdb redis.UniversalClient, opts ...Option) *Limiter {
	cfg := newConfig(opts)
	return &Limiter{
		rl:      redis_rate.NewLimiter(rdb),
		cfg:     cfg,
		rlLimit: redis_rate.Limit{Rate: cfg.limit.Rate, Period: cfg.limit.Period, Burst: cfg.limit.Burst},
		gates:   map[string]*gate{},
	}
}

// Limit returns the pace the Limiter holds each key to.
func (l *Limiter) Limit() Limit { return l.cfg.limit }

// RedisKey returns the Redis key that holds the state of key, e.g.
// "rate:conversations:conversation:CH…" (redis_rate adds "rate:"). It
// expires by itself once the key has been idle for a Period.
func (l *Limiter) RedisKey(key string) string { return "rate:" + l.cfg.prefix + key }

// Wait blocks until one request under key may be sent. An empty key is
// not limited. It returns ctx's error when ctx ends first, and an *Error
// (Op "limit") when Redis cannot decide: unreachable, timed out, or an
// unexpected answer — and then, for the WithRecheck period, at once without
// asking Redis. What the client does then is its LimiterFailureMode.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	if key == "" {
		return nil
	}
	if err := l.down(); err != nil {
		return &Error{Op: "limit", Key: key, Err: err}
	}
	g, err := l.enter(ctx, key)
	if err != nil {
		return err
	}
	defer l.leave(key, g)
	if err := l.down(); err != nil { // Redis failed while this caller waited its turn
		return &Error{Op: "limit", Key: key, Err: err}
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		res, err := l.allow(ctx, key)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			l.markDown(err)
			return &Error{Op: "limit", Key: key, Err: err}
		}
		if res.Allowed > 0 {
			return nil
		}
		wait := res.RetryAfter
		if wait <= 0 {
			wait = time.Millisecond
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
	}
}

func (l *Limiter) allow(ctx context.Context, key string) (*redis_rate.Result, error) {
	ctx, cancel := bound(ctx, l.cfg.timeout)
	defer cancel()
	res, err := l.rl.Allow(ctx, l.cfg.prefix+key, l.rlLimit)
	if err == nil && res == nil {
		err = errors.New("no result")
	}
	return res, err
}

// down returns Redis's last error while the recheck period after it runs.
func (l *Limiter) down() error {
	if l.cfg.recheck <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.downErr != nil && time.Now().Before(l.downUntil) {
		return l.downErr
	}
	return nil
}

// markDown records a Redis failure.
func (l *Limiter) markDown(err error) {
	if l.cfg.recheck <= 0 {
		return
	}
	l.mu.Lock()
	l.downErr, l.downUntil = err, time.Now().Add(l.cfg.recheck)
	l.mu.Unlock()
}

// enter waits for key's turn in this process.
func (l *Limiter) enter(ctx context.Context, key string) (*gate, error) {
	l.mu.Lock()
	g := l.gates[key]
	if g == nil {
		g = &gate{turn: make(chan struct{}, 1)}
		l.gates[key] = g
	}
	g.waiters++
	l.mu.Unlock()
	select {
	case g.turn <- struct{}{}:
		return g, nil
	case <-ctx.Done():
		l.release(key, g)
		return nil, ctx.Err()
	}
}

// leave ends key's turn.
func (l *Limiter) leave(key string, g *gate) {
	<-g.turn
	l.release(key, g)
}

// release forgets g once nobody waits on it, so the map holds only keys in use.
func (l *Limiter) release(key string, g *gate) {
	l.mu.Lock()
	g.waiters--
	if g.waiters == 0 {
		delete(l.gates, key)
	}
	l.mu.Unlock()
}
