package conversationsredis

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/conversations-go/conversations/eventstreams"
	"github.com/redis/go-redis/v9"
)

// SeenSet remembers Event Streams event ids in Redis, so that an event
// Twilio delivers more than once is processed once across every replica:
// it is an eventstreams.SeenSet (give it to eventstreams.Config.Seen). Claim is one atomic SET key 1 NX PX ttl;
// Release is DEL. The key of an id is prefix + "seen:" + id, e.g.
// "conversations:seen:EV…", and expires after the ttl Claim was given.
//
// A SeenSet is safe for concurrent use.
type SeenSet struct {
	rdb redis.UniversalClient
	cfg config
}

var _ eventstreams.SeenSet = (*SeenSet)(nil)

// NewSeenSet returns a SeenSet that keeps its ids in rdb. Of the options,
// WithPrefix and WithTimeout apply.
func NewSeenSet(rdb redis.UniversalClient, opts ...Option) *SeenSet {
	return &SeenSet{rdb: rdb, cfg: newConfig(opts)}
}

// RedisKey returns the Redis key that records id.
func (s *SeenSet) RedisKey(id string) string { return s.cfg.prefix + "seen:" + id }

// Claim records id as seen for ttl unless it already is, and reports
// whether this call recorded it (true: process the event; false: another
// delivery of it was, or is being, processed). A ttl of 0 or less counts as
// eventstreams.DefaultSeenTTL, as in eventstreams.MemorySeenSet; a
// positive ttl is rounded up to whole milliseconds. Redis failing returns
// an *Error (Op "claim"); ctx's end returns ctx's error.
func (s *SeenSet) Claim(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		ttl = eventstreams.DefaultSeenTTL
	}
	ms := (ttl + time.Millisecond - 1).Milliseconds()
	rctx, cancel := bound(ctx, s.cfg.timeout)
	defer cancel()
	err := s.rdb.Do(rctx, "SET", s.RedisKey(id), "1", "NX", "PX", strconv.FormatInt(ms, 10)).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, redis.Nil):
		return false, nil
	case ctx.Err() != nil:
		return false, ctx.Err()
	default:
		return false, &Error{Op: "claim", Key: id, Err: err}
	}
}

// Release forgets id (its processing failed), so that Twilio's next
// delivery of it is processed. Redis failing returns an *Error (Op
// "release"); ctx's end returns ctx's error.
func (s *SeenSet) Release(ctx context.Context, id string) error {
	rctx, cancel := bound(ctx, s.cfg.timeout)
	defer cancel()
	if err := s.rdb.Del(rctx, s.RedisKey(id)).Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &Error{Op: "release", Key: id, Err: err}
	}
	return nil
}

// bound returns ctx limited to d, when d > 0.
func bound(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}
