package eventstreams

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// testdata/docs_examples.json holds the example events of Twilio's event
// type pages, as printed there (Event Types → Conversations → Conversation,
// Conversation State, Message, Participant, User; the "datacontenttype"
// holding a date is the pages' own), and the test event of the Event
// Streams validation tutorials. Each decodes to exactly these values.
func TestParseBatch_DocsExamples(t *testing.T) {
	body, err := os.ReadFile("testdata/docs_examples.json")
	require.NoError(t, err)
	events, err := ParseBatch(body)
	require.NoError(t, err)
	require.Len(t, events, 6)

	conv := events[0].(*ConversationEvent)
	assert.Equal(t, Envelope{
		ID: "NO00000000000000000000000001", Type: ConversationAdded, Source: "AB00000000000000000000000001",
		SpecVersion: "1.0", DataSchema: "https://events-schemas.twilio.com/Conversations.ConversationAdded/2",
		SchemaVersion: 2, DataContentType: "2025-10-08T07:17:02.363Z",
	}, stripRaw(conv.Envelope))
	assert.Equal(t, "ACe95cfd541a925a3337fec19a0200009", conv.AccountSID)
	assert.Equal(t, "whatsapp:+11234567890", conv.FriendlyName)
	assert.Equal(t, "My conversation with +11234567890", conv.UniqueName)
	assert.Equal(t, "active", conv.State)
	assert.Equal(t, "CHee95cfd541a925a3337fec19a0200009", conv.ConversationSID)
	assert.Equal(t, ts("2025-01-01T00:00:00Z"), conv.DateCreated)
	assert.True(t, conv.DateUpdated.IsZero())
	assert.Equal(t, "MGee95cfd541a925a3337fec19a0200009", conv.MessagingServiceSID)
	assert.Equal(t, "Ahoy!", conv.MessageBody)
	assert.Equal(t, "Welcome to Twilio", conv.MessageSubject)
	assert.Equal(t, MessagingBinding{ProxyAddress: "whatsapp:+11234567890", ProjectedAddress: "[whatsapp:+12345678901]", AuthorAddress: "whatsapp:+13456789012", Address: "whatsapp:+14567890123"}, conv.MessagingBinding)
	assert.Equal(t, EmailBinding{Name: "Support at MyCompany", ProjectedAddress: "info@mycompany.com"}, conv.EmailBinding)
	assert.Equal(t, "My friendly name", conv.AuthorFriendlyName)
	media := []Media{{SID: "ME0000000000000000000000000000001", Filename: "00000000-0000-0000-0000-000000000000.png", ContentType: "image/png", Size: 12232}}
	assert.Equal(t, media, conv.Media)
	assert.Empty(t, conv.Extra)
	assert.NotNil(t, conv.Extra)

	st := events[1].(*ConversationStateEvent)
	assert.Equal(t, ConversationStateUpdated, st.Type)
	assert.Equal(t, &ConversationStateEvent{
		Envelope: st.Envelope, AccountSID: "ACe95cfd541a925a3337fec19a0200009", ConversationSID: "CHee95cfd541a925a3337fec19a0200009",
		MessagingServiceSID: "MGee95cfd541a925a3337fec19a0200009", StateUpdated: ts("2025-01-01T00:00:00Z"),
		StateFrom: "active", StateTo: "inactive", Reason: "API", Extra: map[string]json.RawMessage{},
	}, st)

	msg := events[2].(*MessageEvent)
	assert.Equal(t, &MessageEvent{
		Envelope: msg.Envelope, AccountSID: "ACe95cfd541a925a3337fec19a0200009", Author: "system",
		ParticipantSID: "MBe95cfd541a925a3337fec19a0200009", ConversationSID: "CHee95cfd541a925a3337fec19a0200009",
		MessageSID: "IMee95cfd541a925a3337fec19a0200009", Index: ptr(10), MessageBody: "Ahoy!",
		DateCreated: ts("2025-01-01T00:00:00Z"), MessageSubject: "Welcome to Twilio",
		MessagingServiceSID: "MGee95cfd541a925a3337fec19a0200009", ContentSID: "HXee95cfd541a925a3337fec19a0200009",
		Media: media, Extra: map[string]json.RawMessage{},
	}, msg)
	assert.Equal(t, 2, msg.SchemaVersion)

	part := events[3].(*ParticipantEvent)
	assert.Equal(t, &ParticipantEvent{
		Envelope: part.Envelope, AccountSID: "ACe95cfd541a925a3337fec19a0200009", ParticipantSID: "MB0119bde8f8b74237a4606d1447c9ebcf",
		Identity: "FX0000000000000000000000000000001", RoleSID: "RLe95cfd541a925a3337fec19a0200009",
		ConversationSID: "CHee95cfd541a925a3337fec19a0200009", DateCreated: ts("2025-01-01T00:00:00Z"),
		MessagingBinding: MessagingBinding{ProxyAddress: "whatsapp:+11234567890", ProjectedAddress: "[whatsapp:+12345678901]", Address: "whatsapp:+14567890123", Type: "SMS", Level: "cc", Name: "John Doe"},
		Extra:            map[string]json.RawMessage{},
	}, part)

	user := events[4].(*UserEvent)
	assert.Equal(t, &UserEvent{
		Envelope: user.Envelope, AccountSID: "ACe95cfd541a925a3337fec19a0200009", UserSID: "USe95cfd541a925a3337fec19a0200009",
		Identity: "FX0000000000000000000000000000001", FriendlyName: "My name", RoleSID: "RLe95cfd541a925a3337fec19a0200009",
		DateCreated: ts("2025-01-01T00:00:00Z"), DateUpdated: ts("2025-01-01T00:00:01Z"),
		IsOnline: ptr(true), IsNotifiable: ptr(true), Extra: map[string]json.RawMessage{},
	}, user)

	gen := events[5].(*GenericEvent)
	assert.Equal(t, Envelope{
		ID: "AC11111111111111111111111111111111", Type: "com.twilio.eventstreams.test-event", Source: "Sink", SpecVersion: "1.0",
		Time: ts("2026-06-10T06:02:54.377Z"), DataSchema: "https://events-schemas.twilio.com/EventStreams.TestSink/1.json",
		DataContentType: "application/json",
	}, stripRaw(gen.Envelope))
	assert.JSONEq(t, `{"test_id":"cae2f9e2-c277-4612-8ad3-93c1a7a3ef88"}`, string(gen.Data))
	var whole []json.RawMessage
	require.NoError(t, json.Unmarshal(body, &whole))
	for i, e := range events {
		assert.JSONEq(t, string(whole[i]), string(e.Base().Raw))
	}
}

func stripRaw(e Envelope) Envelope {
	e.Raw, e.Data = nil, nil
	return e
}

// Every Conversations type decodes to its Go type; unknown data fields go
// to Extra; malformed values leave zero fields; Attributes is passed on as
// sent, object or string.
func TestParseEvent_TypesExtraAndLeniency(t *testing.T) {
	want := map[EventType]string{
		ConversationAdded: "*eventstreams.ConversationEvent", ConversationUpdated: "*eventstreams.ConversationEvent", ConversationRemoved: "*eventstreams.ConversationEvent",
		ConversationStateUpdated: "*eventstreams.ConversationStateEvent",
		MessageAdded:             "*eventstreams.MessageEvent", MessageUpdated: "*eventstreams.MessageEvent", MessageRemoved: "*eventstreams.MessageEvent",
		ParticipantAdded: "*eventstreams.ParticipantEvent", ParticipantUpdated: "*eventstreams.ParticipantEvent", ParticipantRemoved: "*eventstreams.ParticipantEvent",
		UserAdded: "*eventstreams.UserEvent", UserUpdated: "*eventstreams.UserEvent",
	}
	require.Len(t, ConversationsTypes, len(want))
	for _, typ := range ConversationsTypes {
		e, err := ParseEvent(json.RawMessage(`{"id":"EZ1","type":"` + string(typ) + `","data":{"NewField":[1,2]}}`))
		require.NoError(t, err)
		assert.Equal(t, want[typ], typeName(e), typ)
		assert.Equal(t, typ, e.Base().Type)
	}

	e, err := ParseEvent(json.RawMessage(`{"id":"EZ2","type":"com.twilio.conversations.message.updated","time":"yesterday","dataschema":"x/y",
		"data":{"Index":"ten","DateUpdated":"2025-02-03T04:05:06.789Z","DateCreated":17,"Attributes":"{\"a\":1}","MessageBody":null,"Unknown":{"x":true}}}`))
	require.NoError(t, err)
	m := e.(*MessageEvent)
	assert.Nil(t, m.Index)
	assert.True(t, m.DateCreated.IsZero())
	assert.True(t, m.Time.IsZero())
	assert.Equal(t, 0, m.SchemaVersion)
	assert.Equal(t, time.Date(2025, 2, 3, 4, 5, 6, 789e6, time.UTC), m.DateUpdated)
	assert.Equal(t, `"{\"a\":1}"`, string(m.Attributes))
	assert.Equal(t, map[string]json.RawMessage{"Unknown": json.RawMessage(`{"x":true}`)}, m.Extra)

	u, err := ParseEvent(json.RawMessage(`{"id":"EZ3","type":"com.twilio.conversations.user.added","data":{"Attributes":{"team":"blue"}}}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"team":"blue"}`, string(u.(*UserEvent).Attributes))
	assert.Nil(t, u.(*UserEvent).IsOnline)

	// No data at all, or data that is not an object: typed, empty.
	for _, data := range []string{``, `,"data":null`, `,"data":"x"`, `,"data":[1]`} {
		e, err := ParseEvent(json.RawMessage(`{"id":"EZ4","type":"com.twilio.conversations.participant.removed"` + data + `}`))
		require.NoError(t, err, data)
		assert.Equal(t, "", e.(*ParticipantEvent).ParticipantSID)
		assert.Empty(t, e.(*ParticipantEvent).Extra)
	}
}

func typeName(e Event) string {
	switch e.(type) {
	case *ConversationEvent:
		return "*eventstreams.ConversationEvent"
	case *ConversationStateEvent:
		return "*eventstreams.ConversationStateEvent"
	case *MessageEvent:
		return "*eventstreams.MessageEvent"
	case *ParticipantEvent:
		return "*eventstreams.ParticipantEvent"
	case *UserEvent:
		return "*eventstreams.UserEvent"
	case *GenericEvent:
		return "*eventstreams.GenericEvent"
	}
	return "?"
}

// A batch that is not JSON, not an array, or holds an element that is not
// an object or has no id or type is refused as a whole.
func TestParseBatch_Rejections(t *testing.T) {
	ok := `{"id":"EZ1","type":"com.twilio.conversations.user.added","data":{}}`
	cases := []struct {
		body string
		want error
	}{
		{``, ErrInvalidJSON},
		{`[`, ErrInvalidJSON},
		{`[{"id":"EZ1"}`, ErrInvalidJSON},
		{`{"id":"EZ1","type":"t"}`, ErrNotArray},
		{`"[]"`, ErrNotArray},
		{`null`, ErrNotArray},
		{`[` + ok + `,1]`, ErrNotObject},
		{`[` + ok + `,null]`, ErrNotObject},
		{`[` + ok + `,["x"]]`, ErrNotObject},
		{`[` + ok + `,{"type":"t"}]`, ErrMissingID},
		{`[` + ok + `,{"id":"","type":"t"}]`, ErrMissingID},
		{`[` + ok + `,{"id":7,"type":"t"}]`, ErrMissingID},
		{`[` + ok + `,{"id":"EZ2"}]`, ErrMissingType},
		{`[` + ok + `,{"id":"EZ2","type":null}]`, ErrMissingType},
	}
	for _, c := range cases {
		events, err := ParseBatch([]byte(c.body))
		assert.Nil(t, events, c.body)
		assert.True(t, errors.Is(err, c.want), "%s: %v, want %v", c.body, err, c.want)
		assert.ErrorIs(t, err, ErrMalformed, c.body)
	}
	events, err := ParseBatch([]byte(" [ ] "))
	require.NoError(t, err)
	assert.Empty(t, events)
}
