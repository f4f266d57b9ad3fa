package conversations

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testBindingSID     = "BSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testBindingCredSID = "CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

// serviceCheckForTest checks the key fields every service golden body shares.
func serviceCheckForTest(t *testing.T, got *ChatService) {
	t.Helper()
	assert.Equal(t, testServiceSID, got.SID)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 37, 0, time.UTC), got.DateCreated)
	assert.Equal(t, time.Date(2015, 12, 16, 22, 18, 38, 0, time.UTC), got.DateUpdated)
	assert.Equal(t, "https://conversations.twilio.com/v1/Services/"+testServiceSID, got.URL)
	base := "https://conversations.twilio.com/v1/Services/" + testServiceSID + "/"
	assert.Equal(t, map[string]string{
		"conversations":                  base + "Conversations",
		"users":                          base + "Users",
		"roles":                          base + "Roles",
		"bindings":                       base + "Bindings",
		"configuration":                  base + "Configuration",
		"participant_conversations":      base + "ParticipantConversations",
		"conversation_with_participants": base + "ConversationWithParticipants",
	}, got.Links)
}

func TestServicesCreate(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateService"))
	got, err := c.Services.Create(context.Background(), &ChatServiceCreateParams{FriendlyName: "friendly name & more"})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Services", nil, url.Values{
		"FriendlyName": {"friendly name & more"},
	})
	assert.Equal(t, decodeGolden[ChatService](t, "CreateService"), got)
	serviceCheckForTest(t, got)
	assert.Equal(t, "friendly_name", got.FriendlyName)
}

func TestServicesFetch(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchService"))
	got, err := c.Services.Fetch(context.Background(), testServiceSID)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID, nil, nil)
	assert.Equal(t, decodeGolden[ChatService](t, "FetchService"), got)
	serviceCheckForTest(t, got)
	assert.Equal(t, "My First Service", got.FriendlyName)
}

func TestServicesDelete(t *testing.T) {
	c, rec := newRecorder(t, 204, "")
	require.NoError(t, c.Services.Delete(context.Background(), testServiceSID))
	assertWire(t, rec.last(t), "DELETE", "/v1/Services/"+testServiceSID, nil, nil)
}

func TestServicesList(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListService"))
	page, err := c.Services.List(context.Background(), &ChatServiceListParams{ListParams: ListParams{PageSize: Ptr(100), Page: Ptr(2), PageToken: Ptr("PT456")}})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services", url.Values{
		"PageSize":  {"100"},
		"Page":      {"2"},
		"PageToken": {"PT456"},
	}, nil)
	require.Len(t, page.Items, 1)
	serviceCheckForTest(t, &page.Items[0])
	assert.Equal(t, "Home Service", page.Items[0].FriendlyName)
	assert.Equal(t, "services", page.Meta.Key)
	assert.Equal(t, 50, page.Meta.PageSize)
	assert.Equal(t, "https://conversations.twilio.com/v1/Services?PageSize=50&Page=0", page.Meta.FirstPageURL)
	assert.Empty(t, page.Meta.PreviousPageURL)
	assert.False(t, page.HasNextPage())
}

func TestServicesAll(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListService"))
	var names []string
	for svc, err := range c.Services.All(context.Background(), nil) {
		require.NoError(t, err)
		names = append(names, svc.FriendlyName)
	}
	assert.Equal(t, []string{"Home Service"}, names)
	assert.Equal(t, 1, rec.count())
	assertWire(t, rec.last(t), "GET", "/v1/Services", nil, nil)
}

func TestServicesAllTwoPages(t *testing.T) {
	first := `{"services":[{"sid":"IS1"}],"meta":{"key":"services","page":0,"page_size":1,` +
		`"next_page_url":"https://conversations.twilio.com/v1/Services?PageSize=1&Page=1&PageToken=PT2"}}`
	second := `{"services":[{"sid":"IS2"}],"meta":{"key":"services","page":1,"page_size":1,"next_page_url":null}}`
	c, rec := newRecorder(t, 200, first)
	rec.then(200, second)
	var sids []string
	for svc, err := range c.Services.All(context.Background(), &ChatServiceListParams{ListParams: ListParams{PageSize: Ptr(1)}}) {
		require.NoError(t, err)
		sids = append(sids, svc.SID)
	}
	assert.Equal(t, []string{"IS1", "IS2"}, sids)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assertWire(t, reqs[0], "GET", "/v1/Services", url.Values{"PageSize": {"1"}}, nil)
	assertWire(t, reqs[1], "GET", "/v1/Services", url.Values{"PageSize": {"1"}, "Page": {"1"}, "PageToken": {"PT2"}}, nil)
}

func TestServicesValidation(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 200, "{}")
	s := c.Services
	_, err := s.Create(ctx, nil)
	assertNothingSent(t, rec, err, "FriendlyName")
	_, err = s.Create(ctx, &ChatServiceCreateParams{})
	assertNothingSent(t, rec, err, "FriendlyName")
	_, err = s.Fetch(ctx, "")
	assertNothingSent(t, rec, err, "Sid")
	_, err = s.Fetch(ctx, "..")
	assertNothingSent(t, rec, err, "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, ""), "Sid")
	_, err = s.List(ctx, &ChatServiceListParams{ListParams: ListParams{PageSize: Ptr(101)}})
	assertNothingSent(t, rec, err, "PageSize")
	_, err = s.List(ctx, &ChatServiceListParams{ListParams: ListParams{Page: Ptr(-1)}})
	assertNothingSent(t, rec, err, "Page")
	n := 0
	for _, err := range s.All(ctx, &ChatServiceListParams{ListParams: ListParams{PageSize: Ptr(101)}}) {
		n++
		assertNothingSent(t, rec, err, "PageSize")
	}
	assert.Equal(t, 1, n)
}

// bindingCheckForTest checks the key fields of the binding golden body.
func bindingCheckForTest(t *testing.T, got *Binding) {
	t.Helper()
	assert.Equal(t, testBindingSID, got.SID)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.Equal(t, testBindingCredSID, got.CredentialSID)
	assert.Equal(t, time.Date(2016, 10, 21, 11, 37, 3, 0, time.UTC), got.DateCreated)
	assert.Equal(t, time.Date(2016, 10, 21, 11, 37, 3, 0, time.UTC), got.DateUpdated)
	assert.Equal(t, "TestUser-endpoint", got.Endpoint)
	assert.Equal(t, "TestUser", got.Identity)
	assert.Equal(t, BindingTypeGCM, got.BindingType)
	assert.Equal(t, []string{"removed_from_conversation", "new_message", "added_to_conversation"}, got.MessageTypes)
	assert.Equal(t, "https://conversations.twilio.com/v1/Services/"+testServiceSID+"/Bindings/"+testBindingSID, got.URL)
}

func TestBindingsFetch(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchServiceBinding"))
	got, err := c.Service(testServiceSID).Bindings.Fetch(context.Background(), testBindingSID)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Bindings/"+testBindingSID, nil, nil)
	assert.Equal(t, decodeGolden[Binding](t, "FetchServiceBinding"), got)
	bindingCheckForTest(t, got)
}

func TestBindingsDelete(t *testing.T) {
	c, rec := newRecorder(t, 204, "")
	require.NoError(t, c.Service(testServiceSID).Bindings.Delete(context.Background(), testBindingSID))
	assertWire(t, rec.last(t), "DELETE", "/v1/Services/"+testServiceSID+"/Bindings/"+testBindingSID, nil, nil)
}

func TestBindingsList(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListServiceBinding_readFull"))
	params := &BindingListParams{BindingType: []BindingType{BindingTypeAPN, BindingTypeFCM, BindingTypeTwilsock}, Identity: []string{"alice", "bob+1@example.com"}, ListParams: ListParams{PageSize: Ptr(20), Page: Ptr(1), PageToken: Ptr("PT789")}}
	page, err := c.Service(testServiceSID).Bindings.List(context.Background(), params)
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "GET", "/v1/Services/"+testServiceSID+"/Bindings", url.Values{
		"BindingType": {"apn", "fcm", "twilsock"},
		"Identity":    {"alice", "bob+1@example.com"},
		"PageSize":    {"20"},
		"Page":        {"1"},
		"PageToken":   {"PT789"},
	}, nil)
	require.Len(t, page.Items, 1)
	bindingCheckForTest(t, &page.Items[0])
	assert.Equal(t, "bindings", page.Meta.Key)
	assert.Equal(t, 50, page.Meta.PageSize)
	assert.False(t, page.HasNextPage())
	assert.Equal(t, []BindingType{BindingTypeAPN, BindingTypeFCM, BindingTypeTwilsock}, params.BindingType, "params mutated")
}

func TestBindingsListEmpty(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListServiceBinding_readEmpty"))
	page, err := c.Service(testServiceSID).Bindings.List(context.Background(), &BindingListParams{BindingType: []BindingType{BindingTypeGCM}})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Bindings", url.Values{"BindingType": {"gcm"}}, nil)
	assert.Empty(t, page.Items)
	assert.Equal(t, "bindings", page.Meta.Key)
}

func TestBindingsAll(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListServiceBinding_readFull"))
	var got []*Binding
	for b, err := range c.Service(testServiceSID).Bindings.All(context.Background(), &BindingListParams{Identity: []string{"TestUser"}}) {
		require.NoError(t, err)
		got = append(got, b)
	}
	require.Len(t, got, 1)
	bindingCheckForTest(t, got[0])
	assert.Equal(t, 1, rec.count())
	assertWire(t, rec.last(t), "GET", "/v1/Services/"+testServiceSID+"/Bindings", url.Values{"Identity": {"TestUser"}}, nil)
}

func TestBindingsUnknownType(t *testing.T) {
	c, _ := newRecorder(t, 200, `{"sid":"`+testBindingSID+`","binding_type":"webpush","message_types":null,"credential_sid":null,"extra":1}`)
	got, err := c.Service(testServiceSID).Bindings.Fetch(context.Background(), testBindingSID)
	require.NoError(t, err)
	assert.Equal(t, BindingType("webpush"), got.BindingType)
	assert.Nil(t, got.MessageTypes)
	assert.Empty(t, got.CredentialSID)
}

func TestBindingsValidation(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 200, "{}")
	s := c.Service(testServiceSID).Bindings
	_, err := s.Fetch(ctx, "")
	assertNothingSent(t, rec, err, "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, ""), "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, ".."), "Sid")
	_, err = s.List(ctx, &BindingListParams{ListParams: ListParams{PageSize: Ptr(101)}})
	assertNothingSent(t, rec, err, "PageSize")
	_, err = s.List(ctx, &BindingListParams{ListParams: ListParams{Page: Ptr(-1)}})
	assertNothingSent(t, rec, err, "Page")
	n := 0
	for _, err := range s.All(ctx, &BindingListParams{ListParams: ListParams{PageSize: Ptr(101)}}) {
		n++
		assertNothingSent(t, rec, err, "PageSize")
	}
	assert.Equal(t, 1, n)

	// Bindings do not exist in the account scope: an empty service SID is
	// reported before anything is sent.
	noSvc := c.Service("").Bindings
	_, err = noSvc.Fetch(ctx, testBindingSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
	assertNothingSent(t, rec, noSvc.Delete(ctx, testBindingSID), "ChatServiceSid")
	_, err = noSvc.List(ctx, nil)
	assertNothingSent(t, rec, err, "ChatServiceSid")
	for _, err := range noSvc.All(ctx, nil) {
		assertNothingSent(t, rec, err, "ChatServiceSid")
	}
}
