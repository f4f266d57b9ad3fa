package conversations

import (
	"bytes"
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
	testUserSID         = "USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testUserRoleSID     = "RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testUserParticipant = "MBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	// testUserOddIdentity is an identity that must be escaped as one path
	// segment.
	testUserOddIdentity = "alice+1@example.com/x?y#z"
	testUserOddEscaped  = "alice%2B1%40example.com%2Fx%3Fy%23z"
)

func TestUsersCreate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 201, sc.goldenFor(t, "CreateUser", "CreateServiceUser"))
			got, err := sc.of(c).Users.Create(context.Background(), &UserCreateParams{
				Identity:     "admin",
				FriendlyName: Ptr("name"),
				Attributes:   Ptr(`{ "duty": "tech" }`),
				RoleSID:      Ptr(testUserRoleSID),
			}, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Users", nil, url.Values{
				"Identity":     {"admin"},
				"FriendlyName": {"name"},
				"Attributes":   {`{ "duty": "tech" }`},
				"RoleSid":      {testUserRoleSID},
			})
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[User](t, sc.pick("CreateUser", "CreateServiceUser")), got)
			assert.Equal(t, testUserSID, got.SID)
			assert.Equal(t, testAccountSID, got.AccountSID)
			assert.Equal(t, testServiceSID, got.ChatServiceSID)
			assert.Equal(t, testUserRoleSID, got.RoleSID)
			assert.Equal(t, "admin", got.Identity)
			require.NotNil(t, got.IsOnline)
			assert.True(t, *got.IsOnline)
			assert.Nil(t, got.IsNotifiable, "null is_notifiable stays nil")
			assert.Equal(t, time.Date(2019, 12, 16, 22, 18, 37, 0, time.UTC), got.DateCreated)
			assert.Equal(t, time.Date(2019, 12, 16, 22, 18, 38, 0, time.UTC), got.DateUpdated)
			assert.True(t, strings.HasSuffix(got.URL, "/Users/"+testUserSID), got.URL)
			assert.True(t, strings.HasSuffix(got.Links["user_conversations"], "/Users/"+testUserSID+"/Conversations"))
			var attrs struct{ Duty string }
			require.NoError(t, UnmarshalAttributes(got.Attributes, &attrs))
			assert.Equal(t, "tech", attrs.Duty)
		})
	}
}

func TestUsersCreateIdentityOnly(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateUser"))
	_, err := c.Users.Create(context.Background(), &UserCreateParams{Identity: testUserOddIdentity})
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Users", nil, url.Values{"Identity": {testUserOddIdentity}})
	assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
}

func TestUsersFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "FetchUser", "FetchServiceUser"))
			got, err := sc.of(c).Users.Fetch(context.Background(), testUserOddIdentity)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users/"+testUserOddEscaped, nil, nil)
			assert.Equal(t, decodeGolden[User](t, sc.pick("FetchUser", "FetchServiceUser")), got)
			assert.Equal(t, testUserSID, got.SID)
			assert.Equal(t, "name", got.FriendlyName)
			require.NotNil(t, got.IsOnline)
			assert.True(t, *got.IsOnline)
			assert.Nil(t, got.IsNotifiable)
			assert.Contains(t, got.Links, "user_conversations")
		})
	}
}

func TestUsersUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "UpdateUser", "UpdateServiceUser"))
			got, err := sc.of(c).Users.Update(context.Background(), testUserSID, &UserUpdateParams{
				FriendlyName: Ptr(""),
				Attributes:   Ptr(`{ "duty": "tech", "team": "internals" }`),
				RoleSID:      Ptr(testUserRoleSID),
			}, WithWebhookEnabled(false))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Users/"+testUserSID, nil, url.Values{
				"FriendlyName": {""},
				"Attributes":   {`{ "duty": "tech", "team": "internals" }`},
				"RoleSid":      {testUserRoleSID},
			})
			assert.Equal(t, "false", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[User](t, sc.pick("UpdateUser", "UpdateServiceUser")), got)
			assert.Equal(t, testUserSID, got.SID)
			assert.Equal(t, "new name", got.FriendlyName)
			assert.Equal(t, time.Date(2019, 12, 16, 22, 18, 38, 0, time.UTC), got.DateUpdated)
		})
	}
}

func TestUsersUpdateNilParams(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateUser"))
	_, err := c.Users.Update(context.Background(), testUserOddIdentity, nil)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Users/"+testUserOddEscaped, nil, nil)
}

func TestUsersDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			err := sc.of(c).Users.Delete(context.Background(), testUserOddIdentity, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "DELETE", sc.prefix+"/Users/"+testUserOddEscaped, nil, nil)
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestUsersList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListUser", "ListServiceUser"))
			page, err := sc.of(c).Users.List(context.Background(), &UserListParams{ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(0), PageToken: Ptr("PT123")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users", url.Values{
				"PageSize":  {"50"},
				"Page":      {"0"},
				"PageToken": {"PT123"},
			}, nil)
			require.Len(t, page.Items, 2)
			assert.Equal(t, "admin", page.Items[0].Identity)
			assert.Equal(t, "agent0034", page.Items[1].Identity)
			require.NotNil(t, page.Items[1].IsOnline)
			assert.False(t, *page.Items[1].IsOnline)
			assert.Equal(t, time.Date(2020, 3, 24, 20, 38, 21, 0, time.UTC), page.Items[1].DateCreated)
			assert.Equal(t, "users", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.Equal(t, 0, page.Meta.Page)
			assert.True(t, strings.HasSuffix(page.Meta.URL, sc.prefix+"/Users?PageSize=50&Page=0"), page.Meta.URL)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestUsersAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListUser", "ListServiceUser"))
			var identities []string
			for u, err := range sc.of(c).Users.All(context.Background(), &UserListParams{ListParams: ListParams{PageSize: Ptr(2)}}) {
				require.NoError(t, err)
				identities = append(identities, u.Identity)
			}
			assert.Equal(t, []string{"admin", "agent0034"}, identities)
			assert.Equal(t, 1, rec.count())
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users", url.Values{"PageSize": {"2"}}, nil)
		})
	}
}

func TestUsersValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Users
			_, err := s.Create(ctx, nil)
			assertNothingSent(t, rec, err, "Identity")
			_, err = s.Create(ctx, &UserCreateParams{FriendlyName: Ptr("no identity")})
			assertNothingSent(t, rec, err, "Identity")
			_, err = s.Fetch(ctx, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Update(ctx, "", &UserUpdateParams{FriendlyName: Ptr("x")})
			assertNothingSent(t, rec, err, "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, ""), "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, "."), "Sid")
			_, err = s.List(ctx, &UserListParams{ListParams: ListParams{PageSize: Ptr(51)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, &UserListParams{ListParams: ListParams{PageSize: Ptr(0)}})
			assertNothingSent(t, rec, err, "PageSize")
			n := 0
			for u, err := range s.All(ctx, &UserListParams{ListParams: ListParams{Page: Ptr(-1)}}) {
				n++
				assert.Nil(t, u)
				assertNothingSent(t, rec, err, "Page")
			}
			assert.Equal(t, 1, n, "All yields the error once")
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").Users.Create(ctx, &UserCreateParams{Identity: "admin"})
	assertNothingSent(t, rec, err, "ChatServiceSid")
	_, err = c.Service("").Users.Fetch(ctx, testUserSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}

func TestUserConversationsFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "FetchUserConversation", "FetchServiceUserConversation"))
			got, err := sc.of(c).UserConversations.Fetch(context.Background(), testUserOddIdentity, "my conversation")
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users/"+testUserOddEscaped+"/Conversations/my%20conversation", nil, nil)
			assert.Equal(t, decodeGolden[UserConversation](t, sc.pick("FetchUserConversation", "FetchServiceUserConversation")), got)
			userConversationAssertFields(t, sc, got)
		})
	}
}

// userConversationAssertFields checks the key fields of the spec's example
// user conversation.
func userConversationAssertFields(t *testing.T, sc testScope, got *UserConversation) {
	t.Helper()
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.Equal(t, testConversationSID, got.ConversationSID)
	assert.Equal(t, testUserSID, got.UserSID)
	assert.Equal(t, testUserParticipant, got.ParticipantSID)
	require.NotNil(t, got.UnreadMessagesCount)
	assert.Equal(t, 100, *got.UnreadMessagesCount)
	require.NotNil(t, got.LastReadMessageIndex)
	assert.Equal(t, 100, *got.LastReadMessageIndex)
	assert.Equal(t, ConversationStateInactive, got.ConversationState)
	assert.Equal(t, UserConversationNotificationLevelDefault, got.NotificationLevel)
	assert.Equal(t, time.Date(2015, 12, 16, 22, 19, 38, 0, time.UTC), got.Timers.DateInactive)
	assert.Equal(t, time.Date(2015, 12, 16, 22, 28, 38, 0, time.UTC), got.Timers.DateClosed)
	assert.Equal(t, time.Date(2015, 7, 30, 20, 0, 0, 0, time.UTC), got.DateCreated)
	assert.Equal(t, "created_by", got.CreatedBy)
	assert.Equal(t, "unique_name", got.UniqueName)
	assert.Equal(t, "{}", got.Attributes)
	assert.True(t, strings.HasSuffix(got.URL, sc.prefix+"/Users/"+testUserSID+"/Conversations/"+testConversationSID), got.URL)
	assert.True(t, strings.HasSuffix(got.Links["conversation"], sc.prefix+"/Conversations/"+testConversationSID), got.Links["conversation"])
	assert.True(t, strings.HasSuffix(got.Links["participant"], "/Participants/"+testUserParticipant), got.Links["participant"])
}

func TestUserConversationsUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "UpdateUserConversation", "UpdateServiceUserConversation"))
			read := time.Date(2015, 7, 30, 22, 0, 0, 0, time.FixedZone("CEST", 2*3600))
			params := &UserConversationUpdateParams{
				NotificationLevel:    Ptr(UserConversationNotificationLevelMuted),
				LastReadTimestamp:    &read,
				LastReadMessageIndex: Set(0),
			}
			got, err := sc.of(c).UserConversations.Update(context.Background(), testUserSID, testConversationSID, params)
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Users/"+testUserSID+"/Conversations/"+testConversationSID, nil, url.Values{
				"NotificationLevel":    {"muted"},
				"LastReadTimestamp":    {"2015-07-30T20:00:00Z"},
				"LastReadMessageIndex": {"0"},
			})
			assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, time.FixedZone("CEST", 2*3600).String(), params.LastReadTimestamp.Location().String(), "params are not mutated")
			assert.Equal(t, decodeGolden[UserConversation](t, sc.pick("UpdateUserConversation", "UpdateServiceUserConversation")), got)
			userConversationAssertFields(t, sc, got)
		})
	}
}

func TestUserConversationsUpdateDefaultLevel(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateUserConversation"))
	_, err := c.UserConversations.Update(context.Background(), "alice", "support", &UserConversationUpdateParams{
		NotificationLevel:    Ptr(UserConversationNotificationLevelDefault),
		LastReadMessageIndex: Set(42),
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Users/alice/Conversations/support", nil, url.Values{
		"NotificationLevel":    {"default"},
		"LastReadMessageIndex": {"42"},
	})
}

func TestUserConversationsDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			err := sc.of(c).UserConversations.Delete(context.Background(), testUserOddIdentity, testConversationSID)
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "DELETE", sc.prefix+"/Users/"+testUserOddEscaped+"/Conversations/"+testConversationSID, nil, nil)
			assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestUserConversationsList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListUserConversation_readFull", "ListServiceUserConversation_readFull"))
			page, err := sc.of(c).UserConversations.List(context.Background(), testUserSID, &UserConversationListParams{ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(1), PageToken: Ptr("PT123")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users/"+testUserSID+"/Conversations", url.Values{
				"PageSize":  {"50"},
				"Page":      {"1"},
				"PageToken": {"PT123"},
			}, nil)
			require.Len(t, page.Items, 1)
			userConversationAssertFields(t, sc, &page.Items[0])
			assert.Equal(t, "conversations", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.Empty(t, page.Meta.PreviousPageURL)
			assert.True(t, strings.HasSuffix(page.Meta.FirstPageURL, sc.prefix+"/Users/"+testUserSID+"/Conversations?PageSize=50&Page=0"), page.Meta.FirstPageURL)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestUserConversationsListEmpty(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListUserConversation_readEmpty", "ListServiceUserConversation_readEmpty"))
			page, err := sc.of(c).UserConversations.List(context.Background(), "alice", nil)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users/alice/Conversations", nil, nil)
			assert.Empty(t, page.Items)
			assert.Equal(t, "conversations", page.Meta.Key)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestUserConversationsAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListUserConversation_readFull", "ListServiceUserConversation_readFull"))
			var sids []string
			for uc, err := range sc.of(c).UserConversations.All(context.Background(), testUserOddIdentity, &UserConversationListParams{ListParams: ListParams{PageSize: Ptr(10)}}) {
				require.NoError(t, err)
				sids = append(sids, uc.ConversationSID)
			}
			assert.Equal(t, []string{testConversationSID}, sids)
			assert.Equal(t, 1, rec.count())
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Users/"+testUserOddEscaped+"/Conversations", url.Values{"PageSize": {"10"}}, nil)
		})
	}
}

func TestUserConversationsAllTwoPages(t *testing.T) {
	first := `{"conversations":[{"conversation_sid":"CH1","notification_level":"muted"}],
		"meta":{"key":"conversations","page":0,"page_size":1,
		"next_page_url":"https://elsewhere.example.com/v1/Users/alice/Conversations?PageSize=1&Page=1&PageToken=PT1"}}`
	second := `{"conversations":[{"conversation_sid":"CH2","notification_level":"loud","last_read_message_index":null,"unread_messages_count":null}],
		"meta":{"key":"conversations","page":1,"page_size":1,"next_page_url":null}}`
	c, rec := newRecorder(t, 200, first)
	rec.then(200, second)
	var got []*UserConversation
	for uc, err := range c.UserConversations.All(context.Background(), "alice", &UserConversationListParams{ListParams: ListParams{PageSize: Ptr(1)}}) {
		require.NoError(t, err)
		got = append(got, uc)
	}
	require.Len(t, got, 2)
	assert.Equal(t, "CH1", got[0].ConversationSID)
	assert.Equal(t, UserConversationNotificationLevelMuted, got[0].NotificationLevel)
	assert.Equal(t, "CH2", got[1].ConversationSID)
	assert.Equal(t, UserConversationNotificationLevel("loud"), got[1].NotificationLevel, "unknown enum values decode")
	assert.Nil(t, got[1].LastReadMessageIndex)
	assert.Nil(t, got[1].UnreadMessagesCount)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/v1/Users/alice/Conversations", reqs[1].Path)
	assert.NotEqual(t, "elsewhere.example.com", reqs[1].Host, "next page stays on the configured host")
	assert.Equal(t, url.Values{"PageSize": {"1"}, "Page": {"1"}, "PageToken": {"PT1"}}, reqs[1].Query)
}

func TestUserConversationsValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).UserConversations
			_, err := s.Fetch(ctx, "", testConversationSID)
			assertNothingSent(t, rec, err, "UserSid")
			_, err = s.Fetch(ctx, testUserSID, "")
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Update(ctx, "", testConversationSID, &UserConversationUpdateParams{LastReadMessageIndex: Set(1)})
			assertNothingSent(t, rec, err, "UserSid")
			_, err = s.Update(ctx, testUserSID, "..", nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			assertNothingSent(t, rec, s.Delete(ctx, "", testConversationSID), "UserSid")
			assertNothingSent(t, rec, s.Delete(ctx, testUserSID, ""), "ConversationSid")
			_, err = s.List(ctx, "", nil)
			assertNothingSent(t, rec, err, "UserSid")
			_, err = s.List(ctx, testUserSID, &UserConversationListParams{ListParams: ListParams{PageSize: Ptr(51)}})
			assertNothingSent(t, rec, err, "PageSize")
			for _, err := range s.All(ctx, "", nil) {
				assertNothingSent(t, rec, err, "UserSid")
			}
			for _, err := range s.All(ctx, testUserSID, &UserConversationListParams{ListParams: ListParams{PageSize: Ptr(51)}}) {
				assertNothingSent(t, rec, err, "PageSize")
			}
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").UserConversations.Fetch(ctx, testUserSID, testConversationSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}

// TestUsersGoldenStrict decodes every spec example of both resources with
// DisallowUnknownFields, so that a field missing from User or
// UserConversation fails here.
func TestUsersGoldenStrict(t *testing.T) {
	strict := func(t *testing.T, name string, v any) {
		t.Helper()
		d := json.NewDecoder(bytes.NewReader([]byte(golden(t, name))))
		d.DisallowUnknownFields()
		require.NoError(t, d.Decode(v), name)
	}
	for _, name := range []string{"CreateUser", "CreateServiceUser", "FetchUser", "FetchServiceUser", "UpdateUser", "UpdateServiceUser"} {
		strict(t, name, new(User))
	}
	for _, name := range []string{"ListUser", "ListServiceUser"} {
		strict(t, name, new(struct {
			Users []User `json:"users"`
			Meta  Meta   `json:"meta"`
		}))
	}
	for _, name := range []string{"FetchUserConversation", "FetchServiceUserConversation", "UpdateUserConversation", "UpdateServiceUserConversation"} {
		strict(t, name, new(UserConversation))
	}
	for _, name := range []string{"ListUserConversation_readFull", "ListServiceUserConversation_readFull", "ListUserConversation_readEmpty", "ListServiceUserConversation_readEmpty"} {
		strict(t, name, new(struct {
			Conversations []UserConversation `json:"conversations"`
			Meta          Meta               `json:"meta"`
		}))
	}
}
