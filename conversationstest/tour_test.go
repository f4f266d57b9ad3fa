package conversationstest_test

import (
	"context"
	"iter"
	"sort"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

func all[T any](t testing.TB, seq iter.Seq2[*T, error]) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// TestTourEveryOperation calls all 103 operations through the SDK, in both
// scopes, checking every answer against the spec (strictClient) and the
// state the fake keeps between calls.
func TestTourEveryOperation(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c, st := strictClient(t, srv)

	// Account-level resources.
	cred, err := c.Credentials.Create(ctx, &cv.CredentialCreateParams{Type: cv.CredentialTypeAPN, FriendlyName: cv.Ptr("ios"), Sandbox: cv.Ptr(true), Certificate: cv.Ptr("CERT"), PrivateKey: cv.Ptr("KEY")})
	require.NoError(t, err)
	require.True(t, bool(cred.Sandbox))
	_, err = c.Credentials.Fetch(ctx, cred.SID)
	require.NoError(t, err)
	cred2, err := c.Credentials.Update(ctx, cred.SID, &cv.CredentialUpdateParams{Sandbox: cv.Ptr(false), FriendlyName: cv.Ptr("ios prod")})
	require.NoError(t, err)
	require.False(t, bool(cred2.Sandbox))
	require.Equal(t, "ios prod", cred2.FriendlyName)
	require.Len(t, all(t, c.Credentials.All(ctx, nil)), 1)
	_, err = c.Credentials.List(ctx, nil)
	require.NoError(t, err)
	require.NoError(t, c.Credentials.Delete(ctx, cred.SID))
	_, err = c.Credentials.Fetch(ctx, cred.SID)
	require.True(t, cv.IsNotFound(err))

	conf, err := c.Configuration.Fetch(ctx)
	require.NoError(t, err)
	require.Equal(t, conversationstest.DefaultServiceSID, conf.DefaultChatServiceSID)
	require.Equal(t, srv.URL+"/v1/Services/"+conversationstest.DefaultServiceSID+"/Configuration", conf.Links["service"])
	conf, err = c.Configuration.Update(ctx, &cv.ConfigurationUpdateParams{DefaultInactiveTimer: cv.Ptr("PT5M")})
	require.NoError(t, err)
	require.Equal(t, "PT5M", conf.DefaultInactiveTimer)
	_, err = c.Configuration.FetchWebhook(ctx)
	require.NoError(t, err)
	wh, err := c.Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{Method: cv.Ptr(cv.WebhookMethodGET), Filters: []string{"onMessageAdded"}, PostWebhookURL: cv.Ptr("https://example.com/post")})
	require.NoError(t, err)
	require.Equal(t, cv.WebhookMethodGET, wh.Method)
	require.Equal(t, []string{"onMessageAdded"}, wh.Filters)

	addr, err := c.AddressConfigurations.Create(ctx, &cv.AddressConfigurationCreateParams{Type: cv.AddressConfigurationTypeWhatsApp, Address: "whatsapp:+15017122661", AutoCreationParams: cv.AutoCreationParams{Enabled: cv.Ptr(true), WebhookMethod: cv.Ptr(cv.WebhookMethodPOST)}})
	require.NoError(t, err)
	require.True(t, addr.AutoCreation.Enabled)
	require.Equal(t, cv.WebhookMethodPOST, addr.AutoCreation.WebhookMethod)
	got, err := c.AddressConfigurations.Fetch(ctx, "whatsapp:+15017122661") // by address
	require.NoError(t, err)
	require.Equal(t, addr.SID, got.SID)
	_, err = c.AddressConfigurations.Update(ctx, addr.SID, &cv.AddressConfigurationUpdateParams{FriendlyName: cv.Ptr("wa")})
	require.NoError(t, err)
	_, err = c.AddressConfigurations.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all(t, c.AddressConfigurations.All(ctx, &cv.AddressConfigurationListParams{Type: cv.Ptr(cv.AddressConfigurationTypeSMS)})), 0)
	require.NoError(t, c.AddressConfigurations.Delete(ctx, addr.SID))

	svc, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "tour"})
	require.NoError(t, err)
	_, err = c.Services.Fetch(ctx, svc.SID)
	require.NoError(t, err)
	_, err = c.Services.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all(t, c.Services.All(ctx, nil)), 2, "the default service and ours")

	scopes := map[string]*cv.Scope{
		"account": c.DefaultScope(),
		"service": &c.Service(svc.SID).Scope,
	}
	names := []string{"account", "service"}
	for i, name := range names {
		r := scopes[name]
		sms := []string{"+15550000001", "+15550000002"}[i]
		t.Run(name, func(t *testing.T) { tourScope(t, srv, r, sms) })
	}

	// Service-only resources.
	s := c.Service(svc.SID)
	role, err := s.Roles.Create(ctx, &cv.RoleCreateParams{FriendlyName: "member", Type: cv.RoleTypeConversation, Permission: []string{"sendMessage"}})
	require.NoError(t, err)
	_, err = s.Configuration.Fetch(ctx)
	require.NoError(t, err)
	sc, err := s.Configuration.Update(ctx, &cv.ChatServiceConfigurationUpdateParams{DefaultConversationRoleSID: cv.Ptr(role.SID), ReachabilityEnabled: cv.Ptr(true)})
	require.NoError(t, err)
	require.Equal(t, role.SID, sc.DefaultConversationRoleSID)
	require.True(t, sc.ReachabilityEnabled)
	_, err = s.Configuration.FetchNotification(ctx)
	require.NoError(t, err)
	n, err := s.Configuration.UpdateNotification(ctx, &cv.ChatServiceNotificationUpdateParams{NewMessageEnabled: cv.Ptr(true), NewMessageWithMediaTemplate: cv.Ptr("media!")})
	require.NoError(t, err)
	require.True(t, n.NewMessage.Enabled)
	require.Equal(t, "media!", n.NewMessage.WithMedia.Template)
	_, err = s.Configuration.FetchWebhook(ctx)
	require.NoError(t, err)
	sw, err := s.Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{Method: cv.Ptr(cv.WebhookMethodPOST), Filters: []string{"onMessageAdd"}})
	require.NoError(t, err)
	require.Equal(t, cv.WebhookMethodPOST, sw.Method)

	bs, err := srv.AddBinding(svc.SID, conversationstest.BindingSpec{Identity: "alice", BindingType: "fcm"})
	require.NoError(t, err)
	_, err = srv.AddBinding(svc.SID, conversationstest.BindingSpec{Identity: "bob", BindingType: "apn"})
	require.NoError(t, err)
	page, err := s.Bindings.List(ctx, &cv.BindingListParams{BindingType: []cv.BindingType{cv.BindingTypeFCM}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, bs, page.Items[0].SID)
	require.Len(t, all(t, s.Bindings.All(ctx, &cv.BindingListParams{Identity: []string{"alice", "bob"}})), 2)
	b, err := s.Bindings.Fetch(ctx, bs)
	require.NoError(t, err)
	require.Equal(t, "alice", b.Identity)
	require.NoError(t, s.Bindings.Delete(ctx, bs))

	require.NoError(t, c.Services.Delete(ctx, svc.SID))
	_, err = c.Services.Fetch(ctx, svc.SID)
	require.True(t, cv.IsNotFound(err))

	// Every operation of the spec was reached, and answered as specified.
	var missing []string
	for _, op := range loadSpec(t) {
		if st.hits[op.ID] == 0 {
			missing = append(missing, op.ID)
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "operations the tour did not reach")
}

// tourScope runs the conversation-level operations of one scope.
func tourScope(t *testing.T, srv *conversationstest.Server, r *cv.Scope, smsAddress string) {
	ctx := context.Background()
	quiet := cv.WithWebhookEnabled(false)

	conv, err := r.Conversations.Create(ctx, &cv.ConversationCreateParams{FriendlyName: cv.Ptr("Support"), UniqueName: cv.Ptr("support-1"), TimersClosed: cv.Ptr("P1D")}, quiet)
	require.NoError(t, err)
	require.Equal(t, cv.ConversationStateActive, conv.State)
	require.Equal(t, "{}", conv.Attributes)
	require.False(t, conv.Timers.DateClosed.IsZero())
	byName, err := r.Conversations.Fetch(ctx, "support-1")
	require.NoError(t, err)
	require.Equal(t, conv.SID, byName.SID)
	srv.Advance(2 * time.Second)
	upd, err := r.Conversations.Update(ctx, "support-1", &cv.ConversationUpdateParams{Attributes: cv.Ptr(`{"vip":true}`)}, quiet)
	require.NoError(t, err)
	require.True(t, upd.DateUpdated.After(conv.DateUpdated), "date_updated moves on update")
	require.Equal(t, conv.DateCreated, upd.DateCreated)
	_, err = r.Conversations.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, all(t, r.Conversations.All(ctx, nil)))

	cwp, err := r.Conversations.CreateWithParticipants(ctx, &cv.ConversationWithParticipantsCreateParams{ConversationCreateParams: cv.ConversationCreateParams{FriendlyName: cv.Ptr("Group")}, Participants: cv.InitialParticipants{{Identity: "bob"}, {MessagingBindingAddress: smsAddress, MessagingBindingProxyAddress: "+15017122661"}}}, quiet)
	require.NoError(t, err)
	require.Len(t, all(t, r.Participants.All(ctx, cwp.SID, nil)), 2)

	u, err := r.Users.Create(ctx, &cv.UserCreateParams{Identity: "alice"}, quiet)
	require.NoError(t, err)
	_, err = r.Users.Fetch(ctx, "alice")
	require.NoError(t, err)
	_, err = r.Users.Update(ctx, u.SID, &cv.UserUpdateParams{FriendlyName: cv.Ptr("Alice")}, quiet)
	require.NoError(t, err)
	_, err = r.Users.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all(t, r.Users.All(ctx, nil)), 2, "alice, and bob created on the fly for his participant")

	role, err := r.Roles.Create(ctx, &cv.RoleCreateParams{FriendlyName: "agent", Type: cv.RoleTypeConversation, Permission: []string{"sendMessage", "leaveConversation"}})
	require.NoError(t, err)
	_, err = r.Roles.Fetch(ctx, role.SID)
	require.NoError(t, err)
	role, err = r.Roles.Update(ctx, role.SID, &cv.RoleUpdateParams{Permission: []string{"sendMessage"}})
	require.NoError(t, err)
	require.Equal(t, []string{"sendMessage"}, role.Permissions)
	_, err = r.Roles.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all(t, r.Roles.All(ctx, nil)), 1)

	chat, err := r.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice"), RoleSID: cv.Ptr(role.SID)}, quiet)
	require.NoError(t, err)
	require.Nil(t, chat.MessagingBinding)
	sms, err := r.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15558675310"), MessagingBindingProxyAddress: cv.Ptr("+15017122662")}, quiet)
	require.NoError(t, err)
	require.Equal(t, "sms", sms.MessagingBinding.Type)
	_, err = r.Participants.Fetch(ctx, conv.SID, "alice")
	require.NoError(t, err)
	_, err = r.Participants.Update(ctx, conv.SID, chat.SID, &cv.ParticipantUpdateParams{LastReadMessageIndex: cv.Set(0)}, quiet)
	require.NoError(t, err)
	_, err = r.Participants.List(ctx, conv.SID, nil)
	require.NoError(t, err)
	require.Len(t, all(t, r.Participants.All(ctx, conv.SID, nil)), 2)

	m0, err := r.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("alice"), Body: cv.Ptr("hi")}, quiet)
	require.NoError(t, err)
	require.Equal(t, 0, m0.Index)
	require.Equal(t, chat.SID, m0.ParticipantSID)
	require.NotNil(t, m0.Delivery)
	require.Equal(t, 1, m0.Delivery.Total)
	_, err = r.Messages.Create(ctx, "support-1", &cv.MessageCreateParams{Body: cv.Ptr("by unique name")}, quiet)
	require.True(t, cv.IsNotFound(err), "sub-resources take the conversation SID, not its unique name: %v", err)
	m1, err := r.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("system notice")}, quiet)
	require.NoError(t, err)
	require.Equal(t, 1, m1.Index)
	require.Equal(t, "system", m1.Author)
	_, err = r.Messages.Fetch(ctx, conv.SID, m0.SID)
	require.NoError(t, err)
	_, err = r.Messages.Update(ctx, conv.SID, m0.SID, &cv.MessageUpdateParams{Body: cv.Ptr("hello")}, quiet)
	require.NoError(t, err)
	_, err = r.Messages.List(ctx, conv.SID, nil)
	require.NoError(t, err)
	desc := all(t, r.Messages.All(ctx, conv.SID, &cv.MessageListParams{Order: cv.Ptr(cv.MessageOrderDesc)}))
	require.Equal(t, []int{1, 0}, []int{desc[0].Index, desc[1].Index})

	rpage, err := r.Receipts.List(ctx, conv.SID, m0.SID, nil)
	require.NoError(t, err)
	require.Len(t, rpage.Items, 1)
	require.Equal(t, sms.SID, rpage.Items[0].ParticipantSID)
	rc, err := r.Receipts.Fetch(ctx, conv.SID, m0.SID, rpage.Items[0].SID)
	require.NoError(t, err)
	require.Equal(t, cv.ReceiptStatusSent, rc.Status)
	require.Len(t, all(t, r.Receipts.All(ctx, conv.SID, m0.SID, nil)), 1)

	hook, err := r.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{Target: cv.WebhookTargetWebhook, ConfigurationURL: cv.Ptr("https://example.com/h"), ConfigurationFilters: []string{"onMessageAdded"}})
	require.NoError(t, err)
	_, err = r.Webhooks.Fetch(ctx, conv.SID, hook.SID)
	require.NoError(t, err)
	hook, err = r.Webhooks.Update(ctx, conv.SID, hook.SID, &cv.WebhookUpdateParams{ConfigurationMethod: cv.Ptr(cv.WebhookMethodGET)})
	require.NoError(t, err)
	require.Equal(t, cv.WebhookMethodGET, hook.Configuration.Method)
	_, err = r.Webhooks.List(ctx, conv.SID, nil)
	require.NoError(t, err)
	require.Len(t, all(t, r.Webhooks.All(ctx, conv.SID, nil)), 1)

	_, err = r.ParticipantConversations.List(ctx, &cv.ParticipantConversationListParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err)
	require.Len(t, all(t, r.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Address: cv.Ptr(smsAddress)})), 1)

	_, err = r.UserConversations.List(ctx, "alice", nil)
	require.NoError(t, err)
	require.Len(t, all(t, r.UserConversations.All(ctx, u.SID, nil)), 1)
	uc, err := r.UserConversations.Fetch(ctx, u.SID, conv.SID)
	require.NoError(t, err)
	require.Equal(t, 1, *uc.UnreadMessagesCount, "alice read index 0 of 0..1")
	uc, err = r.UserConversations.Update(ctx, "alice", conv.SID, &cv.UserConversationUpdateParams{NotificationLevel: cv.Ptr(cv.UserConversationNotificationLevelMuted), LastReadMessageIndex: cv.Set(1)})
	require.NoError(t, err)
	require.Equal(t, 0, *uc.UnreadMessagesCount)
	require.Equal(t, cv.UserConversationNotificationLevelMuted, uc.NotificationLevel)

	require.NoError(t, r.Webhooks.Delete(ctx, conv.SID, hook.SID))
	require.NoError(t, r.Messages.Delete(ctx, conv.SID, m1.SID, quiet))
	require.NoError(t, r.UserConversations.Delete(ctx, u.SID, conv.SID))
	require.NoError(t, r.Participants.Delete(ctx, conv.SID, sms.SID, quiet))
	require.NoError(t, r.Roles.Delete(ctx, role.SID))
	require.NoError(t, r.Users.Delete(ctx, "alice", quiet))
	require.NoError(t, r.Conversations.Delete(ctx, conv.SID, quiet))
	require.NoError(t, r.Conversations.Delete(ctx, cwp.SID, quiet))
}
