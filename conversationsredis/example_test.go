package conversationsredis_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationsredis"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/eventstreams"
	"github.com/redis/go-redis/v9"
)

// Two replicas share one Redis: their writes to one conversation stay under
// Twilio's 30/s together, and an Event Streams event delivered to both is
// processed once. The fake plays Twilio and enforces its write limits.
func Example() {
	ctx := context.Background()
	srv := conversationstest.New(conversationstest.WithWriteLimits())
	defer srv.Close()

	var processed atomic.Int32
	newReplica := func() (*conversations.Client, *eventstreams.Handler) {
		rdb := redis.NewClient(&redis.Options{
			Addr:                  redisAddr, // one Redis for the fleet
			ContextTimeoutEnabled: true,
			DialTimeout:           250 * time.Millisecond,
			DialerRetries:         1,
			MaxRetries:            1,
		})
		client := srv.Client(conversations.WithLimiter(conversationsredis.NewLimiter(rdb)))
		events, err := eventstreams.NewHandler(eventstreams.Config{
			AuthToken: srv.AuthToken,
			Seen:      conversationsredis.NewSeenSet(rdb),
			OnMessage: func(ctx context.Context, e *eventstreams.MessageEvent) error {
				processed.Add(1)
				return nil
			},
		})
		if err != nil {
			panic(err)
		}
		return client, events
	}
	a, eventsA := newReplica()
	b, eventsB := newReplica()

	conv, err := a.Conversations.Create(ctx, nil)
	if err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	for i := range 40 {
		client := a
		if i%2 == 1 {
			client = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := client.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr("hi")}); err != nil {
				fmt.Println(err)
			}
		}()
	}
	wg.Wait()
	fmt.Println("429s:", srv.Throttled())

	// The same event, delivered to both replicas.
	batch, err := eventstreams.ParseBatch([]byte(`[{"specversion":"1.0","id":"EZ` + conv.SID[2:] + `",
		"type":"com.twilio.conversations.message.added","source":"/v1/Conversations/` + conv.SID + `/Messages/IM1",
		"time":"2026-12-03T10:00:00Z","datacontenttype":"application/json","data":{"MessageSid":"IM1","Index":0}}]`))
	if err != nil {
		panic(err)
	}
	for _, h := range []*eventstreams.Handler{eventsA, eventsB} {
		if err := h.Process(ctx, batch); err != nil {
			panic(err)
		}
	}
	fmt.Println("times processed:", processed.Load())
	// Output:
	// 429s: 0
	// times processed: 1
}
