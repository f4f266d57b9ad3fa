package conversations

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddressConfigurationsCreate(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateConfigurationAddress_create"))
	got, err := c.AddressConfigurations.Create(context.Background(), &AddressConfigurationCreateParams{Type: AddressConfigurationTypeSMS, Address: "+37256123457", FriendlyName: Ptr("My Test Configuration"), AddressCountry: Ptr("CA"), AutoCreationParams: AutoCreationParams{Enabled: Ptr(false), Type: Ptr(AddressConfigurationAutoCreationTypeWebhook), ConversationServiceSID: Ptr(testServiceSID), WebhookURL: Ptr("https://example.com"), WebhookMethod: Ptr(WebhookMethodPOST), WebhookFilters: []string{"onParticipantAdded", "onMessageAdded"}, StudioFlowSID: Ptr("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), StudioRetryCount: Ptr(0)}})
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
	got, err := c.AddressConfigurations.Update(context.Background(), testAddressConfigurationSID, &AddressConfigurationUpdateParams{FriendlyName: Ptr("My Test Configuration Updated"), AutoCreationParams: AutoCreationParams{Enabled: Ptr(true), Type: Ptr(AddressConfigurationAutoCreationTypeStudio), ConversationServiceSID: Ptr(testServiceSID), WebhookURL: Ptr("https://example.com/hook?x=1"), WebhookMethod: Ptr(WebhookMethodGET), WebhookFilters: []string{"onMessageAdded", "onConversationRemoved", "onDeliveryUpdated"}, StudioFlowSID: Ptr("FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), StudioRetryCount: Ptr(3)}})
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
	page, err := c.AddressConfigurations.List(context.Background(), &AddressConfigurationListParams{Type: Ptr(AddressConfigurationTypeSMS), ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(0), PageToken: Ptr("PT123")}})
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
	for ac, err := range c.AddressConfigurations.All(context.Background(), &AddressConfigurationListParams{Type: Ptr(AddressConfigurationTypeWhatsApp)}) {
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
