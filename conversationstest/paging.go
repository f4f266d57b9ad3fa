package conversationstest

import (
	"net/url"
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

// page cuts one page out of items (already filtered and ordered) the way
// Twilio pages: PageSize (default 50, capped at the operation's maximum),
// Page (the client's page index, echoed back), and PageToken, an opaque
// cursor: "PA<sid>" for the page after the item <sid>, "PB<sid>" for the
// page before it. meta.next_page_url and meta.previous_page_url carry them.
func (rc *reqCtx) page(lr listReq, items []item) (result, *apiError) {
	p := rc.p
	size := 50
	if v, ok := p.str("PageSize"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fail(errInvalid("PageSize", "must be a positive integer, got "+strconv.Quote(v)))
		}
		size = min(n, lr.max)
	}
	pageNum := 0
	if v, ok := p.str("Page"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fail(errInvalid("Page", "must be a non-negative integer, got "+strconv.Quote(v)))
		}
		pageNum = n
	}
	token, hasToken := p.str("PageToken")

	var start, end int
	if hasToken && token != "" {
		if len(token) < 3 || (token[:2] != "PA" && token[:2] != "PB") {
			return fail(errInvalid("PageToken", "unknown page token "+strconv.Quote(token)))
		}
		after := token[:2] == "PA"
		idx, ok := rc.anchor(items, token[2:], after, lr.desc)
		if !ok {
			return fail(errInvalid("PageToken", "unknown page token "+strconv.Quote(token)))
		}
		if after {
			start, end = idx, min(idx+size, len(items))
		} else {
			start, end = max(idx-size, 0), idx
		}
	} else {
		start = min(pageNum*size, len(items))
		end = min(start+size, len(items))
	}

	out := make([]obj, 0, end-start)
	for _, it := range items[start:end] {
		out = append(out, it.v)
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
	if end < len(items) && end > start {
		next = pageURL(pageNum+1, "PA"+items[end-1].id)
	}
	if start > 0 && start < len(items) {
		prev = pageURL(max(pageNum-1, 0), "PB"+items[start].id)
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

// anchor finds where a page token points: for "after" the index just past
// the item id, otherwise the index of the item. When the item is gone (it
// was deleted), its creation order places the cursor.
func (rc *reqCtx) anchor(items []item, id string, after, desc bool) (int, bool) {
	for i, it := range items {
		if it.id == id {
			if after {
				return i + 1, true
			}
			return i, true
		}
	}
	seq, ok := rc.s.st.seqOf[id]
	if !ok {
		return 0, false
	}
	for i, it := range items {
		if (!desc && it.seq > seq) || (desc && it.seq < seq) {
			return i, true
		}
	}
	return len(items), true
}
