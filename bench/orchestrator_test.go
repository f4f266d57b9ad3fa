package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/benchutil"
	"github.com/conversations-go/conversations/orchestrator"
	twclient "github.com/twilio/twilio-go/client"
	twv2 "github.com/twilio/twilio-go/rest/conversations/v2"
)

// The v2 (Conversation Orchestrator) benchmarks: the SDK against the raw
// net/http + encoding/json baseline and twilio-go's rest/conversations/v2,
// same transport, same bodies (the v2 spec's examples; list pages of 50).

const v2ConvID = "conv_conversation_00000000000000000000000001"

// v2Conversation is the spec's example of a conversation.
const v2Conversation = `{"id":"conv_conversation_00000000000000000000000001","accountId":"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",` +
	`"configurationId":"conv_configuration_00000000000000000000000001","status":"ACTIVE","name":"Customer Support - Multi-channel",` +
	`"createdAt":"2023-07-01T12:00:00Z","updatedAt":"2023-07-01T12:30:00Z","metadata":{"zendesk_ticket_id":"TKT-456"}}`

func v2Page(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"conversations":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.Replace(v2Conversation, "00000000000000000000000001", fmt.Sprintf("%026d", i), 1))
	}
	fmt.Fprintf(&b, `],"meta":{"key":"conversations","pageSize":%d}}`, n)
	return b.Bytes()
}

func newV2(b *testing.B, body []byte) (*orchestrator.Client, *http.Client, *twv2.ApiService) {
	hc := &http.Client{Transport: benchutil.Transport{Body: func(*http.Request) []byte { return body }}}
	sdk, err := cv.NewClient(user, pass, cv.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	base := &twclient.Client{Credentials: twclient.NewCredentials(user, pass), HTTPClient: hc}
	base.SetAccountSid(user)
	return orchestrator.New(sdk), hc, twv2.NewApiServiceWithClient(base)
}

func BenchmarkV2Create(b *testing.B) {
	v2, hc, tw := newV2(b, []byte(v2Conversation))
	ctx := context.Background()
	params := &orchestrator.ConversationCreateParams{ConfigurationID: "conv_configuration_00000000000000000000000001",
		Name: "Customer Support", Metadata: map[string]string{"zendesk_ticket_id": "TKT-456"}}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v2.Conversations.Create(ctx, params); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out orchestrator.Conversation
			if err := benchutil.RawJSON(ctx, hc, user, pass, http.MethodPost, host+"/v2/Conversations", params, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			// twilio-go v1.31.0's request type has no metadata field.
			p := (&twv2.CreateConversationWithConfigParams{}).SetCreateConversationWithConfigRequest(twv2.CreateConversationWithConfigRequest{
				ConfigurationId: params.ConfigurationID, Name: params.Name})
			if _, err := tw.CreateConversationWithConfig(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkV2Fetch(b *testing.B) {
	v2, hc, tw := newV2(b, []byte(v2Conversation))
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v2.Conversations.Fetch(ctx, v2ConvID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out orchestrator.Conversation
			if err := benchutil.RawGet(ctx, hc, user, pass, host+"/v2/Conversations/"+v2ConvID, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tw.FetchConversation(v2ConvID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkV2ListPage50(b *testing.B) {
	v2, hc, tw := newV2(b, v2Page(50))
	ctx := context.Background()
	params := &orchestrator.ConversationListParams{PageSize: 50}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := v2.Conversations.List(ctx, params)
			if err != nil || len(p.Items) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Conversations []orchestrator.Conversation `json:"conversations"`
				Meta          orchestrator.Meta           `json:"meta"`
			}
			if err := benchutil.RawGet(ctx, hc, user, pass, host+"/v2/Conversations?pageSize=50", &out); err != nil || len(out.Conversations) != 50 {
				b.Fatal(err)
			}
		}
	})
	b.Run("twilio-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := tw.PageConversationByAccount((&twv2.ListConversationByAccountParams{}).SetPageSize(50), "")
			if err != nil || len(p.Conversations) != 50 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkV2Paired times the SDK call and the raw call alternately (see
// runPaired); the per-run ns/op above are still printed.
func BenchmarkV2Paired(b *testing.B) {
	ctx := context.Background()
	page := v2Page(50)
	createParams := &orchestrator.ConversationCreateParams{ConfigurationID: "conv_configuration_00000000000000000000000001",
		Name: "Customer Support", Metadata: map[string]string{"zendesk_ticket_id": "TKT-456"}}
	cases := []struct {
		name     string
		body     []byte
		sdk, raw func(v2 *orchestrator.Client, hc *http.Client) error
	}{
		{"Create", []byte(v2Conversation),
			func(v2 *orchestrator.Client, _ *http.Client) error {
				_, err := v2.Conversations.Create(ctx, createParams)
				return err
			},
			func(_ *orchestrator.Client, hc *http.Client) error {
				var out orchestrator.Conversation
				return benchutil.RawJSON(ctx, hc, user, pass, http.MethodPost, host+"/v2/Conversations", createParams, &out)
			}},
		{"Fetch", []byte(v2Conversation),
			func(v2 *orchestrator.Client, _ *http.Client) error {
				_, err := v2.Conversations.Fetch(ctx, v2ConvID)
				return err
			},
			func(_ *orchestrator.Client, hc *http.Client) error {
				var out orchestrator.Conversation
				return benchutil.RawGet(ctx, hc, user, pass, host+"/v2/Conversations/"+v2ConvID, &out)
			}},
		{"ListPage50", page,
			func(v2 *orchestrator.Client, _ *http.Client) error {
				_, err := v2.Conversations.List(ctx, &orchestrator.ConversationListParams{PageSize: 50})
				return err
			},
			func(_ *orchestrator.Client, hc *http.Client) error {
				var out struct {
					Conversations []orchestrator.Conversation `json:"conversations"`
					Meta          orchestrator.Meta           `json:"meta"`
				}
				return benchutil.RawGet(ctx, hc, user, pass, host+"/v2/Conversations?pageSize=50", &out)
			}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			v2, hc, _ := newV2(b, tc.body)
			runPaired(b, func() error { return tc.sdk(v2, hc) }, func() error { return tc.raw(v2, hc) })
		})
	}
}
