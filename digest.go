package conversations

import "hash/maphash"

// bodyDigest computes a fixed-size digest of every byte of a list body
// except the value of its top-level "meta" key: a digest of the page's
// items (and of any other top-level field), which is the same for two pages
// that serve the same items under new page tokens. It tracks only strings,
// escapes and nesting depth, in one pass over the bytes, not a second
// JSON decode. It is the fallback of metaSpans.digest,
// which finds the meta values without a pass of its own.
// A "meta" key spelled with escapes is not recognised; the digest then
// includes the meta block and no cycle is reported, never a false one.
type bodyDigest struct {
	h        maphash.Hash
	depth    int
	inStr    bool
	esc      bool
	key      [5]byte // the start of the current string at depth 1
	keyLen   int     // its length (counting beyond len(key))
	metaKey  bool    // the last string at depth 1 was exactly "meta"
	skipping bool    // inside the value of the top-level "meta" key
}

func newBodyDigest() *bodyDigest {
	d := &bodyDigest{}
	d.h.SetSeed(pageSeed)
	return d
}

// write digests p, the next bytes of the body.
func (d *bodyDigest) write(p []byte) {
	start := 0 // start of the run of p still to hash
	for i, c := range p {
		if d.inStr {
			switch {
			case d.esc:
				d.esc = false
			case c == '\\':
				d.esc = true
			case c == '"':
				d.endString()
				continue
			}
			d.keyBytes(p[i : i+1])
			continue
		}
		switch c {
		case '"':
			d.inStr, d.keyLen = true, 0
		case '{', '[':
			d.depth++
		case '}', ']':
			d.depth--
			if d.skipping && d.depth == 0 { // the body ends right after meta's value
				d.skipping, start = false, i
			}
		case ':':
			if d.depth == 1 && d.metaKey && !d.skipping {
				_, _ = d.h.Write(p[start : i+1])
				d.skipping, d.metaKey = true, false
			}
		case ',':
			if d.depth == 1 {
				if d.skipping {
					d.skipping, start = false, i
				}
				d.metaKey = false
			}
		}
	}
	if !d.skipping {
		_, _ = d.h.Write(p[start:])
	}
}

// keyBytes notes the start of a string at depth 1 (a candidate key).
func (d *bodyDigest) keyBytes(b []byte) {
	if d.depth != 1 || d.skipping {
		return
	}
	copy(d.key[min(d.keyLen, len(d.key)):], b)
	d.keyLen += len(b)
}

// endString ends the current string; at depth 1 it may be the "meta" key.
func (d *bodyDigest) endString() {
	d.inStr = false
	if d.depth == 1 && !d.skipping {
		d.metaKey = d.keyLen == 4 && string(d.key[:4]) == "meta"
	}
}

// sum is the digest of the bytes written so far.
func (d *bodyDigest) sum() uint64 { return d.h.Sum64() }
