package orchestrator

import (
	"context"
	"errors"
	"net/http"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/rest"
)

// New returns the v2 client of c: it sends through c's request core, so it
// shares c's credentials, base URL, HTTP client, retry policy and budget,
// limiter, observer and logger. It panics when c was not returned by
// conversations.NewClient (a programming error).
func New(c *conversations.Client) *Client {
	core := rest.ClientOf(c)
	if core == nil {
		panic("orchestrator: New needs a *conversations.Client returned by conversations.NewClient")
	}
	return newClient(core)
}

// send runs one logical call through the request core.
func (c *Client) send(ctx context.Context, k *call, dec rest.Decoder) error {
	r := rest.Request{Method: k.method, Path: k.path, Query: k.query, Route: k.route, Decoder: dec,
		Replay: k.replay, IdempotencyKey: k.idemKey, Options: k.opts}
	if k.body != nil {
		b, err := rest.JSONBody(k.body)
		if err != nil {
			return err
		}
		r.Body = b
	}
	return c.core.Do(ctx, &r)
}

var errNoOperation = errors.New("2xx answer to an asynchronous write without an operation (no statusUrl nor Operation-Id)")

// acceptedDecoder reads the 202 of an asynchronous write: the body and
// the Operation-Id, Location and Retry-After headers.
type acceptedDecoder struct{ op *Operation }

// Decode implements rest.Decoder.
func (d acceptedDecoder) Decode(resp *http.Response, body *rest.Reader) error {
	if err := rest.DecodeJSON(resp, body, d.op); err != nil {
		return err
	}
	if d.op.StatusURL == "" && resp.Header.Get("Operation-Id") == "" {
		return errNoOperation
	}
	d.op.fill(resp.Header)
	return nil
}

// headerDecoder decodes a JSON object into out and keeps the answer's
// headers (an operation poll's Retry-After).
type headerDecoder struct {
	out    any
	header *http.Header
}

// Decode implements rest.Decoder.
func (d headerDecoder) Decode(resp *http.Response, body *rest.Reader) error {
	*d.header = resp.Header
	return rest.DecodeJSON(resp, body, d.out)
}
