package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
)

// Decoder turns a 2xx answer into the call's result. The core calls it once
// per successful attempt with the response (its status and headers, for a
// 202's Operation-Id, Location or Retry-After) and the body, bounded by the
// client's limit; the core closes the body afterwards. body, and the bytes
// its Bytes returns, are the core's again once Decode returns: a Decoder
// must not keep them. An error it returns becomes a *DecodeError, except
// when the body itself failed (a transport error mid-read, which is retried
// like any network error, or the size limit, a *DecodeError wrapping
// *ResponseTooLargeError). A nil Decoder ignores the body of any 2xx.
type Decoder interface {
	Decode(resp *http.Response, body *Reader) error
}

// JSON decodes a 2xx body holding one JSON object into *out. A 204, an
// empty body or JSON null is an error: the caller was promised a value.
func JSON[T any](out *T) Decoder { return jsonDecoder[T]{out} }

// jsonDecoder holds a single pointer, so that it is stored in a Decoder
// without an allocation.
type jsonDecoder[T any] struct{ out *T }

func (d jsonDecoder[T]) Decode(resp *http.Response, body *Reader) error {
	return DecodeJSON(resp, body, d.out)
}

// DecodeJSON decodes a 2xx body holding one JSON value into out (a
// pointer), refusing a 204, an empty body and JSON null, as json.Unmarshal
// does once the value is complete. It reads the body into the Reader's
// buffer (see Bytes) and returns as soon as that holds the whole value,
// without waiting for the end of a body that stays open after it. It is the
// JSON step of every Decoder that reads a JSON object; call it before any
// Read.
func DecodeJSON(resp *http.Response, body *Reader, out any) error {
	if resp.StatusCode == http.StatusNoContent {
		return errNoContent
	}
	err := body.readJSON(out)
	switch {
	case err != nil:
		return err
	case body.first == 'n':
		return errNullBody
	}
	return nil
}

var (
	errNoContent = errors.New("204 No Content where a resource was promised")
	errEmptyBody = errors.New("empty body where a resource was promised")
	errNullBody  = errors.New("JSON null where a resource was promised")
	errTooLarge  = errors.New("response body too large")
)

// Reader reads a success body for a Decoder: it stops with an error after
// the client's limit, notes the first error other than io.EOF (a transport
// failure, as opposed to malformed JSON), whether io.EOF was seen, and the
// first non-space byte (to tell JSON null from an object). Tee copies what
// is read to a writer. DecodeJSON reads through it into a buffer the core
// reuses from call to call, which Bytes returns.
type Reader struct {
	r     io.Reader
	left  int64
	n     int64
	err   error
	eof   bool
	first byte
	tee   io.Writer
	size  int64  // the body's Content-Length, -1 when unknown
	buf   []byte // what DecodeJSON read
}

// Tee makes every later Read copy what it returns to w, whose Write must
// not fail.
func (b *Reader) Tee(w io.Writer) { b.tee = w }

// Bytes returns what DecodeJSON read of the body: the JSON value and
// whatever followed it in the same reads. It is valid until the Decoder
// returns.
func (b *Reader) Bytes() []byte { return b.buf }

// Read reads from the body within the limit. A body of exactly the limit
// ends with io.EOF; one byte more is an error.
func (b *Reader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, b.atLimit()
	}
	p = p[:min(int64(len(p)), b.left)]
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.tee != nil {
		_, _ = b.tee.Write(p[:n])
	}
	if b.first == 0 {
		for _, c := range p[:n] {
			if !isSpace(c) {
				b.first = c
				break
			}
		}
	}
	b.n += int64(n)
	b.note(err)
	return n, err
}

// atLimit is the error of a Read once the limit is reached: io.EOF when
// the body ends there, else errTooLarge (or the transport's error).
func (b *Reader) atLimit() error {
	if b.err != nil {
		return b.err
	}
	if b.eof {
		return io.EOF
	}
	var one [1]byte
	n, err := b.r.Read(one[:])
	switch {
	case n > 0:
		b.err = errTooLarge
		return b.err
	case err == nil:
		return nil // no progress; the caller reads again
	}
	b.note(err)
	return err
}

// note records a Read's error: io.EOF, or the first other error.
func (b *Reader) note(err error) {
	switch {
	case err == io.EOF:
		b.eof = true
	case err != nil && b.err == nil:
		b.err = err
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

const (
	minBuf    = 4 << 10 // the first read buffer, when the size is unknown
	maxPooled = 1 << 20 // larger buffers are left to the garbage collector
)

// readerPool holds Readers with their buffers, so that a call allocates
// neither: a page of 50 items needs no buffer growth once one was read.
var readerPool = sync.Pool{New: func() any { return new(Reader) }}

// readJSON reads the body into b.buf until it holds one whole JSON value
// and decodes that into out with json.Unmarshal. The value is tried as soon
// as the bytes read end like a complete object or array (or the whole
// Content-Length is in), so the decoder never waits on a body that stays
// open after the value; only when such a try was premature (a read ended
// on an inner '}') does it follow the nesting depth of the rest, so that
// the next try is at the value's end.
func (b *Reader) readJSON(out any) error {
	var d depth
	tracking := false
	if b.size > int64(cap(b.buf)) && b.size <= maxPooled {
		// Room for the whole Content-Length at once (a length is only a
		// promise: beyond maxPooled the buffer grows as bytes arrive).
		b.buf = make([]byte, 0, min(b.size, b.left))
	}
	for {
		if len(b.buf) == cap(b.buf) {
			b.grow()
		}
		start := len(b.buf)
		n, err := b.Read(b.buf[start:cap(b.buf)])
		b.buf = b.buf[:start+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		if !tracking {
			if !endsValue(b.buf) && (b.size < 0 || int64(len(b.buf)) < b.size) {
				continue
			}
			// The bytes read end like the value, or are all the
			// Content-Length: try them. The try is premature when a
			// read ended on an inner '}' or ']' (or when a transport
			// got the length wrong); then the depth decides, and only
			// the end of the body makes a failed try final. What a
			// failed try decoded into out is decoded again by the next
			// one from the same bytes and more, so out needs no reset.
			if json.Unmarshal(b.buf, out) == nil {
				return nil
			}
			tracking, start = true, 0
		}
		if d.scan(b.buf[start:]) {
			return json.Unmarshal(b.buf, out)
		}
	}
	if b.first == 0 {
		return errEmptyBody
	}
	return json.Unmarshal(b.buf, out)
}

// grow doubles the room in b.buf for the next read.
func (b *Reader) grow() {
	nb := make([]byte, len(b.buf), max(2*cap(b.buf), minBuf))
	copy(nb, b.buf)
	b.buf = nb
}

// endsValue reports whether p, trimmed of spaces, starts and ends like a
// JSON object or array. (bytes.TrimSpace also trims spaces JSON does not
// allow: the try then fails as the end of the body would.)
func endsValue(p []byte) bool {
	p = bytes.TrimSpace(p)
	return len(p) >= 2 && (p[0] == '{' && p[len(p)-1] == '}' || p[0] == '[' && p[len(p)-1] == ']')
}

// depth follows the nesting of a JSON text across reads: strings, escapes
// and brackets.
type depth struct {
	level   int
	inStr   bool
	esc     bool
	started bool
}

// scan consumes p and reports whether the top-level object or array is
// closed at its end.
func (d *depth) scan(p []byte) bool {
	for _, c := range p {
		switch {
		case d.inStr:
			switch {
			case d.esc:
				d.esc = false
			case c == '\\':
				d.esc = true
			case c == '"':
				d.inStr = false
			}
		case c == '"':
			d.inStr = true
		case c == '{' || c == '[':
			d.level++
			d.started = true
		case c == '}' || c == ']':
			d.level--
		}
	}
	return d.started && d.level <= 0 && !d.inStr
}

// decode runs dec over a 2xx response and closes its body. readErr is a
// transport failure that cut the body off (retryable); derr is a
// *DecodeError for a body that arrived but is not what was promised.
func (c *Client) decode(resp *http.Response, dec Decoder, method, path string) (readErr, derr error) {
	return Decode(resp, dec, c.maxBody, method, path)
}

// Decode is the decoding stage on its own (for fuzzing): dec reads resp's
// body, bounded by limit bytes, which is then closed. readErr is a transport
// failure that cut the body off; derr a *DecodeError naming method and path.
func Decode(resp *http.Response, dec Decoder, limit int64, method, path string) (readErr, derr error) {
	if dec == nil {
		closeBody(resp, nil)
		return nil, nil
	}
	body := readerPool.Get().(*Reader)
	*body = Reader{r: resp.Body, left: limit, size: resp.ContentLength, buf: body.buf[:0]}
	err := dec.Decode(resp, body)
	closeBody(resp, body)
	bodyErr := body.err
	release(body)
	switch {
	case bodyErr == errTooLarge:
		err = &ResponseTooLargeError{Limit: limit}
	case bodyErr != nil:
		return bodyErr, nil
	case err == nil:
		return nil, nil
	}
	return nil, &DecodeError{Method: method, Path: path, Status: resp.StatusCode,
		RequestID: Clip(resp.Header.Get("Twilio-Request-Id"), MaxHeaderValue), Err: err}
}

// release returns a Reader to the pool, keeping a buffer of moderate size.
func release(b *Reader) {
	buf := b.buf[:0]
	if cap(buf) > maxPooled {
		buf = nil
	}
	*b = Reader{buf: buf}
	readerPool.Put(b)
}

// closeBody closes a response body without waiting for anything: the
// connection is kept for reuse only when the body is known to be at its end
// (io.EOF seen, or all of its Content-Length read, so one more Read returns
// io.EOF without touching the network). Otherwise the connection is closed
// rather than drained: a stalled or oversized body is not worth the
// caller's latency, and net/http closes a connection whose body is closed
// unread.
func closeBody(resp *http.Response, b *Reader) {
	if b != nil && !b.eof && b.err == nil && resp.ContentLength >= 0 && b.n == resp.ContentLength {
		var one [1]byte
		_, _ = resp.Body.Read(one[:])
	}
	_ = resp.Body.Close()
}

// drainClose reads what is left of an error body (bounded), so that the
// connection can be reused, and closes it. Error bodies are read under the
// context's deadline by net/http.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}
