package conversationstest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

func TestPaginationLikeTwilio(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c, _ := strictClient(t, srv)
	var sids []string
	for i := 0; i < 12; i++ {
		conv, err := c.Conversations.Create(ctx, nil)
		require.NoError(t, err)
		sids = append(sids, conv.SID)
	}
	base := srv.URL + "/v1/Conversations"

	p0, err := c.Conversations.List(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(5)}})
	require.NoError(t, err)
	require.Len(t, p0.Items, 5)
	require.Equal(t, cv.Meta{
		Page: 0, PageSize: 5, Key: "conversations",
		FirstPageURL: base + "?PageSize=5&Page=0",
		URL:          base + "?PageSize=5&Page=0",
		NextPageURL:  base + "?PageSize=5&Page=1&PageToken=PA" + sids[4],
	}, p0.Meta)

	p1, err := p0.NextPage(ctx)
	require.NoError(t, err)
	require.Equal(t, sids[5], p1.Items[0].SID)
	require.Equal(t, cv.Meta{
		Page: 1, PageSize: 5, Key: "conversations",
		FirstPageURL:    base + "?PageSize=5&Page=0",
		PreviousPageURL: base + "?PageSize=5&Page=0&PageToken=PB" + sids[5],
		URL:             base + "?PageSize=5&Page=1&PageToken=PA" + sids[4],
		NextPageURL:     base + "?PageSize=5&Page=2&PageToken=PA" + sids[9],
	}, p1.Meta)

	// previous_page_url leads back to the first page.
	u, err := url.Parse(p1.Meta.PreviousPageURL)
	require.NoError(t, err)
	_, body := raw(t, srv, "GET", u.RequestURI(), nil)
	items := body["conversations"].([]any)
	require.Len(t, items, 5)
	require.Equal(t, sids[0], items[0].(map[string]any)["sid"])

	p2, err := p1.NextPage(ctx)
	require.NoError(t, err)
	require.Len(t, p2.Items, 2)
	require.False(t, p2.HasNextPage())
	_, err = p2.NextPage(ctx)
	require.ErrorIs(t, err, cv.ErrNoNextPage)

	// All walks every page, lazily, in creation order.
	srv.ResetRequests()
	var got []string
	for conv, err := range c.Conversations.All(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(5)}}) {
		require.NoError(t, err)
		got = append(got, conv.SID)
	}
	require.Equal(t, sids, got)
	require.Len(t, srv.Requests(), 3)
	srv.ResetRequests()
	for range c.Conversations.All(ctx, &cv.ConversationListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(5)}}) {
		break
	}
	require.Len(t, srv.Requests(), 1, "breaking out sends nothing more")

	// Page sizes above the operation's maximum are capped, as Twilio does.
	_, body = raw(t, srv, "GET", "/v1/Conversations/"+sids[0]+"/Webhooks?PageSize=50", nil)
	require.Equal(t, float64(5), body["meta"].(map[string]any)["page_size"])
	status, body := raw(t, srv, "GET", "/v1/Conversations?PageSize=0", nil)
	twilioError(t, status, body, 400, 400)
	status, body = raw(t, srv, "GET", "/v1/Conversations?PageToken=garbage", nil)
	twilioError(t, status, body, 400, 400)
}

func TestPageTokenSurvivesDeletion(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	conv, err := c.Conversations.Create(ctx, nil)
	require.NoError(t, err)
	var sids []string
	for i := 0; i < 6; i++ {
		m, err := c.Messages.Create(ctx, conv.SID, &cv.MessageCreateParams{Body: cv.Ptr("m")})
		require.NoError(t, err)
		sids = append(sids, m.SID)
	}
	p0, err := c.Messages.List(ctx, conv.SID, &cv.MessageListParams{ListParams: cv.ListParams{PageSize: cv.Ptr(3)}})
	require.NoError(t, err)
	require.NoError(t, c.Messages.Delete(ctx, conv.SID, sids[2]), "delete the page's last item, the token's anchor")
	p1, err := p0.NextPage(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{sids[3], sids[4], sids[5]}, []string{p1.Items[0].SID, p1.Items[1].SID, p1.Items[2].SID})

	desc, err := c.Messages.List(ctx, conv.SID, &cv.MessageListParams{Order: cv.Ptr(cv.MessageOrderDesc), ListParams: cv.ListParams{PageSize: cv.Ptr(2)}})
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/v1/Conversations/"+conv.SID+"/Messages?Order=desc&PageSize=2&Page=1&PageToken=PA"+sids[4], desc.Meta.NextPageURL)
	next, err := desc.NextPage(ctx)
	require.NoError(t, err)
	require.Equal(t, []int{3, 1}, []int{next.Items[0].Index, next.Items[1].Index})
}

func TestListFilters(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := conversationstest.NewServer(t, conversationstest.WithClock(func() time.Time { return clock }))
	c, _ := strictClient(t, srv)

	// Conversations by state and by creation date.
	a, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("a")})
	require.NoError(t, err)
	srv.Advance(48 * time.Hour) // March 3rd
	b, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("b"), State: cv.Ptr(cv.ConversationStateInactive)})
	require.NoError(t, err)
	srv.Advance(48 * time.Hour) // March 5th
	cc, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{UniqueName: cv.Ptr("c")})
	require.NoError(t, err)

	at := func(v string) *time.Time {
		tm, err := time.Parse(time.RFC3339, v)
		require.NoError(t, err)
		return &tm
	}
	sidsOf := func(cs []*cv.Conversation) []string {
		var out []string
		for _, x := range cs {
			out = append(out, x.SID)
		}
		return out
	}
	require.Equal(t, []string{a.SID, cc.SID}, sidsOf(all(t, c.Conversations.All(ctx, &cv.ConversationListParams{State: cv.Ptr(cv.ConversationStateActive)}))))
	require.Equal(t, []string{cc.SID, b.SID}, sidsOf(all(t, c.Conversations.All(ctx, &cv.ConversationListParams{StartDate: at("2024-03-02T00:00:00Z")}))),
		"a date filter sorts newest first")
	require.Equal(t, []string{b.SID, a.SID}, sidsOf(all(t, c.Conversations.All(ctx, &cv.ConversationListParams{EndDate: at("2024-03-03T23:59:59Z")}))),
		"an end date covers up to that instant")
	require.Equal(t, []string{b.SID}, sidsOf(all(t, c.Conversations.All(ctx, &cv.ConversationListParams{StartDate: at("2024-03-02T00:00:00Z"), EndDate: at("2024-03-04T23:59:59Z")}))))
	page, err := c.Conversations.List(ctx, &cv.ConversationListParams{StartDate: at("2024-03-02T00:00:00Z"), State: cv.Ptr(cv.ConversationStateActive), ListParams: cv.ListParams{PageSize: cv.Ptr(1)}})
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/v1/Conversations?StartDate=2024-03-02T00%3A00%3A00Z&State=active&PageSize=1&Page=0", page.Meta.URL,
		"filters come first in the meta URLs")

	// Participant conversations by identity and by address.
	_, err = c.Participants.Create(ctx, a.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, cc.SID, &cv.ParticipantCreateParams{Identity: cv.Ptr("alice")})
	require.NoError(t, err)
	_, err = c.Participants.Create(ctx, b.SID, &cv.ParticipantCreateParams{MessagingBindingAddress: cv.Ptr("+15550000001"), MessagingBindingProxyAddress: cv.Ptr("+15017122661")})
	require.NoError(t, err)
	pcs := all(t, c.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Identity: cv.Ptr("alice")}))
	require.Len(t, pcs, 2)
	require.Equal(t, []string{a.SID, cc.SID}, []string{pcs[0].ConversationSID, pcs[1].ConversationSID})
	require.Equal(t, "alice", pcs[0].ParticipantIdentity)
	require.NotEmpty(t, pcs[0].ParticipantUserSID)
	byAddr := all(t, c.ParticipantConversations.All(ctx, &cv.ParticipantConversationListParams{Address: cv.Ptr("+15550000001")}))
	require.Len(t, byAddr, 1)
	require.Equal(t, b.SID, byAddr[0].ConversationSID)
	require.Equal(t, cv.ConversationStateInactive, byAddr[0].ConversationState)

	// Bindings by type and identity: OR within a key, AND across keys.
	svc := conversationstest.DefaultServiceSID
	for _, b := range []conversationstest.BindingSpec{{Identity: "alice", BindingType: "apn"}, {Identity: "alice", BindingType: "fcm"}, {Identity: "bob", BindingType: "fcm"}, {Identity: "carol", BindingType: "gcm"}} {
		_, err := srv.AddBinding(svc, b)
		require.NoError(t, err)
	}
	_, err = srv.AddBinding(svc, conversationstest.BindingSpec{Identity: "x", BindingType: "pigeon"})
	require.Error(t, err)
	bs := c.Service(svc).Bindings
	require.Len(t, all(t, bs.All(ctx, &cv.BindingListParams{BindingType: []cv.BindingType{cv.BindingTypeFCM}})), 2)
	require.Len(t, all(t, bs.All(ctx, &cv.BindingListParams{BindingType: []cv.BindingType{cv.BindingTypeFCM, cv.BindingTypeGCM}})), 3)
	require.Len(t, all(t, bs.All(ctx, &cv.BindingListParams{Identity: []string{"alice"}, BindingType: []cv.BindingType{cv.BindingTypeFCM}})), 1)
	bpage, err := bs.List(ctx, &cv.BindingListParams{BindingType: []cv.BindingType{cv.BindingTypeAPN, cv.BindingTypeFCM}, Identity: []string{"alice", "bob"}, ListParams: cv.ListParams{PageSize: cv.Ptr(2)}})
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/v1/Services/"+svc+"/Bindings?BindingType=apn&BindingType=fcm&Identity=alice&Identity=bob&PageSize=2&Page=0", bpage.Meta.URL)
	require.Len(t, all(t, bs.All(ctx, &cv.BindingListParams{BindingType: []cv.BindingType{cv.BindingTypeAPN, cv.BindingTypeFCM}, Identity: []string{"alice", "bob"}, ListParams: cv.ListParams{PageSize: cv.Ptr(2)}})), 3)

	// Address configurations by type.
	for _, ac := range []cv.AddressConfigurationCreateParams{
		{Type: cv.AddressConfigurationTypeSMS, Address: "+15017122661"},
		{Type: cv.AddressConfigurationTypeWhatsApp, Address: "whatsapp:+15017122661"},
		{Type: cv.AddressConfigurationTypeSMS, Address: "+15017122662"},
	} {
		_, err := c.AddressConfigurations.Create(ctx, &ac)
		require.NoError(t, err)
	}
	require.Len(t, all(t, c.AddressConfigurations.All(ctx, &cv.AddressConfigurationListParams{Type: cv.Ptr(cv.AddressConfigurationTypeSMS)})), 2)
	require.Len(t, all(t, c.AddressConfigurations.All(ctx, nil)), 3)
}

// A filtered list pages forward and back over the stored records: the
// records the filter skips never show, and previous_page_url walks back to
// the first page.
func TestPagingFilteredForwardAndBack(t *testing.T) {
	ctx := context.Background()
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	var active []string
	for i := range 9 {
		state := cv.ConversationStateActive
		if i%3 == 1 {
			state = cv.ConversationStateInactive
		}
		conv, err := c.Conversations.Create(ctx, &cv.ConversationCreateParams{State: cv.Ptr(state)})
		require.NoError(t, err)
		if state == cv.ConversationStateActive {
			active = append(active, conv.SID)
		}
	}
	sidsOfPage := func(body map[string]any) []string {
		var out []string
		for _, it := range body["conversations"].([]any) {
			out = append(out, it.(map[string]any)["sid"].(string))
		}
		return out
	}
	path := "/v1/Conversations?State=active&PageSize=2"
	var forward [][]string
	var pages []map[string]any
	for path != "" {
		status, body := raw(t, srv, "GET", path, nil)
		require.Equal(t, 200, status)
		forward = append(forward, sidsOfPage(body))
		pages = append(pages, body)
		next, _ := body["meta"].(map[string]any)["next_page_url"].(string)
		path = strings.TrimPrefix(next, srv.URL)
	}
	require.Equal(t, [][]string{active[0:2], active[2:4], active[4:6]}, forward)

	prev := pages[2]["meta"].(map[string]any)["previous_page_url"].(string)
	var back [][]string
	for prev != "" {
		status, body := raw(t, srv, "GET", strings.TrimPrefix(prev, srv.URL), nil)
		require.Equal(t, 200, status)
		back = append(back, sidsOfPage(body))
		prev, _ = body["meta"].(map[string]any)["previous_page_url"].(string)
	}
	require.Equal(t, [][]string{active[2:4], active[0:2]}, back)
}
