package webhook

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func common(t EventType) url.Values {
	return url.Values{
		"EventType":      {string(t)},
		"AccountSid":     {"AC00000000000000000000000000000001"},
		"Source":         {"SDK"},
		"ClientIdentity": {"alice"},
	}
}

func merge(a url.Values, kv ...string) url.Values {
	for i := 0; i+1 < len(kv); i += 2 {
		a.Set(kv[i], kv[i+1])
	}
	return a
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEventTypes_DocumentedList(t *testing.T) {
	// The 23 names of the "Webhook Action Triggers" table of "Conversations
	// Webhooks" (also the webhook Filters enum of the REST API).
	want := []EventType{
		"onConversationAdd", "onConversationAdded", "onConversationUpdate", "onConversationUpdated",
		"onConversationRemove", "onConversationRemoved", "onConversationStateUpdated",
		"onMessageAdd", "onMessageAdded", "onMessageUpdate", "onMessageUpdated",
		"onMessageRemove", "onMessageRemoved",
		"onParticipantAdd", "onParticipantAdded", "onParticipantUpdate", "onParticipantUpdated",
		"onParticipantRemove", "onParticipantRemoved",
		"onDeliveryUpdated", "onUserAdded", "onUserUpdate", "onUserUpdated",
	}
	assert.Equal(t, want, EventTypes())

	pre := map[EventType]bool{
		OnConversationAdd: true, OnConversationUpdate: true, OnConversationRemove: true,
		OnMessageAdd: true, OnMessageUpdate: true, OnMessageRemove: true,
		OnParticipantAdd: true, OnParticipantUpdate: true, OnParticipantRemove: true,
		OnUserUpdate: true,
	}
	for _, et := range want {
		assert.True(t, et.Known(), et)
		assert.Equal(t, pre[et], et.IsPreAction(), et)
		assert.Equal(t, !pre[et], et.IsPostAction(), et)
		assert.Equal(t, string(et), et.String())
	}
	assert.False(t, EventType("onSomethingNew").Known())
	assert.False(t, EventType("onSomethingNew").IsPreAction())
	assert.False(t, EventType("onSomethingNew").IsPostAction())
}

func TestParseEvent_EveryTypeHasItsGoType(t *testing.T) {
	for _, et := range EventTypes() {
		ev, err := ParseEvent(common(et))
		require.NoError(t, err, et)
		assert.Equal(t, et, ev.Base().EventType)
		var ok bool
		switch et {
		case OnConversationAdd, OnConversationAdded, OnConversationUpdate, OnConversationUpdated, OnConversationRemove, OnConversationRemoved:
			_, ok = ev.(*ConversationEvent)
		case OnConversationStateUpdated:
			_, ok = ev.(*ConversationStateEvent)
		case OnMessageAdd, OnMessageAdded, OnMessageUpdate, OnMessageUpdated, OnMessageRemove, OnMessageRemoved:
			_, ok = ev.(*MessageEvent)
		case OnParticipantAdd, OnParticipantAdded, OnParticipantUpdate, OnParticipantUpdated, OnParticipantRemove, OnParticipantRemoved:
			_, ok = ev.(*ParticipantEvent)
		case OnDeliveryUpdated:
			_, ok = ev.(*DeliveryEvent)
		case OnUserAdded, OnUserUpdate, OnUserUpdated:
			_, ok = ev.(*UserEvent)
		}
		assert.True(t, ok, "%s parsed as %T", et, ev)
	}
}

func TestParseEvent_Common(t *testing.T) {
	ev, err := ParseEvent(common(OnMessageAdded))
	require.NoError(t, err)
	c := ev.Base()
	assert.Equal(t, "AC00000000000000000000000000000001", c.AccountSID)
	assert.Equal(t, "SDK", c.Source)
	assert.Equal(t, "alice", c.ClientIdentity)
	assert.False(t, c.IsPreAction())
	assert.Empty(t, c.Extra)
	assert.NotNil(t, c.Extra)
	assert.Len(t, c.Raw, 4)
}

func TestParseEvent_MessageAdd(t *testing.T) {
	v := merge(common(OnMessageAdd),
		"ConversationSid", "CH00000000000000000000000000000001",
		"Body", "hello",
		"Author", "alice",
		"ParticipantSid", "MB00000000000000000000000000000001",
		"Attributes", `{"importance":"high"}`,
		"Media", `[{"Sid":"ME00000000000000000000000000000001","Filename":"cat.png","ContentType":"image/png","Size":1234,"Category":"media"}]`,
		"RetryCount", "0", // not documented: must land in Extra
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*MessageEvent)
	assert.True(t, e.IsPreAction())
	assert.Equal(t, "CH00000000000000000000000000000001", e.ConversationSID)
	assert.Equal(t, "hello", e.Body)
	assert.Equal(t, "alice", e.Author)
	assert.Equal(t, "MB00000000000000000000000000000001", e.ParticipantSID)
	assert.Equal(t, `{"importance":"high"}`, e.Attributes)
	assert.Nil(t, e.Index, "onMessageAdd has no Index")
	require.Len(t, e.Media, 1)
	m := e.Media[0]
	assert.Equal(t, "ME00000000000000000000000000000001", m.SID)
	assert.Equal(t, "cat.png", m.Filename)
	assert.Equal(t, "image/png", m.ContentType)
	assert.Equal(t, int64(1234), m.Size)
	assert.Equal(t, "media", m.Category)
	assert.JSONEq(t, `{"Sid":"ME00000000000000000000000000000001","Filename":"cat.png","ContentType":"image/png","Size":1234,"Category":"media"}`, string(m.Raw))
	assert.Equal(t, url.Values{"RetryCount": {"0"}}, e.Extra)
	assert.Equal(t, "0", e.Raw.Get("RetryCount"))
	assert.Equal(t, "hello", e.Raw.Get("Body"))
}

func TestParseEvent_MessageRemoved(t *testing.T) {
	v := merge(common(OnMessageRemoved),
		"ConversationSid", "CH1",
		"MessageSid", "IM1",
		"MessagingServiceSid", "MG1",
		"Index", "0",
		"DateCreated", "2024-05-01T10:00:00.000Z",
		"DateUpdated", "2024-05-01T10:05:00Z",
		"DateRemoved", "2024-05-01T11:00:00.123Z",
		"Body", "bye",
		"Author", "+15555550100",
		"Attributes", "{}",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*MessageEvent)
	assert.Equal(t, "IM1", e.MessageSID)
	assert.Equal(t, "MG1", e.MessagingServiceSID)
	require.NotNil(t, e.Index)
	assert.Equal(t, 0, *e.Index)
	assert.True(t, e.DateCreated.Equal(ts("2024-05-01T10:00:00Z")))
	assert.True(t, e.DateUpdated.Equal(ts("2024-05-01T10:05:00Z")))
	assert.True(t, e.DateRemoved.Equal(ts("2024-05-01T11:00:00.123Z")))
	assert.Nil(t, e.Media)
	assert.Empty(t, e.Extra)
}

func TestParseEvent_MediaKeySpellings(t *testing.T) {
	v := merge(common(OnMessageAdded), "Media",
		`[{"sid":"ME1","filename":"a.jpg","content_type":"image/jpeg","size":"42","category":"media"},`+
			`{"MediaSid":"ME2","ContentType":"audio/ogg","Size":7}]`)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	media := ev.(*MessageEvent).Media
	require.Len(t, media, 2)
	assert.Equal(t, Media{SID: "ME1", Filename: "a.jpg", ContentType: "image/jpeg", Size: 42, Category: "media", Raw: media[0].Raw}, media[0])
	assert.Equal(t, "ME2", media[1].SID)
	assert.Equal(t, "audio/ogg", media[1].ContentType)
	assert.Equal(t, int64(7), media[1].Size)
}

func TestParseEvent_LenientFields(t *testing.T) {
	v := merge(common(OnMessageUpdated),
		"Index", "not-a-number",
		"DateCreated", "yesterday",
		"Media", "{broken",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*MessageEvent)
	assert.Nil(t, e.Index)
	assert.True(t, e.DateCreated.IsZero())
	assert.Nil(t, e.Media)
	assert.Equal(t, "not-a-number", e.Raw.Get("Index"))
	assert.Equal(t, "yesterday", e.Raw.Get("DateCreated"))
	assert.Empty(t, e.Extra, "known but malformed fields are not 'extra'")
}

func TestParseEvent_ConversationAdd(t *testing.T) {
	v := merge(common(OnConversationAdd),
		"FriendlyName", "Support",
		"UniqueName", "support-42",
		"Attributes", `{"topic":"billing"}`,
		"ChatServiceSid", "IS1",
		"MessagingServiceSid", "MG1",
		"MessagingBinding.ProxyAddress", "+15555550100",
		"MessagingBinding.Address", "+15555550199",
		"MessagingBinding.ProjectedAddress", "+15555550101",
		"MessagingBinding.AuthorAddress", "+15555550199",
		"MessageBody", "Hi there",
		"Media", `[{"Sid":"ME1","ContentType":"image/gif","Size":1}]`,
		"State", "active",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*ConversationEvent)
	assert.True(t, e.IsPreAction())
	assert.Equal(t, "Support", e.FriendlyName)
	assert.Equal(t, "support-42", e.UniqueName)
	assert.Equal(t, `{"topic":"billing"}`, e.Attributes)
	assert.Equal(t, "IS1", e.ChatServiceSID)
	assert.Equal(t, "MG1", e.MessagingServiceSID)
	assert.Equal(t, MessagingBinding{
		ProxyAddress: "+15555550100", Address: "+15555550199",
		ProjectedAddress: "+15555550101", AuthorAddress: "+15555550199",
	}, e.MessagingBinding)
	assert.False(t, e.MessagingBinding.IsZero())
	assert.Equal(t, "Hi there", e.MessageBody)
	require.Len(t, e.Media, 1)
	assert.Equal(t, "image/gif", e.Media[0].ContentType)
	assert.Equal(t, "active", e.State)
	assert.Empty(t, e.ConversationSID)
	assert.Empty(t, e.Extra)
}

func TestParseEvent_ConversationRemoved(t *testing.T) {
	v := merge(common(OnConversationRemoved),
		"ConversationSid", "CH1",
		"DateCreated", "2024-01-01T00:00:00Z",
		"DateUpdated", "2024-01-02T00:00:00Z",
		"DateRemoved", "2024-01-03T00:00:00Z",
		"State", "closed",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*ConversationEvent)
	assert.False(t, e.IsPreAction())
	assert.Equal(t, "CH1", e.ConversationSID)
	assert.True(t, e.DateRemoved.Equal(ts("2024-01-03T00:00:00Z")))
	assert.True(t, e.MessagingBinding.IsZero())
	assert.Equal(t, "closed", e.State)
}

func TestParseEvent_ConversationStateUpdated(t *testing.T) {
	v := merge(common(OnConversationStateUpdated),
		"ChatServiceSid", "IS1",
		"StateUpdated", "2024-02-02T02:02:02Z",
		"StateFrom", "active",
		"StateTo", "inactive",
		"ConversationSid", "CH1",
		"Reason", "TIMER",
		"MessagingServiceSid", "MG1",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*ConversationStateEvent)
	assert.Equal(t, "IS1", e.ChatServiceSID)
	assert.True(t, e.StateUpdated.Equal(ts("2024-02-02T02:02:02Z")))
	assert.Equal(t, "active", e.StateFrom)
	assert.Equal(t, "inactive", e.StateTo)
	assert.Equal(t, "CH1", e.ConversationSID)
	assert.Equal(t, "TIMER", e.Reason)
	assert.Equal(t, "MG1", e.MessagingServiceSID)
	assert.Empty(t, e.Extra)
}

func TestParseEvent_ParticipantUpdated(t *testing.T) {
	v := merge(common(OnParticipantUpdated),
		"ConversationSid", "CH1",
		"ParticipantSid", "MB1",
		"DateCreated", "2024-01-01T00:00:00Z",
		"DateUpdated", "2024-01-01T01:00:00Z",
		"Identity", "bob",
		"RoleSid", "RL1",
		"Attributes", "{}",
		"MessagingBinding.Type", "CHAT",
		"LastReadMessageIndex", "17",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*ParticipantEvent)
	assert.Equal(t, "MB1", e.ParticipantSID)
	assert.Equal(t, "bob", e.Identity)
	assert.Equal(t, "RL1", e.RoleSID)
	assert.Equal(t, "CHAT", e.MessagingBinding.Type)
	require.NotNil(t, e.LastReadMessageIndex)
	assert.Equal(t, 17, *e.LastReadMessageIndex)
	assert.True(t, e.DateUpdated.Equal(ts("2024-01-01T01:00:00Z")))
	assert.Empty(t, e.Extra)
}

func TestParseEvent_ParticipantAddSMS(t *testing.T) {
	v := merge(common(OnParticipantAdd),
		"ConversationSid", "CH1",
		"MessagingBinding.ProxyAddress", "+15555550100",
		"MessagingBinding.Address", "+15555550199",
		"MessagingBinding.Type", "SMS",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*ParticipantEvent)
	assert.True(t, e.IsPreAction())
	assert.Empty(t, e.Identity)
	assert.Equal(t, "+15555550100", e.MessagingBinding.ProxyAddress)
	assert.Equal(t, "+15555550199", e.MessagingBinding.Address)
	assert.Equal(t, "SMS", e.MessagingBinding.Type)
	assert.Nil(t, e.LastReadMessageIndex)
}

func TestParseEvent_DeliveryUpdated(t *testing.T) {
	v := merge(common(OnDeliveryUpdated),
		"ConversationSid", "CH1",
		"ChatServiceSid", "IS1",
		"MessageSid", "IM1",
		"DeliveryReceiptSid", "DY1",
		"ChannelMessageSid", "SM1",
		"ParticipantSid", "MB1",
		"Status", "undelivered",
		"ErrorCode", "30003",
		"DateCreated", "2024-03-03T03:03:03Z",
		"DateUpdated", "2024-03-03T03:04:03Z",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*DeliveryEvent)
	assert.Equal(t, "DY1", e.DeliveryReceiptSID)
	assert.Equal(t, "SM1", e.ChannelMessageSID)
	assert.Equal(t, "IM1", e.MessageSID)
	assert.Equal(t, "IS1", e.ChatServiceSID)
	assert.Equal(t, "MB1", e.ParticipantSID)
	assert.Equal(t, "undelivered", e.Status)
	require.NotNil(t, e.ErrorCode)
	assert.Equal(t, 30003, *e.ErrorCode)
	assert.True(t, e.DateUpdated.Equal(ts("2024-03-03T03:04:03Z")))
	assert.Empty(t, e.Extra)
}

func TestParseEvent_UserUpdated(t *testing.T) {
	v := merge(common(OnUserUpdated),
		"ChatServiceSid", "IS1",
		"UserSid", "US1",
		"DateCreated", "2024-01-01T00:00:00Z",
		"DateUpdated", "2024-01-05T00:00:00Z",
		"Identity", "carol",
		"RoleSid", "RL2",
		"Attributes", `{"vip":true}`,
		"FriendlyName", "Carol",
		"isOnline", "true",
		"isNotifiable", "false",
	)
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	e := ev.(*UserEvent)
	assert.Equal(t, "US1", e.UserSID)
	assert.Equal(t, "carol", e.Identity)
	assert.Equal(t, "Carol", e.FriendlyName)
	assert.Equal(t, "RL2", e.RoleSID)
	require.NotNil(t, e.IsOnline)
	require.NotNil(t, e.IsNotifiable)
	assert.True(t, *e.IsOnline)
	assert.False(t, *e.IsNotifiable)
	assert.Empty(t, e.Extra)

	ev, err = ParseEvent(merge(common(OnUserAdded), "UserSid", "US2"))
	require.NoError(t, err)
	assert.Nil(t, ev.(*UserEvent).IsOnline)
}

func TestParseEvent_UnknownTypeIsGeneric(t *testing.T) {
	v := merge(common("onSomethingNew"), "Foo", "bar", "ConversationSid", "CH1")
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	g, ok := ev.(*GenericEvent)
	require.True(t, ok, "%T", ev)
	assert.Equal(t, EventType("onSomethingNew"), g.EventType)
	assert.Equal(t, "alice", g.ClientIdentity)
	assert.Equal(t, url.Values{"Foo": {"bar"}, "ConversationSid": {"CH1"}}, g.Extra)
}

func TestParseEvent_MissingEventType(t *testing.T) {
	_, err := ParseEvent(url.Values{"Body": {"x"}})
	assert.ErrorIs(t, err, ErrNoEventType)
}

func TestParseEvent_ExtraIsACopy(t *testing.T) {
	v := merge(common(OnMessageAdded), "New", "1")
	ev, err := ParseEvent(v)
	require.NoError(t, err)
	ev.Base().Extra["New"][0] = "changed"
	assert.Equal(t, "1", v.Get("New"))
}

// Twilio sends ChatServiceSid with message and participant events too
// (the fake does, as the other event types): it is a typed field, not
// Extra, so a handler serving several services can route on it.
func TestParseEvent_ChatServiceSIDOnMessageAndParticipant(t *testing.T) {
	for _, typ := range []EventType{OnMessageAdd, OnMessageAdded, OnMessageUpdated, OnMessageRemoved} {
		ev, err := ParseEvent(merge(common(typ), "ChatServiceSid", "IS1", "ConversationSid", "CH1"))
		require.NoError(t, err)
		e, ok := ev.(*MessageEvent)
		require.True(t, ok, "%s parsed as %T", typ, ev)
		assert.Equal(t, "IS1", e.ChatServiceSID, typ)
		assert.Empty(t, e.Extra, typ)
	}
	for _, typ := range []EventType{OnParticipantAdd, OnParticipantAdded, OnParticipantUpdated, OnParticipantRemoved} {
		ev, err := ParseEvent(merge(common(typ), "ChatServiceSid", "IS2", "ConversationSid", "CH1"))
		require.NoError(t, err)
		e, ok := ev.(*ParticipantEvent)
		require.True(t, ok, "%s parsed as %T", typ, ev)
		assert.Equal(t, "IS2", e.ChatServiceSID, typ)
		assert.Empty(t, e.Extra, typ)
	}
}
