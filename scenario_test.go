package conversations_test

import (
	"context"
	"iter"
	"regexp"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/stretchr/testify/require"
)

// The scenario calls every method of the SDK, in both scopes, with
// realistic values: it creates resources, then fetches, updates, lists and
// deletes them using the SIDs the creates returned. The same scenario runs
// against three servers:
//   - the spec-example transport of the coverage test (TestCoverage), which
//     records the operations it reaches;
//   - Stoplight Prism serving Twilio's spec (the contract suite, -tags contract);
//   - the in-memory fake of package conversationstest.
// It asserts no error, the key fields of every result, and that All yields
// the items List returned.

var sidPattern = regexp.MustCompile(`^[A-Z]{2}[0-9a-fA-F]{32}$`)

// scenario holds what one run needs.
type scenario struct {
	t   *testing.T
	ctx context.Context
	c   *cv.Client
	// seedBinding, when set, makes a push binding exist in the service and
	// returns nothing; servers that have bindings already (Prism) leave it
	// nil. Bindings cannot be created through the REST API.
	seedBinding func(serviceSID string)
}

// sid checks that v looks like a SID with the given prefix.
func (s *scenario) sid(what, prefix, v string) string {
	s.t.Helper()
	require.Regexp(s.t, sidPattern, v, "%s SID", what)
	require.Equal(s.t, prefix, v[:2], "%s SID prefix", what)
	return v
}

// ok fails the test on err, naming the call.
func (s *scenario) ok(call string, err error) {
	s.t.Helper()
	require.NoError(s.t, err, call)
}

// collect ranges over an All iterator and returns its items.
func collect[T any](s *scenario, call string, seq iter.Seq2[*T, error]) []*T {
	s.t.Helper()
	var out []*T
	for v, err := range seq {
		s.ok(call, err)
		out = append(out, v)
	}
	return out
}

// sameItems checks that All yielded exactly the items of the first page
// List returned (the servers here answer with a single page).
func sameItems[T any](s *scenario, call string, page *cv.Page[T], all []*T) {
	s.t.Helper()
	require.NotNil(s.t, page, call)
	require.Len(s.t, all, len(page.Items), "%s: All and List disagree", call)
	for i := range all {
		require.Equal(s.t, page.Items[i], *all[i], "%s item %d", call, i)
	}
}

// scopeServices is the set of scoped services of one scope.
type scopeServices struct {
	name      string
	serviceID string // empty for the account scope
	s         *cv.Scope
}

func (s *scenario) run() {
	t, ctx, c := s.t, s.ctx, s.c

	svc, err := c.Services.Create(ctx, &cv.ChatServiceCreateParams{FriendlyName: "contract service"})
	s.ok("Services.Create", err)
	s.sid("service", "IS", svc.SID)

	s.accountOnly()

	scopes := []scopeServices{
		{name: "account", s: c.DefaultScope()},
		{name: "service", serviceID: svc.SID, s: &c.Service(svc.SID).Scope},
	}
	for _, sc := range scopes {
		t.Run(sc.name, func(t *testing.T) {
			sub := *s
			sub.t = t
			sub.scoped(sc)
		})
	}
	t.Run("service-only", func(t *testing.T) {
		sub := *s
		sub.t = t
		sub.serviceOnly(svc.SID)
	})

	got, err := c.Services.Fetch(ctx, svc.SID)
	s.ok("Services.Fetch", err)
	require.Equal(t, svc.SID, got.SID)
	page, err := c.Services.List(ctx, &cv.ChatServiceListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Services.List", err)
	require.NotEmpty(t, page.Items)
	sameItems(s, "Services.All", page, collect(s, "Services.All", c.Services.All(ctx, &cv.ChatServiceListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))
	s.ok("Services.Delete", c.Services.Delete(ctx, svc.SID))
}

func (s *scenario) accountOnly() {
	t, ctx, c := s.t, s.ctx, s.c

	// Credentials.
	cred, err := c.Credentials.Create(ctx, &cv.CredentialCreateParams{
		Type: cv.CredentialTypeFCM, FriendlyName: cv.Ptr("contract push"), Secret: cv.Ptr("fcm-server-key"),
	})
	s.ok("Credentials.Create", err)
	s.sid("credential", "CR", cred.SID)
	got, err := c.Credentials.Fetch(ctx, cred.SID)
	s.ok("Credentials.Fetch", err)
	require.Equal(t, cred.SID, got.SID)
	_, err = c.Credentials.Update(ctx, cred.SID, &cv.CredentialUpdateParams{FriendlyName: cv.Ptr("renamed"), Sandbox: cv.Ptr(false)})
	s.ok("Credentials.Update", err)
	cpage, err := c.Credentials.List(ctx, &cv.CredentialListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(20)}})
	s.ok("Credentials.List", err)
	require.NotEmpty(t, cpage.Items)
	sameItems(s, "Credentials.All", cpage, collect(s, "Credentials.All", c.Credentials.All(ctx, &cv.CredentialListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(20)}})))
	s.ok("Credentials.Delete", c.Credentials.Delete(ctx, cred.SID))

	// Account configuration.
	conf, err := c.Configuration.Fetch(ctx)
	s.ok("Configuration.Fetch", err)
	s.sid("configuration account", "AC", conf.AccountSID)
	conf, err = c.Configuration.Update(ctx, &cv.ConfigurationUpdateParams{DefaultInactiveTimer: cv.Ptr("PT1H"), DefaultClosedTimer: cv.Ptr("P1D")})
	s.ok("Configuration.Update", err)
	s.sid("configuration account", "AC", conf.AccountSID)
	wh, err := c.Configuration.FetchWebhook(ctx)
	s.ok("Configuration.FetchWebhook", err)
	s.sid("webhook configuration account", "AC", wh.AccountSID)
	_, err = c.Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{
		Method: cv.Ptr(cv.WebhookMethodPOST), Filters: []string{"onMessageAdded", "onConversationRemoved"},
		PreWebhookURL: cv.Ptr("https://example.com/pre"), PostWebhookURL: cv.Ptr("https://example.com/post"),
		Target: cv.Ptr(cv.WebhookConfigurationTargetWebhook),
	})
	s.ok("Configuration.UpdateWebhook", err)

	// Address configurations.
	addr, err := c.AddressConfigurations.Create(ctx, &cv.AddressConfigurationCreateParams{Type: cv.AddressConfigurationTypeSMS, Address: "+15017122661", FriendlyName: cv.Ptr("support line"), AutoCreationParams: cv.AutoCreationParams{Enabled: cv.Ptr(true), Type: cv.Ptr(cv.AddressConfigurationAutoCreationTypeWebhook), WebhookURL: cv.Ptr("https://example.com/auto"), WebhookMethod: cv.Ptr(cv.WebhookMethodPOST), WebhookFilters: []string{"onParticipantAdded", "onMessageAdded"}}})
	s.ok("AddressConfigurations.Create", err)
	s.sid("address configuration", "IG", addr.SID)
	a2, err := c.AddressConfigurations.Fetch(ctx, addr.SID)
	s.ok("AddressConfigurations.Fetch", err)
	require.Equal(t, addr.SID, a2.SID)
	_, err = c.AddressConfigurations.Update(ctx, addr.SID, &cv.AddressConfigurationUpdateParams{FriendlyName: cv.Ptr("renamed"), AutoCreationParams: cv.AutoCreationParams{Enabled: cv.Ptr(false)}})
	s.ok("AddressConfigurations.Update", err)
	apage, err := c.AddressConfigurations.List(ctx, &cv.AddressConfigurationListParams{Type: cv.Ptr(cv.AddressConfigurationTypeSMS)})
	s.ok("AddressConfigurations.List", err)
	require.NotEmpty(t, apage.Items)
	sameItems(s, "AddressConfigurations.All", apage, collect(s, "AddressConfigurations.All", c.AddressConfigurations.All(ctx, &cv.AddressConfigurationListParams{Type: cv.Ptr(cv.AddressConfigurationTypeSMS)})))
	s.ok("AddressConfigurations.Delete", c.AddressConfigurations.Delete(ctx, addr.SID))
}

func (s *scenario) scoped(sc scopeServices) {
	t, ctx, r := s.t, s.ctx, sc.s
	noHooks := cv.WithWebhookEnabled(false)
	created := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("CEST", 2*3600))

	// Conversations.
	conv, err := r.Conversations.Create(ctx, &cv.ConversationCreateParams{
		FriendlyName: cv.Ptr("Support #1234"), UniqueName: cv.Ptr("contract-" + sc.name),
		Attributes: cv.Ptr(`{"topic":"billing"}`), State: cv.Ptr(cv.ConversationStateActive),
		TimersInactive: cv.Ptr("PT1H"), TimersClosed: cv.Ptr("P1D"), DateCreated: &created,
	}, noHooks)
	s.ok("Conversations.Create", err)
	s.sid("conversation", "CH", conv.SID)
	if sc.serviceID != "" {
		require.Equal(t, sc.serviceID, conv.ChatServiceSID)
	}
	got, err := r.Conversations.Fetch(ctx, conv.SID)
	s.ok("Conversations.Fetch", err)
	require.Equal(t, conv.SID, got.SID)
	_, err = r.Conversations.Update(ctx, conv.SID, &cv.ConversationUpdateParams{FriendlyName: cv.Ptr("Support #1234 (vip)"), State: cv.Ptr(cv.ConversationStateActive)}, noHooks)
	s.ok("Conversations.Update", err)
	cpage, err := r.Conversations.List(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Conversations.List", err)
	require.NotEmpty(t, cpage.Items)
	sameItems(s, "Conversations.All", cpage, collect(s, "Conversations.All", r.Conversations.All(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))

	cwp, err := r.Conversations.CreateWithParticipants(ctx, &cv.ConversationWithParticipantsCreateParams{ConversationCreateParams: cv.ConversationCreateParams{FriendlyName: cv.Ptr("Group")}, Participants: cv.InitialParticipants{{Identity: "bob"}, {Identity: "carol"}}}, noHooks)
	s.ok("Conversations.CreateWithParticipants", err)
	s.sid("conversation with participants", "CH", cwp.SID)

	// Users and roles.
	user, err := r.Users.Create(ctx, &cv.UserCreateParams{Identity: "alice", FriendlyName: cv.Ptr("Alice"), Attributes: cv.Ptr(`{"tier":"gold"}`)}, noHooks)
	s.ok("Users.Create", err)
	s.sid("user", "US", user.SID)
	u2, err := r.Users.Fetch(ctx, user.SID)
	s.ok("Users.Fetch", err)
	require.Equal(t, user.SID, u2.SID)
	_, err = r.Users.Update(ctx, user.SID, &cv.UserUpdateParams{FriendlyName: cv.Ptr("Alice A.")}, noHooks)
	s.ok("Users.Update", err)
	upage, err := r.Users.List(ctx, &cv.UserListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Users.List", err)
	require.NotEmpty(t, upage.Items)
	sameItems(s, "Users.All", upage, collect(s, "Users.All", r.Users.All(ctx, &cv.UserListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))

	role, err := r.Roles.Create(ctx, &cv.RoleCreateParams{FriendlyName: "moderator", Type: cv.RoleTypeConversation, Permission: []string{"sendMessage", "leaveConversation"}})
	s.ok("Roles.Create", err)
	s.sid("role", "RL", role.SID)
	rl, err := r.Roles.Fetch(ctx, role.SID)
	s.ok("Roles.Fetch", err)
	require.Equal(t, role.SID, rl.SID)
	_, err = r.Roles.Update(ctx, role.SID, &cv.RoleUpdateParams{Permission: []string{"sendMessage", "editOwnMessage"}})
	s.ok("Roles.Update", err)
	rpage, err := r.Roles.List(ctx, &cv.RoleListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Roles.List", err)
	require.NotEmpty(t, rpage.Items)
	sameItems(s, "Roles.All", rpage, collect(s, "Roles.All", r.Roles.All(ctx, &cv.RoleListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))

	// Participants: a chat identity and an SMS address.
	chat, err := r.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice"), Attributes: cv.Ptr(`{"agent":true}`)}, noHooks)
	s.ok("Participants.Create (chat)", err)
	s.sid("participant", "MB", chat.SID)
	sms, err := r.Participants.Create(ctx, conv.SID, &cv.ParticipantCreateParams{
		MessagingBindingAddress: cv.Ptr("+15558675310"), MessagingBindingProxyAddress: cv.Ptr("+15017122661"),
	}, noHooks)
	s.ok("Participants.Create (sms)", err)
	s.sid("participant", "MB", sms.SID)
	p, err := r.Participants.Fetch(ctx, conv.SID, chat.SID)
	s.ok("Participants.Fetch", err)
	require.Equal(t, chat.SID, p.SID)
	_, err = r.Participants.Update(ctx, conv.SID, chat.SID, &cv.ParticipantUpdateParams{Attributes: cv.Ptr(`{"agent":false}`), LastReadMessageIndex: cv.Set(0)}, noHooks)
	s.ok("Participants.Update", err)
	ppage, err := r.Participants.List(ctx, conv.SID, &cv.ParticipantListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Participants.List", err)
	require.NotEmpty(t, ppage.Items)
	sameItems(s, "Participants.All", ppage, collect(s, "Participants.All", r.Participants.All(ctx, conv.SID, &cv.ParticipantListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))

	// Messages and their delivery receipts.
	msg, err := r.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Author: cv.Ptr("alice"), Body: cv.Ptr("Hello!"), Attributes: cv.Ptr(`{"importance":"high"}`)}, noHooks)
	s.ok("Messages.Create", err)
	s.sid("message", "IM", msg.SID)
	m2, err := r.Messages.Fetch(ctx, conv.SID, msg.SID)
	s.ok("Messages.Fetch", err)
	require.Equal(t, msg.SID, m2.SID)
	_, err = r.Messages.Update(ctx, conv.SID, msg.SID, &cv.MessageUpdateParams{Body: cv.Ptr("Hello again!")}, noHooks)
	s.ok("Messages.Update", err)
	mpage, err := r.Messages.List(ctx, conv.SID, &cv.MessageListParams{Order: cv.Ptr(cv.MessageOrderDesc), ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Messages.List", err)
	require.NotEmpty(t, mpage.Items)
	sameItems(s, "Messages.All", mpage, collect(s, "Messages.All", r.Messages.All(ctx, conv.SID, &cv.MessageListParams{Order: cv.Ptr(cv.MessageOrderDesc), ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))

	rcpage, err := r.Receipts.List(ctx, conv.SID, msg.SID, &cv.ReceiptListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("Receipts.List", err)
	require.NotEmpty(t, rcpage.Items, "a message to an SMS participant has a delivery receipt")
	rc, err := r.Receipts.Fetch(ctx, conv.SID, msg.SID, rcpage.Items[0].SID)
	s.ok("Receipts.Fetch", err)
	s.sid("receipt", "DY", rc.SID)
	sameItems(s, "Receipts.All", rcpage, collect(s, "Receipts.All", r.Receipts.All(ctx, conv.SID, msg.SID, &cv.ReceiptListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))

	// Conversation-scoped webhooks.
	wh, err := r.Webhooks.Create(ctx, conv.SID, &cv.WebhookCreateParams{
		Target: cv.WebhookTargetWebhook, ConfigurationURL: cv.Ptr("https://example.com/hook"),
		ConfigurationMethod: cv.Ptr(cv.WebhookMethodPOST), ConfigurationFilters: []string{"onMessageAdded", "onParticipantAdded"},
	})
	s.ok("Webhooks.Create", err)
	s.sid("webhook", "WH", wh.SID)
	w2, err := r.Webhooks.Fetch(ctx, conv.SID, wh.SID)
	s.ok("Webhooks.Fetch", err)
	require.Equal(t, wh.SID, w2.SID)
	_, err = r.Webhooks.Update(ctx, conv.SID, wh.SID, &cv.WebhookUpdateParams{ConfigurationFilters: []string{"onMessageUpdated"}})
	s.ok("Webhooks.Update", err)
	wpage, err := r.Webhooks.List(ctx, conv.SID, &cv.WebhookListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(5)}})
	s.ok("Webhooks.List", err)
	require.NotEmpty(t, wpage.Items)
	sameItems(s, "Webhooks.All", wpage, collect(s, "Webhooks.All", r.Webhooks.All(ctx, conv.SID, &cv.WebhookListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(5)}})))

	// Participant conversations, by identity and by address.
	pcpage, err := r.ParticipantConversations.List(ctx, &cv.ParticipantConversationListParams{Identity: cv.Ptr("alice")})
	s.ok("ParticipantConversations.List", err)
	require.NotEmpty(t, pcpage.Items)
	sameItems(s, "ParticipantConversations.All", pcpage, collect(s, "ParticipantConversations.All", r.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Identity: cv.Ptr("alice")})))
	byAddr := collect(s, "ParticipantConversations.All (address)", r.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Address: cv.Ptr("+15558675310")}))
	require.NotEmpty(t, byAddr)

	// User conversations (alice is a participant of conv).
	ucpage, err := r.UserConversations.List(ctx, user.SID, &cv.UserConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})
	s.ok("UserConversations.List", err)
	require.NotEmpty(t, ucpage.Items)
	sameItems(s, "UserConversations.All", ucpage, collect(s, "UserConversations.All", r.UserConversations.All(ctx, user.SID, &cv.UserConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(50)}})))
	uc, err := r.UserConversations.Fetch(ctx, user.SID, conv.SID)
	s.ok("UserConversations.Fetch", err)
	s.sid("user conversation", "CH", uc.ConversationSID)
	_, err = r.UserConversations.Update(ctx, user.SID, conv.SID, &cv.UserConversationUpdateParams{
		NotificationLevel: cv.Ptr(cv.UserConversationNotificationLevelMuted), LastReadMessageIndex: cv.Set(0), LastReadTimestamp: &created,
	})
	s.ok("UserConversations.Update", err)

	// Clean up, children first.
	s.ok("Webhooks.Delete", r.Webhooks.Delete(ctx, conv.SID, wh.SID))
	s.ok("Messages.Delete", r.Messages.Delete(ctx, conv.SID, msg.SID, noHooks))
	s.ok("Participants.Delete", r.Participants.Delete(ctx, conv.SID, sms.SID, noHooks))
	s.ok("UserConversations.Delete", r.UserConversations.Delete(ctx, user.SID, conv.SID))
	s.ok("Roles.Delete", r.Roles.Delete(ctx, role.SID))
	s.ok("Users.Delete", r.Users.Delete(ctx, user.SID, noHooks))
	s.ok("Conversations.Delete", r.Conversations.Delete(ctx, conv.SID, noHooks))
	s.ok("Conversations.Delete (with participants)", r.Conversations.Delete(ctx, cwp.SID, noHooks))
}

func (s *scenario) serviceOnly(serviceSID string) {
	t, ctx := s.t, s.ctx
	r := s.c.Service(serviceSID)

	conf, err := r.Configuration.Fetch(ctx)
	s.ok("ServiceConfiguration.Fetch", err)
	s.sid("service configuration", "IS", conf.ChatServiceSID)
	_, err = r.Configuration.Update(ctx, &cv.ChatServiceConfigurationUpdateParams{ReachabilityEnabled: cv.Ptr(true)})
	s.ok("ServiceConfiguration.Update", err)
	n, err := r.Configuration.FetchNotification(ctx)
	s.ok("ServiceConfiguration.FetchNotification", err)
	s.sid("service notification", "IS", n.ChatServiceSID)
	_, err = r.Configuration.UpdateNotification(ctx, &cv.ChatServiceNotificationUpdateParams{
		LogEnabled: cv.Ptr(true), NewMessageEnabled: cv.Ptr(true), NewMessageTemplate: cv.Ptr("${PARTICIPANT}: ${MESSAGE}"),
		NewMessageBadgeCountEnabled: cv.Ptr(false), AddedToConversationEnabled: cv.Ptr(true),
	})
	s.ok("ServiceConfiguration.UpdateNotification", err)
	w, err := r.Configuration.FetchWebhook(ctx)
	s.ok("ServiceConfiguration.FetchWebhook", err)
	s.sid("service webhook configuration", "IS", w.ChatServiceSID)
	_, err = r.Configuration.UpdateWebhook(ctx, &cv.WebhookConfigurationUpdateParams{
		PreWebhookURL: cv.Ptr("https://example.com/pre"), Filters: []string{"onMessageAdd", "onMessageAdded"}, Method: cv.Ptr(cv.WebhookMethodPOST),
	})
	s.ok("ServiceConfiguration.UpdateWebhook", err)

	if s.seedBinding != nil {
		s.seedBinding(serviceSID)
	}
	params := &cv.BindingListParams{BindingType: []cv.BindingType{cv.BindingTypeAPN, cv.BindingTypeFCM}, Identity: []string{"alice", "bob"}}
	bpage, err := r.Bindings.List(ctx, params)
	s.ok("Bindings.List", err)
	require.NotEmpty(t, bpage.Items)
	sameItems(s, "Bindings.All", bpage, collect(s, "Bindings.All", r.Bindings.All(ctx, params)))
	b, err := r.Bindings.Fetch(ctx, bpage.Items[0].SID)
	s.ok("Bindings.Fetch", err)
	s.sid("binding", "BS", b.SID)
	s.ok("Bindings.Delete", r.Bindings.Delete(ctx, b.SID))
}

// rejectedBeforeSending is bad input that the SDK must refuse without a
// request: empty path SIDs, missing required params, out-of-range paging.
func rejectedBeforeSending(ctx context.Context, c *cv.Client) map[string]error {
	errs := map[string]error{}
	_, errs["Conversations.Fetch empty sid"] = c.Conversations.Fetch(ctx, "")
	_, errs["Service(\"\").Conversations.List"] = c.Service("").Conversations.List(ctx, nil)
	_, errs["Messages.Create empty conversation"] = c.Messages.Create(ctx, "", nil)
	_, errs["Receipts.Fetch empty message"] = c.Receipts.Fetch(ctx, "CH00000000000000000000000000000000", "", "DY00000000000000000000000000000000")
	_, errs["Roles.Create missing Permission"] = c.Roles.Create(ctx, &cv.RoleCreateParams{FriendlyName: "x", Type: cv.RoleTypeService})
	_, errs["Roles.Update missing Permission"] = c.Roles.Update(ctx, "RL00000000000000000000000000000000", &cv.RoleUpdateParams{})
	_, errs["Users.Create missing Identity"] = c.Users.Create(ctx, nil)
	_, errs["Services.Create missing FriendlyName"] = c.Services.Create(ctx, &cv.ChatServiceCreateParams{})
	_, errs["Credentials.Create missing Type"] = c.Credentials.Create(ctx, &cv.CredentialCreateParams{})
	_, errs["AddressConfigurations.Create missing Address"] = c.AddressConfigurations.Create(ctx, &cv.AddressConfigurationCreateParams{Type: cv.AddressConfigurationTypeSMS})
	_, errs["Webhooks.Create missing Target"] = c.Webhooks.Create(ctx, "CH00000000000000000000000000000000", &cv.WebhookCreateParams{})
	_, errs["Webhooks.List PageSize 6"] = c.Webhooks.List(ctx, "CH00000000000000000000000000000000", &cv.WebhookListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(6)}})
	errs["Users.Delete empty"] = c.Users.Delete(ctx, "")
	for _, err := range c.UserConversations.All(ctx, "", nil) {
		errs["UserConversations.All empty user"] = err
	}
	return errs
}

// checkRejected asserts every bad call failed with a *ValidationError.
func checkRejected(t *testing.T, errs map[string]error) {
	t.Helper()
	for name, err := range errs {
		var v *cv.ValidationError
		require.ErrorAs(t, err, &v, "%s: want a ValidationError, got %v", name, err)
	}
	require.Len(t, errs, 14, "bad-input cases")
}
