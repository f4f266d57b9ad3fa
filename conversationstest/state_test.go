package conversationstest_test

import (
	"bytes"
	"context"
	"net/url"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

func apiErr(t testing.TB, err error, status, code int) *cv.Error {
	t.Helper()
	var e *cv.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, status, e.Status, "%v", err)
	require.Equal(t, code, e.Code, "%v", err)
	return e
}

func TestServiceScoping(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	a, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "a"})
	require.NoError(t, err)
	b, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "b"})
	require.NoError(t, err)

	inA, err := c.Service(a.SID).Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("shared-name")})
	require.NoError(t, err)
	require.Equal(t, a.SID, inA.ChatServiceSID)
	// The same unique name is free in another service and in the default one.
	inB, err := c.Service(b.SID).Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("shared-name")})
	require.NoError(t, err)
	inDefault, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("shared-name")})
	require.NoError(t, err)
	require.Equal(t, conversationstest.DefaultServiceSID, inDefault.ChatServiceSID)

	// A conversation is only visible in its own service.
	_, err = c.Service(b.SID).Conversations.Fetch(ctx, inA.SID)
	apiErr(t, err, 404, 20404)
	_, err = c.Conversations.Fetch(ctx, inA.SID)
	apiErr(t, err, 404, 20404)
	_, err = c.Service(a.SID).Messages.Create(ctx, inB.SID, &cv.MessageCreateParams{Body: cv.Ptr("x")})
	apiErr(t, err, 404, 20404)
	got, err := c.Service(b.SID).Conversations.Fetch(ctx, "shared-name")
	require.NoError(t, err)
	require.Equal(t, inB.SID, got.SID)
	// The default service is also reachable with its SID.
	got, err = c.Service(conversationstest.DefaultServiceSID).Conversations.Fetch(ctx, "shared-name")
	require.NoError(t, err)
	require.Equal(t, inDefault.SID, got.SID)
	require.Len(t, all(t, c.Service(a.SID).Conversations.All(ctx, nil)), 1)
	require.Len(t, all(t, c.Conversations.All(ctx, nil)), 1)

	// Users and roles are per service too.
	_, err = c.Service(a.SID).Users.Create(ctx, &cv.UserCreateParams{Identity: "alice"})
	require.NoError(t, err)
	_, err = c.Service(b.SID).Users.Create(ctx, &cv.UserCreateParams{Identity: "alice"})
	require.NoError(t, err)
	_, err = c.Users.Fetch(ctx, "alice")
	apiErr(t, err, 404, 20404)

	// An unknown service is a 404.
	_, err = c.Service("IS99999999999999999999999999999999").Conversations.List(ctx, nil)
	apiErr(t, err, 404, 20404)

	// Deleting a service deletes what it holds.
	require.NoError(t, c.Services.Delete(ctx, a.SID))
	_, err = c.Service(a.SID).Conversations.Fetch(ctx, inA.SID)
	apiErr(t, err, 404, 20404)
}

func TestDefaultServiceFollowsConfiguration(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	svc, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "new default"})
	require.NoError(t, err)

	err = c.Services.Delete(ctx, conversationstest.DefaultServiceSID)
	apiErr(t, err, 400, 400)

	conf, err := c.Configuration.Update(ctx, &cv.ConfigurationUpdateParams{DefaultChatServiceSID: cv.Ptr(svc.SID)})
	require.NoError(t, err)
	require.Equal(t, svc.SID, conf.DefaultChatServiceSID)
	require.Equal(t, svc.SID, srv.DefaultServiceSID())
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, svc.SID, conv.ChatServiceSID, "/v1/Conversations now addresses the new default service")
	require.NoError(t, c.Services.Delete(ctx, conversationstest.DefaultServiceSID), "the old default can go now")

	_, err = c.Configuration.Update(ctx, &cv.ConfigurationUpdateParams{DefaultChatServiceSID: cv.Ptr("IS99999999999999999999999999999999")})
	apiErr(t, err, 400, 400)
}

func TestCascadeDeleteOfConversation(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("doomed")})
	require.NoError(t, err)
	p, err := c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15550001111"), MessagingBindingProxyAddress: cv.Ptr("+15550002222")})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err)
	m, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("alice"), Body: cv.Ptr("hi")})
	require.NoError(t, err)
	receipts := all(t, c.Receipts.All(ctx, conv.SID, m.SID, nil))
	require.Len(t, receipts, 1)
	wh, err := c.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{Target: cv.WebhookTargetStudio, ConfigurationFlowSID: cv.Ptr("FW00000000000000000000000000000000")})
	require.NoError(t, err)

	require.NoError(t, c.Conversations.Delete(ctx, "doomed"))
	_, err = c.Messages.Fetch(ctx, conv.SID, m.SID)
	apiErr(t, err, 404, 20404)
	_, err = c.Participants.Fetch(ctx, conv.SID, p.SID)
	apiErr(t, err, 404, 20404)
	_, err = c.Webhooks.Fetch(ctx, conv.SID, wh.SID)
	apiErr(t, err, 404, 20404)
	require.Error(t, srv.SetReceiptStatus(receipts[0].SID, "delivered", 0), "receipts went with their message")
	require.Empty(t, all(t, c.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Identity: cv.Ptr("alice")})))
	require.Empty(t, all(t, c.UserConversations.All(ctx, "alice", nil)))
	_, err = c.Users.Fetch(ctx, "alice")
	require.NoError(t, err, "the user outlives the conversation")

	// The address pair is free again.
	conv2, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("doomed")})
	require.NoError(t, err, "the unique name is free again")
	_, err = c.Participants.Create(ctx, conv2.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15550001111"), MessagingBindingProxyAddress: cv.Ptr("+15550002222")})
	require.NoError(t, err)
}

func TestDuplicates(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("one")})
	require.NoError(t, err)
	_, err = c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("one")})
	apiErr(t, err, 409, 50353)
	other, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("two")})
	require.NoError(t, err)
	_, err = c.Conversations.Update(ctx, other.SID, &cv.ConversationUpdateParams{UniqueName: cv.Ptr("one")})
	apiErr(t, err, 409, 50353)
	_, err = c.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{UniqueName: cv.Ptr("one")})
	require.NoError(t, err, "keeping its own name is fine")
	_, err = c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("CH0123456789abcdef0123456789abcdef")})
	apiErr(t, err, 400, 50390)

	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	apiErr(t, err, 409, 50433)
	_, err = c.Participants.Create(ctx, other.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err, "identity is unique within a conversation only")

	sms := &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15558675310"), MessagingBindingProxyAddress: cv.Ptr("+15017122661")}
	_, err = c.Participants.Create(ctx, conv.SID, sms)
	require.NoError(t, err)
	e := apiErr(t, errOf(c.Participants.Create(ctx, other.SID, sms)), 409, 50416)
	require.Contains(t, e.Message, conv.SID, "the error names the conversation holding the binding")
	_, err = c.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{State: cv.Ptr(cv.ConversationStateClosed)})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, other.SID, sms)
	require.NoError(t, err, "a closed conversation releases its bindings")

	_, err = c.Users.Create(ctx, &cv.UserCreateParams{Identity: "bob"})
	require.NoError(t, err)
	_, err = c.Users.Create(ctx, &cv.UserCreateParams{Identity: "bob"})
	apiErr(t, err, 409, 50201)
	_, err = c.Users.Create(ctx, &cv.UserCreateParams{Identity: "alice"})
	apiErr(t, err, 409, 50201) // alice was created with her participant
	_, err = c.Users.Create(ctx, &cv.UserCreateParams{Identity: "US0123456789abcdef0123456789abcdef"})
	apiErr(t, err, 400, 50206)
}

func errOf[T any](_ T, err error) error { return err }

func TestParticipantRules(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)

	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{})
	apiErr(t, err, 400, 20001)
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15550001111")})
	apiErr(t, err, 400, 20001)

	wa, err := c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("whatsapp:+15550001111"), MessagingBindingProxyAddress: cv.Ptr("whatsapp:+15017122661")})
	require.NoError(t, err)
	require.Equal(t, "whatsapp", wa.MessagingBinding.Type)
	require.Empty(t, wa.Identity)

	// Group MMS: a chat participant with a projected address.
	gm, err := c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("agent"), MessagingBindingProjectedAddress: cv.Ptr("+15017122661")})
	require.NoError(t, err)
	require.Equal(t, "+15017122661", gm.MessagingBinding.ProjectedAddress)

	// Fetch, update and delete by identity.
	p, err := c.Participants.Fetch(ctx, conv.SID, "agent")
	require.NoError(t, err)
	require.Equal(t, gm.SID, p.SID)
	srv.Advance(time.Second)
	p, err = c.Participants.Update(ctx, conv.SID, "agent", &cv.ParticipantUpdateParams{LastReadMessageIndex: cv.Set(3), LastReadTimestamp: cv.Ptr(time.Date(2024, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)))})
	require.NoError(t, err)
	require.Equal(t, 3, *p.LastReadMessageIndex)
	require.Equal(t, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), *p.LastReadTimestamp)
	p, err = c.Participants.Update(ctx, conv.SID, "agent", &cv.ParticipantUpdateParams{MessagingBindingProjectedAddress: cv.Null[string]()})
	require.NoError(t, err)
	require.Nil(t, p.MessagingBinding, "Null[string]() removes the projected address, the chat participant's only binding")
	p, err = c.Participants.Update(ctx, conv.SID, "agent", &cv.ParticipantUpdateParams{MessagingBindingProjectedAddress: cv.Set("+15017122661")})
	require.NoError(t, err)
	require.Equal(t, "+15017122661", p.MessagingBinding.ProjectedAddress)
	require.True(t, p.DateUpdated.After(p.DateCreated))
	_, err = c.Participants.Update(ctx, conv.SID, "agent", &cv.ParticipantUpdateParams{Identity: cv.Ptr("other")})
	apiErr(t, err, 400, 50444)
	require.NoError(t, c.Participants.Delete(ctx, conv.SID, "agent"))
	require.Len(t, all(t, c.Participants.All(ctx, conv.SID, nil)), 1)

	// ParticipantConversations takes Identity or Address, not both: the SDK
	// refuses before sending, and the fake answers raw requests with 50451.
	_, err = c.ParticipantConversations.List(ctx, &cv.ParticipantConversationListParams{Identity: cv.Ptr("a"), Address: cv.Ptr("b")})
	require.True(t, cv.IsValidation(err), "%v", err)
	status, body := raw(t, srv, "GET", "/v1/ParticipantConversations?Identity=a&Address=b", nil)
	require.Equal(t, 400, status)
	require.EqualValues(t, 50451, body["code"])
	pcs := all(t, c.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Address: cv.Ptr("whatsapp:+15550001111")}))
	require.Len(t, pcs, 1)
	require.Equal(t, conv.SID, pcs[0].ConversationSID)
	require.Equal(t, "whatsapp", pcs[0].ParticipantMessagingBinding.Type)
}

func TestMessagesIndexReceiptsAndDelivery(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)))
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	alice, err := c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err)
	sms1, err := c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15550000001"), MessagingBindingProxyAddress: cv.Ptr("+15017122661")})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15550000002"), MessagingBindingProxyAddress: cv.Ptr("+15017122661")})
	require.NoError(t, err)

	m0, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("alice"), Body: cv.Ptr("one")})
	require.NoError(t, err)
	require.Equal(t, alice.SID, m0.ParticipantSID)
	require.Equal(t, cv.MessageDelivery{Total: 2, Sent: "all", Delivered: "none", Read: "none", Failed: "none", Undelivered: "none"}, *m0.Delivery)
	receipts := all(t, c.Receipts.All(ctx, conv.SID, m0.SID, nil))
	require.Len(t, receipts, 2)
	require.Regexp(t, `^DY[0-9a-f]{32}$`, receipts[0].SID)
	require.Regexp(t, `^SM[0-9a-f]{32}$`, receipts[0].ChannelMessageSID)

	require.NoError(t, srv.SetReceiptStatus(receipts[0].SID, "read", 0))
	require.NoError(t, srv.SetReceiptStatus(receipts[1].SID, "failed", 30008))
	require.Error(t, srv.SetReceiptStatus(receipts[1].SID, "lost", 0))
	m, err := c.Messages.Fetch(ctx, conv.SID, m0.SID)
	require.NoError(t, err)
	require.Equal(t, cv.MessageDelivery{Total: 2, Sent: "some", Delivered: "some", Read: "some", Failed: "some", Undelivered: "none"}, *m.Delivery)
	r, err := c.Receipts.Fetch(ctx, conv.SID, m0.SID, receipts[1].SID)
	require.NoError(t, err)
	require.Equal(t, cv.ReceiptStatusFailed, r.Status)
	require.Equal(t, 30008, r.ErrorCode)

	// An SMS author gets no receipt for its own message; a chat-only
	// conversation has no delivery summary.
	m1, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("+15550000001"), Body: cv.Ptr("two")})
	require.NoError(t, err)
	require.Equal(t, sms1.SID, m1.ParticipantSID)
	require.Equal(t, 1, m1.Delivery.Total)
	chatOnly, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	up, err := c.Media.Upload(ctx, &cv.MediaUploadParams{ContentType: "image/png", Body: bytes.NewReader([]byte("png"))})
	require.NoError(t, err)
	cm, err := c.Messages.Create(ctx, chatOnly.SID, &cv.MessageCreateParams{Body: cv.Ptr("x"), MediaSID: cv.Ptr(up.SID)})
	require.NoError(t, err)
	require.Nil(t, cm.Delivery)
	require.Len(t, cm.Media, 1)
	require.Equal(t, up.SID, cm.Media[0].SID)
	require.Equal(t, 0, cm.Index, "indexes count per conversation")

	// Indexes keep increasing after a delete.
	require.NoError(t, c.Messages.Delete(ctx, conv.SID, m1.SID))
	m2, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("three")})
	require.NoError(t, err)
	require.Equal(t, 2, m2.Index)

	// date_updated moves on update; the creation date can be set.
	srv.Advance(3 * time.Second)
	when := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	upd, err := c.Messages.Update(ctx, conv.SID, m2.SID, &cv.MessageUpdateParams{Body: cv.Ptr("3"), DateCreated: &when})
	require.NoError(t, err)
	require.Equal(t, when, upd.DateCreated)
	require.Equal(t, m2.DateUpdated.Add(3*time.Second), upd.DateUpdated)
}

func TestStateTimers(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t, conversationstest.WithManualClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)))
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{TimersInactive: cv.Ptr("PT5M"), TimersClosed: cv.Ptr("PT1H")})
	require.NoError(t, err)
	require.Equal(t, conv.DateCreated.Add(5*time.Minute), conv.Timers.DateInactive)
	require.Equal(t, conv.DateCreated.Add(time.Hour), conv.Timers.DateClosed)

	srv.Advance(6 * time.Minute)
	got, err := c.Conversations.Fetch(ctx, conv.SID)
	require.NoError(t, err)
	require.Equal(t, cv.ConversationStateInactive, got.State)
	require.Equal(t, conv.Timers.DateInactive, got.DateUpdated)
	inactive := all(t, c.Conversations.All(ctx, &cv.ConversationListParams{State: cv.Ptr(cv.ConversationStateInactive)}))
	require.Len(t, inactive, 1)

	// A new message makes it active again and restarts the timers.
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("wake up")})
	require.NoError(t, err)
	got, err = c.Conversations.Fetch(ctx, conv.SID)
	require.NoError(t, err)
	require.Equal(t, cv.ConversationStateActive, got.State)
	require.Equal(t, srv.Now().Add(time.Hour), got.Timers.DateClosed)

	srv.Advance(2 * time.Hour)
	got, err = c.Conversations.Fetch(ctx, conv.SID)
	require.NoError(t, err)
	require.Equal(t, cv.ConversationStateClosed, got.State)

	// A closed conversation is final.
	_, err = c.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{State: cv.Ptr(cv.ConversationStateActive)})
	apiErr(t, err, 400, 50377)
	_, err = c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("too late")})
	apiErr(t, err, 400, 50377)
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("late")})
	apiErr(t, err, 400, 50377)
	require.NoError(t, c.Conversations.Delete(ctx, conv.SID), "it can still be deleted")

	// Account defaults apply to new conversations.
	_, err = c.Configuration.Update(ctx, &cv.ConfigurationUpdateParams{DefaultClosedTimer: cv.Ptr("PT10M")})
	require.NoError(t, err)
	d, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, d.DateCreated.Add(10*time.Minute), d.Timers.DateClosed)
	require.True(t, d.Timers.DateInactive.IsZero())
}

func TestConversationWithParticipantsIsAtomic(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	_, err := c.Conversations.CreateWithParticipants(ctx, &cv.ConversationWithParticipantsCreateParams{ConversationCreateParams: cv.ConversationCreateParams{UniqueName: cv.Ptr("group")}, Participants: cv.InitialParticipants{{Identity: "a"}, {Identity: "a"}}})
	apiErr(t, err, 409, 50433)
	_, err = c.Conversations.Fetch(ctx, "group")
	apiErr(t, err, 404, 20404)
	require.Empty(t, all(t, c.Users.All(ctx, nil)), "nothing was created")

	status, body := raw(t, srv, "POST", "/v1/ConversationWithParticipants", url.Values{"Participant": {`not json`}})
	twilioError(t, status, body, 400, 400)

	cwp, err := c.Conversations.CreateWithParticipants(ctx, &cv.ConversationWithParticipantsCreateParams{ConversationCreateParams: cv.ConversationCreateParams{UniqueName: cv.Ptr("group")}, Participants: cv.InitialParticipants{
		{Identity: "a", Attributes: `{"role":"lead"}`},
		{MessagingBindingAddress: "+15550000001", MessagingBindingProxyAddress: "+15017122661"},
	}})
	require.NoError(t, err)
	require.NotContains(t, cwp.Links, "export")
	ps := all(t, c.Participants.All(ctx, cwp.SID, nil))
	require.Len(t, ps, 2)
	require.JSONEq(t, `{"role":"lead"}`, ps[0].Attributes)
	require.Equal(t, "+15550000001", ps[1].MessagingBinding.Address)
}

func TestUsersAndUserConversations(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	u, err := c.Users.Create(ctx, &cv.UserCreateParams{Identity: "alice@example.com", Attributes: cv.Ptr(`{"tier":1}`)})
	require.NoError(t, err)
	require.False(t, *u.IsNotifiable)
	got, err := c.Users.Fetch(ctx, "alice@example.com")
	require.NoError(t, err)
	require.Equal(t, u.SID, got.SID)
	users := all(t, c.Users.All(ctx, nil))
	require.Nil(t, users[0].IsOnline, "lists do not know is_online")

	_, err = srv.AddBinding(conversationstest.DefaultServiceSID, conversationstest.BindingSpec{Identity: "alice@example.com", BindingType: "apn"})
	require.NoError(t, err)
	got, err = c.Users.Fetch(ctx, u.SID)
	require.NoError(t, err)
	require.True(t, *got.IsNotifiable)

	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("c1"), FriendlyName: cv.Ptr("First")})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice@example.com")})
	require.NoError(t, err)
	uc, err := c.UserConversations.Fetch(ctx, "alice@example.com", conv.SID)
	require.NoError(t, err)
	require.Equal(t, "First", uc.FriendlyName)
	require.Equal(t, cv.UserConversationNotificationLevelDefault, uc.NotificationLevel)
	require.Nil(t, uc.UnreadMessagesCount)
	require.Equal(t, srv.URL+"/v1/Conversations/"+conv.SID, uc.Links["conversation"])

	ts := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	_, err = c.UserConversations.Update(ctx, u.SID, conv.SID, &cv.UserConversationUpdateParams{LastReadTimestamp: &ts})
	require.NoError(t, err)
	p, err := c.Participants.Fetch(ctx, conv.SID, "alice@example.com")
	require.NoError(t, err)
	require.Equal(t, ts, *p.LastReadTimestamp, "a user conversation is the user's participant")

	other, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	_, err = c.UserConversations.Fetch(ctx, u.SID, other.SID)
	apiErr(t, err, 404, 20404)

	// Deleting the user removes it from its conversations.
	require.NoError(t, c.Users.Delete(ctx, u.SID))
	require.Empty(t, all(t, c.Participants.All(ctx, conv.SID, nil)))
	_, err = c.UserConversations.List(ctx, u.SID, nil)
	apiErr(t, err, 404, 20404)
}

func TestWebhookTargetsNeedTheirConfiguration(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	_, err = c.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{Target: cv.WebhookTargetWebhook})
	apiErr(t, err, 400, 20001)
	_, err = c.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{Target: cv.WebhookTargetStudio})
	apiErr(t, err, 400, 20001)
	w, err := c.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{Target: cv.WebhookTargetTrigger, ConfigurationURL: cv.Ptr("https://example.com"), ConfigurationTriggers: []string{"help", "stop"}, ConfigurationReplayAfter: cv.Ptr(3)})
	require.NoError(t, err)
	require.Equal(t, []string{"help", "stop"}, w.Configuration.Triggers)
	require.Equal(t, 3, *w.Configuration.ReplayAfter)
	status, body := raw(t, srv, "POST", "/v1/Conversations/"+conv.SID+"/Webhooks", url.Values{"Target": {"carrier-pigeon"}})
	twilioError(t, status, body, 400, 400)
}

func TestAddressingWithSpecialCharacters(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	name := "team/support + sales@example.com?x=1#frag"
	conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr(name)})
	require.NoError(t, err)
	got, err := c.Conversations.Fetch(ctx, name)
	require.NoError(t, err)
	require.Equal(t, conv.SID, got.SID)
	identity := "user/1+alice@example.com"
	_, err = c.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr(identity)})
	require.NoError(t, err)
	u, err := c.Users.Fetch(ctx, identity)
	require.NoError(t, err)
	require.Equal(t, identity, u.Identity)
	ucs := all(t, c.UserConversations.All(ctx, identity, &cv.UserConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(1)}}))
	require.Len(t, ucs, 1)
	require.Equal(t, name, ucs[0].UniqueName)
	require.NoError(t, c.Participants.Delete(ctx, conv.SID, identity))
	require.NoError(t, c.Conversations.Delete(ctx, name))
}

// Removing a participant or its conversation, or moving it to another
// proxy address, releases its address/proxy-address binding.
func TestBindingReleased(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	sms := &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15558675310"), MessagingBindingProxyAddress: cv.Ptr("+15017122661")}
	newConv := func() string {
		conv, err := c.Conversations.Create(ctx, nil)
		require.NoError(t, err)
		return conv.SID
	}
	a, b := newConv(), newConv()
	p, err := c.Participants.Create(ctx, a, sms)
	require.NoError(t, err)
	apiErr(t, errOf(c.Participants.Create(ctx, b, sms)), 409, 50416)

	require.NoError(t, c.Participants.Delete(ctx, a, p.SID))
	_, err = c.Participants.Create(ctx, b, sms)
	require.NoError(t, err, "a deleted participant releases its binding")

	require.NoError(t, c.Conversations.Delete(ctx, b))
	p, err = c.Participants.Create(ctx, a, sms)
	require.NoError(t, err, "a deleted conversation releases its bindings")

	_, err = c.Participants.Update(ctx, a, p.SID, &cv.ParticipantUpdateParams{MessagingBindingProxyAddress: cv.Set("+15017122662")})
	require.NoError(t, err)
	c2 := newConv()
	_, err = c.Participants.Create(ctx, c2, sms)
	require.NoError(t, err, "a participant moved to another proxy address releases the old pair")
	apiErr(t, errOf(c.Participants.Create(ctx, c2, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15558675310"), MessagingBindingProxyAddress: cv.Ptr("+15017122662")})), 409, 50416)
}
