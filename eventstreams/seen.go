package eventstreams

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// SeenSet remembers event ids, so a redelivered event is processed once.
//
// Implementations must be safe for concurrent use; Claim must be atomic
// (two concurrent Claims of one id: exactly one returns true). The
// in-memory MemorySeenSet suits one process; a fleet behind a load
// balancer needs a shared store (a Redis adapter implements this interface
// with SET key 1 NX PX ttl and DEL).
type SeenSet interface {
	// Claim records id as seen for ttl unless it already is; it reports whether this call
	// recorded it (true: process the event). Redis: SET key 1 NX PX ttl.
	Claim(ctx context.Context, id string, ttl time.Duration) (bool, error)
	// Release forgets id (its callback failed), so Twilio's redelivery is processed.
	Release(ctx context.Context, id string) error
}

// DefaultSeenTTL is how long the Handler remembers an event id by default:
// five hours. Event Streams retries a delivery "until it succeeds or four
// hours have passed" ("Event delivery retries and event duplication",
// https://www.twilio.com/docs/events/event-delivery-and-duplication); the
// extra hour covers the delivery of the last retry and clock differences.
const DefaultSeenTTL = 5 * time.Hour

// DefaultSeenCapacity is the number of ids a MemorySeenSet built with a
// capacity of 0 remembers: 100,000, about 10 MB of memory (an id is a
// 34-byte SID; with the map entry, list element and expiry each id costs
// about 100 bytes). Size it above the number of events your sink receives
// in DefaultSeenTTL, or use a shared store.
const DefaultSeenCapacity = 100_000

// MemorySeenSet is the in-memory SeenSet the Handler uses by default. It is
// bounded: it holds at most its capacity of ids. An id is forgotten when
// its TTL has passed or, when the set is full, oldest claim first (the
// claim of a new id evicts the least recently claimed one, expired ids
// first). An evicted id that Twilio redelivers is processed again, so size
// the set above your event volume over the TTL. The zero value is not
// usable; build one with NewMemorySeenSet. It is safe for concurrent use.
type MemorySeenSet struct {
	mu       sync.Mutex
	capacity int
	order    *list.List // of *seenEntry, oldest claim at the front
	byID     map[string]*list.Element
	now      func() time.Time
}

type seenEntry struct {
	id      string
	expires time.Time
}

// NewMemorySeenSet returns an empty MemorySeenSet holding at most capacity
// ids (DefaultSeenCapacity when capacity is 0 or less).
func NewMemorySeenSet(capacity int) *MemorySeenSet {
	if capacity <= 0 {
		capacity = DefaultSeenCapacity
	}
	return &MemorySeenSet{capacity: capacity, order: list.New(), byID: map[string]*list.Element{}, now: time.Now}
}

// Claim implements SeenSet. It never returns an error (except ctx's, if
// ctx is already done). A ttl of 0 or less counts as DefaultSeenTTL.
func (s *MemorySeenSet) Claim(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if ttl <= 0 {
		ttl = DefaultSeenTTL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if el, ok := s.byID[id]; ok {
		if now.Before(el.Value.(*seenEntry).expires) {
			return false, nil
		}
		s.remove(el)
	}
	// Drop expired ids from the front, then the oldest if still full.
	for front := s.order.Front(); front != nil && !now.Before(front.Value.(*seenEntry).expires); front = s.order.Front() {
		s.remove(front)
	}
	for s.order.Len() >= s.capacity {
		s.remove(s.order.Front())
	}
	s.byID[id] = s.order.PushBack(&seenEntry{id: id, expires: now.Add(ttl)})
	return true, nil
}

// Release implements SeenSet: id is forgotten. It never returns an error.
func (s *MemorySeenSet) Release(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.byID[id]; ok {
		s.remove(el)
	}
	return nil
}

// Len returns the number of ids held (expired ones not yet dropped
// included).
func (s *MemorySeenSet) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

func (s *MemorySeenSet) remove(el *list.Element) {
	s.order.Remove(el)
	delete(s.byID, el.Value.(*seenEntry).id)
}
