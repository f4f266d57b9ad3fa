package conversationstest

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// item is one entry of a list, already rendered.
type item struct {
	id  string // what page tokens point at (a SID)
	seq int64  // creation order of id, for tokens whose item was deleted
	v   obj
}

// listReq describes one list answer: its array key, its
// maximum page size, and the filter params to echo in the meta URLs (in
// the spec's order, before PageSize, Page and PageToken, as Twilio does).
type listReq struct {
	key     string
	max     int
	filters [][2]string
	desc    bool // items are in descending creation order
}

// listView is what a list request pages through: the stored records in
// list order, read lazily so that only one page is ever rendered.
type listView[T any] struct {
	n       int            // number of records
	at      func(int) T    // the i-th record in list order
	seq     func(T) int64  // a record's creation order
	id      func(T) string // a record's SID, what page tokens point at
	ordered bool           // list order is creation order (descending when listReq.desc): tokens are found by binary search
	keep    func(T) bool   // the list's filter; nil keeps every record
	render  func(T) obj
}

// inOrder is a view over recs, which are in creation order, read backwards
// when desc.
func inOrder[T any](recs []T, desc bool, seq func(T) int64, id func(T) string, render func(T) obj) listView[T] {
	at := func(i int) T { return recs[i] }
	if desc {
		at = func(i int) T { return recs[len(recs)-1-i] }
	}
	return listView[T]{n: len(recs), at: at, seq: seq, id: id, ordered: true, render: render}
}

// page answers a list request with the page of items it asks for; items
// are already rendered, filtered and ordered.
func (rc *reqCtx) page(lr listReq, items []item) (result, *apiError) {
	return pageOf(rc, lr, listView[item]{
		n:      len(items),
		at:     func(i int) item { return items[i] },
		seq:    func(it item) int64 { return it.seq },
		id:     func(it item) string { return it.id },
		render: func(it item) obj { return it.v },
	})
}

// pageOf cuts one page out of v the way Twilio pages: PageSize (default
// 50, capped at the operation's maximum), Page (the client's page index,
// echoed back), and PageToken, an opaque cursor: "PA<sid>" for the page
// after the item <sid>, "PB<sid>" for the page before it.
// meta.next_page_url and meta.previous_page_url carry them.
//
// It costs O(page + log n) on an ordered, unfiltered view: a token's place
// is found by binary search on creation order and only the page's records
// are rendered. A filter adds the records it skips; a Page number without
// a token walks to it.
func pageOf[T any](rc *reqCtx, lr listReq, v listView[T]) (result, *apiError) {
	p := rc.p
	size := 50
	if s, ok := p.str("PageSize"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fail(errInvalid("PageSize", "must be a positive integer, got "+strconv.Quote(s)))
		}
		size = min(n, lr.max)
	}
	pageNum := 0
	if s, ok := p.str("Page"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fail(errInvalid("Page", "must be a non-negative integer, got "+strconv.Quote(s)))
		}
		pageNum = n
	}
	token, hasToken := p.str("PageToken")
	kept := func(i int) bool { return v.keep == nil || v.keep(v.at(i)) }

	// idx is the page's first record (forward) or one past its last
	// (backward); recs collects the page's record indexes.
	var recs []int
	if hasToken && token != "" {
		if len(token) < 3 || (token[:2] != "PA" && token[:2] != "PB") {
			return fail(errInvalid("PageToken", "unknown page token "+strconv.Quote(token)))
		}
		after := token[:2] == "PA"
		idx, ok := anchor(rc, v, token[2:], after, lr.desc)
		if !ok {
			return fail(errInvalid("PageToken", "unknown page token "+strconv.Quote(token)))
		}
		if after {
			for i := idx; i < v.n && len(recs) < size; i++ {
				if kept(i) {
					recs = append(recs, i)
				}
			}
		} else {
			for i := idx - 1; i >= 0 && len(recs) < size; i-- {
				if kept(i) {
					recs = append(recs, i)
				}
			}
			slices.Reverse(recs)
		}
	} else {
		skip := pageNum * size
		for i := 0; i < v.n && len(recs) < size; i++ {
			if !kept(i) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			recs = append(recs, i)
		}
	}

	out := make([]obj, 0, len(recs))
	for _, i := range recs {
		out = append(out, v.render(v.at(i)))
	}

	base := rc.s.URL + rc.r.URL.EscapedPath() + "?"
	var fq strings.Builder
	for _, f := range lr.filters {
		fq.WriteString(url.QueryEscape(f[0]))
		fq.WriteByte('=')
		fq.WriteString(url.QueryEscape(f[1]))
		fq.WriteByte('&')
	}
	pageURL := func(page int, tok string) string {
		u := base + fq.String() + "PageSize=" + strconv.Itoa(size) + "&Page=" + strconv.Itoa(page)
		if tok != "" {
			u += "&PageToken=" + url.QueryEscape(tok)
		}
		return u
	}
	var next, prev any
	if len(recs) > 0 {
		first, last := recs[0], recs[len(recs)-1]
		if anyKept(last+1, v.n, kept) {
			next = pageURL(pageNum+1, "PA"+v.id(v.at(last)))
		}
		if anyKept(0, first, kept) {
			prev = pageURL(max(pageNum-1, 0), "PB"+v.id(v.at(first)))
		}
	}
	self := pageURL(pageNum, "")
	if hasToken {
		self = pageURL(pageNum, token)
	}
	meta := obj{
		{"page", pageNum},
		{"page_size", size},
		{"first_page_url", pageURL(0, "")},
		{"previous_page_url", prev},
		{"url", self},
		{"next_page_url", next},
		{"key", lr.key},
	}
	return ok(obj{{lr.key, out}, {"meta", meta}})
}

// anyKept reports whether a record in [from, to) passes the filter.
func anyKept(from, to int, kept func(int) bool) bool {
	for i := from; i < to; i++ {
		if kept(i) {
			return true
		}
	}
	return false
}

// anchor finds where a page token points: for "after" the index just past
// the record id, otherwise the index of the record. When the record is gone
// (it was deleted), its creation order places the cursor. On an ordered
// view that is one binary search.
func anchor[T any](rc *reqCtx, v listView[T], id string, after, desc bool) (int, bool) {
	if !v.ordered {
		for i := range v.n {
			if v.id(v.at(i)) == id {
				if after {
					return i + 1, true
				}
				return i, true
			}
		}
	}
	seq, ok := rc.s.st.seqOf[id]
	if !ok {
		return 0, false
	}
	if !v.ordered {
		for i := range v.n {
			if s := v.seq(v.at(i)); (!desc && s > seq) || (desc && s < seq) {
				return i, true
			}
		}
		return v.n, true
	}
	i := sort.Search(v.n, func(i int) bool {
		s := v.seq(v.at(i))
		if desc {
			return s <= seq
		}
		return s >= seq
	})
	if after && i < v.n && v.seq(v.at(i)) == seq {
		i++
	}
	return i, true
}
