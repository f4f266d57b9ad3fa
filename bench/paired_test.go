package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/benchutil"
)

// BenchmarkPaired runs each v1 SDK call and its raw net/http +
// encoding/json counterpart alternately, timing each one, and reports the
// ratio of their 25th and 50th percentiles (for All, per item). On a
// shared machine a run of sdk then a run of raw meet different loads; the
// paired ratio is the stable figure. compare.sh runs it too.
func BenchmarkPaired(b *testing.B) {
	ctx := context.Background()
	fetch := golden(b, "FetchConversation")
	create := golden(b, "CreateConversationMessage_create")
	page, err := benchutil.ListPage(golden(b, "ListConversation"), "conversations", 50, "")
	if err != nil {
		b.Fatal(err)
	}
	pages, err := benchutil.NewPages(golden(b, "ListConversationMessage_readFull"), "messages", msgPath, 20, 50)
	if err != nil {
		b.Fatal(err)
	}
	params := &cv.MessageCreateParams{Author: cv.Ptr("support"), Body: cv.Ptr("Hello, your order #1234 has shipped."),
		Attributes: cv.Ptr(`{"order":1234}`), Subject: cv.Ptr("Order update")}
	cases := []struct {
		name     string
		body     func(*http.Request) []byte
		sdk, raw func(c clients) error
	}{
		{"Fetch", func(*http.Request) []byte { return fetch },
			func(c clients) error {
				_, err := c.sdk.Conversations.Fetch(ctx, convSID)
				return err
			},
			func(c clients) error {
				var out cv.Conversation
				return benchutil.RawGet(ctx, c.raw, user, pass, host+"/v1/Conversations/"+convSID, &out)
			}},
		{"CreateMessage", func(*http.Request) []byte { return create },
			func(c clients) error {
				_, err := c.sdk.Messages.Create(ctx, convSID, params)
				return err
			},
			func(c clients) error {
				form := url.Values{"Author": {"support"}, "Body": {"Hello, your order #1234 has shipped."},
					"Attributes": {`{"order":1234}`}, "Subject": {"Order update"}}
				var out cv.Message
				return benchutil.RawPost(ctx, c.raw, user, pass, host+msgPath, form, &out)
			}},
		{"ListPage50", func(*http.Request) []byte { return page },
			func(c clients) error {
				p, err := c.sdk.Conversations.List(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
				if err == nil && len(p.Items) != 50 {
					err = fmt.Errorf("%d items", len(p.Items))
				}
				return err
			},
			func(c clients) error {
				var out struct {
					Conversations []cv.Conversation `json:"conversations"`
					Meta          cv.Meta           `json:"meta"`
				}
				return benchutil.RawGet(ctx, c.raw, user, pass, host+"/v1/Conversations?PageSize=50", &out)
			}},
		{"All20Pages", pages.Body,
			func(c clients) error {
				n := 0
				for _, err := range c.sdk.Messages.All(ctx, convSID, &cv.MessageListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}}) {
					if err != nil {
						return err
					}
					n++
				}
				if n != 1000 {
					return fmt.Errorf("%d items", n)
				}
				return nil
			},
			func(c clients) error {
				n := 0
				for next := host + msgPath + "?PageSize=50"; next != ""; {
					var out struct {
						Messages []cv.Message `json:"messages"`
						Meta     cv.Meta      `json:"meta"`
					}
					if err := benchutil.RawGet(ctx, c.raw, user, pass, next, &out); err != nil {
						return err
					}
					n += len(out.Messages)
					next = out.Meta.NextPageURL
				}
				if n != 1000 {
					return fmt.Errorf("%d items", n)
				}
				return nil
			}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			c := newClients(b, tc.body)
			runPaired(b, func() error { return tc.sdk(c) }, func() error { return tc.raw(c) })
		})
	}
}

// runPaired runs sdk and raw alternately, each timed on its own, and
// reports the ratio of their 25th and 50th percentiles (sdk/raw-p25,
// sdk/raw-p50). On a shared machine, where a run of sdk then a run of raw
// meet different loads, the paired ratio is the stable figure.
func runPaired(b *testing.B, sdk, raw func() error) {
	var ts, tr []time.Duration
	for i := 0; b.Loop(); i++ {
		// Alternate which goes first, so neither always meets a warm or
		// a cold cache.
		first, second := sdk, raw
		if i%2 == 1 {
			first, second = raw, sdk
		}
		t0 := time.Now()
		if err := first(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := second(); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if i%2 == 0 {
			ts, tr = append(ts, t1.Sub(t0)), append(tr, t2.Sub(t1))
		} else {
			tr, ts = append(tr, t1.Sub(t0)), append(ts, t2.Sub(t1))
		}
	}
	b.ReportMetric(float64(pairedQuantile(ts, 0.25))/float64(pairedQuantile(tr, 0.25)), "sdk/raw-p25")
	b.ReportMetric(float64(pairedQuantile(ts, 0.5))/float64(pairedQuantile(tr, 0.5)), "sdk/raw-p50")
}

// pairedQuantile is the q-quantile of d (sorted in place).
func pairedQuantile(d []time.Duration, q float64) time.Duration {
	slices.Sort(d)
	return d[int(q*float64(len(d)-1))]
}
