package rest

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"unsafe"
)

// Body is the source of a request body, which every attempt of a call
// sends again: nothing (the zero Body), an encoded form, a JSON value
// marshalled once, or a stream that can be rewound. Build it with
// FormBody, JSONBody or StreamBody.
type Body struct {
	contentType string
	data        string // a form or JSON body, sent from a new reader each attempt
	stream      Stream // a streamed body; data is then unused
}

// FormBody is an application/x-www-form-urlencoded body; the empty string
// is no body (and no Content-Type).
func FormBody(encoded string) Body {
	if encoded == "" {
		return Body{}
	}
	return Body{contentType: "application/x-www-form-urlencoded", data: encoded}
}

// JSONBody is v marshalled once as an application/json body. A value
// encoding/json cannot marshal is a *ValidationError.
func JSONBody(v any) (Body, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Body{}, &ValidationError{Param: "body", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	// b is json.Marshal's own new slice, referenced by nothing else and
	// never written again: it becomes the string without a copy, as
	// strings.Builder does.
	return Body{contentType: "application/json", data: unsafe.String(unsafe.SliceData(b), len(b))}, nil
}

// StreamBody is a streamed body of MIME type contentType. contentType
// usually comes from caller input: it is checked with every other header
// value before anything is sent.
func StreamBody(contentType string, s Stream) Body {
	return Body{contentType: contentType, stream: s}
}

// ContentType is the body's MIME type ("" without a body).
func (b Body) ContentType() string { return b.contentType }

// Stream is a request body read as it is sent, never held whole. A Read
// error that is a *ValidationError (the source broke its declared size)
// ends the call with that error and is never retried.
type Stream interface {
	// Open returns the reader of one attempt and its length in bytes, or
	// -1 when unknown (the body is then sent chunked). net/http may still
	// read it after the attempt has ended; the reader must never touch
	// the source after Rewind or Release.
	Open() (io.Reader, int64)
	// Rewind makes the next Open start again from the first byte (the
	// GetBody of net/http, made safe against a transport still reading),
	// waiting until ctx ends for the last attempt's reader to be let go.
	// It reports false when the bytes already read cannot be sent again.
	Rewind(ctx context.Context) bool
	// Release ends the call's use of the stream, without blocking.
	Release()
}

// open returns the reader of one attempt and its length (-1: unknown).
func (b *Body) open() (io.Reader, int64) {
	switch {
	case b.stream != nil:
		return b.stream.Open()
	case b.data != "":
		return strings.NewReader(b.data), int64(len(b.data))
	}
	return nil, 0
}

// rewind prepares the body for another attempt.
func (b *Body) rewind(ctx context.Context) bool {
	return b.stream == nil || b.stream.Rewind(ctx)
}
