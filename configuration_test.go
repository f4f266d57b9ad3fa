package conversations

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testAddressConfigurationSID = "IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testConfigurationRoleSID    = "RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testConfigurationServiceURL = "https://conversations.twilio.com/v1/Services/" + testServiceSID + "/Configuration"
)

// ---------------------------------------------------------------------------
// Account configuration (account scope only)
// ---------------------------------------------------------------------------

func TestConfigurationFetch(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchConfiguration"))
	got, err := c.Configuration.Fetch(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Configuration", nil, nil)
	assert.Equal(t, decodeGolden[Configuration](t, "FetchConfiguration"), got)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testServiceSID, got.DefaultChatServiceSID)
	assert.Equal(t, "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.DefaultMessagingServiceSID)
	assert.Equal(t, "PT1M", got.DefaultInactiveTimer)
	assert.Equal(t, "PT10M", got.DefaultClosedTimer)
	assert.Equal(t, "https://conversations.twilio.com/v1/Configuration", got.URL)
	assert.Equal(t, map[string]string{
		"service":  testConfigurationServiceURL,
		"webhooks": "https://conversations.twilio.com/v1/Configuration/Webhooks",
	}, got.Links)
}

func TestConfigurationUpdate(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateConfiguration"))
	got, err := c.Configuration.Update(context.Background(), &ConfigurationUpdateParams{
		DefaultChatServiceSID:      Ptr(testServiceSID),
		DefaultMessagingServiceSID: Ptr("MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		DefaultInactiveTimer:       Ptr("PT1M"),
		DefaultClosedTimer:         Ptr("PT10M"),
	})
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Configuration", nil, url.Values{
		"DefaultChatServiceSid":      {testServiceSID},
		"DefaultMessagingServiceSid": {"MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		"DefaultInactiveTimer":       {"PT1M"},
		"DefaultClosedTimer":         {"PT10M"},
	})
	assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
	assert.Equal(t, decodeGolden[Configuration](t, "UpdateConfiguration"), got)
	assert.Equal(t, testServiceSID, got.DefaultChatServiceSID)
	assert.Contains(t, got.Links, "webhooks")
}

func TestConfigurationUpdateEmptyValue(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateConfiguration"))
	_, err := c.Configuration.Update(context.Background(), &ConfigurationUpdateParams{DefaultMessagingServiceSID: Ptr("")})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Configuration", nil, url.Values{"DefaultMessagingServiceSid": {""}})
}

func TestConfigurationFetchWebhook(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchConfigurationWebhook"))
	got, err := c.Configuration.FetchWebhook(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Configuration/Webhooks", nil, nil)
	assert.Equal(t, decodeGolden[WebhookConfiguration](t, "FetchConfigurationWebhook"), got)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, WebhookMethodGET, got.Method)
	assert.Equal(t, WebhookConfigurationTargetWebhook, got.Target)
	assert.Equal(t, []string{"onMessageSend", "onConversationUpdated"}, got.Filters)
	assert.Equal(t, "https://example.com/pre", got.PreWebhookURL)
	assert.Equal(t, "https://example.com/post", got.PostWebhookURL)
	assert.Equal(t, "https://conversations.twilio.com/v1/Configuration/Webhooks", got.URL)
}

func TestConfigurationUpdateWebhook(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateConfigurationWebhook"))
	got, err := c.Configuration.UpdateWebhook(context.Background(), &WebhookConfigurationUpdateParams{
		Method:         Ptr(WebhookMethodPOST),
		Filters:        []string{"onMessageAdded", "onConversationUpdated"},
		PreWebhookURL:  Ptr("https://example.com/pre?a=1&b=2"),
		PostWebhookURL: Ptr("http://example.com/post"),
		Target:         Ptr(WebhookConfigurationTargetFlex),
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Configuration/Webhooks", nil, url.Values{
		"Method":         {"POST"},
		"Filters":        {"onMessageAdded", "onConversationUpdated"},
		"PreWebhookUrl":  {"https://example.com/pre?a=1&b=2"},
		"PostWebhookUrl": {"http://example.com/post"},
		"Target":         {"flex"},
	})
	assert.Equal(t, decodeGolden[WebhookConfiguration](t, "UpdateConfigurationWebhook"), got)
	assert.Equal(t, []string{"onConversationUpdated"}, got.Filters)
	assert.Equal(t, WebhookConfigurationTargetWebhook, got.Target)
	assert.Equal(t, "http://example.com/post", got.PostWebhookURL)
}

func TestConfigurationUpdateWebhookRepeatedKeys(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateConfigurationWebhook"))
	_, err := c.Configuration.UpdateWebhook(context.Background(), &WebhookConfigurationUpdateParams{
		Filters: []string{"onMessageAdded", "onMessageRemoved"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Filters=onMessageAdded&Filters=onMessageRemoved", rec.last(t).Body, "arrays are repeated keys, no brackets")
}

// ---------------------------------------------------------------------------
// Service configuration (service scope only)
// ---------------------------------------------------------------------------

func TestServiceConfigurationFetch(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchServiceConfiguration"))
	got, err := c.Service(testServiceSID).Configuration.Fetch(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Configuration", nil, nil)
	assert.Equal(t, decodeGolden[ChatServiceConfiguration](t, "FetchServiceConfiguration"), got)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.Equal(t, testConfigurationRoleSID, got.DefaultConversationCreatorRoleSID)
	assert.Equal(t, testConfigurationRoleSID, got.DefaultConversationRoleSID)
	assert.Equal(t, testConfigurationRoleSID, got.DefaultChatServiceRoleSID)
	assert.False(t, got.ReachabilityEnabled)
	assert.Equal(t, testConfigurationServiceURL, got.URL)
	assert.Equal(t, map[string]string{
		"notifications": testConfigurationServiceURL + "/Notifications",
		"webhooks":      testConfigurationServiceURL + "/Webhooks",
	}, got.Links)
}

func TestServiceConfigurationUpdate(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateServiceConfiguration"))
	got, err := c.Service(testServiceSID).Configuration.Update(context.Background(), &ChatServiceConfigurationUpdateParams{
		DefaultConversationCreatorRoleSID: Ptr(testConfigurationRoleSID),
		DefaultConversationRoleSID:        Ptr("RLbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
		DefaultChatServiceRoleSID:         Ptr("RLcccccccccccccccccccccccccccccccc"),
		ReachabilityEnabled:               Ptr(false),
	})
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Services/"+testServiceSID+"/Configuration", nil, url.Values{
		"DefaultConversationCreatorRoleSid": {testConfigurationRoleSID},
		"DefaultConversationRoleSid":        {"RLbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
		"DefaultChatServiceRoleSid":         {"RLcccccccccccccccccccccccccccccccc"},
		"ReachabilityEnabled":               {"false"},
	})
	assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
	assert.Equal(t, decodeGolden[ChatServiceConfiguration](t, "UpdateServiceConfiguration"), got)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.Contains(t, got.Links, "notifications")

	_, err = c.Service(testServiceSID).Configuration.Update(context.Background(), &ChatServiceConfigurationUpdateParams{ReachabilityEnabled: Ptr(true)})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Services/"+testServiceSID+"/Configuration", nil, url.Values{"ReachabilityEnabled": {"true"}})
}

func TestServiceConfigurationFetchNotification(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchServiceNotification"))
	got, err := c.Service(testServiceSID).Configuration.FetchNotification(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Configuration/Notifications", nil, nil)
	assert.Equal(t, decodeGolden[ChatServiceNotification](t, "FetchServiceNotification"), got)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.False(t, got.LogEnabled)
	assert.Equal(t, ChatServiceNotificationNewMessage{
		Enabled:           true,
		Template:          "You have a new message in ${CONVERSATION} from ${PARTICIPANT}: ${MESSAGE}",
		BadgeCountEnabled: false,
		Sound:             "ring",
		WithMedia: ChatServiceNotificationWithMedia{
			Enabled:  false,
			Template: "You have a new message in ${CONVERSATION} with ${MEDIA_COUNT} media files: ${MEDIA}",
		},
	}, got.NewMessage)
	assert.Equal(t, ChatServiceNotificationSettings{Enabled: true, Template: "You have been added to a Conversation: ${CONVERSATION}", Sound: "ring"}, got.AddedToConversation)
	assert.Equal(t, ChatServiceNotificationSettings{Enabled: true, Template: "You have been removed from a Conversation: ${CONVERSATION}", Sound: "ring"}, got.RemovedFromConversation)
	assert.Equal(t, testConfigurationServiceURL+"/Notifications", got.URL)
}

func TestServiceConfigurationUpdateNotification(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateServiceNotification"))
	got, err := c.Service(testServiceSID).Configuration.UpdateNotification(context.Background(), &ChatServiceNotificationUpdateParams{
		LogEnabled:                      Ptr(true),
		NewMessageEnabled:               Ptr(false),
		NewMessageTemplate:              Ptr("New in ${CONVERSATION}: ${MESSAGE}"),
		NewMessageSound:                 Ptr("ring"),
		NewMessageBadgeCountEnabled:     Ptr(true),
		AddedToConversationEnabled:      Ptr(false),
		AddedToConversationTemplate:     Ptr("Added to ${CONVERSATION}"),
		AddedToConversationSound:        Ptr("chime"),
		RemovedFromConversationEnabled:  Ptr(false),
		RemovedFromConversationTemplate: Ptr("Removed from ${CONVERSATION}"),
		RemovedFromConversationSound:    Ptr("bell"),
		NewMessageWithMediaEnabled:      Ptr(true),
		NewMessageWithMediaTemplate:     Ptr("${MEDIA_COUNT} files & more"),
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Services/"+testServiceSID+"/Configuration/Notifications", nil, url.Values{
		"LogEnabled":                       {"true"},
		"NewMessage.Enabled":               {"false"},
		"NewMessage.Template":              {"New in ${CONVERSATION}: ${MESSAGE}"},
		"NewMessage.Sound":                 {"ring"},
		"NewMessage.BadgeCountEnabled":     {"true"},
		"AddedToConversation.Enabled":      {"false"},
		"AddedToConversation.Template":     {"Added to ${CONVERSATION}"},
		"AddedToConversation.Sound":        {"chime"},
		"RemovedFromConversation.Enabled":  {"false"},
		"RemovedFromConversation.Template": {"Removed from ${CONVERSATION}"},
		"RemovedFromConversation.Sound":    {"bell"},
		"NewMessage.WithMedia.Enabled":     {"true"},
		"NewMessage.WithMedia.Template":    {"${MEDIA_COUNT} files & more"},
	})
	assert.Equal(t, decodeGolden[ChatServiceNotification](t, "UpdateServiceNotification"), got)
	assert.True(t, got.LogEnabled)
	assert.False(t, got.NewMessage.Enabled)
	assert.True(t, got.NewMessage.BadgeCountEnabled)
	assert.False(t, got.AddedToConversation.Enabled)
	assert.False(t, got.RemovedFromConversation.Enabled)
	assert.Equal(t, "ring", got.RemovedFromConversation.Sound)
}

func TestServiceConfigurationFetchWebhook(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchServiceWebhookConfiguration_fetch"))
	got, err := c.Service(testServiceSID).Configuration.FetchWebhook(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Configuration/Webhooks", nil, nil)
	assert.Equal(t, decodeGolden[WebhookConfiguration](t, "FetchServiceWebhookConfiguration_fetch"), got)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.Equal(t, WebhookMethodPOST, got.Method)
	assert.Equal(t, []string{"onMessageRemove", "onParticipantAdd"}, got.Filters)
	assert.Equal(t, "https://www.example.com/pre", got.PreWebhookURL)
	assert.Equal(t, "https://www.example.com/post", got.PostWebhookURL)
	assert.Equal(t, testConfigurationServiceURL+"/Webhooks", got.URL)
}

func TestServiceConfigurationFetchWebhookEmpty(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchServiceWebhookConfiguration_fetchEmpty"))
	got, err := c.Service(testServiceSID).Configuration.FetchWebhook(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Configuration/Webhooks", nil, nil)
	assert.Equal(t, decodeGolden[WebhookConfiguration](t, "FetchServiceWebhookConfiguration_fetchEmpty"), got)
	assert.Empty(t, got.Method, "null method decodes as empty")
	assert.Nil(t, got.Filters)
	assert.Empty(t, got.PreWebhookURL)
	assert.Empty(t, got.PostWebhookURL)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
}

func TestServiceConfigurationUpdateWebhook(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateServiceWebhookConfiguration"))
	got, err := c.Service(testServiceSID).Configuration.UpdateWebhook(context.Background(), &WebhookConfigurationUpdateParams{
		PreWebhookURL:  Ptr("https://www.example.com/pre"),
		PostWebhookURL: Ptr("https://www.example.com/post?x=a b"),
		Filters:        []string{"onMessageRemoved", "onParticipantAdded"},
		Method:         Ptr(WebhookMethodGET),
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Services/"+testServiceSID+"/Configuration/Webhooks", nil, url.Values{
		"PreWebhookUrl":  {"https://www.example.com/pre"},
		"PostWebhookUrl": {"https://www.example.com/post?x=a b"},
		"Filters":        {"onMessageRemoved", "onParticipantAdded"},
		"Method":         {"GET"},
	})
	assert.Equal(t, decodeGolden[WebhookConfiguration](t, "UpdateServiceWebhookConfiguration"), got)
	assert.Equal(t, WebhookMethodGET, got.Method)
	assert.Equal(t, []string{"onMessageRemoved", "onParticipantAdded"}, got.Filters)
}

func TestServiceConfigurationEscapesServiceSID(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchServiceConfiguration"))
	_, err := c.Service("IS/../x").Configuration.Fetch(context.Background())
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/IS%2F..%2Fx/Configuration", nil, nil)
}

func TestServiceConfigurationValidation(t *testing.T) {
	ctx := context.Background()
	for _, sid := range []string{"", ".", ".."} {
		c, rec := newRecorder(t, 200, "{}")
		s := c.Service(sid).Configuration
		_, err := s.Fetch(ctx)
		assertNothingSent(t, rec, err, "ChatServiceSid")
		_, err = s.Update(ctx, &ChatServiceConfigurationUpdateParams{ReachabilityEnabled: Ptr(true)})
		assertNothingSent(t, rec, err, "ChatServiceSid")
		_, err = s.FetchNotification(ctx)
		assertNothingSent(t, rec, err, "ChatServiceSid")
		_, err = s.UpdateNotification(ctx, &ChatServiceNotificationUpdateParams{LogEnabled: Ptr(true)})
		assertNothingSent(t, rec, err, "ChatServiceSid")
		_, err = s.FetchWebhook(ctx)
		assertNothingSent(t, rec, err, "ChatServiceSid")
		_, err = s.UpdateWebhook(ctx, &WebhookConfigurationUpdateParams{Method: Ptr(WebhookMethodPOST)})
		assertNothingSent(t, rec, err, "ChatServiceSid")
	}
}

func TestWebhookConfigurationTargetServiceScope(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateServiceWebhookConfiguration"))
	_, err := c.Service(testServiceSID).Configuration.UpdateWebhook(context.Background(), &WebhookConfigurationUpdateParams{
		Target: Ptr(WebhookConfigurationTargetWebhook),
	})
	assertNothingSent(t, rec, err, "Target")
}

func TestWebhookMethodDecodesUpperCase(t *testing.T) {
	for _, in := range []string{`"post"`, `"POST"`, `"Post"`} {
		var w ConversationWebhookConfiguration
		require.NoError(t, json.Unmarshal([]byte(`{"method":`+in+`}`), &w))
		assert.Equal(t, WebhookMethodPOST, w.Method, in)
	}
	var a AddressConfigurationAutoCreation
	require.NoError(t, json.Unmarshal([]byte(`{"webhook_method":"get"}`), &a))
	assert.Equal(t, WebhookMethodGET, a.WebhookMethod)
}
