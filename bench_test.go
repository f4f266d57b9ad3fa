package conversations

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"testing"

	"github.com/conversations-go/conversations/internal/benchutil"
	"github.com/conversations-go/conversations/internal/form"
)

// The benchmarks run the SDK and a raw net/http + encoding/json baseline on
// the same in-memory transport with the same canned bodies (the spec's
// examples; list pages of 50 items). Compare sdk with raw in one run:
//
//	go test -run '^$' -bench . -benchmem -count 6 . | tee bench.txt
//
// ./bench adds the official twilio-go to the same scenarios.

const benchMessagesPath = "/v1/Conversations/" + testConversationSID + "/Messages"

func benchGolden(b *testing.B, name string) []byte {
	body, err := benchutil.Golden(".", name)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func benchSetup(b *testing.B, body func(*http.Request) []byte) (*Client, *http.Client) {
	hc := &http.Client{Transport: benchutil.Transport{Body: body}}
	c, err := NewClient(testAccountSID, testAuthToken, WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	return c, hc
}

func BenchmarkFetchConversation(b *testing.B) {
	body := benchGolden(b, "FetchConversation")
	c, hc := benchSetup(b, func(*http.Request) []byte { return body })
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Conversations.Fetch(ctx, testConversationSID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out Conversation
			if err := benchutil.RawGet(ctx, hc, testAccountSID, testAuthToken, "https://conversations.twilio.com/v1/Conversations/"+testConversationSID, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListConversations50(b *testing.B) {
	body, err := benchutil.ListPage(benchGolden(b, "ListConversation"), "conversations", 50, "")
	if err != nil {
		b.Fatal(err)
	}
	c, hc := benchSetup(b, func(*http.Request) []byte { return body })
	ctx := context.Background()
	params := &ConversationListParams{ListParams: ListParams{PageSize: Ptr(50)}}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Conversations.List(ctx, params)
			if err != nil || len(p.Items) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Conversations []Conversation `json:"conversations"`
				Meta          Meta           `json:"meta"`
			}
			q := url.Values{"PageSize": {"50"}}
			if err := benchutil.RawGet(ctx, hc, testAccountSID, testAuthToken, "https://conversations.twilio.com/v1/Conversations?"+q.Encode(), &out); err != nil || len(out.Conversations) != 50 {
				b.Fatal(err)
			}
		}
	})
}

func benchMessageParams() *MessageCreateParams {
	return &MessageCreateParams{
		Author:     Ptr("support"),
		Body:       Ptr("Hello, your order #1234 has shipped."),
		Attributes: Ptr(`{"order":1234}`),
		Subject:    Ptr("Order update"),
	}
}

func benchMessageForm() url.Values {
	return url.Values{
		"Author":     {"support"},
		"Body":       {"Hello, your order #1234 has shipped."},
		"Attributes": {`{"order":1234}`},
		"Subject":    {"Order update"},
	}
}

func BenchmarkCreateMessage(b *testing.B) {
	body := benchGolden(b, "CreateConversationMessage_create")
	c, hc := benchSetup(b, func(*http.Request) []byte { return body })
	ctx := context.Background()
	params := benchMessageParams()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Messages.Create(ctx, testConversationSID, params); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out Message
			if err := benchutil.RawPost(ctx, hc, testAccountSID, testAuthToken, "https://conversations.twilio.com"+benchMessagesPath, benchMessageForm(), &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFormEncoding isolates the cost of encoding the create params:
// the SDK's encoder against a hand-built url.Values and its Encode.
func BenchmarkFormEncoding(b *testing.B) {
	params := benchMessageParams()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			enc, err := form.Encode(params)
			if err != nil || enc == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if benchMessageForm().Encode() == "" {
				b.Fatal("empty")
			}
		}
	})
}

func benchAllMessages(b *testing.B, pages int) {
	p, err := benchutil.NewPages(benchGolden(b, "ListConversationMessage_readFull"), "messages", benchMessagesPath, pages, 50)
	if err != nil {
		b.Fatal(err)
	}
	c, hc := benchSetup(b, p.Body)
	ctx := context.Background()
	want := pages * 50
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		g := runtime.NumGoroutine()
		for b.Loop() {
			n := 0
			for m, err := range c.Messages.All(ctx, testConversationSID, &MessageListParams{ListParams: ListParams{PageSize: Ptr(50)}}) {
				if err != nil || m.SID == "" {
					b.Fatal(err)
				}
				n++
			}
			if n != want {
				b.Fatalf("got %d items, want %d", n, want)
			}
		}
		if d := runtime.NumGoroutine() - g; d > 0 {
			b.Fatalf("All left %d goroutines running", d)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/item")
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			next := "https://conversations.twilio.com" + benchMessagesPath + "?PageSize=50"
			for next != "" {
				var out struct {
					Messages []Message `json:"messages"`
					Meta     Meta      `json:"meta"`
				}
				if err := benchutil.RawGet(ctx, hc, testAccountSID, testAuthToken, next, &out); err != nil {
					b.Fatal(err)
				}
				n += len(out.Messages)
				next = out.Meta.NextPageURL
			}
			if n != want {
				b.Fatalf("got %d items, want %d", n, want)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/item")
	})
}

func BenchmarkAllMessages20Pages(b *testing.B)  { benchAllMessages(b, 20) }
func BenchmarkAllMessages200Pages(b *testing.B) { benchAllMessages(b, 200) }

// BenchmarkAllPeakHeap reports the largest live heap (after a forced GC,
// above what the fixture itself holds) seen while All walks 20 and 200 pages
// of 50 messages, sampled every 5 pages: it does not grow with the number of
// pages, since only the current page is referenced.
func BenchmarkAllPeakHeap(b *testing.B) {
	for _, pages := range []int{20, 200} {
		b.Run(strconv.Itoa(pages)+"pages", func(b *testing.B) {
			p, err := benchutil.NewPages(benchGolden(b, "ListConversationMessage_readFull"), "messages", benchMessagesPath, pages, 50)
			if err != nil {
				b.Fatal(err)
			}
			c, _ := benchSetup(b, p.Body)
			ctx := context.Background()
			var peak uint64
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			for b.Loop() {
				n := 0
				for m, err := range c.Messages.All(ctx, testConversationSID, &MessageListParams{ListParams: ListParams{PageSize: Ptr(50)}}) {
					if err != nil || m.SID == "" {
						b.Fatal(err)
					}
					if n++; n%250 == 0 {
						runtime.GC()
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
					}
				}
			}
			b.ReportMetric(float64(peak-min(peak, base)), "peak-heap-B")
		})
	}
}
