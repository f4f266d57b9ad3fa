package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errReadAfter is what chunkBody returns once its chunks are used up when
// it must not be read any further (a body that stays open).
var errReadAfter = errors.New("read after the value: the body stays open")

// chunkBody returns its chunks one Read each, then io.EOF, or errReadAfter
// when stall is set (a server that keeps the body open after the value).
type chunkBody struct {
	chunks []string
	stall  bool
	reads  int
	closed bool
}

func (b *chunkBody) Read(p []byte) (int, error) {
	b.reads++
	if len(b.chunks) == 0 {
		if b.stall {
			return 0, errReadAfter
		}
		return 0, io.EOF
	}
	n := copy(p, b.chunks[0])
	b.chunks[0] = b.chunks[0][n:]
	if b.chunks[0] == "" {
		b.chunks = b.chunks[1:]
	}
	return n, nil
}

func (b *chunkBody) Close() error { b.closed = true; return nil }

type thing struct {
	A string         `json:"a"`
	B map[string]int `json:"b"`
	C []any          `json:"c"`
}

// decodeChunks decodes chunks with JSON(&out) through Decode, with the
// Content-Length size (-1: unknown) and the given limit.
func decodeChunks(t *testing.T, chunks []string, stall bool, size, limit int64, out any) (body *chunkBody, readErr, derr error) {
	t.Helper()
	body = &chunkBody{chunks: append([]string(nil), chunks...), stall: stall}
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Twilio-Request-Id": {"RQ1"}}, Body: body, ContentLength: size}
	var dec Decoder
	switch o := out.(type) {
	case *thing:
		dec = JSON(o)
	case *any:
		dec = JSON(o)
	default:
		t.Fatalf("decodeChunks: %T", out)
	}
	readErr, derr = Decode(resp, dec, limit, "GET", "/v2/Things")
	assert.True(t, body.closed, "body closed")
	return body, readErr, derr
}

// TestReadJSONSplits: however the body is split into reads, the value is
// decoded as json.Unmarshal decodes it, and the body is not read past a
// value that ends the bytes read, even when a read ended early on an inner
// '}' or ']'.
func TestReadJSONSplits(t *testing.T) {
	full := `{"a":"x}\"]","b":{"k":1,"l":2},"c":[1,[2],{"d":[]}]}`
	var want thing
	require.NoError(t, json.Unmarshal([]byte(full), &want))
	for cut1 := 1; cut1 < len(full); cut1++ {
		for _, cut2 := range []int{cut1, (cut1 + len(full)) / 2, len(full)} {
			chunks := slices.DeleteFunc([]string{full[:cut1], full[cut1:cut2], full[cut2:]}, func(c string) bool { return c == "" })
			var got thing
			body, readErr, derr := decodeChunks(t, chunks, true, -1, 1<<20, &got)
			require.NoError(t, readErr, "%q", chunks)
			require.NoError(t, derr, "%q", chunks)
			assert.Equal(t, want, got, "%q", chunks)
			assert.GreaterOrEqual(t, body.reads, len(chunks), "%q: every chunk read (and none past the value: the body errs then)", chunks)
		}
	}
}

// TestReadJSONStaysOpen: a complete value is decoded without reading what
// follows, for objects and arrays, with and without a Content-Length.
func TestReadJSONStaysOpen(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		size   int64
	}{
		{"object", []string{` {"a":"1"} `}, -1},
		{"array", []string{"[1,", "2]\n"}, -1},
		{"object with a Content-Length that promises more", []string{`{"a":"1"}`}, 100},
		{"inner brace at a read's end", []string{`{"b":{"k":1}`, `,"a":"z"}`}, -1},
		{"inner bracket at a read's end", []string{`[[1]`, `,[2]]`}, -1},
	} {
		var got any
		_, readErr, derr := decodeChunks(t, tc.chunks, true, tc.size, 1<<20, &got)
		require.NoError(t, readErr, tc.name)
		require.NoError(t, derr, tc.name)
		var want any
		require.NoError(t, json.Unmarshal([]byte(strings.Join(tc.chunks, "")), &want))
		assert.Equal(t, want, got, tc.name)
	}
}

// TestReadJSONContentLength: a body read to its Content-Length is tried
// without another read, whatever its last byte; the buffer is sized once.
func TestReadJSONContentLength(t *testing.T) {
	body := `{"a":"` + strings.Repeat("x", 9000) + `"}`
	var got thing
	cb, readErr, derr := decodeChunks(t, []string{body}, true, int64(len(body)), 1<<20, &got)
	require.NoError(t, readErr)
	require.NoError(t, derr)
	assert.Equal(t, 9000, len(got.A))
	assert.Equal(t, 2, cb.reads, "one read into a buffer of the Content-Length, and closeBody's look for io.EOF")

	// A string at the top level: complete at the Content-Length, never
	// read further (and refused: not an object).
	cb, readErr, derr = decodeChunks(t, []string{`"abc"`}, false, 5, 1<<20, &got)
	require.NoError(t, readErr)
	var de *DecodeError
	require.ErrorAs(t, derr, &de)
	assert.Equal(t, 2, cb.reads, "the failed try is final at the end of the body")
	var any1 any
	cb, readErr, derr = decodeChunks(t, []string{`"a`, `bc"`}, true, 5, 1<<20, &any1)
	require.NoError(t, readErr)
	require.NoError(t, derr)
	assert.Equal(t, "abc", any1)
	assert.Equal(t, 3, cb.reads)
}

// TestReadJSONEnd: at the end of the body the bytes read are decoded as
// json.Unmarshal does: an empty or blank body, JSON null, trailing bytes
// and malformed JSON are *DecodeErrors; a 204 is one at once.
func TestReadJSONEnd(t *testing.T) {
	for _, tc := range []struct {
		chunks []string
		want   string // "" for success; else the DecodeError's cause
	}{
		{nil, errEmptyBody.Error()},
		{[]string{" \n\t\r "}, errEmptyBody.Error()},
		{[]string{"null"}, errNullBody.Error()},
		{[]string{" nu", "ll "}, errNullBody.Error()},
		{[]string{`{"a":"1"} x`}, "invalid character 'x' after top-level value"},
		{[]string{`{"a":`}, "unexpected end of JSON input"},
		{[]string{`{"a":"1"`, `}`}, ""},
		{[]string{`{"a":1}`}, "json: cannot unmarshal number into Go struct field thing.a of type string"},
		{[]string{`{"a":1}`, `}`}, "json: cannot unmarshal number into Go struct field thing.a of type string"},
		{[]string{`{"b":{}}`, `}`}, ""},
	} {
		var got thing
		body, readErr, derr := decodeChunks(t, tc.chunks, false, -1, 1<<20, &got)
		require.NoError(t, readErr)
		if tc.want == "" {
			require.NoError(t, derr, "%q", tc.chunks)
			continue
		}
		var de *DecodeError
		require.ErrorAs(t, derr, &de, "%q", tc.chunks)
		assert.Equal(t, tc.want, de.Err.Error(), "%q", tc.chunks)
		assert.Equal(t, "RQ1", de.RequestID)
		assert.LessOrEqual(t, body.reads, len(tc.chunks)+1, "%q", tc.chunks)
	}
	var got thing
	resp := &http.Response{StatusCode: 204, Header: http.Header{}, Body: &chunkBody{}}
	_, derr := Decode(resp, JSON(&got), 1<<20, "GET", "/v2/Things")
	var de *DecodeError
	require.ErrorAs(t, derr, &de)
	assert.Equal(t, errNoContent, de.Err)
	assert.Equal(t, 204, de.Status)
}

// TestReadJSONLimit: a body of exactly the limit decodes, also when the
// body only says it ended on the next read; one byte more is a
// *ResponseTooLargeError; a transport error is a read error.
func TestReadJSONLimit(t *testing.T) {
	body := `{"a":"` + strings.Repeat("y", 100) + `"} `
	n := int64(len(body))
	for _, tc := range []struct {
		limit   int64
		chunks  []string
		tooBig  bool
		readErr error
	}{
		{n, []string{body}, false, nil},
		{n, []string{body[:50], body[50:]}, false, nil},
		{n - 1, []string{body}, false, nil}, // the value ends within the limit
		{n - 2, []string{body}, true, nil},
		{n - 3, []string{body[:50], body[50:]}, true, nil},
	} {
		var got thing
		_, readErr, derr := decodeChunks(t, tc.chunks, false, -1, tc.limit, &got)
		require.NoError(t, readErr)
		if !tc.tooBig {
			require.NoError(t, derr, "limit %d", tc.limit)
			assert.Len(t, got.A, 100)
			continue
		}
		var tl *ResponseTooLargeError
		require.ErrorAs(t, derr, &tl, "limit %d", tc.limit)
		assert.Equal(t, tc.limit, tl.Limit)
	}
	// A transport error mid-body is a read error, not a DecodeError.
	var got thing
	_, readErr, derr := decodeChunks(t, []string{`{"a":`}, true, -1, 1<<20, &got)
	assert.Equal(t, errReadAfter, readErr)
	assert.NoError(t, derr)
	// ... also at the limit, where the Reader looks for the body's end.
	_, readErr, derr = decodeChunks(t, []string{`  {"a":"1"`}, true, -1, 10, &got)
	assert.Equal(t, errReadAfter, readErr)
	assert.NoError(t, derr)
}

// stingyBody returns at most one byte a Read, and a (0, nil) Read before
// each byte.
type stingyBody struct {
	data  string
	empty bool
}

func (b *stingyBody) Read(p []byte) (int, error) {
	if b.empty = !b.empty; b.empty {
		return 0, nil
	}
	if b.data == "" {
		return 0, io.EOF
	}
	p[0] = b.data[0]
	b.data = b.data[1:]
	return 1, nil
}

// TestReaderAtLimit: Read at the limit reports io.EOF when the body ends
// there (also after a Read that made no progress), errTooLarge when it
// does not, and keeps reporting it.
func TestReaderAtLimit(t *testing.T) {
	r := &Reader{r: &stingyBody{data: "ab"}, left: 2}
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "ab", string(got))
	assert.True(t, r.eof)
	n, err := r.Read(make([]byte, 4))
	assert.Equal(t, 0, n)
	assert.Equal(t, io.EOF, err, "io.EOF again")

	r = &Reader{r: &stingyBody{data: "abc"}, left: 2}
	got, err = io.ReadAll(r)
	assert.Equal(t, errTooLarge, err)
	assert.Equal(t, "ab", string(got))
	_, err = r.Read(make([]byte, 4))
	assert.Equal(t, errTooLarge, err, "the same error again")
	assert.Equal(t, int64(2), r.n)

	// The first non-space byte is noted, and what is read is teed.
	var tee bytes.Buffer
	r = &Reader{r: strings.NewReader(" \t\r\n{}"), left: 100}
	r.Tee(&tee)
	got, err = io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, byte('{'), r.first)
	assert.Equal(t, string(got), tee.String())

	// readJSON reads past (0, nil) Reads.
	var out thing
	r = &Reader{r: &stingyBody{data: `{"a":"s"}`}, left: 100, size: -1}
	require.NoError(t, r.readJSON(&out))
	assert.Equal(t, "s", out.A)
	assert.Equal(t, `{"a":"s"}`, string(r.Bytes()))
}

// TestReaderPool: a Reader comes back from the pool clean, with its buffer
// (unless it grew past maxPooled), so that the next body decodes alone.
func TestReaderPool(t *testing.T) {
	for _, body := range []string{`{"a":"long value","c":[1,2,3]}`, `{"a":"s"}`, `{}`} {
		var got, want thing
		_, _, derr := decodeChunks(t, []string{body}, false, -1, 1<<20, &got)
		require.NoError(t, derr)
		require.NoError(t, json.Unmarshal([]byte(body), &want))
		assert.Equal(t, want, got)
	}
	r := &Reader{r: strings.NewReader("x"), left: 7, n: 3, err: io.ErrUnexpectedEOF, eof: true, first: 'x', tee: io.Discard, size: 9,
		buf: make([]byte, 10, 20)}
	release(r)
	assert.Equal(t, Reader{buf: r.buf}, *r)
	assert.Equal(t, 0, len(r.buf))
	assert.Equal(t, 20, cap(r.buf))
	r.buf = make([]byte, 1, maxPooled+1)
	release(r)
	assert.Nil(t, r.buf, "a buffer larger than maxPooled is not kept")
	r.buf = make([]byte, 1, maxPooled)
	release(r)
	assert.Equal(t, maxPooled, cap(r.buf))
}

// TestEndsValue: only bytes that start and end like an object or array.
func TestEndsValue(t *testing.T) {
	for in, want := range map[string]bool{
		`{}`: true, ` [ ] `: true, "\n{\"a\":1}\r\n": true, `{`: false, `}`: false, `{]`: false, `[}`: false,
		`"x"`: false, ``: false, `  `: false, `{"a":1} x`: false, `x {}`: false, `[1]`: true,
	} {
		assert.Equal(t, want, endsValue([]byte(in)), "%q", in)
	}
}

// TestDepthScan: the top-level value is closed only at its last bracket,
// outside strings, across scans.
func TestDepthScan(t *testing.T) {
	text := `{"a":"}]\"\\","b":[{"c":{}}],"d":"\\"}`
	for i := 1; i < len(text); i++ {
		var d depth
		assert.False(t, d.scan([]byte(text[:i])), "prefix %q", text[:i])
		assert.True(t, d.scan([]byte(text[i:])), "then %q", text[i:])
	}
	var d depth
	assert.False(t, d.scan([]byte(`"abc" 1 `)), "no object or array")
	assert.False(t, d.scan([]byte(`"`)), "in a string")
	d = depth{}
	assert.True(t, d.scan([]byte(`[] `)))
	d = depth{}
	assert.False(t, d.scan([]byte(`{"a":"}`)), "the brace is in a string")
}

// TestReadJSONBufferSizing: a pooled buffer that holds the Content-Length
// is used as it is; a larger length up to maxPooled is allocated once, up
// to the limit; beyond maxPooled the buffer grows as bytes arrive.
func TestReadJSONBufferSizing(t *testing.T) {
	var out any
	pooled := make([]byte, 0, 10)
	r := &Reader{r: strings.NewReader(`{"a":[1]}`), left: 100, size: 10, buf: pooled}
	require.NoError(t, r.readJSON(&out))
	assert.Same(t, &pooled[:1][0], &r.buf[:1][0], "the pooled buffer, not a new one")
	for _, tc := range []struct {
		size, left int64
		pooled     int
		wantCap    int
	}{
		{11, 100, 10, 11},
		{maxPooled, 1 << 30, 10, maxPooled},
		{maxPooled + 1, 1 << 30, 10, 10},
		{maxPooled + 1, 1 << 30, 0, minBuf},
		{50, 20, 0, 20},
		{-1, 100, 0, minBuf},
	} {
		r := &Reader{r: strings.NewReader(`{}`), left: tc.left, size: tc.size, buf: make([]byte, 0, tc.pooled)}
		require.NoError(t, r.readJSON(&out))
		assert.Equal(t, tc.wantCap, cap(r.buf), "size %d, limit %d, pooled cap %d", tc.size, tc.left, tc.pooled)
	}
	r = &Reader{r: strings.NewReader(`[` + strings.Repeat(`1,`, minBuf) + `1]`), left: 1 << 20, size: -1}
	require.NoError(t, r.readJSON(&out))
	assert.Equal(t, 4*minBuf, cap(r.buf), "doubled as bytes arrive")
	assert.Len(t, out, minBuf+1)
}

// TestReadJSONTrustsContentLength: at the Content-Length the bytes read
// are tried as they are, even a length of 0 that a transport got wrong.
func TestReadJSONTrustsContentLength(t *testing.T) {
	var got any
	_, readErr, derr := decodeChunks(t, []string{`"abc"`}, true, 0, 1<<20, &got)
	require.NoError(t, readErr)
	require.NoError(t, derr)
	assert.Equal(t, "abc", got)
	// A hand-built response (a test's RoundTripper) often leaves
	// ContentLength 0 with a body: a failed try there is not final.
	var th thing
	_, readErr, derr = decodeChunks(t, []string{`{"a":`, `"1",`, `"c":[1]}`}, false, 0, 1<<20, &th)
	require.NoError(t, readErr)
	require.NoError(t, derr)
	assert.Equal(t, thing{A: "1", C: []any{float64(1)}}, th)
	for _, v := range []string{`{}`, `[]`, ` {} `} {
		_, readErr, derr := decodeChunks(t, []string{v}, true, -1, 1<<20, &got)
		require.NoError(t, readErr, v)
		require.NoError(t, derr, v)
	}
}
