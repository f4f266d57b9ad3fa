package conversationstest

import (
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/url"
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
// A token is URL-safe base64 of a small JSON object: the direction, the
// creation order of the item the page starts after (or ends before), so
// that deleting that item does not break the walk, a hash of the list's
// path, and the list's filters. Like the spec's example token
// (eyJwYWdlIjoyLCJxdWVyeSI6ImJvb2tzIn0= is {"page":2,"query":"books"}), it
// carries its query: a request with a token and no filters continues the
// filtered list, one with other filters is refused, and so is a token of
// another list.
//
// The spec spells the parameters pageSize and pageToken; the fake also
// accepts PageSize and PageToken, which twilio-go v1.31.0 sends for the
// pages after the first (its client.GetNext builds
// "?PageSize=…&PageToken=…" from meta and drops the filters), so that
// official clients can page through it. Any other parameter the operation
// does not have is a 400.

const (
	v2DefaultPageSize = 50
	v2MaxPageSize     = 1000
)

type v2Token struct {
	Dir     string              `json:"d"` // "n" next, "p" previous
	Seq     int64               `json:"s"`
	Path    string              `json:"p"`
	Filters map[string][]string `json:"f,omitempty"`
}

// v2Page cuts the page the request asks for out of recs, which are in
// creation order. params names the list's filter parameters; build turns
// their values (from the request, or from the token) into the filter.
func v2Page[T any](v *v2ctx, key string, params []string, recs []T, seq func(T) int64,
	build func(url.Values) (func(T) bool, *apiError), render func(T) obj) v2Answer {
	var sizes, tokens []string
	filters := url.Values{}
	for name, vals := range v.r.URL.Query() {
		switch {
		case strings.EqualFold(name, "pageSize"):
			sizes = append(sizes, vals...)
		case strings.EqualFold(name, "pageToken"):
			tokens = append(tokens, vals...)
		case slices.Contains(params, name):
			filters[name] = append([]string(nil), vals...)
			sort.Strings(filters[name])
		default:
			// A misspelt parameter would otherwise silently list from the start.
			return v2Fail(errInvalid(name, "unknown query parameter; this list takes "+
				strings.Join(append([]string{"pageSize", "pageToken"}, params...), ", ")))
		}
	}
	size := v2DefaultPageSize
	if len(sizes) > 0 {
		n, err := strconv.Atoi(sizes[0])
		if err != nil || n < 1 || n > v2MaxPageSize || slices.ContainsFunc(sizes, func(s string) bool { return s != sizes[0] }) {
			return v2Fail(errInvalid("pageSize", "must be one integer from 1 to 1000, got "+strconv.Quote(strings.Join(sizes, ","))))
		}
		size = n
	}
	h := fnv.New64a()
	h.Write([]byte(v.r.URL.EscapedPath()))
	pathSig := strconv.FormatUint(h.Sum64(), 36)

	var tok *v2Token
	if len(tokens) > 0 && tokens[0] != "" {
		t, ok := parseV2Token(tokens[0])
		if !ok || t.Path != pathSig || slices.ContainsFunc(tokens, func(s string) bool { return s != tokens[0] }) {
			return v2Fail(errInvalid("pageToken", strconv.Quote(tokens[0])+" is not a page token of this list"))
		}
		if len(filters) == 0 {
			filters = t.Filters
		} else if !sameFilters(filters, t.Filters) {
			return v2Fail(errInvalid("pageToken", "the token belongs to the same list with other filters; send the token alone or with the same filters"))
		}
		tok = t
	}
	if filters == nil {
		filters = url.Values{}
	}
	keep, aerr := build(filters)
	if aerr != nil {
		return v2Fail(aerr)
	}
	kept := func(i int) bool { return keep == nil || keep(recs[i]) }

	var idx []int
	switch {
	case tok != nil && tok.Dir == "n":
		i := sort.Search(len(recs), func(i int) bool { return seq(recs[i]) > tok.Seq })
		for ; i < len(recs) && len(idx) < size; i++ {
			if kept(i) {
				idx = append(idx, i)
			}
		}
	case tok != nil:
		i := sort.Search(len(recs), func(i int) bool { return seq(recs[i]) >= tok.Seq }) - 1
		for ; i >= 0 && len(idx) < size; i-- {
			if kept(i) {
				idx = append(idx, i)
			}
		}
		slices.Reverse(idx)
	default:
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
	meta := obj{{"key", key}, {"pageSize", len(items)}}
	if len(idx) > 0 {
		first, last := idx[0], idx[len(idx)-1]
		if anyKept(0, first, kept) {
			meta = append(meta, kv{"previousToken", encodeV2Token(v2Token{Dir: "p", Seq: seq(recs[first]), Path: pathSig, Filters: filters})})
		}
		if anyKept(last+1, len(recs), kept) {
			meta = append(meta, kv{"nextToken", encodeV2Token(v2Token{Dir: "n", Seq: seq(recs[last]), Path: pathSig, Filters: filters})})
		}
	}
	return v2JSON(http.StatusOK, obj{{key, items}, {"meta", meta}})
}

func sameFilters(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		if !slices.Equal(va, b[k]) {
			return false
		}
	}
	return true
}

func encodeV2Token(t v2Token) string {
	if len(t.Filters) == 0 {
		t.Filters = nil
	}
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseV2Token(s string) (*v2Token, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, false
	}
	var t v2Token
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if dec.Decode(&t) != nil || (t.Dir != "n" && t.Dir != "p") || t.Seq < 0 || t.Path == "" {
		return nil, false
	}
	return &t, true
}

// noFilter is the build function of a list without filters.
func noFilter[T any](url.Values) (func(T) bool, *apiError) { return nil, nil }
