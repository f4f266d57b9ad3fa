package conversations_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// The examples run against conversationstest, the in-memory fake of the
// API, so that they need no account and no network. In an application the
// client comes from conversations.NewClient or NewClientFromEnv instead of
// srv.Client(). The fake's SIDs are random, so the examples print only
// their two-letter prefix.

// Authenticate with an API Key SID and its secret (preferred in production
// over the Account SID and Auth Token), in the Ireland region through the
// Dublin edge. Printing the client shows its base URL and username, never
// the secret.
func ExampleNewClient() {
	const (
		apiKeySID    = "SK0123456789abcdef0123456789abcdef" // made up
		apiKeySecret = "made-up-api-key-secret"
	)
	c, err := conversations.NewClient(apiKeySID, apiKeySecret,
		conversations.WithRegion("ie1"),
		conversations.WithEdge("dublin"),
		conversations.WithUserAgent("support-desk/1.2"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c)
	fmt.Println(strings.Contains(fmt.Sprintf("%#v %+v", c, c), apiKeySecret))
	// Output:
	// conversations.Client{base: https://conversations.dublin.ie1.twilio.com, username: SK0123456789abcdef0123456789abcdef}
	// false
}

// Service binds the same resource services to one Conversation Service:
// /v1/Services/{ChatServiceSid}/... instead of the account's default service.
func ExampleClient_Service() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	svc, err := c.Services.Create(ctx, &conversations.ChatServiceCreateParams{FriendlyName: "Support"})
	if err != nil {
		log.Fatal(err)
	}
	support := c.Service(svc.SID)

	conv, err := support.Conversations.Create(ctx, &conversations.ConversationCreateParams{
		UniqueName: conversations.Ptr("ticket-1234"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv.ChatServiceSID == svc.SID)

	// The conversation lives in the Support service only.
	inService, _ := support.Conversations.List(ctx, nil)
	inDefault, _ := c.Conversations.List(ctx, nil)
	fmt.Println(len(inService.Items), len(inDefault.Items))
	// Output:
	// true
	// 1 0
}

func ExampleConversationsService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, err := c.Conversations.Create(ctx, &conversations.ConversationCreateParams{
		FriendlyName:   conversations.Ptr("Support #1234"),
		UniqueName:     conversations.Ptr("support-1234"),
		TimersInactive: conversations.Ptr("PT1H"),
		TimersClosed:   conversations.Ptr("P7D"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv.SID[:2], conv.FriendlyName, conv.State)

	// The unique name can replace the SID in paths.
	same, err := c.Conversations.Fetch(ctx, "support-1234")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(same.SID == conv.SID)
	// Output:
	// CH Support #1234 active
	// true
}

// All fetches pages lazily as the loop needs them; here two per page.
func ExampleConversationsService_All() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	for _, name := range []string{"Billing", "Returns", "Shipping"} {
		if _, err := c.Conversations.Create(ctx, &conversations.ConversationCreateParams{FriendlyName: conversations.Ptr(name)}); err != nil {
			log.Fatal(err)
		}
	}

	for conv, err := range c.Conversations.All(ctx, &conversations.ConversationListParams{ListParams: conversations.ListParams{PageSize: conversations.Ptr(2)}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(conv.FriendlyName, conv.State)
	}
	// Output:
	// Billing active
	// Returns active
	// Shipping active
}

// Each participant is a JSON object with the Participant resource's
// parameters: a chat user by identity, an SMS user by address and proxy
// address.
func ExampleConversationsService_CreateWithParticipants() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, err := c.Conversations.CreateWithParticipants(ctx, &conversations.ConversationWithParticipantsCreateParams{ConversationCreateParams: conversations.ConversationCreateParams{FriendlyName: conversations.Ptr("Order 5678")}, Participants: conversations.InitialParticipants{
		{Identity: "agent-alice"},
		{MessagingBindingAddress: "+15558675310", MessagingBindingProxyAddress: "+15017122661"},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv.SID[:2], conv.FriendlyName)

	for p, err := range c.Participants.All(ctx, conv.SID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if p.MessagingBinding == nil {
			fmt.Println("chat:", p.Identity)
		} else {
			fmt.Println(p.MessagingBinding.Type+":", p.MessagingBinding.Address)
		}
	}
	// Output:
	// CH Order 5678
	// chat: agent-alice
	// sms: +15558675310
}

func ExampleMessagesService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, nil)
	if _, err := c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{Identity: conversations.Ptr("alice")}); err != nil {
		log.Fatal(err)
	}

	msg, err := c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{
		Author:     conversations.Ptr("alice"),
		Body:       conversations.Ptr("Hello! My order has not arrived."),
		Attributes: conversations.Ptr(`{"order":"5678"}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	// The message is linked to the participant whose identity is its author.
	fmt.Println(msg.SID[:2], msg.Index, msg.Author, msg.ParticipantSID[:2])
	fmt.Println(msg.Body)
	// Output:
	// IM 0 alice MB
	// Hello! My order has not arrived.
}

func ExampleMessagesService_All() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, nil)
	for _, body := range []string{"Hi", "Where is my order?", "It ships today."} {
		if _, err := c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr(body)}); err != nil {
			log.Fatal(err)
		}
	}

	// Newest first.
	order := conversations.MessageOrderDesc
	for msg, err := range c.Messages.All(ctx, conv.SID, &conversations.MessageListParams{Order: &order}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(msg.Index, msg.Author, msg.Body)
	}
	// Output:
	// 2 system It ships today.
	// 1 system Where is my order?
	// 0 system Hi
}

// Receipts exist for non-chat participants (SMS, WhatsApp, ...). The fake
// creates them as "sent"; srv.SetReceiptStatus plays the channel's delivery
// report.
func ExampleReceiptsService_List() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, nil)
	if _, err := c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{
		MessagingBindingAddress:      conversations.Ptr("+15558675310"),
		MessagingBindingProxyAddress: conversations.Ptr("+15017122661"),
	}); err != nil {
		log.Fatal(err)
	}
	msg, err := c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr("Your order shipped")})
	if err != nil {
		log.Fatal(err)
	}

	page, err := c.Receipts.List(ctx, conv.SID, msg.SID, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range page.Items {
		fmt.Println(r.SID[:2], r.ChannelMessageSID[:2], r.Status)
	}

	if err := srv.SetReceiptStatus(page.Items[0].SID, "delivered", 0); err != nil {
		log.Fatal(err)
	}
	r, err := c.Receipts.Fetch(ctx, conv.SID, msg.SID, page.Items[0].SID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Status)
	// Output:
	// DY SM sent
	// delivered
}

// A participant is either a chat user (Identity) or a non-chat address
// (MessagingBindingAddress plus the Twilio number it talks to).
func ExampleParticipantsService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, nil)

	chat, err := c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{
		Identity:   conversations.Ptr("agent-alice"),
		Attributes: conversations.Ptr(`{"team":"billing"}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(chat.SID[:2], chat.Identity, chat.MessagingBinding == nil)

	sms, err := c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{
		MessagingBindingAddress:      conversations.Ptr("+15558675310"),
		MessagingBindingProxyAddress: conversations.Ptr("+15017122661"),
	})
	if err != nil {
		log.Fatal(err)
	}
	b := sms.MessagingBinding
	fmt.Println(sms.SID[:2], b.Type, b.Address, b.ProxyAddress)

	// The same identity cannot join twice.
	_, err = c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{Identity: conversations.Ptr("agent-alice")})
	var apiErr *conversations.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Status, apiErr.Code, apiErr.Message)
	}
	// Output:
	// MB agent-alice true
	// MB sms +15558675310 +15017122661
	// 409 50433 Participant already exists
}

// List the conversations of one participant, by chat identity or by
// address (not both).
func ExampleParticipantConversationsService_All() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	for _, name := range []string{"Billing", "Returns"} {
		conv, _ := c.Conversations.Create(ctx, &conversations.ConversationCreateParams{FriendlyName: conversations.Ptr(name)})
		if _, err := c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{Identity: conversations.Ptr("alice")}); err != nil {
			log.Fatal(err)
		}
	}

	for pc, err := range c.ParticipantConversations.All(ctx, &conversations.ParticipantConversationListParams{
		Identity: conversations.Ptr("alice"),
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(pc.ParticipantIdentity, pc.ConversationFriendlyName, pc.ConversationState)
	}
	// Output:
	// alice Billing active
	// alice Returns active
}

// A conversation-scoped webhook sends this conversation's events to a URL.
func ExampleWebhooksService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, nil)
	wh, err := c.Webhooks.Create(ctx, conv.SID, &conversations.WebhookCreateParams{
		Target:               conversations.WebhookTargetWebhook,
		ConfigurationURL:     conversations.Ptr("https://example.com/hooks/conversation"),
		ConfigurationMethod:  conversations.Ptr(conversations.WebhookMethodPOST),
		ConfigurationFilters: []string{"onMessageAdded", "onParticipantAdded"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wh.SID[:2], wh.Target)
	// The API may answer with the method in either case.
	fmt.Println(wh.Configuration.URL, strings.ToUpper(string(wh.Configuration.Method)), wh.Configuration.Filters)
	// Output:
	// WH webhook
	// https://example.com/hooks/conversation POST [onMessageAdded onParticipantAdded]
}

func ExampleUsersService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	u, err := c.Users.Create(ctx, &conversations.UserCreateParams{
		Identity:     "alice@example.com",
		FriendlyName: conversations.Ptr("Alice"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.SID[:2], u.Identity, u.FriendlyName)

	// The identity can replace the SID in paths; it is escaped for you.
	u, err = c.Users.Fetch(ctx, "alice@example.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.FriendlyName, *u.IsOnline)
	// Output:
	// US alice@example.com Alice
	// Alice false
}

// Move a user's read horizon and mute the conversation for them.
func ExampleUserConversationsService_Update() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	if _, err := c.Users.Create(ctx, &conversations.UserCreateParams{Identity: "alice"}); err != nil {
		log.Fatal(err)
	}
	conv, _ := c.Conversations.Create(ctx, &conversations.ConversationCreateParams{UniqueName: conversations.Ptr("support-1234")})
	c.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{Identity: conversations.Ptr("alice")})
	for _, body := range []string{"one", "two", "three"} {
		c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Body: conversations.Ptr(body)})
	}

	uc, err := c.UserConversations.Update(ctx, "alice", conv.SID, &conversations.UserConversationUpdateParams{
		LastReadMessageIndex: conversations.Set(0),
		NotificationLevel:    conversations.Ptr(conversations.UserConversationNotificationLevelMuted),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(uc.UniqueName, *uc.LastReadMessageIndex, *uc.UnreadMessagesCount, uc.NotificationLevel)
	// Output:
	// support-1234 0 2 muted
}

func ExampleRolesService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	role, err := c.Roles.Create(ctx, &conversations.RoleCreateParams{
		FriendlyName: "moderator",
		Type:         conversations.RoleTypeConversation,
		Permission:   []string{"sendMessage", "removeMember", "editAnyMessage"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(role.SID[:2], role.FriendlyName, role.Type, role.Permissions)

	// Update replaces the whole set of permissions.
	role, err = c.Roles.Update(ctx, role.SID, &conversations.RoleUpdateParams{Permission: []string{"sendMessage"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(role.Permissions)
	// Output:
	// RL moderator conversation [sendMessage removeMember editAnyMessage]
	// [sendMessage]
}

func ExampleChatServicesService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	svc, err := c.Services.Create(ctx, &conversations.ChatServiceCreateParams{FriendlyName: "Support"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(svc.SID[:2], svc.FriendlyName)

	// The account also has its default service.
	n := 0
	for _, err := range c.Services.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n)
	// Output:
	// IS Support
	// 2
}

// Client SDKs register push bindings; the API can only read and delete
// them, so the example seeds two with the fake.
func ExampleBindingsService_List() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	serviceSID := srv.DefaultServiceSID()
	srv.AddBinding(serviceSID, conversationstest.BindingSpec{Identity: "alice", BindingType: "apn"})
	srv.AddBinding(serviceSID, conversationstest.BindingSpec{Identity: "alice", BindingType: "fcm"})

	page, err := c.Service(serviceSID).Bindings.List(ctx, &conversations.BindingListParams{
		BindingType: []conversations.BindingType{conversations.BindingTypeFCM},
		Identity:    []string{"alice"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range page.Items {
		fmt.Println(b.SID[:2], b.Identity, b.BindingType, b.Endpoint)
	}
	// Output:
	// BS alice fcm alice-endpoint
}

// The secrets of credential params are write-only: the API never returns
// them, and printing the params redacts them.
func ExampleCredentialsService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	params := &conversations.CredentialCreateParams{
		Type:         conversations.CredentialTypeFCM,
		FriendlyName: conversations.Ptr("Android app"),
		Secret:       conversations.Ptr("made-up-fcm-server-key"),
	}
	// Logging the params never shows the secret.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("creating credential", "params", params)

	cred, err := c.Credentials.Create(ctx, params)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cred.SID[:2], cred.Type, cred.FriendlyName, cred.Sandbox)
	// Output:
	// level=INFO msg="creating credential" params="conversations.CredentialCreateParams{Type:\"fcm\", FriendlyName:\"Android app\", Certificate:<nil>, PrivateKey:<nil>, Sandbox:<nil>, APIKey:<nil>, Secret:[REDACTED]}"
	// CR fcm Android app false
}

// Send the account's conversation events to your server.
func ExampleConfigurationService_UpdateWebhook() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	wh, err := c.Configuration.UpdateWebhook(ctx, &conversations.WebhookConfigurationUpdateParams{
		Method:         conversations.Ptr(conversations.WebhookMethodPOST),
		Filters:        []string{"onMessageAdded", "onConversationStateUpdated"},
		PreWebhookURL:  conversations.Ptr("https://example.com/hooks/pre"),
		PostWebhookURL: conversations.Ptr("https://example.com/hooks/post"),
		Target:         conversations.Ptr(conversations.WebhookConfigurationTargetWebhook),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wh.Method, wh.Target, wh.Filters)
	fmt.Println(wh.PreWebhookURL)
	fmt.Println(wh.PostWebhookURL)
	// Output:
	// POST webhook [onMessageAdded onConversationStateUpdated]
	// https://example.com/hooks/pre
	// https://example.com/hooks/post
}

// Create a conversation automatically, and call a webhook, when a WhatsApp
// message reaches this sender outside any conversation.
func ExampleAddressConfigurationsService_Create() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	ac, err := c.AddressConfigurations.Create(ctx, &conversations.AddressConfigurationCreateParams{Type: conversations.AddressConfigurationTypeWhatsApp, Address: "whatsapp:+15017122661", FriendlyName: conversations.Ptr("Support WhatsApp"), AutoCreationParams: conversations.AutoCreationParams{Enabled: conversations.Ptr(true), Type: conversations.Ptr(conversations.AddressConfigurationAutoCreationTypeWebhook), WebhookURL: conversations.Ptr("https://example.com/hooks/new-conversation"), WebhookMethod: conversations.Ptr(conversations.WebhookMethodPOST), WebhookFilters: []string{"onParticipantAdded", "onMessageAdded"}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ac.SID[:2], ac.Type, ac.Address, ac.FriendlyName)
	a := ac.AutoCreation
	fmt.Println(a.Enabled, a.Type, a.WebhookMethod, a.WebhookURL, a.WebhookFilters)
	// Output:
	// IG whatsapp whatsapp:+15017122661 Support WhatsApp
	// true webhook POST https://example.com/hooks/new-conversation [onParticipantAdded onMessageAdded]
}

// Turn on push notifications for new messages in one Conversation Service.
func ExampleChatServiceConfigurationService_UpdateNotification() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	svc, _ := c.Services.Create(ctx, &conversations.ChatServiceCreateParams{FriendlyName: "Support"})
	n, err := c.Service(svc.SID).Configuration.UpdateNotification(ctx, &conversations.ChatServiceNotificationUpdateParams{
		NewMessageEnabled:           conversations.Ptr(true),
		NewMessageTemplate:          conversations.Ptr("${PARTICIPANT} in ${CONVERSATION}: ${MESSAGE}"),
		NewMessageBadgeCountEnabled: conversations.Ptr(true),
		AddedToConversationEnabled:  conversations.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.NewMessage.Enabled, n.NewMessage.BadgeCountEnabled, n.NewMessage.Template)
	fmt.Println(n.AddedToConversation.Enabled, n.RemovedFromConversation.Enabled)
	// Output:
	// true true ${PARTICIPANT} in ${CONVERSATION}: ${MESSAGE}
	// true false
}

// Walk the pages by hand when the page boundaries matter; otherwise All is
// simpler.
func ExamplePage_NextPage() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	for _, id := range []string{"ann", "bob", "cat", "dan", "eve"} {
		if _, err := c.Users.Create(ctx, &conversations.UserCreateParams{Identity: id}); err != nil {
			log.Fatal(err)
		}
	}

	page, err := c.Users.List(ctx, &conversations.UserListParams{ListParams: conversations.ListParams{PageSize: conversations.Ptr(2)}})
	for err == nil {
		var ids []string
		for _, u := range page.Items {
			ids = append(ids, u.Identity)
		}
		fmt.Println(page.Meta.Page, page.Meta.Key, ids)
		page, err = page.NextPage(ctx)
	}
	if !errors.Is(err, conversations.ErrNoNextPage) {
		log.Fatal(err)
	}
	// Output:
	// 0 users [ann bob]
	// 1 users [cat dan]
	// 2 users [eve]
}

// API errors are *conversations.Error; IsNotFound and the other helpers
// classify any error.
func ExampleError() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	_, err := c.Conversations.Fetch(ctx, "no-such-conversation")
	fmt.Println(conversations.IsNotFound(err))

	var apiErr *conversations.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Status, apiErr.Code, apiErr.Method, apiErr.Path)
		fmt.Println(apiErr.MoreInfo)
	}

	// Input the SDK can reject is never sent.
	_, err = c.Conversations.Fetch(ctx, "")
	fmt.Println(conversations.IsValidation(err), err)
	// Output:
	// true
	// 404 20404 GET /v1/Conversations/no-such-conversation
	// https://www.twilio.com/docs/errors/20404
	// true conversations: Sid is required
}

// WithWebhookEnabled(false) keeps this call from firing the configured
// webhooks, e.g. for messages your own webhook handler sends.
func ExampleWithWebhookEnabled() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, nil)
	_, err := c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{
		Body: conversations.Ptr("Thanks, we are on it."),
	}, conversations.WithWebhookEnabled(false))
	if err != nil {
		log.Fatal(err)
	}

	r, _ := srv.LastRequest()
	fmt.Println(r.Method, r.Header.Get("X-Twilio-Webhook-Enabled"))
	// Output:
	// POST false
}

// Attributes are JSON documents kept as strings on the wire;
// MarshalAttributes and UnmarshalAttributes convert them.
func ExampleUnmarshalAttributes() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	type ticket struct {
		Priority string   `json:"priority"`
		Tags     []string `json:"tags"`
	}
	attrs, err := conversations.MarshalAttributes(ticket{Priority: "high", Tags: []string{"billing", "vip"}})
	if err != nil {
		log.Fatal(err)
	}
	conv, err := c.Conversations.Create(ctx, &conversations.ConversationCreateParams{Attributes: &attrs})
	if err != nil {
		log.Fatal(err)
	}

	var t ticket
	if err := conversations.UnmarshalAttributes(conv.Attributes, &t); err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Priority, t.Tags)
	// Output:
	// high [billing vip]
}

// Optional params are pointers, so that "unset" differs from the zero
// value; Ptr takes the address of any value, constants included.
func ExamplePtr() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, _ := c.Conversations.Create(ctx, &conversations.ConversationCreateParams{FriendlyName: conversations.Ptr("Support #1234")})

	// Only State is sent; FriendlyName (nil) stays as it is.
	conv, err := c.Conversations.Update(ctx, conv.SID, &conversations.ConversationUpdateParams{
		State: conversations.Ptr(conversations.ConversationStateClosed),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conv.FriendlyName, conv.State)
	// Output:
	// Support #1234 closed
}

// mockMessages is a hand-written mock of MessagesAPI: it embeds the
// interface (calls it does not override panic) and checks the options.
type mockMessages struct {
	conversations.MessagesAPI
}

func (m mockMessages) Create(ctx context.Context, conversationSID string, p *conversations.MessageCreateParams, opts ...conversations.RequestOption) (*conversations.Message, error) {
	o := conversations.RequestOptions(opts...)
	if o.WebhookEnabled == nil || *o.WebhookEnabled {
		return nil, &conversations.Error{Status: 400, Code: 20001, Message: "webhooks must be off"}
	}
	return &conversations.Message{ConversationSID: conversationSID, Body: *p.Body}, nil
}

// A mock of an ...API interface reads back the options a call passed.
func ExampleRequestOptions() {
	var api conversations.MessagesAPI = mockMessages{}
	ctx := context.Background()
	params := &conversations.MessageCreateParams{Body: conversations.Ptr("hi")}

	_, err := api.Create(ctx, "CH123", params)
	fmt.Println(err)
	msg, err := api.Create(ctx, "CH123", params, conversations.WithWebhookEnabled(false))
	fmt.Println(msg.Body, err)
	// Output:
	// conversations: HTTP 400 (code 20001): webhooks must be off
	// hi <nil>
}
