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
// Address configurations (account scope only)
// ---------------------------------------------------------------------------

func TestAddressConfigurationsCreate(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateConfigurationAddress_create"))
	got, err := c.AddressConfigurations.Create(context.Background(), &AddressConfigurationCreateParams{
		Type:                               AddressConfigurationTypeSMS,
		Address:                            "+37256123457",
		FriendlyName:                       Ptr("My Test Configuration"),
		AutoCreationEnabled:                Ptr(false),
		AutoCreationType:                   Ptr(AddressConfigurationAutoCreationTypeWebhook),
		AutoCreationConversationServiceSID: Ptr(testServiceSID),
		AutoCreationWebhookURL:             Ptr("https://example.com"),
		AutoCreationWebhookMethod:          Ptr(WebhookMethodPOST),
		AutoCreationWebhookFilters:         []string{"onParticipantAdded", "onMessageAdded"},
		AutoCreationStudioFlowSID:          Ptr("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		AutoCreationStudioRetryCount:       Ptr(0),
		AddressCountry:                     Ptr("CA"),
	})
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Configuration/Addresses", nil, url.Values{
		"Type":                                {"sms"},
		"Address":                             {"+37256123457"},
		"FriendlyName":                        {"My Test Configuration"},
		"AutoCreation.Enabled":                {"false"},
		"AutoCreation.Type":                   {"webhook"},
		"AutoCreation.ConversationServiceSid": {testServiceSID},
		"AutoCreation.WebhookUrl":             {"https://example.com"},
		"AutoCreation.WebhookMethod":          {"post"},
		"AutoCreation.WebhookFilters":         {"onParticipantAdded", "onMessageAdded"},
		"AutoCreation.StudioFlowSid":          {"FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		"AutoCreation.StudioRetryCount":       {"0"},
		"AddressCountry":                      {"CA"},
	})
	assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
	assert.Equal(t, decodeGolden[AddressConfiguration](t, "CreateConfigurationAddress_create"), got)
	assert.Equal(t, testAddressConfigurationSID, got.SID)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, AddressConfigurationTypeSMS, got.Type)
	assert.Equal(t, "+37256123457", got.Address)
	assert.Equal(t, "CA", got.AddressCountry)
	assert.Equal(t, time.Date(2016, 3, 24, 21, 5, 50, 0, time.UTC), got.DateCreated)
	assert.Equal(t, AddressConfigurationAutoCreation{
		Enabled:                true,
		Type:                   AddressConfigurationAutoCreationTypeWebhook,
		ConversationServiceSID: testServiceSID,
		WebhookURL:             "https://example.com",
		WebhookMethod:          "POST",
		WebhookFilters:         []string{"onParticipantAdded", "onMessageAdded"},
	}, got.AutoCreation)
}

func TestAddressConfigurationsCreateExamples(t *testing.T) {
	for name, want := range map[string]AddressConfigurationType{
		"CreateConfigurationAddress_createAmb":                     AddressConfigurationTypeApple,
		"CreateConfigurationAddress_createChat":                    AddressConfigurationTypeChat,
		"CreateConfigurationAddress_createEmail":                   AddressConfigurationTypeEmail,
		"CreateConfigurationAddress_createGmb":                     AddressConfigurationTypeGBM,
		"CreateConfigurationAddress_createMessenger":               AddressConfigurationTypeMessenger,
		"CreateConfigurationAddress_createRcs":                     AddressConfigurationTypeRCS,
		"CreateConfigurationAddress_createWhatsapp":                AddressConfigurationTypeWhatsApp,
		"CreateConfigurationAddress_createWhatsappCaseInsensitive": "whAtsAPP",
	} {
		t.Run(name, func(t *testing.T) {
			c, rec := newRecorder(t, 201, golden(t, name))
			got, err := c.AddressConfigurations.Create(context.Background(), &AddressConfigurationCreateParams{
				Type:    want,
				Address: "urn:mbid:AQAAYyUbut6E4B3T9FLv5EbG",
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", "/v1/Configuration/Addresses", nil, url.Values{
				"Type":    {string(want)},
				"Address": {"urn:mbid:AQAAYyUbut6E4B3T9FLv5EbG"},
			})
			assert.Equal(t, decodeGolden[AddressConfiguration](t, name), got)
			assert.Equal(t, want, got.Type)
			assert.True(t, got.AutoCreation.Enabled)
		})
	}
	// The email example has "address_country": null and a default auto-creation.
	c, _ := newRecorder(t, 201, golden(t, "CreateConfigurationAddress_createEmail"))
	got, err := c.AddressConfigurations.Create(context.Background(), &AddressConfigurationCreateParams{Type: AddressConfigurationTypeEmail, Address: "example@example.com"})
	require.NoError(t, err)
	assert.Empty(t, got.AddressCountry)
	assert.Equal(t, AddressConfigurationAutoCreation{Enabled: true, Type: AddressConfigurationAutoCreationTypeDefault}, got.AutoCreation)
}

func TestAddressConfigurationsFetch(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchConfigurationAddress"))
	got, err := c.AddressConfigurations.Fetch(context.Background(), "whatsapp:+1 555/0100")
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Configuration/Addresses/whatsapp%3A%2B1%20555%2F0100", nil, nil)
	assert.Equal(t, decodeGolden[AddressConfiguration](t, "FetchConfigurationAddress"), got)
	assert.Equal(t, testAddressConfigurationSID, got.SID)
	assert.Equal(t, AddressConfigurationAutoCreationTypeWebhook, got.AutoCreation.Type)
	assert.Equal(t, []string{"onParticipantAdded", "onMessageAdded"}, got.AutoCreation.WebhookFilters)
	assert.Equal(t, "https://conversations.twilio.com/v1/Configuration/Addresses/"+testAddressConfigurationSID, got.URL)
}

func TestAddressConfigurationsUpdate(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateConfigurationAddress"))
	got, err := c.AddressConfigurations.Update(context.Background(), testAddressConfigurationSID, &AddressConfigurationUpdateParams{
		FriendlyName:                       Ptr("My Test Configuration Updated"),
		AutoCreationEnabled:                Ptr(true),
		AutoCreationType:                   Ptr(AddressConfigurationAutoCreationTypeStudio),
		AutoCreationConversationServiceSID: Ptr(testServiceSID),
		AutoCreationWebhookURL:             Ptr("https://example.com/hook?x=1"),
		AutoCreationWebhookMethod:          Ptr(WebhookMethodGET),
		AutoCreationWebhookFilters:         []string{"onMessageAdded", "onConversationRemoved", "onDeliveryUpdated"},
		AutoCreationStudioFlowSID:          Ptr("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		AutoCreationStudioRetryCount:       Ptr(3),
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Configuration/Addresses/"+testAddressConfigurationSID, nil, url.Values{
		"FriendlyName":                        {"My Test Configuration Updated"},
		"AutoCreation.Enabled":                {"true"},
		"AutoCreation.Type":                   {"studio"},
		"AutoCreation.ConversationServiceSid": {testServiceSID},
		"AutoCreation.WebhookUrl":             {"https://example.com/hook?x=1"},
		"AutoCreation.WebhookMethod":          {"get"},
		"AutoCreation.WebhookFilters":         {"onMessageAdded", "onConversationRemoved", "onDeliveryUpdated"},
		"AutoCreation.StudioFlowSid":          {"FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		"AutoCreation.StudioRetryCount":       {"3"},
	})
	assert.Equal(t, decodeGolden[AddressConfiguration](t, "UpdateConfigurationAddress"), got)
	assert.Equal(t, "My Test Configuration Updated", got.FriendlyName)
	assert.False(t, got.AutoCreation.Enabled)
	assert.Equal(t, AddressConfigurationAutoCreationTypeStudio, got.AutoCreation.Type)
	assert.Equal(t, "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", got.AutoCreation.StudioFlowSID)
	assert.Equal(t, 3, got.AutoCreation.StudioRetryCount)
	assert.Equal(t, time.Date(2016, 3, 24, 21, 5, 51, 0, time.UTC), got.DateUpdated)
}

func TestAddressConfigurationsDelete(t *testing.T) {
	c, rec := newRecorder(t, 204, "")
	require.NoError(t, c.AddressConfigurations.Delete(context.Background(), testAddressConfigurationSID))
	assertWire(t, rec.last(t), "DELETE", "/v1/Configuration/Addresses/"+testAddressConfigurationSID, nil, nil)
}

func TestAddressConfigurationsList(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListConfigurationAddress_readByAddressType"))
	page, err := c.AddressConfigurations.List(context.Background(), &AddressConfigurationListParams{Type: Ptr(string(AddressConfigurationTypeSMS)), ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(0), PageToken: Ptr("PT123")}})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Configuration/Addresses", url.Values{
		"Type":      {"sms"},
		"PageSize":  {"50"},
		"Page":      {"0"},
		"PageToken": {"PT123"},
	}, nil)
	require.Len(t, page.Items, 3)
	assert.Equal(t, []string{testAddressConfigurationSID, "IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"},
		[]string{page.Items[0].SID, page.Items[1].SID, page.Items[2].SID})
	assert.Equal(t, AddressConfigurationAutoCreationTypeStudio, page.Items[1].AutoCreation.Type)
	assert.Equal(t, 3, page.Items[1].AutoCreation.StudioRetryCount)
	assert.Equal(t, "NG", page.Items[2].AddressCountry)
	assert.Equal(t, "address_configurations", page.Meta.Key)
	assert.Equal(t, 50, page.Meta.PageSize)
	assert.Equal(t, "https://conversations.twilio.com/v1/Configuration/Addresses?Type=sms&PageSize=50&Page=0", page.Meta.URL)
	assert.False(t, page.HasNextPage())
}

func TestAddressConfigurationsListBlank(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListConfigurationAddress_readBlank"))
	page, err := c.AddressConfigurations.List(context.Background(), nil)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Configuration/Addresses", nil, nil)
	assert.Empty(t, page.Items)
	assert.Equal(t, "address_configurations", page.Meta.Key)
}

func TestAddressConfigurationsAll(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListConfigurationAddress_readAll"))
	var sids []string
	for ac, err := range c.AddressConfigurations.All(context.Background(), &AddressConfigurationListParams{Type: Ptr(string(AddressConfigurationTypeWhatsApp))}) {
		require.NoError(t, err)
		sids = append(sids, ac.SID)
	}
	assert.Equal(t, []string{testAddressConfigurationSID, "IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"}, sids)
	assert.Equal(t, 1, rec.count())
	assertWire(t, rec.last(t), "GET", "/v1/Configuration/Addresses", url.Values{"Type": {"whatsapp"}}, nil)
}

func TestAddressConfigurationsValidation(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 200, "{}")
	s := c.AddressConfigurations
	_, err := s.Create(ctx, nil)
	assertNothingSent(t, rec, err, "Type")
	_, err = s.Create(ctx, &AddressConfigurationCreateParams{Address: "+15550100"})
	assertNothingSent(t, rec, err, "Type")
	_, err = s.Create(ctx, &AddressConfigurationCreateParams{Type: AddressConfigurationTypeSMS})
	assertNothingSent(t, rec, err, "Address")
	_, err = s.Fetch(ctx, "")
	assertNothingSent(t, rec, err, "Sid")
	_, err = s.Update(ctx, "", &AddressConfigurationUpdateParams{FriendlyName: Ptr("x")})
	assertNothingSent(t, rec, err, "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, ""), "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, ".."), "Sid")
	_, err = s.List(ctx, &AddressConfigurationListParams{ListParams: ListParams{PageSize: Ptr(51)}})
	assertNothingSent(t, rec, err, "PageSize")
	n := 0
	for _, err := range s.All(ctx, &AddressConfigurationListParams{ListParams: ListParams{Page: Ptr(-1)}}) {
		n++
		assertNothingSent(t, rec, err, "Page")
	}
	assert.Equal(t, 1, n)
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

// TestConfigurationGoldenStrict decodes every spec example of this file's
// and credentials.go's models with unknown fields disallowed, so that a
// field the model lacks fails the test.
func TestConfigurationGoldenStrict(t *testing.T) {
	strict := func(t *testing.T, data []byte, v any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(v))
	}
	single := map[string]func() any{
		"FetchConfiguration":                                       func() any { return new(Configuration) },
		"UpdateConfiguration":                                      func() any { return new(Configuration) },
		"FetchConfigurationWebhook":                                func() any { return new(WebhookConfiguration) },
		"UpdateConfigurationWebhook":                               func() any { return new(WebhookConfiguration) },
		"CreateConfigurationAddress_create":                        func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createAmb":                     func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createChat":                    func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createEmail":                   func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createGmb":                     func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createMessenger":               func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createRcs":                     func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createWhatsapp":                func() any { return new(AddressConfiguration) },
		"CreateConfigurationAddress_createWhatsappCaseInsensitive": func() any { return new(AddressConfiguration) },
		"FetchConfigurationAddress":                                func() any { return new(AddressConfiguration) },
		"UpdateConfigurationAddress":                               func() any { return new(AddressConfiguration) },
		"FetchServiceConfiguration":                                func() any { return new(ChatServiceConfiguration) },
		"UpdateServiceConfiguration":                               func() any { return new(ChatServiceConfiguration) },
		"FetchServiceNotification":                                 func() any { return new(ChatServiceNotification) },
		"UpdateServiceNotification":                                func() any { return new(ChatServiceNotification) },
		"FetchServiceWebhookConfiguration_fetch":                   func() any { return new(WebhookConfiguration) },
		"FetchServiceWebhookConfiguration_fetchEmpty":              func() any { return new(WebhookConfiguration) },
		"UpdateServiceWebhookConfiguration":                        func() any { return new(WebhookConfiguration) },
		"CreateCredential_create":                                  func() any { return new(Credential) },
		"CreateCredential_createPushTypeFcm":                       func() any { return new(Credential) },
		"CreateCredential_createPushTypeGcm":                       func() any { return new(Credential) },
		"FetchCredential":                                          func() any { return new(Credential) },
		"UpdateCredential":                                         func() any { return new(Credential) },
	}
	for name, mk := range single {
		t.Run(name, func(t *testing.T) { strict(t, []byte(golden(t, name)), mk()) })
	}
	lists := map[string]func() any{
		"ListConfigurationAddress_readAll":           func() any { return new(AddressConfiguration) },
		"ListConfigurationAddress_readBlank":         func() any { return new(AddressConfiguration) },
		"ListConfigurationAddress_readByAddressType": func() any { return new(AddressConfiguration) },
		"ListCredential_readEmpty":                   func() any { return new(Credential) },
		"ListCredential_readFull":                    func() any { return new(Credential) },
	}
	for name, mk := range lists {
		t.Run(name, func(t *testing.T) {
			var env map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(golden(t, name)), &env))
			strict(t, env["meta"], new(Meta))
			for key, raw := range env {
				if key == "meta" {
					continue
				}
				var items []json.RawMessage
				require.NoError(t, json.Unmarshal(raw, &items))
				for _, it := range items {
					strict(t, it, mk())
				}
			}
		})
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
