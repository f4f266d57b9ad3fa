package conversations

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/conversations-go/conversations/internal/rest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdBody is a list body of n conversations under key, with meta.
func pdBody(key string, n int, meta string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"sid":"CH%032d","friendly_name":"conversation %d","attributes":"{}","url":"https://conversations.twilio.com/v1/Conversations/CH%032d"}`, i, i, i)
	}
	return `{"` + key + `":[` + strings.Join(items, ",") + `],"meta":` + meta + `}`
}

// pdDecode runs d over body as the core does, with the Content-Length
// size (-1: unknown).
func pdDecode(t *testing.T, d *pageDecoder[Conversation], body string, size int64) error {
	t.Helper()
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: size}
	readErr, err := rest.Decode(resp, d, DefaultMaxResponseBytes, "GET", "/v1/Conversations")
	require.NoError(t, readErr)
	return err
}

// TestPageDecoderPresize: the items field the route names is allocated
// once for the page size asked for (at most presizeMax, and no more items
// than the body can hold); a short page keeps no more room than
// encoding/json would leave; a wrong guess or an empty page changes
// nothing the caller sees.
func TestPageDecoderPresize(t *testing.T) {
	meta := `{"page":0,"page_size":50,"key":"conversations"}`
	for _, tc := range []struct {
		name          string
		field, size   int
		n             int
		contentLength bool
		wantCap       int // 0: any cap in [n, 2n]
	}{
		{"full page", 0, 50, 50, false, 50},
		{"full page, Content-Length", 0, 50, 50, true, 50},
		{"page size above presizeMax", 0, 100, 100, false, 0},
		{"short page", 0, 50, 3, false, 0},
		{"half page", 0, 50, 25, false, 50},
		{"just under half", 0, 50, 24, false, 0},
		{"short page, Content-Length", 0, 50, 3, true, 0},
		{"one item", 0, 50, 1, false, 1},
		{"no size", 0, 0, 5, false, 0},
		{"unknown field", -1, 50, 50, false, 0},
		{"another field", 1, 50, 50, false, 0},
	} {
		body := pdBody("conversations", tc.n, meta)
		size := int64(-1)
		if tc.contentLength {
			size = int64(len(body))
		}
		d := &pageDecoder[Conversation]{field: tc.field, size: tc.size}
		require.NoError(t, pdDecode(t, d, body, size), tc.name)
		items := d.env.items()
		require.Len(t, items, tc.n, tc.name)
		for i, c := range items {
			assert.Equal(t, fmt.Sprintf("CH%032d", i), c.SID, tc.name)
		}
		if tc.wantCap != 0 {
			assert.Equal(t, tc.wantCap, cap(items), tc.name)
		} else {
			assert.LessOrEqual(t, cap(items), 2*tc.n, tc.name)
		}
		assert.Nil(t, d.env.Messages, "%s: the other fields stay nil", tc.name)
	}
	// Presizing is bounded by what the body's Content-Length can hold.
	d := &pageDecoder[Conversation]{field: 0, size: 50}
	body := pdBody("conversations", 2, meta)
	require.NoError(t, pdDecode(t, d, body, int64(len(body))))
	assert.Equal(t, len(body)/itemBytesMin, cap(d.env.Conversations), "two items in %d bytes: room for no more than fit", len(body))
	assert.Less(t, len(body)/itemBytesMin, 50)

	// A Content-Length of 0 (a hand-built response) presizes nothing.
	d = &pageDecoder[Conversation]{field: 0, size: 50}
	body = pdBody("conversations", 50, meta)
	require.NoError(t, pdDecode(t, d, body, 0))
	assert.Len(t, d.env.Conversations, 50)
	assert.NotEqual(t, 50, cap(d.env.Conversations))

	for _, body := range []string{
		`{"conversations":[],"meta":` + meta + `}`,
		`{"conversations":null,"meta":` + meta + `}`,
		`{"meta":` + meta + `}`,
		`{"messages":[],"meta":` + meta + `}`,
	} {
		for _, size := range []int64{-1, int64(len(body))} {
			d := &pageDecoder[Conversation]{field: 0, size: 50}
			require.NoError(t, pdDecode(t, d, body, size), body)
			var want envelope[Conversation]
			require.NoError(t, json.Unmarshal([]byte(body), &want))
			assert.Equal(t, want, d.env, "%s: as encoding/json decodes it", body)
		}
	}
}

// TestPageDigestLeavesOutMeta: two bodies that differ only in their meta
// values have the same digest, through the decoder (which finds the meta
// values in encoding/json's hands) and through its bodyDigest fallback;
// any other difference changes it.
func TestPageDigestLeavesOutMeta(t *testing.T) {
	items := pdBody("conversations", 2, "0")
	items = items[1:strings.LastIndex(items, `,"meta"`)] // "conversations":[...]
	digest := func(body string) uint64 {
		t.Helper()
		d := &pageDecoder[Conversation]{field: 0, size: 50}
		require.NoError(t, pdDecode(t, d, body, -1), body)
		assert.Equal(t, metaSpans{}, d.spans, "nothing of the body is kept")
		assert.Nil(t, d.env.Meta.seen)
		return d.digest
	}
	same := []string{
		`{` + items + `,"meta":{"page":0,"next_page_url":"https://h/v1/Conversations?PageToken=PT1","key":"conversations"}}`,
		`{` + items + `,"meta":{"page":7,"next_page_url":"https://h/v1/Conversations?PageToken=PT9\"}{[","key":"x"}}`,
		`{` + items + `,"meta":null}`,
	}
	base := digest(same[0])
	for _, b := range same {
		assert.Equal(t, base, digest(b), b)
	}
	metaFirst := digest(`{"meta":{"page":0,"url":"a"},` + items + `}`)
	assert.Equal(t, metaFirst, digest(`{"meta":{"page":1,"url":"b[{"},`+items+`}`), "meta first")
	twoMetas := digest(`{"meta":{"page":0},` + items + `,"meta":{"page":1}}`)
	assert.Equal(t, twoMetas, digest(`{"meta":{"page":5},`+items+`,"meta":{"page":6,"url":"x"}}`), "two metas")
	assert.Equal(t, twoMetas, digest(`{"meta":{"page":1},`+items+`,"meta":{"page":0}}`), "two metas swapped")
	threeMetas := digest(`{"meta":{"page":0},` + items + `,"meta":{"page":1},"meta":{}}`)
	assert.Equal(t, threeMetas, digest(`{"meta":{"page":3},`+items+`,"meta":{"page":4},"meta":{"url":"x"}}`), "three metas: the fallback")

	for _, other := range []string{
		strings.Replace(same[0], `CH0`, `CH1`, 1),
		strings.Replace(same[0], `conversation 1`, `conversation 2`, 1),
		`{` + items + `,"metb":{"page":0},"meta":{}}`,
		`{` + items + `,"extra":1,"meta":{"page":0}}`,
		`{"conversations":[],"meta":{"page":0}}`,
	} {
		assert.NotEqual(t, base, digest(other), other)
	}
	assert.NotEqual(t, twoMetas, threeMetas)
}

// TestMetaSpansDigest: the digest leaves out exactly the spans noted, in
// body order; spans that are not slices of the body, or too many, fall
// back to bodyDigest.
func TestMetaSpansDigest(t *testing.T) {
	body := []byte(`{"a":[1],"meta":{"x":1},"b":2,"meta":[3]}`)
	m1 := bytes.Index(body, []byte(`{"x":1}`))
	m2 := bytes.Index(body, []byte(`[3]`))
	cut := func(spans ...[2]int) uint64 {
		var h bytes.Buffer
		from := 0
		for _, s := range spans {
			h.Write(body[from:s[0]])
			from = s[1]
		}
		h.Write(body[from:])
		var d metaSpans
		return d.digest(h.Bytes())
	}
	var s metaSpans
	s.add(body[m1 : m1+7])
	s.add(body[m2 : m2+3])
	s.add(body[m1 : m1+7]) // decoded again: noted once
	assert.Equal(t, 2, s.n)
	assert.False(t, s.over)
	assert.Equal(t, cut([2]int{m1, m1 + 7}, [2]int{m2, m2 + 3}), s.digest(body))

	var one metaSpans
	one.add(body[m1 : m1+7])
	assert.Equal(t, cut([2]int{m1, m1 + 7}), one.digest(body))
	var empty metaSpans
	empty.add(body[m1:m1])
	assert.Equal(t, cut(), empty.digest(body), "an empty span leaves out nothing")

	fallback := newBodyDigest()
	fallback.write(body)
	var copied metaSpans
	copied.add([]byte(`{"x":1}`))
	assert.Equal(t, fallback.sum(), copied.digest(body), "not a slice of the body: the fallback")
	var shifted metaSpans
	shifted.add(body[m1 : m1+7])
	short := newBodyDigest()
	short.write(body[:m1+6])
	assert.Equal(t, short.sum(), shifted.digest(body[:m1+6]), "past the body's end: the fallback")
	var edges metaSpans
	edges.add(body[0:1])
	edges.add(body[len(body)-1:])
	assert.Equal(t, cut([2]int{0, 1}, [2]int{len(body) - 1, len(body)}), edges.digest(body), "spans at the body's ends")
	var backwards metaSpans
	backwards.add(body[m2 : m2+3])
	backwards.add(body[m1 : m1+7])
	assert.Equal(t, fallback.sum(), backwards.digest(body), "not in body order: the fallback")
	var over metaSpans
	over.add(body[m1 : m1+7])
	over.add(body[m2 : m2+3])
	over.add(body[1:2])
	assert.True(t, over.over)
	assert.Equal(t, fallback.sum(), over.digest(body), "too many: the fallback")
	assert.Equal(t, fallback.sum(), s.digest(body), "without spaces around the meta values, both ways give the same digest")
	assert.NotEqual(t, fallback.sum(), cut([2]int{m1, m1 + 7}))
}

// TestQuerySize: the PageSize of a list query.
func TestQuerySize(t *testing.T) {
	for q, want := range map[string]int{
		"": 50, "PageSize=7": 7, "Page=1&PageSize=20&PageToken=x": 20, "XPageSize=3": 50, "PageSize=x": 0,
		"PageSize=-2": 0, "PageSize=": 0, "Page=2": 50, "PageToken=PageSize%3D9&PageSize=9": 9,
	} {
		assert.Equal(t, want, querySize(q), q)
	}
}

// TestRouteField: every list's route names the envelope field its items
// come in (the json key of that field is the list's meta.key).
func TestRouteField(t *testing.T) {
	for route, key := range map[string]string{
		"Configuration/Addresses":                     "address_configurations",
		"Conversations":                               "conversations",
		"/v1/Services/{ChatServiceSid}/Conversations": "conversations",
		"Credentials":                                 "credentials",
		"Conversations/{ConversationSid}/Messages":    "messages",
		"Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts": "delivery_receipts",
		"Conversations/{ConversationSid}/Participants":                   "participants",
		"ParticipantConversations":                                       "conversations",
		"Roles":                                                          "roles",
		"Services":                                                       "services",
		"Bindings":                                                       "bindings",
		"Users":                                                          "users",
		"Users/{UserSid}/Conversations":                                  "conversations",
		"Conversations/{ConversationSid}/Webhooks":                       "webhooks",
	} {
		i := routeField(route)
		require.GreaterOrEqual(t, i, 0, route)
		f := reflect.TypeFor[envelope[Conversation]]().Field(i)
		assert.Equal(t, key, f.Tag.Get("json"), route)
		var e envelope[Conversation]
		assert.Same(t, reflect.ValueOf(&e).Elem().Field(i).Addr().Interface(), e.field(i), route)
	}
	assert.Equal(t, -1, routeField("Conversations/{Sid}"))
	assert.Equal(t, -1, routeField(""))
	var e envelope[Conversation]
	assert.Nil(t, e.field(-1))
	assert.Nil(t, e.field(11))
	assert.Nil(t, e.items())
}

// TestDigestTarget: the digest of a page's path and query tells them
// apart.
func TestDigestTarget(t *testing.T) {
	seen := map[uint64]string{}
	for _, pq := range [][2]string{{"/v1/A", ""}, {"/v1/A", "x=1"}, {"/v1/A?x=1", ""}, {"/v1/B", "x=1"}, {"/v1/A", "x=2"}} {
		d := digestTarget(pq[0], pq[1])
		assert.Empty(t, seen[d], "%v collides with %s", pq, seen[d])
		seen[d] = fmt.Sprint(pq)
		assert.Equal(t, d, digestTarget(pq[0], pq[1]))
	}
}
