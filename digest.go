package conversations

import "hash/maphash"

// bodyDigest computes, while a list body streams through the decoder, a
// fixed-size digest of every byte of it except the value of its top-level
// "meta" key: a digest of the page's items (and of any other top-level
// field), which is the same for two pages that serve the same items under
// new page tokens. It tracks only strings, escapes and nesting depth, so it
// costs one pass of a tight loop over the bytes, not a second JSON decode.
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

// Write digests p (the rest.Reader's tee); it never fails.
func (d *bodyDigest) Write(p []byte) (int, error) {
	d.write(p)
	return len(p), nil
}

// write digests p, the next bytes of the body. Bytes it need not act on
// (most of them) are skipped by table lookups in tight loops.
func (d *bodyDigest) write(p []byte) {
	start := 0 // start of the run of p still to hash
	for i := 0; i < len(p); {
		if d.inStr {
			if !d.esc {
				j := i
				for j < len(p) && !stringSpecial[p[j]] {
					j++
				}
				d.keyBytes(p[i:j])
				i = j
				if i == len(p) {
					break
				}
			}
			c := p[i]
			i++
			switch {
			case d.esc:
				d.esc = false
			case c == '\\':
				d.esc = true
			case c == '"':
				d.endString()
				continue
			}
			d.keyBytes(p[i-1 : i])
			continue
		}
		for i < len(p) && !structural[p[i]] { // whitespace, numbers, literals
			i++
		}
		if i == len(p) {
			break
		}
		c := p[i]
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
		i++
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
	if d.keyLen < len(d.key) {
		copy(d.key[d.keyLen:], b)
	}
	d.keyLen += len(b)
}

// endString ends the current string; at depth 1 it may be the "meta" key.
func (d *bodyDigest) endString() {
	d.inStr = false
	if d.depth == 1 && !d.skipping {
		d.metaKey = d.keyLen == 4 && string(d.key[:4]) == "meta"
	}
}

// stringSpecial marks the bytes bodyDigest acts on inside strings.
var stringSpecial = [256]bool{'"': true, '\\': true}

// structural marks the bytes bodyDigest acts on outside strings.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true, ':': true, ',': true}

// sum is the digest of the bytes written so far.
func (d *bodyDigest) sum() uint64 { return d.h.Sum64() }
