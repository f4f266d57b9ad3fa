package conversationstest_test

import (
	"context"
	"strconv"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// The fake's cost per request must not grow with the data it holds. These
// benchmarks show both curves through the SDK, over HTTP on 127.0.0.1:
//
//	go test -run '^$' -bench 'ListAllMessages|CreateConversation' -benchtime 3x ./conversationstest
//
// ListAllMessages walks every message of one conversation with
// Messages.All (PageSize 50) and reports µs/item; the figure at 16,000
// messages should stay close to the one at 1,000. CreateConversation
// reports the cost of one create when the store already holds n
// conversations.

func BenchmarkListAllMessages(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 4000, 16000} {
		srv := conversationstest.NewServer(b)
		client := srv.Client()
		conv, err := client.Conversations.Create(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			if _, err := client.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("m" + strconv.Itoa(i))}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run("messages="+strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				got := 0
				for _, err := range client.Messages.All(ctx, conv.SID, &cv.MessageListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}}) {
					if err != nil {
						b.Fatal(err)
					}
					got++
				}
				if got != n {
					b.Fatalf("listed %d messages, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/item")
		})
	}
}

func BenchmarkCreateConversation(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{250, 4000} {
		srv := conversationstest.NewServer(b)
		client := srv.Client()
		for range n - 1 {
			if _, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("seed")}); err != nil {
				b.Fatal(err)
			}
		}
		// Each iteration creates the n-th conversation and, off the clock,
		// deletes it again, so the store size stays n-1 before each create.
		b.Run("nth="+strconv.Itoa(n), func(b *testing.B) {
			for i := range b.N {
				c, err := client.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("bench-" + strconv.Itoa(i))})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := client.Conversations.Delete(ctx, c.SID); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
