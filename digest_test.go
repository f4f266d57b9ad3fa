package conversations

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// digestOf digests body written in chunks of n bytes.
func digestOf(body string, n int) uint64 {
	d := newBodyDigest()
	for len(body) > 0 {
		k := min(n, len(body))
		d.write([]byte(body[:k]))
		body = body[k:]
	}
	return d.sum()
}

// TestBodyDigestIgnoresOnlyMeta: two bodies that differ only in the value
// of the top-level "meta" key have the same digest, however the bytes are
// split into reads; any other difference changes it.
func TestBodyDigestIgnoresOnlyMeta(t *testing.T) {
	items := `"conversations":[{"sid":"CH1","attributes":"{\"meta\":{}}","x":["meta",{"meta":1}]}]`
	same := []string{
		`{` + items + `,"meta":{"page":0,"next_page_url":"https://h/v1/Conversations?PageToken=PT1","key":"conversations"}}`,
		`{` + items + `,"meta":{"page":7,"next_page_url":"https://h/v1/Conversations?PageToken=PT9\"}{[","key":"x"}}`,
		`{` + items + `,"meta":null}`,
		`{` + items + `,"meta":"x,y"}`,
	}
	metaFirst := []string{
		`{"meta":{"page":0,"url":"a"},` + items + `}`,
		`{"meta":{"page":1,"url":"b[{"},` + items + `}`,
	}
	for _, n := range []int{1, 2, 3, 7, 64, 1 << 20} {
		want := digestOf(same[0], 1<<20)
		for _, b := range same {
			assert.Equal(t, want, digestOf(b, n), "chunk %d: %s", n, b)
		}
		assert.Equal(t, digestOf(metaFirst[0], 1<<20), digestOf(metaFirst[1], n), "chunk %d: meta first", n)
	}
	base := digestOf(same[0], 1<<20)
	for _, other := range []string{
		strings.Replace(same[0], `"CH1"`, `"CH2"`, 1),
		strings.Replace(same[0], `"meta",{"meta":1}`, `"meta",{"meta":2}`, 1), // a "meta" inside an item counts
		strings.Replace(same[0], `{\"meta\":{}}`, `{\"meta\":[]}`, 1),
		`{` + items + `,"metb":{"page":0}}`,
		`{` + items + `,"extra":1,"meta":{"page":0}}`,
		`{"conversations":[],"meta":{"page":0}}`,
	} {
		assert.NotEqual(t, base, digestOf(other, 5), "%s", other)
	}
	// A "meta" string value (not a key) at the top level is digested.
	assert.NotEqual(t, digestOf(`{"a":"meta","b":1}`, 3), digestOf(`{"a":"meta","b":2}`, 3))
	// A key of five or more bytes that starts with "meta" is not meta.
	assert.NotEqual(t, digestOf(`{"metax":1,"a":1}`, 3), digestOf(`{"metax":2,"a":1}`, 3))
}
