package conversations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/conversations-go/conversations/internal/rest"
)

// ErrNoNextPage is returned by Page.NextPage on the last page.
var ErrNoNextPage = errors.New("conversations: no next page")

// ErrPageCycle is wrapped by the *DecodeError that ends a list whose pages
// cycle: a next_page_url that was already fetched, or a page whose items are
// exactly those of an earlier page (under new page tokens). Test for it with
// errors.Is.
var ErrPageCycle = errors.New("conversations: the list's pages cycle")

// Meta is the paging block of every list response.
type Meta struct {
	// Page is the 0-based page index.
	Page int `json:"page"`
	// PageSize is the effective page size.
	PageSize int `json:"page_size"`
	// FirstPageURL is the absolute URL of the first page.
	FirstPageURL string `json:"first_page_url"`
	// PreviousPageURL is the absolute URL of the previous page; empty on the first page.
	PreviousPageURL string `json:"previous_page_url"`
	// URL is the absolute URL of this page.
	URL string `json:"url"`
	// NextPageURL is the absolute URL of the next page; empty on the last page.
	NextPageURL string `json:"next_page_url"`
	// Key is the name of the array property that held the items, e.g. "conversations".
	Key string `json:"key"`
}

// Page is one page of a list operation: its items and its meta block.
// NextPage fetches the page after it with the same client and request
// options. Every method is safe on a nil or zero Page and on one built by
// hand; PageOf builds one for fakes.
type Page[T any] struct {
	// Items are the resources on this page.
	Items []T
	// Meta is the page's paging information.
	Meta Meta

	ref   scopeRef
	opts  []RequestOption
	route string    // the list's route (path template), for an Observer
	path  string    // the list's collection path; every page must be below it
	hist  *pageSeen // this page's digests, then those of the pages before it
	err   error     // PageOf: what NextPage returns
}

// pageSeen is one fetched page in a list's history: fixed-size digests of
// its request URL (path and query) and of its items. The history of the
// last page is all a walk keeps, so memory is O(page) plus 24 bytes a page,
// whatever the length of the URLs or tokens.
type pageSeen struct {
	url, items uint64
	prev       *pageSeen
}

// pageSeed keys the digests; it is random per process.
var pageSeed = maphash.MakeSeed()

// digestTarget is the digest of a request's path and query, the identity
// of a page.
func digestTarget(path, query string) uint64 {
	var h maphash.Hash
	h.SetSeed(pageSeed)
	_, _ = h.WriteString(path)
	_ = h.WriteByte('?')
	_, _ = h.WriteString(query)
	return h.Sum64()
}

// PageOf returns a Page holding items, for fakes and tests of code that
// takes pages. With a nil err it is the last page: HasNextPage is false and
// NextPage returns ErrNoNextPage. With an err, HasNextPage is true and
// NextPage returns err, as when fetching the next page fails.
func PageOf[T any](items []T, err error) *Page[T] {
	return &Page[T]{Items: items, err: err}
}

// SeqOf returns an iterator over items, as a list's All yields them, then
// (nil, err) once when err is not nil. It is for fakes of All methods.
func SeqOf[T any](items []T, err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		for i := range items {
			if !yield(&items[i], nil) {
				return
			}
		}
		if err != nil {
			yield(nil, err)
		}
	}
}

// HasNextPage reports whether the API announced a page after this one.
func (p *Page[T]) HasNextPage() bool { return p != nil && (p.Meta.NextPageURL != "" || p.err != nil) }

// NextPage fetches the page after p, following meta.next_page_url. Only that
// URL's path and query are used, on the client's configured base URL, so
// credentials never go to a host the caller did not configure; its path
// must be the list's own. It returns ErrNoNextPage on the last page, a
// *ValidationError for a next_page_url it refuses or a Page the client did
// not produce, and a *DecodeError wrapping ErrPageCycle when the next page
// was fetched before in this chain or repeats an earlier page's items.
func (p *Page[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if p == nil {
		return nil, ErrNoNextPage
	}
	if p.err != nil {
		return nil, p.err
	}
	if p.Meta.NextPageURL == "" {
		return nil, ErrNoNextPage
	}
	if p.ref.core == nil || p.path == "" {
		return nil, &ValidationError{Param: "Page", Reason: "was not returned by a Client, so it cannot fetch a next page"}
	}
	r, err := p.nextCall()
	if err != nil {
		return nil, err
	}
	return fetchPage[T](ctx, p.ref, &r, p.path, p.hist)
}

// nextCall turns a next_page_url into a read call on the configured host,
// refusing one outside the list's path or one fetched before.
func (p *Page[T]) nextCall() (rest.Request, error) {
	u, err := url.Parse(p.Meta.NextPageURL)
	if err != nil {
		return rest.Request{}, &ValidationError{Param: "meta.next_page_url", Reason: "is not a valid URL"}
	}
	path := u.EscapedPath()
	if path != p.path || rest.HasDotSegment(u.Path) {
		return rest.Request{}, &ValidationError{Param: "meta.next_page_url", Reason: "is not below the list's own path " + p.path}
	}
	r := rest.Request{Method: http.MethodGet, Path: path, Query: u.RawQuery, Route: p.route, Replay: true, Options: p.opts}
	d := digestTarget(r.Path, r.Query)
	for h := p.hist; h != nil; h = h.prev {
		if h.url == d {
			return rest.Request{}, cycleError(path, "next_page_url was fetched before")
		}
	}
	return r, nil
}

func cycleError(path, why string) error {
	return &DecodeError{Method: "GET", Path: path, Status: 200, Err: fmt.Errorf("%w: %s", ErrPageCycle, why)}
}

// envelope is every list body: one array under a resource-specific key, and
// meta. Listing every key the API uses lets encoding/json decode a page in a
// single pass with no intermediate map.
type envelope[T any] struct {
	Conversations         []T      `json:"conversations"`
	Messages              []T      `json:"messages"`
	DeliveryReceipts      []T      `json:"delivery_receipts"`
	Participants          []T      `json:"participants"`
	Webhooks              []T      `json:"webhooks"`
	Credentials           []T      `json:"credentials"`
	Roles                 []T      `json:"roles"`
	Services              []T      `json:"services"`
	Bindings              []T      `json:"bindings"`
	Users                 []T      `json:"users"`
	AddressConfigurations []T      `json:"address_configurations"`
	Meta                  pageMeta `json:"meta"`
}

// pageMeta is the meta block of a page, decoded as Meta is. While a
// pageDecoder decodes, it also notes where in the body each top-level meta
// value lies, so that the page's digest leaves them out.
type pageMeta struct {
	Meta
	seen *metaSpans // nil: nothing is noted
}

// UnmarshalJSON implements json.Unmarshaler: b is the meta value as it
// lies in the body being decoded.
func (m *pageMeta) UnmarshalJSON(b []byte) error {
	if m.seen != nil {
		m.seen.add(b)
	}
	return json.Unmarshal(b, &m.Meta)
}

// metaSpans are the meta values of one body, as encoding/json handed them
// to pageMeta: slices of the body itself, so that where they lie in it is
// known without a second pass over it.
type metaSpans struct {
	raw  [2][]byte
	n    int
	over bool // more meta values than raw holds
}

func (s *metaSpans) add(b []byte) {
	for _, r := range s.raw[:s.n] {
		if len(r) == len(b) && (len(b) == 0 || &r[0] == &b[0]) {
			return // the same value, decoded again
		}
	}
	if s.n == len(s.raw) {
		s.over = true
		return
	}
	s.raw[s.n] = b
	s.n++
}

// digest is the digest of body without its meta values: the bytes before,
// between and after them, in one pass of the hash (encoding/json hands the
// values over in body order). When a value is not a slice of body (another
// JSON implementation), or there are too many, the bodyDigest state
// machine finds the meta values itself.
func (s *metaSpans) digest(body []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(pageSeed)
	from := 0
	for _, r := range s.raw[:s.n] {
		at := cap(body) - cap(r) // where r starts, if it is a slice of body
		if at < from || at+len(r) > len(body) || len(r) > 0 && &body[at] != &r[0] {
			s.over = true
			break
		}
		_, _ = h.Write(body[from:at])
		from = at + len(r)
	}
	if s.over {
		d := newBodyDigest()
		d.write(body)
		return d.sum()
	}
	_, _ = h.Write(body[from:])
	return h.Sum64()
}

// pageDecoder is the decoder of a list page: the envelope, decoded as any
// JSON object is, and the digest of the body without its meta values.
type pageDecoder[T any] struct {
	env    envelope[T]
	spans  metaSpans
	digest uint64
	field  int // the envelope's items field the route names, -1 if unknown
	size   int // the page size asked for, 0 if unknown
}

// presizeMax bounds the items allocated before a page is decoded (the rest
// grow as encoding/json grows any slice), and itemBytesMin is the fewest
// bytes an item of any list takes in a body.
const (
	presizeMax   = 64
	itemBytesMin = 128
)

// Decode implements rest.Decoder.
func (d *pageDecoder[T]) Decode(resp *http.Response, body *rest.Reader) error {
	d.env, d.spans, d.digest = envelope[T]{}, metaSpans{}, 0 // a retried attempt starts afresh
	// Room for the items asked for, so that decoding them needs no
	// growing: fewer when the body cannot hold that many.
	presized := min(d.size, presizeMax)
	if resp.ContentLength >= 0 {
		presized = min(presized, int(resp.ContentLength/itemBytesMin))
	}
	f := d.env.field(d.field)
	if f != nil && presized > 0 {
		*f = make([]T, 0, presized)
	}
	d.env.Meta.seen = &d.spans
	err := rest.DecodeJSON(resp, body, &d.env)
	d.env.Meta.seen = nil
	if err == nil {
		d.digest = d.spans.digest(body.Bytes())
	}
	d.spans = metaSpans{} // the body's bytes are not ours to keep
	if f != nil && presized > 0 {
		switch {
		case len(*f) == 0 && cap(*f) == presized:
			*f = nil // a key this body does not have
		case cap(*f) > 2*len(*f):
			*f = append([]T(nil), *f...) // a short page keeps no more than encoding/json would
		}
	}
	return err
}

// field returns the items field of e with index i, in the order of
// envelope's fields; nil for any other i.
func (e *envelope[T]) field(i int) *[]T {
	switch i {
	case 0:
		return &e.Conversations
	case 1:
		return &e.Messages
	case 2:
		return &e.DeliveryReceipts
	case 3:
		return &e.Participants
	case 4:
		return &e.Webhooks
	case 5:
		return &e.Credentials
	case 6:
		return &e.Roles
	case 7:
		return &e.Services
	case 8:
		return &e.Bindings
	case 9:
		return &e.Users
	case 10:
		return &e.AddressConfigurations
	}
	return nil
}

// items returns the page's items: the first items field the body set.
func (e *envelope[T]) items() []T {
	for i := 0; ; i++ {
		f := e.field(i)
		if f == nil {
			return nil
		}
		if *f != nil {
			return *f
		}
	}
}

// routeField is the index of the envelope's field that holds the items of
// the list at route (its last segment names them), -1 if unknown.
func routeField(route string) int {
	switch route[strings.LastIndexByte(route, '/')+1:] {
	case "Conversations", "ParticipantConversations":
		return 0
	case "Messages":
		return 1
	case "Receipts":
		return 2
	case "Participants":
		return 3
	case "Webhooks":
		return 4
	case "Credentials":
		return 5
	case "Roles":
		return 6
	case "Services":
		return 7
	case "Bindings":
		return 8
	case "Users":
		return 9
	case "Addresses":
		return 10
	}
	return -1
}

// querySize is the PageSize a list query asks for: the API's default of
// 50 when it names none, 0 when it is not a number.
func querySize(query string) int {
	for query != "" {
		var param string
		param, query, _ = strings.Cut(query, "&")
		if v, ok := strings.CutPrefix(param, "PageSize="); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return 0
			}
			return max(n, 0)
		}
	}
	return 50
}

// fetchPage fetches one page of the list at path whose earlier pages are
// hist, and refuses it if its items repeat an earlier page's.
func fetchPage[T any](ctx context.Context, s scopeRef, r *rest.Request, path string, hist *pageSeen) (*Page[T], error) {
	dec := &pageDecoder[T]{field: routeField(r.Route), size: querySize(r.Query)}
	r.Decoder = dec
	if err := s.core.Do(ctx, r); err != nil {
		return nil, err
	}
	items := dec.env.items()
	seen := &pageSeen{url: digestTarget(r.Path, r.Query), items: dec.digest, prev: hist}
	if len(items) > 0 {
		for h := hist; h != nil; h = h.prev {
			if h.items == seen.items {
				return nil, cycleError(r.Path, "a page repeats an earlier page's items")
			}
		}
	}
	route := r.Route
	if r.RoutePrefix != "" && s.core.Observed() {
		route = r.RoutePrefix + r.Route // joined once per list, and only for an Observer
	}
	return &Page[T]{Items: items, Meta: dec.env.Meta.Meta, ref: s, opts: r.Options, route: route, path: path, hist: seen}, nil
}

// list fetches the first page of a list operation.
func list[T any](ctx context.Context, s scopeRef, tmpl string, params any, opts []RequestOption, args ...string) (*Page[T], error) {
	r, err := s.newCall(kindRead, tmpl, params, opts, args...)
	if err != nil {
		return nil, err
	}
	return fetchPage[T](ctx, s, &r, r.Path, nil)
}

// all iterates over every item of a list operation. It is lazy (a page is
// fetched only when the consumer asks for an item beyond the ones it has),
// starts no goroutine, sends nothing more once the consumer stops, yields
// (nil, err) once on failure, and may be ranged over again, which starts
// again from the first page. It delivers every item or an error: a page
// URL fetched before or a page repeating an earlier page's items ends it
// with a *DecodeError wrapping ErrPageCycle.
func all[T any](ctx context.Context, s scopeRef, tmpl string, params any, opts []RequestOption, args ...string) iter.Seq2[*T, error] {
	return rest.Items(ctx, func() (*Page[T], error) { return list[T](ctx, s, tmpl, params, opts, args...) }, pageItems[T])
}

// pageItems returns a page's items, for rest.Items.
func pageItems[T any](p *Page[T]) []T { return p.Items }

// ListParams are the paging parameters every list operation takes. Each
// XListParams type embeds it, so its fields read as the list's own:
//
//	params := &conversations.ConversationListParams{ListParams: conversations.ListParams{PageSize: conversations.Ptr(100)}}
//	params.PageToken = conversations.Ptr(token)
//
// All follows the API's next_page_url and needs none of them but PageSize.
type ListParams struct {
	// PageSize is the number of items per page: 1 to the operation's
	// maximum (given on each XListParams type); the API's default is 50.
	PageSize *int `url:"PageSize,omitempty"`
	// Page is the page index, for client state only: the API pages by
	// PageToken.
	Page *int `url:"Page,omitempty"`
	// PageToken is the page token provided by the API, to resume a listing.
	PageToken *string `url:"PageToken,omitempty"`
}

// validate checks PageSize in [1, max] and Page >= 0.
func (p *ListParams) validate(max int) error {
	if p.PageSize != nil && (*p.PageSize < 1 || *p.PageSize > max) {
		return &ValidationError{Param: "PageSize", Reason: fmt.Sprintf("must be between 1 and %d, got %d", max, *p.PageSize)}
	}
	if p.Page != nil && *p.Page < 0 {
		return &ValidationError{Param: "Page", Reason: fmt.Sprintf("must not be negative, got %d", *p.Page)}
	}
	return nil
}
