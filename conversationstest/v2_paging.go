package conversationstest

import (
	"encoding/base64"
	"hash/fnv"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// v2 lists page by token: pageSize (1-1000, default 50) and pageToken in
// the query; the answer is {<key>: [...], meta: {key, pageSize,
// previousToken, nextToken}} where meta.pageSize is the number of items
// returned (as the spec describes it) and the tokens are present only when
// there is such a page. Items are in creation order, oldest first.
//
// A token is URL-safe base64 of "<n|p>.<seq>.<query hash>": the page after
// (n) or before (p) the item created seq-th, so that deleting that item
// does not break the walk, bound to the list's path and filters, so that a
// token is never replayed against another query.

const (
	v2DefaultPageSize = 50
	v2MaxPageSize     = 1000
)

// v2List describes one list answer: its array key, the filter
// values that the tokens are bound to, and the names of its filter params.
type v2List struct {
	key     string
	filters []string
	params  []string
}

// v2Page cuts the page the request asks for out of n records in creation
// order; seq gives a record's creation order, keep filters, render draws
// one.
func v2Page[T any](v *v2ctx, l v2List, recs []T, seq func(T) int64, keep func(T) bool, render func(T) obj) v2Answer {
	q := v.r.URL.Query()
	for _, name := range sortedKeys(q) {
		if name != "pageSize" && name != "pageToken" && !slices.Contains(l.params, name) {
			// A misspelt parameter (PageToken for pageToken) would
			// otherwise silently page from the start again.
			return v2Fail(errInvalid(name, "unknown query parameter; this list takes pageSize, pageToken"+
				strings.Repeat(", ", min(len(l.params), 1))+strings.Join(l.params, ", ")))
		}
	}
	size := v2DefaultPageSize
	if s, ok := q["pageSize"]; ok {
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 1 || n > v2MaxPageSize {
			return v2Fail(errInvalid("pageSize", "must be an integer from 1 to 1000, got "+strconv.Quote(s[0])))
		}
		size = n
	}
	h := fnv.New64a()
	h.Write([]byte(v.r.URL.EscapedPath()))
	for _, f := range l.filters {
		h.Write([]byte{0})
		h.Write([]byte(f))
	}
	sig := strconv.FormatUint(h.Sum64(), 36)
	kept := func(i int) bool { return keep == nil || keep(recs[i]) }

	var idx []int
	if tok := q.Get("pageToken"); tok != "" {
		after, anchor, ok := parseV2Token(tok, sig)
		if !ok {
			return v2Fail(errInvalid("pageToken", strconv.Quote(tok)+" is not a page token of this list"))
		}
		if after {
			i := sort.Search(len(recs), func(i int) bool { return seq(recs[i]) > anchor })
			for ; i < len(recs) && len(idx) < size; i++ {
				if kept(i) {
					idx = append(idx, i)
				}
			}
		} else {
			i := sort.Search(len(recs), func(i int) bool { return seq(recs[i]) >= anchor }) - 1
			for ; i >= 0 && len(idx) < size; i-- {
				if kept(i) {
					idx = append(idx, i)
				}
			}
			for a, b := 0, len(idx)-1; a < b; a, b = a+1, b-1 {
				idx[a], idx[b] = idx[b], idx[a]
			}
		}
	} else {
		for i := 0; i < len(recs) && len(idx) < size; i++ {
			if kept(i) {
				idx = append(idx, i)
			}
		}
	}
	items := make([]obj, 0, len(idx))
	for _, i := range idx {
		items = append(items, render(recs[i]))
	}
	meta := obj{{"key", l.key}, {"pageSize", len(items)}}
	if len(idx) > 0 {
		first, last := idx[0], idx[len(idx)-1]
		if anyKept(0, first, kept) {
			meta = append(meta, kv{"previousToken", v2Token(false, seq(recs[first]), sig)})
		}
		if anyKept(last+1, len(recs), kept) {
			meta = append(meta, kv{"nextToken", v2Token(true, seq(recs[last]), sig)})
		}
	}
	return v2JSON(http.StatusOK, obj{{l.key, items}, {"meta", meta}})
}

func v2Token(after bool, seq int64, sig string) string {
	d := "p"
	if after {
		d = "n"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(d + "." + strconv.FormatInt(seq, 10) + "." + sig))
}

func parseV2Token(tok, sig string) (after bool, seq int64, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tok, "="))
	if err != nil {
		return false, 0, false
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || (parts[0] != "n" && parts[0] != "p") || parts[2] != sig {
		return false, 0, false
	}
	seq, err = strconv.ParseInt(parts[1], 10, 64)
	if err != nil || seq < 0 {
		return false, 0, false
	}
	return parts[0] == "n", seq, true
}
