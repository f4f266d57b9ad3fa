package conversations

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageTBase is the configured base URL of the pagination tests: another host
// than Twilio's, with a path prefix, so that re-basing is visible.
const pageTBase = "https://proxy.example.test/twilio"

// pageTForeign is the host the API's next_page_url points to; nothing may go there.
const pageTForeign = "https://evil.example.com"

// pageTConv is a minimal Conversation body.
func pageTConv(sid string) string {
	return `{"sid":"` + sid + `","account_sid":"` + testAccountSID + `","friendly_name":"` + sid + `","attributes":"{}","state":"active"}`
}

// pageTBody is a Conversations page with the given SIDs; next is
// meta.next_page_url ("" for null).
func pageTBody(page int, next string, sids ...string) string {
	items := make([]string, len(sids))
	for i, s := range sids {
		items[i] = pageTConv(s)
	}
	n := "null"
	if next != "" {
		n = `"` + next + `"`
	}
	return fmt.Sprintf(`{"conversations":[%s],"meta":{"page":%d,"page_size":2,`+
		`"first_page_url":"https://conversations.twilio.com/v1/Conversations?PageSize=2&Page=0",`+
		`"previous_page_url":null,"url":"https://conversations.twilio.com/v1/Conversations?PageSize=2&Page=%d",`+
		`"next_page_url":%s,"key":"conversations"}}`, strings.Join(items, ","), page, page, n)
}

// pageTThreePages scripts three pages of five conversations whose
// next_page_url point to the foreign host, under prefix ("/v1" or
// "/v1/Services/IS...").
func pageTThreePages(t *testing.T, prefix string, opts ...Option) (*Client, *recorder) {
	t.Helper()
	c, rec := newRecorder(t, 200, pageTBody(0, pageTForeign+prefix+"/Conversations?PageSize=2&Page=1&PageToken=PT2", "CH1", "CH2"),
		append([]Option{WithBaseURL(pageTBase)}, opts...)...)
	rec.then(200, pageTBody(1, pageTForeign+prefix+"/Conversations?PageSize=2&Page=2&PageToken=PT3", "CH3", "CH4"))
	rec.then(200, pageTBody(2, "", "CH5"))
	return c, rec
}

// pageTWantQueries are the queries of the three pages' requests.
var pageTWantQueries = []url.Values{
	{"PageSize": {"2"}},
	{"PageSize": {"2"}, "Page": {"1"}, "PageToken": {"PT2"}},
	{"PageSize": {"2"}, "Page": {"2"}, "PageToken": {"PT3"}},
}

// pageTCollect ranges over seq and returns the SIDs and errors it yielded.
func pageTCollect(seq func(func(*Conversation, error) bool)) (sids []string, errs []error) {
	for conv, err := range seq {
		if err != nil {
			errs = append(errs, err)
			if conv != nil {
				sids = append(sids, "non-nil item with error: "+conv.SID)
			}
			continue
		}
		sids = append(sids, conv.SID)
	}
	return sids, errs
}

func TestPaginationAllThreePagesStaysOnConfiguredHost(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := pageTThreePages(t, sc.prefix)
			sids, errs := pageTCollect(sc.of(c).Conversations.All(context.Background(), &ConversationListParams{ListParams: ListParams{PageSize: Ptr(2)}}))
			assert.Empty(t, errs)
			assert.Equal(t, []string{"CH1", "CH2", "CH3", "CH4", "CH5"}, sids)

			reqs := rec.all()
			require.Len(t, reqs, 3)
			for i, r := range reqs {
				assert.Equal(t, "proxy.example.test", r.Host, "request %d", i)
				assertWire(t, r, "GET", "/twilio"+sc.prefix+"/Conversations", pageTWantQueries[i], nil)
				assert.NotContains(t, r.Host, "evil")
			}
		})
	}
}

func TestPaginationAllBreakStopsRequests(t *testing.T) {
	ctx := context.Background()
	t.Run("after the first item", func(t *testing.T) {
		c, rec := pageTThreePages(t, "/v1")
		var got []string
		for conv, err := range c.Conversations.All(ctx, nil) {
			require.NoError(t, err)
			got = append(got, conv.SID)
			break
		}
		assert.Equal(t, []string{"CH1"}, got)
		assert.Equal(t, 1, rec.count())
	})
	t.Run("after the last item of page 1", func(t *testing.T) {
		c, rec := pageTThreePages(t, "/v1")
		var got []string
		for conv, err := range c.Conversations.All(ctx, nil) {
			require.NoError(t, err)
			got = append(got, conv.SID)
			if len(got) == 2 {
				break
			}
		}
		assert.Equal(t, []string{"CH1", "CH2"}, got)
		assert.Equal(t, 1, rec.count(), "page 2 is not fetched before it is needed")
	})
	t.Run("nothing before ranging", func(t *testing.T) {
		c, rec := pageTThreePages(t, "/v1")
		seq := c.Conversations.All(ctx, nil)
		assert.NotNil(t, seq)
		assert.Equal(t, 0, rec.count(), "All itself sends nothing")
	})
}

func TestPaginationAllRangeTwice(t *testing.T) {
	c, rec := newRecorder(t, 200, pageTBody(0, pageTForeign+"/v1/Conversations?PageSize=2&Page=1&PageToken=PT2", "CH1", "CH2"), WithBaseURL(pageTBase))
	rec.then(200, pageTBody(1, "", "CH3"))
	rec.then(200, pageTBody(0, pageTForeign+"/v1/Conversations?PageSize=2&Page=1&PageToken=PT2", "CH1", "CH2"))
	rec.then(200, pageTBody(1, "", "CH3"))

	seq := c.Conversations.All(context.Background(), &ConversationListParams{ListParams: ListParams{PageSize: Ptr(2)}})
	first, errs := pageTCollect(seq)
	require.Empty(t, errs)
	assert.Equal(t, 2, rec.count())
	second, errs := pageTCollect(seq)
	require.Empty(t, errs)
	assert.Equal(t, 4, rec.count(), "the second range starts over")
	assert.Equal(t, []string{"CH1", "CH2", "CH3"}, first)
	assert.Equal(t, first, second)

	reqs := rec.all()
	assert.Equal(t, pageTWantQueries[0], reqs[2].Query, "the second range starts from the first page")
	assert.Equal(t, reqs[0].Query, reqs[2].Query)
	assert.Equal(t, reqs[1].Query, reqs[3].Query)
}

func TestPaginationAllErrorOnPage2(t *testing.T) {
	c, rec := newRecorder(t, 200, pageTBody(0, pageTForeign+"/v1/Conversations?PageSize=2&Page=1&PageToken=PT2", "CH1", "CH2"), WithBaseURL(pageTBase))
	rec.then(500, `{"code":20500,"message":"Internal Server Error","status":500}`)
	rec.then(200, pageTBody(2, "", "CH5")) // never asked for

	type yielded struct {
		sid string
		err error
	}
	var got []yielded
	for conv, err := range c.Conversations.All(context.Background(), nil) {
		y := yielded{err: err}
		if conv != nil {
			y.sid = conv.SID
		}
		got = append(got, y) // no break: the iterator must stop by itself
	}
	require.Len(t, got, 3)
	assert.Equal(t, yielded{sid: "CH1"}, got[0])
	assert.Equal(t, yielded{sid: "CH2"}, got[1])
	assert.Equal(t, "", got[2].sid, "the error comes with a nil item")
	var e *Error
	require.ErrorAs(t, got[2].err, &e)
	assert.Equal(t, 500, e.Status)
	assert.Equal(t, 20500, e.Code)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "/v1/Conversations", e.Path)
	assert.Equal(t, 2, rec.count(), "no request after the error")
	assert.Equal(t, url.Values{"PageSize": {"2"}, "Page": {"1"}, "PageToken": {"PT2"}}, rec.last(t).Query)
}

func TestPaginationAllErrorOnFirstPage(t *testing.T) {
	c, rec := newRecorder(t, 404, `{"code":20404,"message":"not found","status":404}`, WithBaseURL(pageTBase))
	var n int
	var gotErr error
	for conv, err := range c.Service(testServiceSID).Conversations.All(context.Background(), nil) {
		n++
		assert.Nil(t, conv)
		gotErr = err
	}
	assert.Equal(t, 1, n)
	assert.True(t, IsNotFound(gotErr), "%v", gotErr)
	assert.Equal(t, 1, rec.count())
}

func TestPaginationAllInvalidParams(t *testing.T) {
	c, rec := newRecorder(t, 200, pageTBody(0, ""))
	sids, errs := pageTCollect(c.Conversations.All(context.Background(), &ConversationListParams{ListParams: ListParams{PageSize: Ptr(101)}}))
	assert.Empty(t, sids)
	require.Len(t, errs, 1)
	var v *ValidationError
	require.ErrorAs(t, errs[0], &v)
	assert.Equal(t, "PageSize", v.Param)
	assert.Equal(t, 0, rec.count())
}

func TestPaginationParamsNotMutated(t *testing.T) {
	state := ConversationStateActive
	start := time.Date(2024, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))
	size := 2
	params := &ConversationListParams{StartDate: &start, State: &state, ListParams: ListParams{PageSize: &size}}
	want := &ConversationListParams{StartDate: Ptr(time.Date(2024, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))), State: Ptr(ConversationStateActive), ListParams: ListParams{PageSize: Ptr(2)}}
	wantQuery := url.Values{"StartDate": {"2024-01-01T00:00:00Z"}, "State": {"active"}, "PageSize": {"2"}}

	c, rec := pageTThreePages(t, "/v1")
	sids, errs := pageTCollect(c.Conversations.All(context.Background(), params))
	require.Empty(t, errs)
	assert.Len(t, sids, 5)
	assert.Equal(t, want, params, "All changed the caller's params")
	assert.Same(t, &start, params.StartDate)
	assert.Same(t, &state, params.State)
	assert.Same(t, &size, params.PageSize)
	assert.Nil(t, params.PageToken)
	assert.Nil(t, params.Page)
	assert.Equal(t, wantQuery, rec.all()[0].Query)

	// List and NextPage leave them alone too.
	c, _ = pageTThreePages(t, "/v1")
	page, err := c.Conversations.List(context.Background(), params)
	require.NoError(t, err)
	_, err = page.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, want, params, "List/NextPage changed the caller's params")
}

func TestPaginationListNextPageChain(t *testing.T) {
	ctx := context.Background()
	c, rec := pageTThreePages(t, "/v1")
	rec.then(200, pageTBody(1, pageTForeign+"/v1/Conversations?PageSize=2&Page=2&PageToken=PT3", "CH3", "CH4"))
	trace := WithHeader("X-Trace-Id", "pageT-1")

	p1, err := c.Conversations.List(ctx, &ConversationListParams{ListParams: ListParams{PageSize: Ptr(2)}}, trace)
	require.NoError(t, err)
	require.True(t, p1.HasNextPage())
	assert.Equal(t, []string{"CH1", "CH2"}, []string{p1.Items[0].SID, p1.Items[1].SID})

	p2, err := p1.NextPage(ctx)
	require.NoError(t, err)
	require.True(t, p2.HasNextPage())
	require.Len(t, p2.Items, 2)
	assert.Equal(t, "CH3", p2.Items[0].SID)
	assert.Equal(t, "CH4", p2.Items[1].SID)

	p3, err := p2.NextPage(ctx)
	require.NoError(t, err)
	assert.False(t, p3.HasNextPage())
	require.Len(t, p3.Items, 1)
	assert.Equal(t, "CH5", p3.Items[0].SID)
	assert.Equal(t, 2, p3.Meta.Page)

	p4, err := p3.NextPage(ctx)
	assert.Nil(t, p4)
	assert.ErrorIs(t, err, ErrNoNextPage)
	assert.True(t, errors.Is(fmt.Errorf("x: %w", err), ErrNoNextPage))

	// NextPage does not advance the page it is called on.
	again, err := p1.NextPage(ctx)
	require.NoError(t, err)
	assert.Equal(t, "CH3", again.Items[0].SID, "p1.NextPage fetches page 2 again")

	reqs := rec.all()
	require.Len(t, reqs, 4, "nothing sent for ErrNoNextPage")
	for i, want := range append(pageTWantQueries, pageTWantQueries[1]) {
		assert.Equal(t, "proxy.example.test", reqs[i].Host)
		assertWire(t, reqs[i], "GET", "/twilio/v1/Conversations", want, nil)
		assert.Equal(t, "pageT-1", reqs[i].Header.Get("X-Trace-Id"), "the List call's options carry over to request %d", i)
	}

	var nilPage *Page[Conversation]
	assert.False(t, nilPage.HasNextPage())
	_, err = nilPage.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)
}

func TestPaginationRelativeNextPageURL(t *testing.T) {
	c, rec := newRecorder(t, 200, pageTBody(0, "/v1/Conversations?PageSize=2&PageToken=PT2", "CH1"), WithBaseURL(pageTBase))
	rec.then(200, pageTBody(1, "", "CH2"))
	sids, errs := pageTCollect(c.Conversations.All(context.Background(), nil))
	require.Empty(t, errs)
	assert.Equal(t, []string{"CH1", "CH2"}, sids)
	r := rec.last(t)
	assert.Equal(t, "proxy.example.test", r.Host)
	assertWire(t, r, "GET", "/twilio/v1/Conversations", url.Values{"PageSize": {"2"}, "PageToken": {"PT2"}}, nil)
}

// pageTCheckBadNext checks that a next_page_url is refused: All yields the
// first page's item then one error, and NextPage returns that error, with
// no second request.
func pageTCheckBadNext(t *testing.T, next string) {
	t.Helper()
	c, rec := newRecorder(t, 200, pageTBody(0, next, "CH1"), WithBaseURL(pageTBase)) // every answer

	sids, errs := pageTCollect(c.Conversations.All(context.Background(), nil))
	assert.Equal(t, []string{"CH1"}, sids)
	assert.Equal(t, 1, rec.count(), "the bad URL is never requested")
	for _, r := range rec.all() {
		assert.Equal(t, "/twilio/v1/Conversations", r.Path, "requested path")
	}
	require.Len(t, errs, 1, "one error")
	var v *ValidationError
	require.ErrorAs(t, errs[0], &v)
	assert.Equal(t, "meta.next_page_url", v.Param)

	page, err := c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = page.NextPage(context.Background())
	require.ErrorAs(t, err, &v)
	assert.Equal(t, "meta.next_page_url", v.Param)
	assert.Equal(t, 2, rec.count())
}

func TestPaginationNextPageURLNotBelowV1(t *testing.T) {
	for _, next := range []string{
		"https://conversations.twilio.com/v2/Conversations?PageSize=2&PageToken=PT2",
		pageTForeign + "/steal?PageToken=PT2",
		pageTForeign + "/v1",
		pageTForeign + "/v10/Conversations?PageToken=PT2",
		pageTForeign + "/V1/Conversations?PageToken=PT2",
		"Conversations?PageToken=PT2",
		"%zz://bad",
	} {
		t.Run(next, func(t *testing.T) { pageTCheckBadNext(t, next) })
	}
}

// A next_page_url whose path starts with /v1/ but climbs out of it with dot
// segments is not below /v1/ either: servers and proxies normalise
// "/v1/../x" (and its %2e%2e spelling) to "/x".
func TestPaginationNextPageURLDotSegments(t *testing.T) {
	for _, next := range []string{
		pageTForeign + "/v1/../admin?PageToken=PT2",
		pageTForeign + "/v1/Conversations/../../admin?PageToken=PT2",
		pageTForeign + "/v1/%2e%2e/admin?PageToken=PT2",
	} {
		t.Run(next, func(t *testing.T) { pageTCheckBadNext(t, next) })
	}
}

func TestPaginationMetaDecoded(t *testing.T) {
	const body = `{"conversations":[` + `{"sid":"CH1"}` + `],"meta":{"page":3,"page_size":50,` +
		`"first_page_url":"https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=0",` +
		`"previous_page_url":"https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=2&PageToken=PB1",` +
		`"url":"https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=3",` +
		`"next_page_url":"https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=4&PageToken=PA2",` +
		`"key":"conversations","unknown_meta":{"x":1}}}`
	c, rec := newRecorder(t, 200, body)
	page, err := c.Conversations.List(context.Background(), &ConversationListParams{ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(3), PageToken: Ptr("PA1")}})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Conversations", url.Values{"PageSize": {"50"}, "Page": {"3"}, "PageToken": {"PA1"}}, nil)
	assert.Equal(t, Meta{
		Page:            3,
		PageSize:        50,
		FirstPageURL:    "https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=0",
		PreviousPageURL: "https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=2&PageToken=PB1",
		URL:             "https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=3",
		NextPageURL:     "https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=4&PageToken=PA2",
		Key:             "conversations",
	}, page.Meta)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "CH1", page.Items[0].SID)
	assert.True(t, page.HasNextPage())

	// null URLs decode as "".
	c, _ = newRecorder(t, 200, pageTBody(0, "", "CH1"))
	page, err = c.Conversations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "", page.Meta.PreviousPageURL)
	assert.Equal(t, "", page.Meta.NextPageURL)
	assert.Equal(t, 2, page.Meta.PageSize)
	assert.False(t, page.HasNextPage())
}

func TestPaginationEmptyPage(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{
		pageTBody(0, ""),
		`{"conversations":[],"meta":{"page":0,"page_size":50,"next_page_url":null,"key":"conversations"}}`,
		`{"conversations":null,"meta":{"page":0,"page_size":50,"next_page_url":null,"key":"conversations"}}`,
	} {
		c, rec := newRecorder(t, 200, body)
		page, err := c.Conversations.List(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Items)
		assert.False(t, page.HasNextPage())
		_, err = page.NextPage(ctx)
		assert.ErrorIs(t, err, ErrNoNextPage)

		sids, errs := pageTCollect(c.Conversations.All(ctx, nil))
		assert.Empty(t, sids)
		assert.Empty(t, errs)
		assert.Equal(t, 2, rec.count(), "one request each for List and All")
	}
}

// The recorder must have seen no request to the foreign host in any test
// above; this checks the recorder itself reports hosts, so that those
// assertions can fail.
func TestPaginationRecorderSeesHost(t *testing.T) {
	c, rec := newRecorder(t, 200, pageTBody(0, "", "CH1"), WithBaseURL(pageTForeign))
	_, err := c.Conversations.List(context.Background(), nil, WithHeader("X-Probe", "1"))
	require.NoError(t, err)
	assert.Equal(t, "evil.example.com", rec.last(t).Host)
	assert.Equal(t, http.MethodGet, rec.last(t).Method)
}

// TestPageOfAndSeqOf: the helpers for fakes.
func TestPageOfAndSeqOf(t *testing.T) {
	ctx := context.Background()
	items := []Conversation{{SID: "CH1"}, {SID: "CH2"}}
	last := PageOf(items, nil)
	assert.Equal(t, items, last.Items)
	assert.False(t, last.HasNextPage())
	_, err := last.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)

	boom := errors.New("boom")
	failing := PageOf(items, boom)
	assert.True(t, failing.HasNextPage(), "so that a NextPage loop sees the error")
	_, err = failing.NextPage(ctx)
	assert.ErrorIs(t, err, boom)

	var sids []string
	for c, err := range SeqOf(items, nil) {
		require.NoError(t, err)
		sids = append(sids, c.SID)
	}
	assert.Equal(t, []string{"CH1", "CH2"}, sids)

	sids = nil
	var errs []error
	for c, err := range SeqOf(items, boom) {
		if err != nil {
			assert.Nil(t, c)
			errs = append(errs, err)
			continue
		}
		sids = append(sids, c.SID)
	}
	assert.Equal(t, []string{"CH1", "CH2"}, sids)
	assert.Equal(t, []error{boom}, errs, "the error once, after the items")

	n := 0
	for range SeqOf(items, boom) {
		n++
		break
	}
	assert.Equal(t, 1, n, "stops when the consumer stops")
	for range SeqOf[Conversation](nil, nil) {
		t.Fatal("no items")
	}
	// The iterator yields pointers into items, as All yields pointers.
	for c := range SeqOf(items, nil) {
		c.FriendlyName = "changed"
		break
	}
	assert.Equal(t, "changed", items[0].FriendlyName)
}

// TestPaginationEmptyPagesAreNotACycle: empty pages under new tokens
// repeat no items, so they never count as a cycle.
func TestPaginationEmptyPagesAreNotACycle(t *testing.T) {
	srv := faultNewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		next := "https://conversations.twilio.com/v1/Conversations?PageSize=1&PageToken=PT" + strings.Repeat("x", n)
		switch n {
		case 1, 2, 3:
			faultJSON(w, 200, faultListPage(next))
		default:
			faultJSON(w, 200, faultListPage("", "CH9"))
		}
	})
	c, _ := faultClient(t, srv.URL)
	var sids []string
	for conv, err := range c.Conversations.All(context.Background(), nil) {
		require.NoError(t, err)
		sids = append(sids, conv.SID)
	}
	assert.Equal(t, []string{"CH9"}, sids)
	assert.Equal(t, 4, srv.count())
}

// TestPageZeroAndHandBuilt: every method of a nil, zero or hand-built Page
// is safe.
func TestPageZeroAndHandBuilt(t *testing.T) {
	ctx := context.Background()
	var nilPage *Page[Conversation]
	assert.False(t, nilPage.HasNextPage())
	_, err := nilPage.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)

	var zero Page[Conversation]
	assert.False(t, zero.HasNextPage())
	_, err = zero.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoNextPage)

	built := &Page[Conversation]{Items: []Conversation{{SID: "CH1"}}, Meta: Meta{NextPageURL: "https://conversations.twilio.com/v1/Conversations?PageToken=PT1"}}
	assert.True(t, built.HasNextPage())
	var next *Page[Conversation]
	require.NotPanics(t, func() { next, err = built.NextPage(ctx) })
	assert.Nil(t, next)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Page", ve.Param)
}
