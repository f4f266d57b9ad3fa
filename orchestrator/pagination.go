package orchestrator

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"net/http"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/rest"
)

// Meta is the paging block of every v2 list response.
type Meta struct {
	// Key is the name of the array property that held the items, e.g.
	// "configurations".
	Key string `json:"key"`
	// PageSize is the number of items on this page.
	PageSize int `json:"pageSize"`
	// PreviousToken is the token of the previous page; empty on the first.
	PreviousToken string `json:"previousToken,omitempty"`
	// NextToken is the token of the next page; empty on the last.
	NextToken string `json:"nextToken,omitempty"`
}

// Page is one page of a v2 list operation: its items and its meta block.
// NextPage fetches the page after it (pageToken = meta.nextToken, with the
// same filters, page size and request options). Every method is safe on a
// nil or zero Page and on one built by hand; PageOf builds one for fakes.
type Page[T any] struct {
	// Items are the resources on this page.
	Items []T
	// Meta is the page's paging information.
	Meta Meta

	c    *Client
	spec listSpec[T]
	base call      // the first page's call; NextPage adds pageToken
	hist *pageSeen // this page's digests, then those of the pages before it
	err  error     // PageOf: what NextPage returns
}

// pageSeen is one fetched page in a list's history: fixed-size digests of
// its page token and of its item IDs, so a walk keeps O(page) memory plus
// 24 bytes a page.
type pageSeen struct {
	token, items uint64
	prev         *pageSeen
}

var pageSeed = maphash.MakeSeed()

// listSpec describes one list operation: its array key and item ID.
type listSpec[T any] struct {
	key string
	id  func(*T) string
}

// PageOf returns a Page holding items, for fakes and tests of code that
// takes pages. With a nil err it is the last page; with an err,
// HasNextPage is true and NextPage returns err. conversations.SeqOf builds
// the matching iterator for fakes of All methods.
func PageOf[T any](items []T, err error) *Page[T] { return &Page[T]{Items: items, err: err} }

// HasNextPage reports whether the API announced a page after this one.
func (p *Page[T]) HasNextPage() bool { return p != nil && (p.Meta.NextToken != "" || p.err != nil) }

// NextPage fetches the page after p. It returns conversations.ErrNoNextPage
// on the last page, and a *conversations.DecodeError wrapping
// conversations.ErrPageCycle when the next token was already used in this
// chain or the next page repeats an earlier page's items.
func (p *Page[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if p == nil {
		return nil, conversations.ErrNoNextPage
	}
	if p.err != nil {
		return nil, p.err
	}
	if p.Meta.NextToken == "" {
		return nil, conversations.ErrNoNextPage
	}
	if p.c == nil {
		return nil, invalid("Page", "was not returned by a Client, so it cannot fetch a next page")
	}
	d := maphash.String(pageSeed, p.Meta.NextToken)
	for h := p.hist; h != nil; h = h.prev {
		if h.token == d {
			return nil, cycleError(p.base.path, "meta.nextToken was used before")
		}
	}
	k := p.base
	q := query{b: []byte(k.query)}
	q.add("pageToken", p.Meta.NextToken)
	k.query = q.String()
	return fetchPage(ctx, p.c, p.spec, p.base, k, d, p.hist)
}

func cycleError(path, why string) error {
	return &conversations.DecodeError{Method: http.MethodGet, Path: path, Status: http.StatusOK,
		Err: fmt.Errorf("%w: %s", conversations.ErrPageCycle, why)}
}

// envelope is every v2 list body: one array under a resource key, and meta.
type envelope[T any] struct {
	Configurations []T  `json:"configurations"`
	Conversations  []T  `json:"conversations"`
	Participants   []T  `json:"participants"`
	Communications []T  `json:"communications"`
	Meta           Meta `json:"meta"`
}

func (e *envelope[T]) items(key string) []T {
	switch key {
	case "configurations":
		return e.Configurations
	case "conversations":
		return e.Conversations
	case "participants":
		return e.Participants
	}
	return e.Communications
}

// errNoItems is a list body without its array.
var errNoItems = errors.New("the list response has no array of items under its key")

// fetchPage fetches one page and refuses a page that repeats an earlier
// page's items.
func fetchPage[T any](ctx context.Context, c *Client, spec listSpec[T], base, k call, token uint64, hist *pageSeen) (*Page[T], error) {
	var env envelope[T]
	if err := c.send(ctx, &k, rest.JSON(&env)); err != nil {
		return nil, err
	}
	items := env.items(spec.key)
	if items == nil {
		return nil, &conversations.DecodeError{Method: http.MethodGet, Path: k.path, Status: http.StatusOK,
			Err: fmt.Errorf("%w %q", errNoItems, spec.key)}
	}
	// A single-page list needs no history: digests are taken only when
	// there is an earlier page to compare with or a next page to come.
	var seen *pageSeen
	if hist != nil || env.Meta.NextToken != "" {
		var d uint64
		if len(items) > 0 {
			var h maphash.Hash
			h.SetSeed(pageSeed)
			for i := range items {
				h.WriteString(spec.id(&items[i]))
				h.WriteByte(0)
			}
			d = h.Sum64()
			for p := hist; p != nil; p = p.prev {
				if p.items == d {
					return nil, cycleError(k.path, "a page repeats an earlier page's items")
				}
			}
		}
		if env.Meta.NextToken != "" {
			seen = &pageSeen{token: token, items: d, prev: hist}
		}
	}
	return &Page[T]{Items: items, Meta: env.Meta, c: c, spec: spec, base: base, hist: seen}, nil
}

// list fetches the first page of a list operation.
func list[T any](ctx context.Context, c *Client, spec listSpec[T], route, path string, q query, opts []RequestOption) (*Page[T], error) {
	k := call{method: http.MethodGet, route: route, path: path, query: q.String(), replay: true, opts: opts}
	return fetchPage(ctx, c, spec, k, k, 0, nil)
}

// all iterates over every item of a list operation. It is lazy, starts no
// goroutine, sends nothing more once the consumer stops, yields (nil, err)
// once on failure, and may be ranged over again (starting from the first
// page). It yields every item or an error: a reused token or a repeated
// page ends it with a *conversations.DecodeError wrapping ErrPageCycle.
func all[T any](ctx context.Context, c *Client, spec listSpec[T], route, path string, q query, opts []RequestOption) iter.Seq2[*T, error] {
	return rest.Items(ctx, func() (*Page[T], error) { return list(ctx, c, spec, route, path, q, opts) }, pageItems[T])
}

// pageItems returns a page's items, for rest.Items.
func pageItems[T any](p *Page[T]) []T { return p.Items }
