package eventstreams

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors of ParseBatch and ParseEvent. All wrap ErrMalformed; the Handler
// answers them with 400 Bad Request and processes none of the batch.
var (
	// ErrMalformed is the root of every parse error.
	ErrMalformed = errors.New("eventstreams: malformed batch")
	// ErrInvalidJSON: the body is not valid JSON.
	ErrInvalidJSON = fmt.Errorf("%w: body is not valid JSON", ErrMalformed)
	// ErrNotArray: the body is JSON but not an array ("the body of each
	// webhook is a JSON array of CloudEvents").
	ErrNotArray = fmt.Errorf("%w: body is not a JSON array of events", ErrMalformed)
	// ErrNotObject: an element of the array is not a JSON object.
	ErrNotObject = fmt.Errorf("%w: event is not a JSON object", ErrMalformed)
	// ErrMissingID: an event has no "id" (or not a non-empty string). Such
	// an event cannot be deduplicated.
	ErrMissingID = fmt.Errorf("%w: event has no id", ErrMalformed)
	// ErrMissingType: an event has no "type" (or not a non-empty string).
	ErrMissingType = fmt.Errorf("%w: event has no type", ErrMalformed)
)

// ParseBatch parses the body of an Event Streams webhook-sink request: a
// JSON array of CloudEvents. It returns every event typed (see Event), in
// the order received, or an error wrapping ErrMalformed when the body is
// not valid JSON, not an array, or holds an element that is not an object
// or has no id or type — then no event is returned, so none is processed.
// An empty array is a valid, empty batch.
//
// Parsing of the data is lenient, as in package webhook: a field of an
// unexpected JSON type or a date that does not parse leaves its Go field at
// the zero value; the data as received stays in Envelope.Data.
func ParseBatch(body []byte) ([]Event, error) {
	// Only JSON's own whitespace: bytes.TrimSpace would also take a
	// vertical tab or NBSP around the array, which no JSON parser accepts.
	body = bytes.Trim(body, jsonSpace)
	if !json.Valid(body) {
		return nil, ErrInvalidJSON
	}
	if len(body) == 0 || body[0] != '[' {
		return nil, ErrNotArray
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, ErrNotArray
	}
	events := make([]Event, 0, len(raws))
	for i, raw := range raws {
		e, err := ParseEvent(raw)
		if err != nil {
			return nil, fmt.Errorf("%w (element %d of the batch)", err, i)
		}
		events = append(events, e)
	}
	return events, nil
}

// jsonSpace is the whitespace JSON allows around a value (RFC 8259, 2).
const jsonSpace = " \t\r\n"

// ParseEvent parses one CloudEvent of a batch; see ParseBatch.
func ParseEvent(raw json.RawMessage) (Event, error) {
	raw = bytes.Trim(raw, jsonSpace)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, ErrNotObject
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, ErrNotObject
	}
	attrs := newFields(obj)
	env := Envelope{
		ID:              attrs.str("id"),
		Type:            EventType(attrs.str("type")),
		Source:          attrs.str("source"),
		SpecVersion:     attrs.str("specversion"),
		Time:            attrs.time("time"),
		DataSchema:      attrs.str("dataschema"),
		DataContentType: attrs.str("datacontenttype"),
		Data:            attrs.raw("data"),
		Raw:             append(json.RawMessage(nil), raw...),
	}
	if env.ID == "" {
		return nil, ErrMissingID
	}
	if env.Type == "" {
		return nil, ErrMissingType
	}
	env.SchemaVersion = schemaVersion(env.DataSchema)

	var data map[string]json.RawMessage
	if len(env.Data) > 0 && env.Data[0] == '{' {
		_ = json.Unmarshal(env.Data, &data)
	}
	d := newFields(data)
	switch env.Type {
	case ConversationAdded, ConversationUpdated, ConversationRemoved:
		e := &ConversationEvent{
			Envelope:            env,
			AccountSID:          d.str("AccountSid"),
			ConversationSID:     d.str("ConversationSid"),
			FriendlyName:        d.str("FriendlyName"),
			UniqueName:          d.str("UniqueName"),
			State:               d.str("State"),
			MessagingServiceSID: d.str("MessagingServiceSid"),
			Attributes:          d.raw("Attributes"),
			DateCreated:         d.time("DateCreated"),
			DateUpdated:         d.time("DateUpdated"),
			MessageBody:         d.str("MessageBody"),
			MessageSubject:      d.str("MessageSubject"),
			AuthorFriendlyName:  d.str("AuthorFriendlyName"),
			Media:               d.media("Media"),
			MessagingBinding:    d.binding("MessagingBinding"),
			EmailBinding:        d.email("Bindings"),
		}
		e.Extra = d.extra()
		return e, nil
	case ConversationStateUpdated:
		e := &ConversationStateEvent{
			Envelope:            env,
			AccountSID:          d.str("AccountSid"),
			ConversationSID:     d.str("ConversationSid"),
			MessagingServiceSID: d.str("MessagingServiceSid"),
			StateUpdated:        d.time("StateUpdated"),
			StateFrom:           d.str("StateFrom"),
			StateTo:             d.str("StateTo"),
			Reason:              d.str("Reason"),
		}
		e.Extra = d.extra()
		return e, nil
	case MessageAdded, MessageUpdated, MessageRemoved:
		e := &MessageEvent{
			Envelope:            env,
			AccountSID:          d.str("AccountSid"),
			ConversationSID:     d.str("ConversationSid"),
			MessageSID:          d.str("MessageSid"),
			Index:               decodePtr[int](d, "Index"),
			Author:              d.str("Author"),
			ParticipantSID:      d.str("ParticipantSid"),
			MessageBody:         d.str("MessageBody"),
			MessageSubject:      d.str("MessageSubject"),
			MessagingServiceSID: d.str("MessagingServiceSid"),
			ContentSID:          d.str("ContentSid"),
			Attributes:          d.raw("Attributes"),
			Media:               d.media("Media"),
			DateCreated:         d.time("DateCreated"),
			DateUpdated:         d.time("DateUpdated"),
		}
		e.Extra = d.extra()
		return e, nil
	case ParticipantAdded, ParticipantUpdated, ParticipantRemoved:
		e := &ParticipantEvent{
			Envelope:         env,
			AccountSID:       d.str("AccountSid"),
			ConversationSID:  d.str("ConversationSid"),
			ParticipantSID:   d.str("ParticipantSid"),
			Identity:         d.str("Identity"),
			RoleSID:          d.str("RoleSid"),
			Attributes:       d.raw("Attributes"),
			MessagingBinding: d.binding("MessagingBinding"),
			DateCreated:      d.time("DateCreated"),
			DateUpdated:      d.time("DateUpdated"),
		}
		e.Extra = d.extra()
		return e, nil
	case UserAdded, UserUpdated:
		e := &UserEvent{
			Envelope:     env,
			AccountSID:   d.str("AccountSid"),
			UserSID:      d.str("UserSid"),
			Identity:     d.str("Identity"),
			FriendlyName: d.str("FriendlyName"),
			RoleSID:      d.str("RoleSid"),
			Attributes:   d.raw("Attributes"),
			DateCreated:  d.time("DateCreated"),
			DateUpdated:  d.time("DateUpdated"),
			IsOnline:     decodePtr[bool](d, "IsOnline"),
			IsNotifiable: decodePtr[bool](d, "IsNotifiable"),
		}
		e.Extra = d.extra()
		return e, nil
	}
	return &GenericEvent{Envelope: env}, nil
}

// schemaVersion returns the number after the last "/" of a dataschema URL.
func schemaVersion(dataschema string) int {
	i := strings.LastIndexByte(dataschema, '/')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(dataschema[i+1:])
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// fields reads typed values out of a JSON object and remembers which keys
// were read, so the rest can go to Extra.
type fields struct {
	m    map[string]json.RawMessage
	used map[string]bool
}

func newFields(m map[string]json.RawMessage) *fields {
	return &fields{m: m, used: map[string]bool{}}
}

func (f *fields) get(key string) json.RawMessage {
	f.used[key] = true
	v := f.m[key]
	if string(v) == "null" {
		return nil
	}
	return v
}

// decode unmarshals key's value into a new T; it reports false when the key
// is absent, null or not a T.
func decode[T any](f *fields, key string) (T, bool) {
	var x T
	v := f.get(key)
	ok := v != nil && json.Unmarshal(v, &x) == nil
	return x, ok
}

// decodePtr is decode's value as a pointer, nil when there is none.
func decodePtr[T any](f *fields, key string) *T {
	if x, ok := decode[T](f, key); ok {
		return &x
	}
	return nil
}

func (f *fields) str(key string) string {
	s, _ := decode[string](f, key)
	return s
}

func (f *fields) raw(key string) json.RawMessage {
	if v := f.get(key); v != nil {
		return append(json.RawMessage(nil), v...)
	}
	return nil
}

func (f *fields) time(key string) time.Time {
	s := f.str(key)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s) // RFC 3339 accepts fractional seconds
	if err != nil {
		return time.Time{}
	}
	return t
}

func (f *fields) object(key string) *fields {
	var m map[string]json.RawMessage
	if v := f.get(key); v != nil {
		_ = json.Unmarshal(v, &m)
	}
	return newFields(m)
}

func (f *fields) media(key string) []Media {
	var items []json.RawMessage
	if v := f.get(key); v == nil || json.Unmarshal(v, &items) != nil {
		return nil
	}
	out := make([]Media, 0, len(items))
	for _, it := range items {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(it, &m)
		o := newFields(m)
		size, _ := decode[int64](o, "Size")
		out = append(out, Media{SID: o.str("MediaSid"), Filename: o.str("Filename"), ContentType: o.str("ContentType"), Size: size})
	}
	return out
}

func (f *fields) binding(key string) MessagingBinding {
	o := f.object(key)
	return MessagingBinding{
		Address:          o.str("Address"),
		ProxyAddress:     o.str("ProxyAddress"),
		ProjectedAddress: o.str("ProjectedAddress"),
		AuthorAddress:    o.str("AuthorAddress"),
		Type:             o.str("Type"),
		Level:            o.str("Level"),
		Name:             o.str("Name"),
	}
}

func (f *fields) email(key string) EmailBinding {
	o := f.object(key).object("Email")
	return EmailBinding{Name: o.str("Name"), ProjectedAddress: o.str("ProjectedAddress")}
}

func (f *fields) extra() map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range f.m {
		if !f.used[k] {
			out[k] = append(json.RawMessage(nil), v...)
		}
	}
	return out
}
