package conversations

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testWebhookSID     = "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testWebhookFlowSID = "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

// webhookAssertScope checks the scope-dependent fields of a decoded webhook.
func webhookAssertScope(t *testing.T, sc testScope, w *Webhook) {
	t.Helper()
	assert.Equal(t, testWebhookSID, w.SID)
	assert.Equal(t, testAccountSID, w.AccountSID)
	assert.Equal(t, testConversationSID, w.ConversationSID)
	if sc.name == "service" {
		assert.Equal(t, testServiceSID, w.ChatServiceSID)
		assert.Contains(t, w.URL, "/v1/Services/"+testServiceSID+"/Conversations/"+testConversationSID+"/Webhooks/"+testWebhookSID)
	} else {
		assert.Empty(t, w.ChatServiceSID)
		assert.Equal(t, "https://conversations.twilio.com/v1/Conversations/"+testConversationSID+"/Webhooks/"+testWebhookSID, w.URL)
	}
}

func TestWebhooksCreate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("CreateConversationScopedWebhook", "CreateServiceConversationScopedWebhook")
			c, rec := newRecorder(t, 201, golden(t, name))
			got, err := sc.of(c).Webhooks.Create(context.Background(), "conv name/with?odd#chars", &WebhookCreateParams{
				Target:                   WebhookTargetWebhook,
				ConfigurationURL:         Ptr("https://example.com/hook?a=1&b=2"),
				ConfigurationMethod:      Ptr(WebhookMethodGET),
				ConfigurationFilters:     []string{"onMessageSent", "onConversationDestroyed"},
				ConfigurationReplayAfter: Ptr(0),
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/conv%20name%2Fwith%3Fodd%23chars/Webhooks", nil, url.Values{
				"Target":                    {"webhook"},
				"Configuration.Url":         {"https://example.com/hook?a=1&b=2"},
				"Configuration.Method":      {"get"},
				"Configuration.Filters":     {"onMessageSent", "onConversationDestroyed"},
				"Configuration.ReplayAfter": {"0"},
			})
			assert.Equal(t, decodeGolden[Webhook](t, name), got)
			webhookAssertScope(t, sc, got)
			assert.Equal(t, WebhookTargetWebhook, got.Target)
			assert.Equal(t, "https://example.com", got.Configuration.URL)
			assert.Equal(t, WebhookMethodGET, got.Configuration.Method)
			assert.Equal(t, []string{"onMessageSent", "onConversationDestroyed"}, got.Configuration.Filters)
			assert.Nil(t, got.Configuration.ReplayAfter)
			assert.Equal(t, time.Date(2016, 3, 24, 21, 5, 50, 0, time.UTC), got.DateCreated)
		})
	}
}

func TestWebhooksCreateTriggerAndStudio(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 201, golden(t, sc.pick("CreateConversationScopedWebhook", "CreateServiceConversationScopedWebhook")))
			s := sc.of(c).Webhooks
			_, err := s.Create(context.Background(), testConversationSID, &WebhookCreateParams{
				Target:                   WebhookTargetTrigger,
				ConfigurationURL:         Ptr("https://example.com/trigger"),
				ConfigurationMethod:      Ptr(WebhookMethodPOST),
				ConfigurationTriggers:    []string{"keyword1", "keyword 2"},
				ConfigurationReplayAfter: Ptr(42),
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks", nil, url.Values{
				"Target":                    {"trigger"},
				"Configuration.Url":         {"https://example.com/trigger"},
				"Configuration.Method":      {"post"},
				"Configuration.Triggers":    {"keyword1", "keyword 2"},
				"Configuration.ReplayAfter": {"42"},
			})

			_, err = s.Create(context.Background(), testConversationSID, &WebhookCreateParams{
				Target:               WebhookTargetStudio,
				ConfigurationFlowSID: Ptr(testWebhookFlowSID),
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks", nil, url.Values{
				"Target":                {"studio"},
				"Configuration.FlowSid": {testWebhookFlowSID},
			})
			assert.Equal(t, 2, rec.count())
		})
	}
}

func TestWebhooksFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("FetchConversationScopedWebhook", "FetchServiceConversationScopedWebhook")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Webhooks.Fetch(context.Background(), "my conv+1", "WH/..?#")
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/my%20conv%2B1/Webhooks/WH%2F..%3F%23", nil, nil)
			assert.Equal(t, decodeGolden[Webhook](t, name), got)
			webhookAssertScope(t, sc, got)
			assert.Equal(t, WebhookTargetStudio, got.Target)
			assert.Equal(t, testWebhookFlowSID, got.Configuration.FlowSID)
			assert.Empty(t, got.Configuration.URL)
			assert.Empty(t, got.Configuration.Method)
			assert.Nil(t, got.Configuration.Filters)
			assert.Equal(t, time.Date(2016, 3, 24, 21, 5, 50, 0, time.UTC), got.DateUpdated)
		})
	}
}

func TestWebhooksUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("UpdateConversationScopedWebhook", "UpdateServiceConversationScopedWebhook")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Webhooks.Update(context.Background(), testConversationSID, testWebhookSID, &WebhookUpdateParams{
				ConfigurationURL:      Ptr(""),
				ConfigurationMethod:   Ptr(WebhookMethodPOST),
				ConfigurationFilters:  []string{"onMessageAdded", "onMessageUpdated", "onMessageRemoved"},
				ConfigurationTriggers: []string{"keyword1", "keyword2"},
				ConfigurationFlowSID:  Ptr(testWebhookFlowSID),
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks/"+testWebhookSID, nil, url.Values{
				"Configuration.Url":      {""},
				"Configuration.Method":   {"post"},
				"Configuration.Filters":  {"onMessageAdded", "onMessageUpdated", "onMessageRemoved"},
				"Configuration.Triggers": {"keyword1", "keyword2"},
				"Configuration.FlowSid":  {testWebhookFlowSID},
			})
			assert.Equal(t, decodeGolden[Webhook](t, name), got)
			webhookAssertScope(t, sc, got)
			assert.Equal(t, WebhookTargetTrigger, got.Target)
			assert.Equal(t, WebhookMethodPOST, got.Configuration.Method)
			assert.Equal(t, []string{"keyword1", "keyword2"}, got.Configuration.Filters)
			assert.Equal(t, time.Date(2016, 3, 24, 21, 5, 51, 0, time.UTC), got.DateUpdated)
		})
	}
}

func TestWebhooksUpdateNilParams(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateConversationScopedWebhook"))
	_, err := c.Webhooks.Update(context.Background(), testConversationSID, testWebhookSID, nil)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Conversations/"+testConversationSID+"/Webhooks/"+testWebhookSID, nil, nil)
}

func TestWebhooksDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			err := sc.of(c).Webhooks.Delete(context.Background(), testConversationSID, testWebhookSID)
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "DELETE", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks/"+testWebhookSID, nil, nil)
			assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestWebhooksList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, golden(t, sc.pick("ListConversationScopedWebhook_readFull", "ListServiceConversationScopedWebhook_readFull")))
			page, err := sc.of(c).Webhooks.List(context.Background(), testConversationSID, &WebhookListParams{ListParams: ListParams{PageSize: Ptr(5), Page: Ptr(0), PageToken: Ptr("PT1")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks", url.Values{
				"PageSize":  {"5"},
				"Page":      {"0"},
				"PageToken": {"PT1"},
			}, nil)
			require.Len(t, page.Items, 3)
			for i := range page.Items {
				webhookAssertScope(t, sc, &page.Items[i])
			}
			assert.Equal(t, []WebhookTarget{WebhookTargetWebhook, WebhookTargetTrigger, WebhookTargetStudio},
				[]WebhookTarget{page.Items[0].Target, page.Items[1].Target, page.Items[2].Target})
			assert.Equal(t, WebhookMethodGET, page.Items[0].Configuration.Method)
			assert.Equal(t, WebhookMethodPOST, page.Items[1].Configuration.Method)
			assert.Equal(t, testWebhookFlowSID, page.Items[2].Configuration.FlowSID)
			assert.Equal(t, "webhooks", page.Meta.Key)
			assert.Equal(t, 5, page.Meta.PageSize)
			assert.Equal(t, 0, page.Meta.Page)
			assert.Contains(t, page.Meta.FirstPageURL, "/Conversations/"+testConversationSID+"/Webhooks?PageSize=5&Page=0")
			assert.Empty(t, page.Meta.PreviousPageURL)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestWebhooksListEmpty(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, golden(t, sc.pick("ListConversationScopedWebhook_readEmpty", "ListServiceConversationScopedWebhook_readEmpty")))
			page, err := sc.of(c).Webhooks.List(context.Background(), testConversationSID, nil)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks", nil, nil)
			assert.Empty(t, page.Items)
			assert.Equal(t, "webhooks", page.Meta.Key)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestWebhooksAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, golden(t, sc.pick("ListConversationScopedWebhook_readFull", "ListServiceConversationScopedWebhook_readFull")))
			var targets []WebhookTarget
			for w, err := range sc.of(c).Webhooks.All(context.Background(), testConversationSID, &WebhookListParams{ListParams: ListParams{PageSize: Ptr(2)}}) {
				require.NoError(t, err)
				assert.Equal(t, testWebhookSID, w.SID)
				targets = append(targets, w.Target)
			}
			assert.Equal(t, []WebhookTarget{WebhookTargetWebhook, WebhookTargetTrigger, WebhookTargetStudio}, targets)
			assert.Equal(t, 1, rec.count())
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Webhooks", url.Values{"PageSize": {"2"}}, nil)
		})
	}
}

func TestWebhooksAllFollowsNextPage(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			path := sc.prefix + "/Conversations/" + testConversationSID + "/Webhooks"
			first := `{"meta":{"page":0,"page_size":1,"key":"webhooks",
				"next_page_url":"https://elsewhere.example.com` + path + `?PageSize=1&Page=1&PageToken=PT2"},
				"webhooks":[{"sid":"WH1","target":"webhook"}]}`
			second := `{"meta":{"page":1,"page_size":1,"key":"webhooks","next_page_url":null},
				"webhooks":[{"sid":"WH2","target":"studio"}]}`
			c, rec := newRecorder(t, 200, first)
			rec.then(200, second)
			var sids []string
			for w, err := range sc.of(c).Webhooks.All(context.Background(), testConversationSID, &WebhookListParams{ListParams: ListParams{PageSize: Ptr(1)}}) {
				require.NoError(t, err)
				sids = append(sids, w.SID)
			}
			assert.Equal(t, []string{"WH1", "WH2"}, sids)
			reqs := rec.all()
			require.Len(t, reqs, 2)
			assertWire(t, reqs[1], "GET", path, url.Values{"PageSize": {"1"}, "Page": {"1"}, "PageToken": {"PT2"}}, nil)
			assert.NotEqual(t, "elsewhere.example.com", reqs[1].Host)
		})
	}
}

func TestWebhooksDecodeTolerant(t *testing.T) {
	body := `{"sid":"WHb","target":"flex","configuration":{"url":null,"method":"POST","filters":null,
		"triggers":["a","b"],"flow_sid":null,"replay_after":7,"future_key":true},
		"date_created":null,"date_updated":null,"url":null,"brand_new":1}`
	var w Webhook
	require.NoError(t, json.Unmarshal([]byte(body), &w))
	assert.Equal(t, WebhookTarget("flex"), w.Target)
	assert.Equal(t, WebhookMethod("POST"), w.Configuration.Method)
	assert.Equal(t, []string{"a", "b"}, w.Configuration.Triggers)
	require.NotNil(t, w.Configuration.ReplayAfter)
	assert.Equal(t, 7, *w.Configuration.ReplayAfter)
	assert.True(t, w.DateCreated.IsZero())

	var nullConfig Webhook
	require.NoError(t, json.Unmarshal([]byte(`{"sid":"WHc","configuration":null}`), &nullConfig))
	assert.Equal(t, ConversationWebhookConfiguration{}, nullConfig.Configuration)
}

// TestWebhooksGoldenStrict decodes every spec example of the resource with
// DisallowUnknownFields, so a field missing from the model fails here.
func TestWebhooksGoldenStrict(t *testing.T) {
	strict := func(t *testing.T, body string, v any) {
		t.Helper()
		d := json.NewDecoder(bytes.NewReader([]byte(body)))
		d.DisallowUnknownFields()
		require.NoError(t, d.Decode(v))
	}
	for _, name := range []string{
		"CreateConversationScopedWebhook", "CreateServiceConversationScopedWebhook",
		"FetchConversationScopedWebhook", "FetchServiceConversationScopedWebhook",
		"UpdateConversationScopedWebhook", "UpdateServiceConversationScopedWebhook",
	} {
		t.Run(name, func(t *testing.T) { strict(t, golden(t, name), new(Webhook)) })
	}
	for _, name := range []string{
		"ListConversationScopedWebhook_readFull", "ListConversationScopedWebhook_readEmpty",
		"ListServiceConversationScopedWebhook_readFull", "ListServiceConversationScopedWebhook_readEmpty",
	} {
		t.Run(name, func(t *testing.T) {
			var env struct {
				Webhooks []Webhook `json:"webhooks"`
				Meta     Meta      `json:"meta"`
			}
			strict(t, golden(t, name), &env)
		})
	}
}

func TestWebhooksValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Webhooks
			ok := &WebhookCreateParams{Target: WebhookTargetWebhook}

			_, err := s.Create(ctx, "", ok)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Create(ctx, testConversationSID, nil)
			assertNothingSent(t, rec, err, "Target")
			_, err = s.Create(ctx, testConversationSID, &WebhookCreateParams{ConfigurationURL: Ptr("https://example.com")})
			assertNothingSent(t, rec, err, "Target")

			_, err = s.Fetch(ctx, "", testWebhookSID)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Fetch(ctx, testConversationSID, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Fetch(ctx, testConversationSID, "..")
			assertNothingSent(t, rec, err, "Sid")

			_, err = s.Update(ctx, "", testWebhookSID, nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Update(ctx, testConversationSID, "", &WebhookUpdateParams{})
			assertNothingSent(t, rec, err, "Sid")

			assertNothingSent(t, rec, s.Delete(ctx, "", testWebhookSID), "ConversationSid")
			assertNothingSent(t, rec, s.Delete(ctx, testConversationSID, ""), "Sid")

			_, err = s.List(ctx, "", nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.List(ctx, testConversationSID, &WebhookListParams{ListParams: ListParams{PageSize: Ptr(6)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, testConversationSID, &WebhookListParams{ListParams: ListParams{PageSize: Ptr(0)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, testConversationSID, &WebhookListParams{ListParams: ListParams{Page: Ptr(-1)}})
			assertNothingSent(t, rec, err, "Page")

			n := 0
			for w, err := range s.All(ctx, "", nil) {
				n++
				assert.Nil(t, w)
				assertNothingSent(t, rec, err, "ConversationSid")
			}
			for _, err := range s.All(ctx, testConversationSID, &WebhookListParams{ListParams: ListParams{PageSize: Ptr(6)}}) {
				n++
				assertNothingSent(t, rec, err, "PageSize")
			}
			assert.Equal(t, 2, n, "All yields the validation error exactly once")
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	svc := c.Service("").Webhooks
	_, err := svc.Create(ctx, testConversationSID, &WebhookCreateParams{Target: WebhookTargetStudio})
	assertNothingSent(t, rec, err, "ChatServiceSid")
	_, err = svc.Fetch(ctx, testConversationSID, testWebhookSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
	_, err = svc.Update(ctx, testConversationSID, testWebhookSID, nil)
	assertNothingSent(t, rec, err, "ChatServiceSid")
	assertNothingSent(t, rec, svc.Delete(ctx, testConversationSID, testWebhookSID), "ChatServiceSid")
	_, err = svc.List(ctx, testConversationSID, nil)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}

func TestWebhooksParamsNotMutated(t *testing.T) {
	c, _ := newRecorder(t, 201, golden(t, "CreateConversationScopedWebhook"))
	p := &WebhookCreateParams{Target: WebhookTargetWebhook, ConfigurationFilters: []string{"onMessageAdded"}}
	want := *p
	want.ConfigurationFilters = append([]string(nil), p.ConfigurationFilters...)
	_, err := c.Webhooks.Create(context.Background(), testConversationSID, p)
	require.NoError(t, err)
	assert.Equal(t, &want, p)
}
