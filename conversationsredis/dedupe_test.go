package conversationsredis_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/conversations-go/conversations/eventstreams"
	"github.com/conversations-go/conversations/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var _ eventstreams.SeenSet = (*conversationsredis.SeenSet)(nil)

const sinkToken = "0123456789abcdef0123456789abcdef"

// sink is one replica's Event Streams endpoint: an eventstreams.Handler
// sharing the Redis SeenSet, served on 127.0.0.1.
type sink struct {
	srv *httptest.Server
}

// messageEvent is one com.twilio.conversations.message.added CloudEvent.
func messageEvent(id string, index int) string {
	return fmt.Sprintf(`{"specversion":"1.0","id":%q,"type":%q,"source":"/v1/Conversations/CH1/Messages/IM%d","time":"2026-12-03T10:00:00.000Z","datacontenttype":"application/json","data":{"ConversationSid":"CH1","MessageSid":"IM%d","Index":%d,"Body":"m%d"}}`,
		id, eventstreams.MessageAdded, index, index, index, index)
}

// deliver posts a batch to a sink as Event Streams does (signed with
// bodySHA256) and returns the status code.
func deliver(t *testing.T, s *sink, body string) int {
	t.Helper()
	u := s.srv.URL + "/events?" + webhook.BodyHashParam + "=" + webhook.ComputeBodyHash([]byte(body))
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.SignatureHeader, webhook.ComputeSignature(sinkToken, u, url.Values(nil)))
	res, err := s.srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode
}

// TestFleetDedupe: Twilio delivers every event of a stream at least twice,
// in batches of up to 10, to any of 4 replicas at once; some callbacks fail
// the first time (the replica answers 500 and Twilio delivers that batch
// again, to any replica). With the replicas sharing the Redis SeenSet, each
// event is processed exactly once. CONVERSATIONS_SOAK=1 runs 1,000 events,
// otherwise 400; it also shows, for contrast, what per-replica in-memory
// seen-sets let through.
func TestFleetDedupe(t *testing.T) {
	n := 400
	if os.Getenv(soakEnv) == "1" {
		n = 1000
	}
	prefix := fmt.Sprintf("dedupe-%d:", time.Now().UnixNano())
	dups := runDedupe(t, n, func() eventstreams.SeenSet {
		// Each replica has its own Redis connection pool and SeenSet; they share Redis.
		return conversationsredis.NewSeenSet(newRedisClient(t, redisAddr), conversationsredis.WithPrefix(prefix))
	})
	require.Zero(t, dups)
	if os.Getenv(soakEnv) == "1" {
		dups := runDedupe(t, n, func() eventstreams.SeenSet { return eventstreams.NewMemorySeenSet(eventstreams.DefaultSeenCapacity) })
		t.Logf("contrast: with a seen-set per replica instead, %d of %d events were processed more than once", dups, n)
	}
}

// runDedupe runs the delivery of n events to 4 replicas and returns how
// many events were processed other than once.
func runDedupe(t *testing.T, n int, newSeen func() eventstreams.SeenSet) int {
	t.Helper()
	const replicas = 4
	var mu sync.Mutex
	processed := map[string]int{} // successful callbacks per event id
	var failedOnce sync.Map       // ids whose first callback failed
	var callbacks, failures atomic.Int64
	sinks := make([]*sink, replicas)
	for i := range sinks {
		h, err := eventstreams.NewHandler(eventstreams.Config{
			AuthToken: sinkToken,
			Seen:      newSeen(),
			OnMessage: func(_ context.Context, e *eventstreams.MessageEvent) error {
				callbacks.Add(1)
				id := e.Base().ID
				// One event in 10 fails its first callback.
				if idx := e.Index; idx != nil && *idx%10 == 3 {
					if _, loaded := failedOnce.LoadOrStore(id, true); !loaded {
						failures.Add(1)
						return errors.New("downstream unavailable")
					}
				}
				mu.Lock()
				processed[id]++
				mu.Unlock()
				return nil
			},
		})
		require.NoError(t, err)
		sinks[i] = &sink{srv: httptest.NewServer(h)}
		t.Cleanup(sinks[i].srv.Close)
	}

	// Every event goes out in two independent batches (a redelivery), and
	// every batch answered with an error goes out again, to a random replica.
	events := make([]string, n)
	for i := range events {
		events[i] = fmt.Sprintf("EV%032d", i)
	}
	type job struct{ ids []int }
	jobs := make(chan job, 4*n)
	var pending sync.WaitGroup
	for range 2 {
		perm := rand.Perm(n)
		for len(perm) > 0 {
			k := min(1+rand.IntN(10), len(perm))
			pending.Add(1)
			jobs <- job{ids: perm[:k]}
			perm = perm[k:]
		}
	}
	var redelivered atomic.Int64
	var workers sync.WaitGroup
	for range 16 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				parts := make([]string, len(j.ids))
				for i, id := range j.ids {
					parts[i] = messageEvent(events[id], id)
				}
				status := deliver(t, sinks[rand.IntN(replicas)], "["+strings.Join(parts, ",")+"]")
				switch status {
				case http.StatusOK:
				case http.StatusInternalServerError:
					redelivered.Add(1)
					pending.Add(1)
					jobs <- j // Twilio retries the whole batch
				default:
					assert.Failf(t, "unexpected status", "%d", status)
				}
				pending.Done()
			}
		}()
	}
	pending.Wait()
	close(jobs)
	workers.Wait()

	dups := 0
	for _, id := range events {
		if c := processed[id]; c != 1 {
			dups++
		}
	}
	t.Logf("dedupe: %d events delivered at least twice over %d replicas; %d callbacks, %d failed and redelivered (%d batches again); %d events processed other than once",
		n, replicas, callbacks.Load(), failures.Load(), redelivered.Load(), dups)
	require.Len(t, processed, n, "every event was processed")
	return dups
}
