package rest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// Decoder turns a 2xx answer into the call's result. The core calls it once
// per successful attempt with the response (its status and headers, for a
// 202's Operation-Id, Location or Retry-After) and the body, bounded by the
// client's limit; the core closes the body afterwards. An error it returns
// becomes a *DecodeError, except when the body itself failed (a transport
// error mid-read, which is retried like any network error, or the size
// limit, a *DecodeError wrapping *ResponseTooLargeError). A nil Decoder
// ignores the body of any 2xx.
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

// DecodeJSON decodes a 2xx body holding one JSON object into out (a
// pointer), refusing a 204, an empty body and JSON null. It is the JSON
// step of every Decoder that reads a JSON object.
func DecodeJSON(resp *http.Response, body *Reader, out any) error {
	if resp.StatusCode == http.StatusNoContent {
		return errNoContent
	}
	err := json.NewDecoder(body).Decode(out)
	switch {
	case err == io.EOF:
		return errEmptyBody
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
// is read to a writer (a page digest).
type Reader struct {
	r     io.Reader
	left  int64
	n     int64
	err   error
	eof   bool
	first byte
	tee   io.Writer
}

// Tee makes every later Read copy what it returns to w, whose Write must
// not fail.
func (b *Reader) Tee(w io.Writer) { b.tee = w }

// Read reads from the body within the limit.
func (b *Reader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		if b.err == nil {
			b.err = errTooLarge
		}
		return 0, b.err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.tee != nil {
		_, _ = b.tee.Write(p[:n])
	}
	if b.first == 0 {
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				b.first = c
				break
			}
		}
	}
	b.n += int64(n)
	switch {
	case err == io.EOF:
		b.eof = true
	case err != nil && b.err == nil:
		b.err = err
	}
	return n, err
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
	body := &Reader{r: resp.Body, left: limit}
	err := dec.Decode(resp, body)
	closeBody(resp, body)
	switch {
	case body.err == errTooLarge:
		err = &ResponseTooLargeError{Limit: limit}
	case body.err != nil:
		return body.err, nil
	case err == nil:
		return nil, nil
	}
	return nil, &DecodeError{Method: method, Path: path, Status: resp.StatusCode,
		RequestID: Clip(resp.Header.Get("Twilio-Request-Id"), MaxHeaderValue), Err: err}
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
