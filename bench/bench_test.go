// Package bench compares conversations-go with the raw net/http +
// encoding/json baseline and with the official github.com/twilio/twilio-go,
// on the same in-memory transport and the same canned bodies (the spec's
// examples; list pages of 50). It is its own module so that the SDK itself
// does not depend on twilio-go. Run ./ratios.sh for the table of ratios.
package bench

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/benchutil"
	twclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/conversations/v1"
)

const (
	user    = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	pass    = "benchtoken0123456789"
	convSID = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	host    = "https://conversations.twilio.com"
	msgPath = "/v1/Conversations/" + convSID + "/Messages"
)

func golden(b *testing.B, name string) []byte {
	body, err := benchutil.Golden("..", name)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

type clients struct {
	sdk *cv.Client
	raw *http.Client
	tw  *openapi.ApiService
}

func newClients(b *testing.B, body func(*http.Request) []byte) clients {
	hc := &http.Client{Transport: benchutil.Transport{Body: body}}
	sdk, err := cv.NewClient(user, pass, cv.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	base := &twclient.Client{Credentials: twclient.NewCredentials(user, pass), HTTPClient: hc}
	base.SetAccountSid(user)
	return clients{sdk: sdk, raw: hc, tw: openapi.NewApiServiceWithClient(base)}
}

func BenchmarkFetch(b *testing.B) {
	body := golden(b, "FetchConversation")
	c := newClients(b, func(*http.Request) []byte { return body })
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.sdk.Conversations.Fetch(ctx, convSID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out cv.Conversation
			if err := benchutil.RawGet(ctx, c.raw, user, pass, host+"/v1/Conversations/"+convSID, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.tw.FetchConversation(convSID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCreateMessage(b *testing.B) {
	body := golden(b, "CreateConversationMessage_create")
	c := newClients(b, func(*http.Request) []byte { return body })
	ctx := context.Background()
	params := &cv.MessageCreateParams{Author: cv.Ptr("support"), Body: cv.Ptr("Hello, your order #1234 has shipped."),
		Attributes: cv.Ptr(`{"order":1234}`), Subject: cv.Ptr("Order update")}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.sdk.Messages.Create(ctx, convSID, params); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			form := url.Values{"Author": {"support"}, "Body": {"Hello, your order #1234 has shipped."},
				"Attributes": {`{"order":1234}`}, "Subject": {"Order update"}}
			var out cv.Message
			if err := benchutil.RawPost(ctx, c.raw, user, pass, host+msgPath, form, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p := (&openapi.CreateConversationMessageParams{}).SetAuthor("support").SetBody("Hello, your order #1234 has shipped.").
				SetAttributes(`{"order":1234}`).SetSubject("Order update")
			if _, err := c.tw.CreateConversationMessage(convSID, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListPage50(b *testing.B) {
	body, err := benchutil.ListPage(golden(b, "ListConversation"), "conversations", 50, "")
	if err != nil {
		b.Fatal(err)
	}
	c := newClients(b, func(*http.Request) []byte { return body })
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.sdk.Conversations.List(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
			if err != nil || len(p.Items) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Conversations []cv.Conversation `json:"conversations"`
				Meta          cv.Meta           `json:"meta"`
			}
			if err := benchutil.RawGet(ctx, c.raw, user, pass, host+"/v1/Conversations?PageSize=50", &out); err != nil || len(out.Conversations) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.tw.PageConversation((&openapi.ListConversationParams{}).SetPageSize(50), "", "")
			if err != nil || len(p.Conversations) != 50 {
				b.Fatal(err)
			}
		}
	})
}

func benchAll(b *testing.B, pages int) {
	p, err := benchutil.NewPages(golden(b, "ListConversationMessage_readFull"), "messages", msgPath, pages, 50)
	if err != nil {
		b.Fatal(err)
	}
	c := newClients(b, p.Body)
	ctx := context.Background()
	want := pages * 50
	perItem := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/item")
	}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for m, err := range c.sdk.Messages.All(ctx, convSID, &cv.MessageListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}}) {
				if err != nil || m.SID == "" {
					b.Fatal(err)
				}
				n++
			}
			if n != want {
				b.Fatalf("got %d, want %d", n, want)
			}
		}
		perItem(b)
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for next := host + msgPath + "?PageSize=50"; next != ""; {
				var out struct {
					Messages []cv.Message `json:"messages"`
					Meta     cv.Meta      `json:"meta"`
				}
				if err := benchutil.RawGet(ctx, c.raw, user, pass, next, &out); err != nil {
					b.Fatal(err)
				}
				n += len(out.Messages)
				next = out.Meta.NextPageURL
			}
			if n != want {
				b.Fatalf("got %d, want %d", n, want)
			}
		}
		perItem(b)
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			ch, errs := c.tw.StreamConversationMessage(convSID, (&openapi.ListConversationMessageParams{}).SetPageSize(50))
			for range ch {
				n++
			}
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
			if n != want {
				b.Fatalf("got %d, want %d", n, want)
			}
		}
		perItem(b)
	})
}

func BenchmarkAll20Pages(b *testing.B)  { benchAll(b, 20) }
func BenchmarkAll200Pages(b *testing.B) { benchAll(b, 200) }
