package conversations

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strings"
)

// ErrNoNextPage is returned by Page.NextPage on the last page.
var ErrNoNextPage = errors.New("conversations: no next page")

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
// options.
type Page[T any] struct {
	// Items are the resources on this page.
	Items []T
	// Meta is the page's paging information.
	Meta Meta

	scope scope
	opts  []RequestOption
	token string // PageToken of the request that produced this page
}

// HasNextPage reports whether the API announced a page after this one.
func (p *Page[T]) HasNextPage() bool { return p != nil && p.Meta.NextPageURL != "" }

// NextPage fetches the page after p, following meta.next_page_url. Only that
// URL's path and query are used, on the client's configured base URL, so
// credentials never go to a host the caller did not configure. It returns
// ErrNoNextPage on the last page.
func (p *Page[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if !p.HasNextPage() {
		return nil, ErrNoNextPage
	}
	c, token, err := nextCall(p.Meta.NextPageURL, p.opts)
	if err != nil {
		return nil, err
	}
	return fetchPage[T](ctx, p.scope, c, token)
}

// nextCall turns a next_page_url into a read call on the configured host.
func nextCall(next string, opts []RequestOption) (*call, string, error) {
	u, err := url.Parse(next)
	if err != nil {
		return nil, "", &ValidationError{Param: "meta.next_page_url", Reason: "is not a valid URL"}
	}
	path := u.EscapedPath()
	if !strings.HasPrefix(path, "/v1/") || hasDotSegment(u.Path) {
		return nil, "", &ValidationError{Param: "meta.next_page_url", Reason: "does not point below /v1/"}
	}
	return &call{kind: kindRead, path: path, query: u.RawQuery, opts: opts}, u.Query().Get("PageToken"), nil
}

// hasDotSegment reports whether an unescaped path has a "." or ".."
// segment, which a server would resolve to another route.
func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// envelope is every list body: one array under a resource-specific key, and
// meta. Listing every key the API uses lets encoding/json decode a page in a
// single pass with no intermediate map.
type envelope[T any] struct {
	Conversations         []T  `json:"conversations"`
	Messages              []T  `json:"messages"`
	DeliveryReceipts      []T  `json:"delivery_receipts"`
	Participants          []T  `json:"participants"`
	Webhooks              []T  `json:"webhooks"`
	Credentials           []T  `json:"credentials"`
	Roles                 []T  `json:"roles"`
	Services              []T  `json:"services"`
	Bindings              []T  `json:"bindings"`
	Users                 []T  `json:"users"`
	AddressConfigurations []T  `json:"address_configurations"`
	Meta                  Meta `json:"meta"`
}

func (e *envelope[T]) items() []T {
	for _, s := range [...][]T{e.Conversations, e.Messages, e.DeliveryReceipts, e.Participants, e.Webhooks,
		e.Credentials, e.Roles, e.Services, e.Bindings, e.Users, e.AddressConfigurations} {
		if s != nil {
			return s
		}
	}
	return nil
}

func fetchPage[T any](ctx context.Context, s scope, c *call, token string) (*Page[T], error) {
	var env envelope[T]
	if err := s.core.do(ctx, c, &env); err != nil {
		return nil, err
	}
	return &Page[T]{Items: env.items(), Meta: env.Meta, scope: s, opts: c.opts, token: token}, nil
}

// list fetches the first page of a list operation.
func list[T any](ctx context.Context, s scope, tmpl string, params any, opts []RequestOption, args ...string) (*Page[T], error) {
	c, err := s.newCall(kindRead, tmpl, params, opts, args...)
	if err != nil {
		return nil, err
	}
	token := ""
	if strings.Contains(c.query, "PageToken=") {
		if q, err := url.ParseQuery(c.query); err == nil {
			token = q.Get("PageToken")
		}
	}
	return fetchPage[T](ctx, s, c, token)
}

// all iterates over every item of a list operation. It is lazy (a page is
// fetched only when the consumer asks for an item beyond the ones it has),
// starts no goroutine, sends nothing more once the consumer stops, yields
// (nil, err) once on failure, and may be ranged over again, which starts
// again from the first page. It stops when the API's next page token does
// not advance: when it repeats the current page's token or any earlier one
// (a cycle would otherwise never end).
func all[T any](ctx context.Context, s scope, tmpl string, params any, opts []RequestOption, args ...string) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		page, err := list[T](ctx, s, tmpl, params, opts, args...)
		var seen map[string]struct{} // tokens of the pages fetched before page
		for {
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Items {
				if !yield(&page.Items[i], nil) {
					return
				}
			}
			if !page.HasNextPage() {
				return
			}
			c, token, nerr := nextCall(page.Meta.NextPageURL, page.opts)
			if nerr != nil {
				yield(nil, nerr)
				return
			}
			if _, dup := seen[token]; dup || token == page.token {
				s.core.logger.WarnContext(ctx, "conversations: next page token did not advance; stopping", "path", c.path)
				return
			}
			if seen == nil {
				seen = make(map[string]struct{}, 4)
			}
			seen[page.token] = struct{}{}
			page, err = fetchPage[T](ctx, s, c, token)
		}
	}
}

// one sends a call that answers with one resource.
func one[T any](ctx context.Context, s scope, k kind, tmpl string, params any, opts []RequestOption, args ...string) (*T, error) {
	c, err := s.newCall(k, tmpl, params, opts, args...)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := s.core.do(ctx, c, out); err != nil {
		return nil, err
	}
	return out, nil
}

// remove sends a DELETE, which answers 204 with no body.
func remove(ctx context.Context, s scope, tmpl string, opts []RequestOption, args ...string) error {
	c, err := s.newCall(kindDelete, tmpl, nil, opts, args...)
	if err != nil {
		return err
	}
	return s.core.do(ctx, c, nil)
}
