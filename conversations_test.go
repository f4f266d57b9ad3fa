package conversations

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testConversationSID = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func TestConversationsCreate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			body := sc.goldenFor(t, "CreateConversation_create", "CreateServiceConversation_create")
			c, rec := newRecorder(t, 201, body)
			created := time.Date(2015, 12, 16, 23, 18, 37, 0, time.FixedZone("CET", 3600))
			got, err := sc.of(c).Conversations.Create(context.Background(), &ConversationCreateParams{
				FriendlyName:         Ptr("friendly_name"),
				UniqueName:           Ptr("unique name/with?odd#chars"),
				DateCreated:          &created,
				MessagingServiceSID:  Ptr("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
				Attributes:           Ptr(`{"topic":"feedback"}`),
				State:                Ptr(ConversationStateInactive),
				TimersInactive:       Ptr("PT1M"),
				TimersClosed:         Ptr("PT10M"),
				BindingsEmailAddress: Ptr("support@example.com"),
				BindingsEmailName:    Ptr("Support"),
			}, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations", nil, url.Values{
				"FriendlyName":           {"friendly_name"},
				"UniqueName":             {"unique name/with?odd#chars"},
				"DateCreated":            {"2015-12-16T22:18:37Z"},
				"MessagingServiceSid":    {"MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
				"Attributes":             {`{"topic":"feedback"}`},
				"State":                  {"inactive"},
				"Timers.Inactive":        {"PT1M"},
				"Timers.Closed":          {"PT10M"},
				"Bindings.Email.Address": {"support@example.com"},
				"Bindings.Email.Name":    {"Support"},
			})
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[Conversation](t, sc.pick("CreateConversation_create", "CreateServiceConversation_create")), got)
			assert.Equal(t, testConversationSID, got.SID)
			assert.Equal(t, ConversationStateInactive, got.State)
			assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 37, 0, time.UTC), got.DateCreated)
			assert.Equal(t, time.Date(2015, 12, 16, 22, 28, 38, 0, time.UTC), got.Timers.DateClosed)
		})
	}
}

func TestConversationsCreateEmailBindings(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateConversation_createEmailConversation"))
	got, err := c.Conversations.Create(context.Background(), nil)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Conversations", nil, nil)
	require.NotNil(t, got.Bindings.Email)
	assert.NotEmpty(t, got.Bindings.Email.ProjectedAddress)
}

func TestConversationsCreateWithParticipants(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			body := sc.goldenFor(t, "CreateConversationWithParticipants", "CreateServiceConversationWithParticipants")
			c, rec := newRecorder(t, 202, body)
			parts := InitialParticipants{
				{Identity: "alice", Attributes: `{"vip":true}`},
				{MessagingBindingAddress: "+15558675310", MessagingBindingProxyAddress: "+15017122661"},
			}
			got, err := sc.of(c).Conversations.CreateWithParticipants(context.Background(), &ConversationWithParticipantsCreateParams{ConversationCreateParams: ConversationCreateParams{FriendlyName: Ptr("support"), State: Ptr(ConversationStateActive)}, Participants: parts}, WithWebhookEnabled(false))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/ConversationWithParticipants", nil, url.Values{
				"FriendlyName": {"support"},
				"State":        {"active"},
				"Participant": {`{"identity":"alice","attributes":"{\"vip\":true}"}`,
					`{"messaging_binding":{"address":"+15558675310","proxy_address":"+15017122661"}}`},
			})
			assert.Equal(t, "false", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, testConversationSID, got.SID)
			want := decodeGolden[Conversation](t, sc.pick("CreateConversationWithParticipants", "CreateServiceConversationWithParticipants"))
			assert.Equal(t, want, got)
		})
	}
}

func TestConversationsCreateWithParticipantsTooMany(t *testing.T) {
	c, rec := newRecorder(t, 201, "{}")
	_, err := c.Conversations.CreateWithParticipants(context.Background(), &ConversationWithParticipantsCreateParams{Participants: make(InitialParticipants, 11)})
	assertNothingSent(t, rec, err, "Participant")
	_, err = c.Conversations.CreateWithParticipants(context.Background(), &ConversationWithParticipantsCreateParams{Participants: InitialParticipants{{Identity: "a"}, {RoleSID: "RL1"}}})
	assertNothingSent(t, rec, err, "Participant[1]")
	_, err = c.Conversations.CreateWithParticipants(context.Background(), &ConversationWithParticipantsCreateParams{Participants: InitialParticipants{{Identity: "a", MessagingBindingAddress: "+1555"}}})
	assertNothingSent(t, rec, err, "Participant[0]")
}

func TestConversationsFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "FetchConversation", "FetchServiceConversation"))
			got, err := sc.of(c).Conversations.Fetch(context.Background(), "first conversation+1@x/y")
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/first%20conversation%2B1%40x%2Fy", nil, nil)
			assert.Equal(t, testConversationSID, got.SID)
			assert.Equal(t, "first_conversation", got.UniqueName)
			assert.Equal(t, `{ "topic": "feedback" }`, got.Attributes)
			assert.Contains(t, got.Links, "participants")
			var attrs struct{ Topic string }
			require.NoError(t, UnmarshalAttributes(got.Attributes, &attrs))
			assert.Equal(t, "feedback", attrs.Topic)
		})
	}
}

func TestConversationsUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "UpdateConversation_update", "UpdateServiceConversation"))
			updated := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
			got, err := sc.of(c).Conversations.Update(context.Background(), testConversationSID, &ConversationUpdateParams{
				FriendlyName:   Ptr(""),
				DateUpdated:    &updated,
				State:          Ptr(ConversationStateClosed),
				TimersInactive: Ptr("PT5M"),
				UniqueName:     Ptr("renamed"),
			}, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID, nil, url.Values{
				"FriendlyName":    {""},
				"DateUpdated":     {"2020-01-02T03:04:05Z"},
				"State":           {"closed"},
				"Timers.Inactive": {"PT5M"},
				"UniqueName":      {"renamed"},
			})
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, testConversationSID, got.SID)
		})
	}
}

func TestConversationsDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			err := sc.of(c).Conversations.Delete(context.Background(), testConversationSID, WithWebhookEnabled(false))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "DELETE", sc.prefix+"/Conversations/"+testConversationSID, nil, nil)
			assert.Equal(t, "false", r.Header.Get("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestConversationsList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListConversation", "ListServiceConversation"))
			page, err := sc.of(c).Conversations.List(context.Background(), &ConversationListParams{StartDate: Ptr(time.Date(2015, 12, 16, 0, 0, 0, 0, time.UTC)), EndDate: Ptr(time.Date(2015, 12, 18, 0, 59, 59, 0, time.FixedZone("CET", 3600))), State: Ptr(ConversationStateActive), ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(0), PageToken: Ptr("PT123")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations", url.Values{
				"StartDate": {"2015-12-16T00:00:00Z"},
				"EndDate":   {"2015-12-17T23:59:59Z"},
				"State":     {"active"},
				"PageSize":  {"50"},
				"Page":      {"0"},
				"PageToken": {"PT123"},
			}, nil)
			require.Len(t, page.Items, 1)
			assert.Equal(t, testConversationSID, page.Items[0].SID)
			assert.Equal(t, "conversations", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestConversationsAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListConversation", "ListServiceConversation"))
			var sids []string
			for conv, err := range sc.of(c).Conversations.All(context.Background(), &ConversationListParams{State: Ptr(ConversationStateClosed)}) {
				require.NoError(t, err)
				sids = append(sids, conv.SID)
			}
			assert.Equal(t, []string{testConversationSID}, sids)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations", url.Values{"State": {"closed"}}, nil)
		})
	}
}

func TestConversationsValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Conversations
			_, err := s.Fetch(ctx, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Update(ctx, "", nil)
			assertNothingSent(t, rec, err, "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, ".."), "Sid")
			_, err = s.List(ctx, &ConversationListParams{ListParams: ListParams{PageSize: Ptr(101)}})
			assertNothingSent(t, rec, err, "PageSize")
			for _, err := range s.All(ctx, &ConversationListParams{ListParams: ListParams{Page: Ptr(-1)}}) {
				assertNothingSent(t, rec, err, "Page")
			}
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").Conversations.Fetch(ctx, testConversationSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}
