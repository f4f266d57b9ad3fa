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
	testParticipantSID     = "MBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testParticipantRoleSID = "RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

func TestParticipantsCreate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("CreateConversationParticipant_createSms", "CreateServiceConversationParticipant_createSms")
			c, rec := newRecorder(t, 201, golden(t, name))
			created := time.Date(2015, 12, 16, 23, 18, 37, 0, time.FixedZone("CET", 3600))
			updated := time.Date(2015, 12, 16, 17, 18, 38, 0, time.FixedZone("EST", -5*3600))
			got, err := sc.of(c).Participants.Create(context.Background(), testConversationSID, &ParticipantCreateParams{
				Identity:                         Ptr("alice"),
				MessagingBindingAddress:          Ptr("+15558675310"),
				MessagingBindingProxyAddress:     Ptr("+15017122661"),
				DateCreated:                      &created,
				DateUpdated:                      &updated,
				Attributes:                       Ptr(`{ "role": "driver" }`),
				MessagingBindingProjectedAddress: Ptr("+15017122662"),
				RoleSID:                          Ptr(testParticipantRoleSID),
			}, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Participants", nil, url.Values{
				"Identity":                          {"alice"},
				"MessagingBinding.Address":          {"+15558675310"},
				"MessagingBinding.ProxyAddress":     {"+15017122661"},
				"DateCreated":                       {"2015-12-16T22:18:37Z"},
				"DateUpdated":                       {"2015-12-16T22:18:38Z"},
				"Attributes":                        {`{ "role": "driver" }`},
				"MessagingBinding.ProjectedAddress": {"+15017122662"},
				"RoleSid":                           {testParticipantRoleSID},
			})
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[Participant](t, name), got)
			assert.Equal(t, testParticipantSID, got.SID)
			assert.Equal(t, testConversationSID, got.ConversationSID)
			assert.Equal(t, testParticipantRoleSID, got.RoleSID)
			assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 37, 0, time.UTC), got.DateCreated)
			require.NotNil(t, got.MessagingBinding)
			assert.Equal(t, ParticipantMessagingBinding{Type: "sms", Address: "+15558675310", ProxyAddress: "+15017122661"}, *got.MessagingBinding)
			assert.Nil(t, got.LastReadMessageIndex)
			assert.Nil(t, got.LastReadTimestamp)
			if sc.name == "service" {
				assert.Equal(t, testServiceSID, got.ChatServiceSID)
			} else {
				assert.Empty(t, got.ChatServiceSID)
			}
			var attrs struct{ Role string }
			require.NoError(t, UnmarshalAttributes(got.Attributes, &attrs))
			assert.Equal(t, "driver", attrs.Role)
		})
	}
}

// TestParticipantsCreateExamples decodes every create example of the spec
// (chat, Group MMS, RCS, RCS with SMS fallback) in both scopes.
func TestParticipantsCreateExamples(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			check := func(example string, params *ParticipantCreateParams, form url.Values, f func(t *testing.T, p *Participant)) {
				t.Run(example, func(t *testing.T) {
					name := sc.pick("CreateConversationParticipant_"+example, "CreateServiceConversationParticipant_"+example)
					c, rec := newRecorder(t, 201, golden(t, name))
					got, err := sc.of(c).Participants.Create(context.Background(), testConversationSID, params)
					require.NoError(t, err)
					assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Participants", nil, form)
					assert.Equal(t, decodeGolden[Participant](t, name), got)
					f(t, got)
				})
			}
			check("createChat", &ParticipantCreateParams{Identity: Ptr("IDENTITY")}, url.Values{"Identity": {"IDENTITY"}}, func(t *testing.T, p *Participant) {
				assert.Equal(t, "IDENTITY", p.Identity)
				assert.Nil(t, p.MessagingBinding, "a null messaging_binding is nil")
			})
			check("createGmms", &ParticipantCreateParams{Identity: Ptr("IDENTITY"), MessagingBindingProjectedAddress: Ptr("+15017122661")},
				url.Values{"Identity": {"IDENTITY"}, "MessagingBinding.ProjectedAddress": {"+15017122661"}}, func(t *testing.T, p *Participant) {
					require.NotNil(t, p.MessagingBinding)
					assert.Equal(t, ParticipantMessagingBinding{Type: "sms", ProjectedAddress: "+15017122661"}, *p.MessagingBinding)
				})
			check("createGmmsSmsNoAttributes", nil, nil, func(t *testing.T, p *Participant) {
				assert.Equal(t, "{}", p.Attributes)
				assert.Empty(t, p.Identity)
				assert.Empty(t, p.RoleSID)
				assert.Equal(t, "+15017122661", p.MessagingBinding.Address)
			})
			check("createGmmsChatNoAttributes", nil, nil, func(t *testing.T, p *Participant) {
				assert.Equal(t, time.Date(2020, 7, 1, 22, 18, 37, 0, time.UTC), p.DateUpdated)
			})
			check("createRcs", &ParticipantCreateParams{MessagingBindingAddress: Ptr("rcs:+15558675310"), MessagingBindingProxyAddress: Ptr("rcs:+15017122661")},
				url.Values{"MessagingBinding.Address": {"rcs:+15558675310"}, "MessagingBinding.ProxyAddress": {"rcs:+15017122661"}}, func(t *testing.T, p *Participant) {
					require.NotNil(t, p.MessagingBinding)
					assert.Equal(t, "rcs", p.MessagingBinding.Type)
					assert.Equal(t, "rcs:+15558675310", p.MessagingBinding.Address)
					assert.Equal(t, "rcs:+15017122661", p.MessagingBinding.ProxyAddress)
				})
			check("createRcsWithFallback", nil, nil, func(t *testing.T, p *Participant) {
				assert.Equal(t, "sms", p.MessagingBinding.Type)
				assert.Equal(t, "+12025552661", p.MessagingBinding.ProxyAddress)
			})
		})
	}
}

func TestParticipantsFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("FetchConversationParticipant_fetchByIdentity", "FetchServiceConversationParticipant_fetchByIdentity")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Participants.Fetch(context.Background(), "support chat", "alice+1@example.com/x?y#z")
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/support%20chat/Participants/alice%2B1%40example.com%2Fx%3Fy%23z", nil, nil)
			assert.Empty(t, rec.last(t).Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, decodeGolden[Participant](t, name), got)
			assert.Equal(t, testParticipantSID, got.SID)
			assert.Equal(t, "alice", got.Identity)
			assert.Equal(t, time.Date(2016, 3, 24, 21, 5, 50, 0, time.UTC), got.DateUpdated)
			assert.True(t, strings.HasSuffix(got.URL, "/Participants/"+testParticipantSID), got.URL)
		})
	}
}

func TestParticipantsUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("UpdateConversationParticipant_updateGmms", "UpdateServiceConversationParticipant_updateGmms")
			c, rec := newRecorder(t, 200, golden(t, name))
			created := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
			updated := time.Date(2020, 1, 2, 12, 4, 5, 0, time.FixedZone("JST", 9*3600))
			params := &ParticipantUpdateParams{
				DateCreated:                      &created,
				DateUpdated:                      &updated,
				Attributes:                       Ptr("{}"),
				RoleSID:                          Ptr(testParticipantRoleSID),
				MessagingBindingProxyAddress:     Null[string](),
				MessagingBindingProjectedAddress: Set("+15017122661"),
				Identity:                         Ptr("id"),
				LastReadMessageIndex:             Set(0),
				LastReadTimestamp:                Ptr(time.Date(2020, 1, 2, 12, 4, 5, 0, time.FixedZone("JST", 9*3600))),
			}
			got, err := sc.of(c).Participants.Update(context.Background(), testConversationSID, testParticipantSID, params, WithWebhookEnabled(false))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Participants/"+testParticipantSID, nil, url.Values{
				"DateCreated":                       {"2020-01-02T03:04:05Z"},
				"DateUpdated":                       {"2020-01-02T03:04:05Z"},
				"Attributes":                        {"{}"},
				"RoleSid":                           {testParticipantRoleSID},
				"MessagingBinding.ProxyAddress":     {"null"},
				"MessagingBinding.ProjectedAddress": {"+15017122661"},
				"Identity":                          {"id"},
				"LastReadMessageIndex":              {"0"},
				"LastReadTimestamp":                 {"2020-01-02T03:04:05Z"},
			})
			assert.Equal(t, "false", r.Header.Get("X-Twilio-Webhook-Enabled"))
			assert.Equal(t, "JST", params.DateUpdated.Location().String(), "params are not mutated")
			assert.Equal(t, decodeGolden[Participant](t, name), got)
			assert.Equal(t, "id", got.Identity)
			require.NotNil(t, got.MessagingBinding)
			assert.Equal(t, "+15017122661", got.MessagingBinding.ProjectedAddress)
		})
	}
}

func TestParticipantsUpdateExample(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("UpdateConversationParticipant_update", "UpdateServiceConversationParticipant_update")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Participants.Update(context.Background(), testConversationSID, testParticipantSID, &ParticipantUpdateParams{LastReadMessageIndex: Set(7)})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Participants/"+testParticipantSID, nil,
				url.Values{"LastReadMessageIndex": {"7"}})
			assert.Equal(t, decodeGolden[Participant](t, name), got)
		})
	}
}

func TestParticipantsUpdateClearsLastReadMessageIndex(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := sc.pick("UpdateConversationParticipant_update", "UpdateServiceConversationParticipant_update")
			c, rec := newRecorder(t, 200, golden(t, name))
			_, err := sc.of(c).Participants.Update(context.Background(), testConversationSID, testParticipantSID,
				&ParticipantUpdateParams{LastReadMessageIndex: Null[int]()})
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "POST", sc.prefix+"/Conversations/"+testConversationSID+"/Participants/"+testParticipantSID, nil,
				url.Values{"LastReadMessageIndex": {""}})
			assert.Equal(t, "LastReadMessageIndex=", r.Body)
		})
	}
}

func TestParticipantsDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			err := sc.of(c).Participants.Delete(context.Background(), testConversationSID, testParticipantSID, WithWebhookEnabled(true))
			require.NoError(t, err)
			r := rec.last(t)
			assertWire(t, r, "DELETE", sc.prefix+"/Conversations/"+testConversationSID+"/Participants/"+testParticipantSID, nil, nil)
			assert.Equal(t, "true", r.Header.Get("X-Twilio-Webhook-Enabled"))
		})
	}
}

func TestParticipantsList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListConversationParticipant", "ListServiceConversationParticipant"))
			page, err := sc.of(c).Participants.List(context.Background(), testConversationSID, &ParticipantListParams{ListParams: ListParams{PageSize: Ptr(100), Page: Ptr(0), PageToken: Ptr("PT123")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Participants", url.Values{
				"PageSize":  {"100"},
				"Page":      {"0"},
				"PageToken": {"PT123"},
			}, nil)
			require.Len(t, page.Items, 2)
			assert.Equal(t, testParticipantSID, page.Items[0].SID)
			require.NotNil(t, page.Items[0].MessagingBinding)
			assert.Equal(t, "+15558675310", page.Items[0].MessagingBinding.Address)
			assert.Nil(t, page.Items[1].MessagingBinding)
			assert.Equal(t, "IDENTITY", page.Items[1].Identity)
			assert.Equal(t, "participants", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.Equal(t, 0, page.Meta.Page)
			assert.Contains(t, page.Meta.URL, "/Conversations/"+testConversationSID+"/Participants?PageSize=50&Page=0")
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestParticipantsAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, sc.goldenFor(t, "ListConversationParticipant", "ListServiceConversationParticipant"))
			var ids []string
			for p, err := range sc.of(c).Participants.All(context.Background(), testConversationSID, &ParticipantListParams{ListParams: ListParams{PageSize: Ptr(2)}}) {
				require.NoError(t, err)
				ids = append(ids, p.SID+"/"+p.Identity)
			}
			assert.Equal(t, []string{testParticipantSID + "/", testParticipantSID + "/IDENTITY"}, ids)
			assert.Equal(t, 1, rec.count())
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Conversations/"+testConversationSID+"/Participants", url.Values{"PageSize": {"2"}}, nil)
		})
	}
}

func TestParticipantConversationsList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			path := sc.prefix + "/ParticipantConversations"
			t.Run("byIdentity", func(t *testing.T) {
				name := sc.pick("ListParticipantConversation_readFullByIdentity", "ListServiceParticipantConversation_readFullByIdentity")
				c, rec := newRecorder(t, 200, golden(t, name))
				page, err := sc.of(c).ParticipantConversations.List(context.Background(), &ParticipantConversationListParams{Identity: Ptr("identity"), ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(0), PageToken: Ptr("PT1")}})
				require.NoError(t, err)
				assertWire(t, rec.last(t), "GET", path, url.Values{
					"Identity":  {"identity"},
					"PageSize":  {"50"},
					"Page":      {"0"},
					"PageToken": {"PT1"},
				}, nil)
				require.Len(t, page.Items, 1)
				pc := page.Items[0]
				assert.Equal(t, testParticipantSID, pc.ParticipantSID)
				assert.Equal(t, "USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", pc.ParticipantUserSID)
				assert.Equal(t, "identity", pc.ParticipantIdentity)
				assert.Nil(t, pc.ParticipantMessagingBinding)
				assert.Equal(t, testConversationSID, pc.ConversationSID)
				assert.Equal(t, "conversations", page.Meta.Key)
				assert.Equal(t, 50, page.Meta.PageSize)
				assert.False(t, page.HasNextPage())
			})
			t.Run("byAddress", func(t *testing.T) {
				name := sc.pick("ListParticipantConversation_readFullByAddress", "ListServiceParticipantConversation_readFullByAddress")
				c, rec := newRecorder(t, 200, golden(t, name))
				page, err := sc.of(c).ParticipantConversations.List(context.Background(), &ParticipantConversationListParams{
					Address: Ptr("+375255555555"),
				})
				require.NoError(t, err)
				// Query holds the decoded values: "+" arrived as %2B, not as a space.
				assertWire(t, rec.last(t), "GET", path, url.Values{"Address": {"+375255555555"}}, nil)
				require.Len(t, page.Items, 1)
				pc := page.Items[0]
				want := decodeGolden[struct {
					Conversations []ParticipantConversation `json:"conversations"`
				}](t, name).Conversations[0]
				assert.Equal(t, want, pc)
				assert.Equal(t, testAccountSID, pc.AccountSID)
				assert.Equal(t, testServiceSID, pc.ChatServiceSID)
				assert.Empty(t, pc.ParticipantIdentity)
				assert.Empty(t, pc.ParticipantUserSID)
				require.NotNil(t, pc.ParticipantMessagingBinding)
				assert.Equal(t, ParticipantMessagingBinding{Type: "sms", Address: "+375255555555", ProxyAddress: "+12345678910"}, *pc.ParticipantMessagingBinding)
				assert.Equal(t, "friendly_name", pc.ConversationFriendlyName)
				assert.Equal(t, "unique_name", pc.ConversationUniqueName)
				assert.Equal(t, "{}", pc.ConversationAttributes)
				assert.Equal(t, "created_by", pc.ConversationCreatedBy)
				assert.Equal(t, ConversationStateInactive, pc.ConversationState)
				assert.Equal(t, time.Date(2015, 7, 30, 20, 0, 0, 0, time.UTC), pc.ConversationDateCreated)
				assert.Equal(t, time.Date(2015, 7, 30, 20, 0, 0, 0, time.UTC), pc.ConversationDateUpdated)
				assert.Equal(t, time.Date(2015, 12, 16, 22, 19, 38, 0, time.UTC), pc.ConversationTimers.DateInactive)
				assert.Equal(t, time.Date(2015, 12, 16, 22, 28, 38, 0, time.UTC), pc.ConversationTimers.DateClosed)
				assert.Len(t, pc.Links, 2)
				assert.True(t, strings.HasSuffix(pc.Links["participant"], "/Conversations/"+testConversationSID+"/Participants/"+testParticipantSID))
				assert.True(t, strings.HasSuffix(pc.Links["conversation"], "/Conversations/"+testConversationSID))
			})
			t.Run("empty", func(t *testing.T) {
				name := sc.pick("ListParticipantConversation_readEmpty", "ListServiceParticipantConversation_readEmpty")
				c, rec := newRecorder(t, 200, golden(t, name))
				page, err := sc.of(c).ParticipantConversations.List(context.Background(), nil)
				require.NoError(t, err)
				assertWire(t, rec.last(t), "GET", path, nil, nil)
				assert.Empty(t, page.Items)
				assert.Equal(t, "conversations", page.Meta.Key)
				assert.False(t, page.HasNextPage())
			})
		})
	}
}

// TestParticipantConversationsListIdentityAndAddress pins the decision not
// to reject both filters: the spec only says "Only one parameter should be
// specified", so both are sent and the API decides.
func TestParticipantConversationsListIdentityAndAddress(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListParticipantConversation_readEmpty"))
	_, err := c.ParticipantConversations.List(context.Background(), &ParticipantConversationListParams{
		Identity: Ptr("alice"),
		Address:  Ptr("whatsapp:+15558675310"),
	})
	assertNothingSent(t, rec, err, "Identity/Address")
}

func TestParticipantConversationsAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			path := sc.prefix + "/ParticipantConversations"
			// Page 1 is the by-address example with a next page announced
			// (on another host, which must not be contacted); page 2 is the
			// by-identity example, the last page.
			first := sc.pick("ListParticipantConversation_readFullByAddress", "ListServiceParticipantConversation_readFullByAddress")
			second := sc.pick("ListParticipantConversation_readFullByIdentity", "ListServiceParticipantConversation_readFullByIdentity")
			var env map[string]any
			require.NoError(t, json.Unmarshal([]byte(golden(t, first)), &env))
			env["meta"].(map[string]any)["next_page_url"] = "https://elsewhere.example.com" + path + "?Address=%2B375255555555&PageSize=1&Page=1&PageToken=PT2"
			body, err := json.Marshal(env)
			require.NoError(t, err)
			c, rec := newRecorder(t, 200, string(body))
			rec.then(200, golden(t, second))

			var got []string
			for pc, err := range sc.of(c).ParticipantConversations.All(context.Background(), &ParticipantConversationListParams{Address: Ptr("+375255555555"), ListParams: ListParams{PageSize: Ptr(1)}}) {
				require.NoError(t, err)
				got = append(got, pc.ParticipantIdentity+"|"+string(pc.ConversationState))
			}
			assert.Equal(t, []string{"|inactive", "identity|inactive"}, got)
			reqs := rec.all()
			require.Len(t, reqs, 2)
			assertWire(t, reqs[0], "GET", path, url.Values{"Address": {"+375255555555"}, "PageSize": {"1"}}, nil)
			assertWire(t, reqs[1], "GET", path, url.Values{"Address": {"+375255555555"}, "PageSize": {"1"}, "Page": {"1"}, "PageToken": {"PT2"}}, nil)
			assert.NotEqual(t, "elsewhere.example.com", reqs[1].Host)
		})
	}
}

func TestParticipantsValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Participants
			_, err := s.Create(ctx, "", &ParticipantCreateParams{Identity: Ptr("alice")})
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Fetch(ctx, "", testParticipantSID)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Fetch(ctx, testConversationSID, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Update(ctx, "", testParticipantSID, nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.Update(ctx, testConversationSID, "", &ParticipantUpdateParams{LastReadMessageIndex: Set(1)})
			assertNothingSent(t, rec, err, "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, "", testParticipantSID), "ConversationSid")
			assertNothingSent(t, rec, s.Delete(ctx, testConversationSID, ""), "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, testConversationSID, ".."), "Sid")
			_, err = s.List(ctx, "", nil)
			assertNothingSent(t, rec, err, "ConversationSid")
			_, err = s.List(ctx, testConversationSID, &ParticipantListParams{ListParams: ListParams{PageSize: Ptr(101)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, testConversationSID, &ParticipantListParams{ListParams: ListParams{PageSize: Ptr(0)}})
			assertNothingSent(t, rec, err, "PageSize")
			n := 0
			for p, err := range s.All(ctx, testConversationSID, &ParticipantListParams{ListParams: ListParams{Page: Ptr(-1)}}) {
				n++
				assert.Nil(t, p)
				assertNothingSent(t, rec, err, "Page")
			}
			assert.Equal(t, 1, n)
			for _, err := range s.All(ctx, "", nil) {
				assertNothingSent(t, rec, err, "ConversationSid")
			}
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").Participants.Fetch(ctx, testConversationSID, testParticipantSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
	_, err = c.Service("").Participants.Create(ctx, testConversationSID, nil)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}

func TestParticipantConversationsValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).ParticipantConversations
			_, err := s.List(ctx, &ParticipantConversationListParams{Identity: Ptr("alice"), ListParams: ListParams{PageSize: Ptr(51)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, &ParticipantConversationListParams{Address: Ptr("+1"), ListParams: ListParams{Page: Ptr(-1)}})
			assertNothingSent(t, rec, err, "Page")
			for _, err := range s.All(ctx, &ParticipantConversationListParams{ListParams: ListParams{PageSize: Ptr(51)}}) {
				assertNothingSent(t, rec, err, "PageSize")
			}
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	_, err := c.Service("").ParticipantConversations.List(ctx, &ParticipantConversationListParams{Identity: Ptr("alice")})
	assertNothingSent(t, rec, err, "ChatServiceSid")
	for _, err := range c.Service("").ParticipantConversations.All(ctx, nil) {
		assertNothingSent(t, rec, err, "ChatServiceSid")
	}
}

func TestParticipantLastReadTimestampDecodes(t *testing.T) {
	body := golden(t, "FetchConversationParticipant")
	require.Contains(t, body, `"last_read_timestamp": null`)
	body = strings.Replace(body, `"last_read_timestamp": null`, `"last_read_timestamp": "2024-01-02T03:04:05Z"`, 1)
	c, _ := newRecorder(t, 200, body)
	got, err := c.Participants.Fetch(context.Background(), testConversationSID, testParticipantSID)
	require.NoError(t, err)
	require.NotNil(t, got.LastReadTimestamp)
	assert.Equal(t, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), *got.LastReadTimestamp)
}
