package orchestrator

// TEMPORARY transport until internal/rest lands on main; replaced by the
// core bridge.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/conversations-go/conversations"
)

type transport interface {
	do(ctx context.Context, k *call, out any, w want) (reply, error)
}

type httpTransport struct {
	base       string
	hc         *http.Client
	user, pass string
}

func (t *httpTransport) do(ctx context.Context, k *call, out any, w want) (reply, error) {
	var body []byte
	if k.body != nil {
		b, err := json.Marshal(k.body)
		if err != nil {
			return reply{}, invalid("body", "cannot be encoded: %v", err)
		}
		body = b
	}
	u := t.base + k.path
	if k.query != "" {
		u += "?" + k.query
	}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, k.method, u, bytes.NewReader(body))
		if err != nil {
			return reply{}, err
		}
		if body == nil {
			req.Body = nil
		} else {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "application/json")
		req.SetBasicAuth(t.user, t.pass)
		if k.idemKey != "" {
			req.Header.Set("Idempotency-Key", k.idemKey)
		}
		resp, err := t.hc.Do(req)
		if err != nil {
			if k.replay && attempt < 3 && ctx.Err() == nil {
				continue
			}
			return reply{}, &conversations.NetworkError{Method: k.method, Path: k.path, Err: err}
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 429 || resp.StatusCode >= 500 && k.replay {
			if attempt < 3 {
				time.Sleep(time.Millisecond)
				continue
			}
		}
		if resp.StatusCode/100 != 2 {
			e := &conversations.Error{Status: resp.StatusCode, Method: k.method, Path: k.path}
			var tb struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			if json.Unmarshal(b, &tb) == nil {
				e.Code, e.Message = tb.Code, tb.Message
			}
			return reply{}, e
		}
		if err := json.Unmarshal(b, out); err != nil {
			return reply{}, &conversations.DecodeError{Method: k.method, Path: k.path, Status: resp.StatusCode, Err: err}
		}
		if len(b) == 0 || string(b) == "null" {
			return reply{}, &conversations.DecodeError{Method: k.method, Path: k.path, Status: resp.StatusCode, Err: errors.New("empty body")}
		}
		return reply{status: resp.StatusCode, header: resp.Header}, nil
	}
}
