package conversations

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testMessageSID = "IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testReceiptSID = "DYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

// messageCheckCommon checks the fields every message golden body shares.
func messageCheckCommon(t *testing.T, sc testScope, got *Message) {
	t.Helper()
	assert.Equal(t, testMessageSID, got.SID)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testConversationSID, got.ConversationSID)
	if sc.name == "service" {
		assert.Equal(t, testServiceSID, got.ChatServiceSID)
	} else {
		assert.Empty(t, got.ChatServiceSID)
	}
	require.NotNil(t, got.Delivery)
	assert.Equal(t, MessageDelivery{
		Total: 2, Sent: MessageDeliveryAll, Delivered: MessageDeliverySome, Read: MessageDeliverySome,
		Failed: MessageDeliveryNone, Undelivered: MessageDeliveryNone,
	}, *got.Delivery)
	assert.True(t, strings.HasSuffix(got.Links["delivery_receipts"], "/Messages/"+testMessageSID+"/Receipts"), got.Links["delivery_receipts"])
	assert.Contains(t, got.Links, "channel_metadata")
	assert.True(t, strings.HasSuffix(got.URL, "/Conversations/"+testConversationSID+"/Messages/"+testMessageSID), got.URL)
}

func TestMessagesCreate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("CreateConversationMessage_create", "CreateServiceConversationMessage_create")
			c, rec := newRecorder(t, 201, golden(t, name))
			created := time.Date(2015, 12, 16, 17, 18, 37, 0, time.FixedZone("EST", -5*3600))
			updated := time.Date(2015, 12, 16, 22, 18, 38, 0, time.UTC)
			got, err := sc.of(c).Messages.Create(context.Background(), "first conversation+1@x/y", &MessageCreateParams{
				Author:           Ptr("message author"),
				Body:             Ptr("Hello"),
				DateCreated:      &created,
				DateUpdated:      &updated,
				Attributes:       Ptr(`{ "importance": "high" }`),
				MediaSID:         Ptr("MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
				ContentSID:       Ptr("HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
				ContentVariables: Ptr(`{"1":"John"}`),
				Subject:          Ptr(""),
			}, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/first%20conversation%2B1%40x%2Fy/Messages", nil, url.Values{
				"Author":           {"message author"},
				"Body":             {"Hello"},
				"DateCreated":      {"2015-12-16T22:18:37Z"},
				"DateUpdated":      {"2015-12-16T22:18:38Z"},
				"Attributes":       {`{ "importance": "high" }`},
				"MediaSid":         {"MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
				"ContentSid":       {"HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
				"ContentVariables": {`{"1":"John"}`},
				"Subject":          {""},
			})
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[Message](t, name), got)
			messageCheckCommon(t, sc, got)
			assert.Equal(t, "Hello", got.Body)
			assert.Equal(t, "message author", got.Author)
			assert.Equal(t, "MBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.ParticipantSID)
			assert.Equal(t, 0, got.Index)
			assert.Nil(t, got.Media)
			assert.Empty(t, got.ContentSID)
			assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 37, 0, time.UTC), got.DateCreated)
			assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 38, 0, time.UTC), got.DateUpdated)
			var attrs struct{ Importance string }
			require.NoError(t, UnmarshalAttributes(got.Attributes, &attrs))
			assert.Equal(t, "high", attrs.Importance)
		})
	}
}

func TestMessagesCreateWithMedia(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("CreateConversationMessage_createWithMedia", "CreateServiceConversationMessage_createWithMedia")
			c, rec := newRecorder(t, 201, golden(t, name))
			got, err := sc.of(c).Messages.Create(context.Background(), testConversationSID, &MessageCreateParams{
				MediaSID: Ptr("MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
			})
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Messages", nil, url.Values{
				"MediaSid": {"MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
			})
			assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[Message](t, name), got)
			messageCheckCommon(t, sc, got)
			assert.Empty(t, got.Body)
			assert.Equal(t, []MessageMedia{{
				SID: "MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Size: 42056, ContentType: "image/jpeg", Filename: "car.jpg",
			}}, got.Media)
		})
	}
}

func TestMessagesCreateWithContentSID(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("CreateConversationMessage_createWithContentSid", "CreateServiceConversationMessage_createWithContentSid")
			c, rec := newRecorder(t, 201, golden(t, name))
			got, err := sc.of(c).Messages.Create(context.Background(), testConversationSID, &MessageCreateParams{
				ContentSID:       Ptr("HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
				ContentVariables: Ptr(`{"name":"John"}`),
				Subject:          Ptr("Greeting"),
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Messages", nil, url.Values{
				"ContentSid":       {"HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
				"ContentVariables": {`{"name":"John"}`},
				"Subject":          {"Greeting"},
			})
			assert.Equal(t, decodeGolden[Message](t, name), got)
			assert.Equal(t, "HXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.ContentSID)
			assert.Equal(t, "Hello John", got.Body)
			assert.Equal(t, "{}", got.Attributes)
		})
	}
}

func TestMessagesCreateNilParams(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("CreateConversationMessage_createNoAttributes", "CreateServiceConversationMessage_createNoAttributes")
			c, rec := newRecorder(t, 201, golden(t, name))
			got, err := sc.of(c).Messages.Create(context.Background(), testConversationSID, nil, WithWebhookEnabled(false))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Messages", nil, nil)
			assert.Equal(t, "false", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, "{}", got.Attributes)
			assert.Equal(t, time.Date(2020, 7, 1, 22, 18, 37, 0, time.UTC), got.DateCreated)
		})
	}
}

func TestMessagesFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("FetchConversationMessage", "FetchServiceConversationMessage")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Messages.Fetch(context.Background(), testConversationSID, "IM/..?#")
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Messages/IM%2F..%3F%23", nil, nil)
			assert.Equal(t, decodeGolden[Message](t, name), got)
			messageCheckCommon(t, sc, got)
			assert.Equal(t, "system", got.Author)
			assert.Equal(t, "Welcome!", got.Body)
			assert.Empty(t, got.ParticipantSID)
			assert.Equal(t, time.Date(2016, 3, 24, 20, 37, 57, 0, time.UTC), got.DateCreated)
		})
	}
}

func TestMessagesUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("UpdateConversationMessage", "UpdateServiceConversationMessage")
			c, rec := newRecorder(t, 200, golden(t, name))
			created := time.Date(2015, 12, 17, 0, 18, 37, 0, time.FixedZone("EET", 2*3600))
			updated := time.Date(2015, 12, 16, 22, 18, 38, 0, time.UTC)
			got, err := sc.of(c).Messages.Update(context.Background(), testConversationSID, testMessageSID, &MessageUpdateParams{
				Author:      Ptr("message author"),
				Body:        Ptr("Hello"),
				DateCreated: &created,
				DateUpdated: &updated,
				Attributes:  Ptr("{}"),
				Subject:     Ptr("Re: hello"),
			}, WithWebhookEnabled(false))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Messages/"+testMessageSID, nil, url.Values{
				"Author":      {"message author"},
				"Body":        {"Hello"},
				"DateCreated": {"2015-12-16T22:18:37Z"},
				"DateUpdated": {"2015-12-16T22:18:38Z"},
				"Attributes":  {"{}"},
				"Subject":     {"Re: hello"},
			})
			assert.Equal(t, "false", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[Message](t, name), got)
			messageCheckCommon(t, sc, got)
			assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 38, 0, time.UTC), got.DateUpdated)
		})
	}
}

func TestMessagesDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			err := sc.of(c).Messages.Delete(context.Background(), testConversationSID, testMessageSID, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "DELETE", sc.prefix+"/Conversations/"+testConversationSID+"/Messages/"+testMessageSID, nil, nil)
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestMessagesList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("ListConversationMessage_readFull", "ListServiceConversationMessage_readFull")
			c, rec := newRecorder(t, 200, golden(t, name))
			page, err := sc.of(c).Messages.List(context.Background(), testConversationSID, &MessageListParams{Order: Ptr(MessageOrderAsc), ListParams: ListParams{PageSize: Ptr(100), Page: Ptr(0), PageToken: Ptr("PT123")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Messages", url.Values{
				"Order":     {"asc"},
				"PageSize":  {"100"},
				"Page":      {"0"},
				"PageToken": {"PT123"},
			}, nil)
			require.Len(t, page.Items, 3)
			for i := range page.Items {
				messageCheckCommon(t, sc, &page.Items[i])
			}
			assert.Equal(t, "I like pie.", page.Items[0].Body)
			assert.Equal(t, "Cake is my favorite!", page.Items[1].Body)
			require.Len(t, page.Items[2].Media, 1)
			assert.Equal(t, int64(42056), page.Items[2].Media[0].Size)
			assert.Equal(t, "car.jpg", page.Items[2].Media[0].Filename)
			assert.Equal(t, "messages", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.Equal(t, 0, page.Meta.Page)
			assert.Contains(t, page.Meta.URL, "/Conversations/"+testConversationSID+"/Messages?")
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestMessagesListLastMessage(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("ListConversationMessage_readLastMessage", "ListServiceConversationMessage_readLastMessage")
			c, rec := newRecorder(t, 200, golden(t, name))
			page, err := sc.of(c).Messages.List(context.Background(), testConversationSID, &MessageListParams{Order: Ptr(MessageOrderDesc), ListParams: ListParams{PageSize: Ptr(2)}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Messages", url.Values{
				"Order":    {"desc"},
				"PageSize": {"2"},
			}, nil)
			require.Len(t, page.Items, 1)
			assert.Equal(t, 9, page.Items[0].Index)
			assert.Equal(t, 2, page.Meta.PageSize)
		})
	}
}

func TestMessagesAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("ListConversationMessage_readFull", "ListServiceConversationMessage_readFull")
			c, rec := newRecorder(t, 200, golden(t, name))
			var bodies []string
			for m, err := range sc.of(c).Messages.All(context.Background(), testConversationSID, &MessageListParams{Order: Ptr(MessageOrderDesc)}) {
				require.NoError(t, err)
				bodies = append(bodies, m.Body)
			}
			assert.Equal(t, []string{"I like pie.", "Cake is my favorite!", ""}, bodies)
			assert.Equal(t, 1, rec.count())
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Messages", url.Values{"Order": {"desc"}}, nil)
		})
	}
}

func TestMessagesAllPages(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			base := sc.prefix + "/Conversations/" + testConversationSID + "/Messages"
			first := `{"messages":[{"sid":"IM1","index":1}],"meta":{"key":"messages","page":0,"page_size":1,` +
				`"next_page_url":"https://conversations.twilio.com` + base + `?Order=asc&PageSize=1&Page=1&PageToken=PT1"}}`
			second := `{"messages":[{"sid":"IM2","index":2}],"meta":{"key":"messages","page":1,"page_size":1,"next_page_url":null}}`
			c, rec := newRecorder(t, 200, first)
			rec.then(200, second)
			var idx []int
			for m, err := range sc.of(c).Messages.All(context.Background(), testConversationSID, &MessageListParams{Order: Ptr(MessageOrderAsc), ListParams: ListParams{PageSize: Ptr(1)}}) {
				require.NoError(t, err)
				idx = append(idx, m.Index)
			}
			assert.Equal(t, []int{1, 2}, idx)
			reqs := rec.all()
			require.Len(t, reqs, 2)
			assertWire(t, reqs[0], "GET", base, url.Values{"Order": {"asc"}, "PageSize": {"1"}}, nil)
			assertWire(t, reqs[1], "GET", base, url.Values{"Order": {"asc"}, "PageSize": {"1"}, "Page": {"1"}, "PageToken": {"PT1"}}, nil)
		})
	}
}

func TestMessagesDecodeNulls(t *testing.T) {
	body := `{"sid":"IM1","index":3,"body":null,"media":null,"delivery":null,"links":null,"content_sid":null,` +
		`"participant_sid":null,"date_updated":null,"author":null,"attributes":null,"chat_service_sid":null,` +
		`"future_field":{"x":1}}`
	c, _ := newRecorder(t, 200, body)
	got, err := c.Messages.Fetch(context.Background(), testConversationSID, "IM1")
	require.NoError(t, err)
	assert.Equal(t, &Message{SID: "IM1", Index: 3}, got)

	body = `{"sid":"IM1","media":[{"sid":"ME1","size":null,"content_type":null,"filename":null,"category":"media"}],` +
		`"delivery":{"total":null,"sent":"all","delivered":null,"future":"x"}}`
	c, _ = newRecorder(t, 200, body)
	got, err = c.Messages.Fetch(context.Background(), testConversationSID, "IM1")
	require.NoError(t, err)
	assert.Equal(t, []MessageMedia{{SID: "ME1"}}, got.Media)
	assert.Equal(t, &MessageDelivery{Sent: MessageDeliveryAll}, got.Delivery)
}

func TestMessagesValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Messages
			_, err := s.Create(ctx, "", &MessageCreateParams{Body: Ptr("x")})
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Fetch(ctx, "", testMessageSID)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Fetch(ctx, testConversationSID, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Update(ctx, "", testMessageSID, nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Update(ctx, testConversationSID, "", &MessageUpdateParams{Body: Ptr("x")})
			assertNothingSent(t, rec, err, "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, "", testMessageSID), "ConversationSid")
			assertNothingSent(t, rec, s.Delete(ctx, testConversationSID, ".."), "Sid")
			_, err = s.List(ctx, "", nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.List(ctx, testConversationSID, &MessageListParams{ListParams: ListParams{PageSize: Ptr(101)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, testConversationSID, &MessageListParams{ListParams: ListParams{PageSize: Ptr(0)}})
			assertNothingSent(t, rec, err, "PageSize")
			n := 0
			for m, err := range s.All(ctx, testConversationSID, &MessageListParams{ListParams: ListParams{Page: Ptr(-1)}}) {
				assert.Nil(t, m)
				assertNothingSent(t, rec, err, "Page")
				n++
			}
			assert.Equal(t, 1, n)
			for _, err := range s.All(ctx, "", nil) {
				assertNothingSent(t, rec, err, "ConversationSid")
			}
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").Messages.Fetch(ctx, testConversationSID, testMessageSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}

func TestMessagesParamsNotMutated(t *testing.T) {
	c, _ := newRecorder(t, 201, "{}")
	created := time.Date(2020, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))
	p := &MessageCreateParams{DateCreated: &created}
	_, err := c.Messages.Create(context.Background(), testConversationSID, p)
	require.NoError(t, err)
	assert.Equal(t, "CET", p.DateCreated.Location().String())
	assert.Same(t, &created, p.DateCreated)
}

func TestReceiptsFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("FetchConversationMessageReceipt", "FetchServiceConversationMessageReceipt")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Receipts.Fetch(context.Background(), "my convo", testMessageSID, testReceiptSID)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/my%20convo/Messages/"+testMessageSID+"/Receipts/"+testReceiptSID, nil, nil)
			assert.Equal(t, decodeGolden[Receipt](t, name), got)
			assert.Equal(t, testReceiptSID, got.SID)
			assert.Equal(t, testAccountSID, got.AccountSID)
			assert.Equal(t, testConversationSID, got.ConversationSID)
			assert.Equal(t, testMessageSID, got.MessageSID)
			assert.Equal(t, "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.ChannelMessageSID)
			assert.Equal(t, "MBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.ParticipantSID)
			assert.Equal(t, ReceiptStatusFailed, got.Status)
			assert.Equal(t, 3000, got.ErrorCode)
			assert.Equal(t, time.Date(2016, 3, 24, 20, 37, 57, 0, time.UTC), got.DateCreated)
			assert.True(t, strings.HasSuffix(got.URL, "/Receipts/"+testReceiptSID), got.URL)
			if sc.name == "service" {
				assert.Equal(t, testServiceSID, got.ChatServiceSID)
			} else {
				assert.Empty(t, got.ChatServiceSID)
			}
		})
	}
}

func TestReceiptsList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("ListConversationMessageReceipt", "ListServiceConversationMessageReceipt")
			c, rec := newRecorder(t, 200, golden(t, name))
			page, err := sc.of(c).Receipts.List(context.Background(), testConversationSID, testMessageSID, &ReceiptListParams{ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(2), PageToken: Ptr("PT9")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Messages/"+testMessageSID+"/Receipts", url.Values{
				"PageSize":  {"50"},
				"Page":      {"2"},
				"PageToken": {"PT9"},
			}, nil)
			require.Len(t, page.Items, 3)
			for _, r := range page.Items {
				assert.Equal(t, testReceiptSID, r.SID)
				assert.Equal(t, ReceiptStatusFailed, r.Status)
				assert.Equal(t, 3000, r.ErrorCode)
			}
			assert.Equal(t, "delivery_receipts", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestReceiptsAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("ListConversationMessageReceipt", "ListServiceConversationMessageReceipt")
			c, rec := newRecorder(t, 200, golden(t, name))
			var sids []string
			for r, err := range sc.of(c).Receipts.All(context.Background(), testConversationSID, testMessageSID, &ReceiptListParams{ListParams: ListParams{PageSize: Ptr(3)}}) {
				require.NoError(t, err)
				sids = append(sids, r.SID)
			}
			assert.Equal(t, []string{testReceiptSID, testReceiptSID, testReceiptSID}, sids)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Messages/"+testMessageSID+"/Receipts", url.Values{"PageSize": {"3"}}, nil)
		})
	}
}

func TestReceiptsDecodeStatuses(t *testing.T) {
	for _, status := range []ReceiptStatus{ReceiptStatusRead, ReceiptStatusFailed, ReceiptStatusDelivered, ReceiptStatusUndelivered, ReceiptStatusSent, "queued", ""} {
		raw := `null`
		if status != "" {
			raw = `"` + string(status) + `"`
		}
		var r Receipt
		require.NoError(t, json.Unmarshal([]byte(`{"status":`+raw+`,"error_code":null,"date_updated":null}`), &r))
		assert.Equal(t, status, r.Status)
		assert.Zero(t, r.ErrorCode)
		assert.True(t, r.DateUpdated.IsZero())
	}
}

func TestReceiptsValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Receipts
			_, err := s.Fetch(ctx, "", testMessageSID, testReceiptSID)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Fetch(ctx, testConversationSID, "", testReceiptSID)
			assertNothingSent(t, rec, err, "MessageSid")
			_, err = s.Fetch(ctx, testConversationSID, testMessageSID, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.List(ctx, "", testMessageSID, nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.List(ctx, testConversationSID, ".", nil)
			assertNothingSent(t, rec, err, "MessageSid")
			_, err = s.List(ctx, testConversationSID, testMessageSID, &ReceiptListParams{ListParams: ListParams{PageSize: Ptr(51)}})
			assertNothingSent(t, rec, err, "PageSize")
			for _, err := range s.All(ctx, testConversationSID, testMessageSID, &ReceiptListParams{ListParams: ListParams{PageSize: Ptr(51)}}) {
				assertNothingSent(t, rec, err, "PageSize")
			}
			for _, err := range s.All(ctx, testConversationSID, "", nil) {
				assertNothingSent(t, rec, err, "MessageSid")
			}
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").Receipts.List(ctx, testConversationSID, testMessageSID, nil)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}
