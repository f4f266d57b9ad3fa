package conversations

// The request core: one logical call (kind, path, query or form body,
// per-call options) becomes one or more HTTP attempts; each answer becomes a
// decoded resource or one of the documented error types. Resource methods
// reach it only through one, remove, list and all.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/conversations-go/conversations/internal/form"
)

// RequestOption changes one call: extra headers, the webhook header, a
// per-call retry policy, or access to the raw response.
type RequestOption func(*callOptions)

type callOptions struct {
	header   http.Header
	retry    *RetryPolicy
	response **http.Response
}

// WithWebhookEnabled sets the X-Twilio-Webhook-Enabled header ("true" or
// "false"), which tells Twilio whether this call should fire the configured
// webhooks. The operations that accept it say so in their doc comments.
func WithWebhookEnabled(enabled bool) RequestOption {
	v := "false"
	if enabled {
		v = "true"
	}
	return WithHeader("X-Twilio-Webhook-Enabled", v)
}

// WithHeader adds a header to the request. The SDK's own Authorization,
// Content-Type and User-Agent headers cannot be replaced this way. A name
// that is not an HTTP token, or a value with CR, LF, NUL or another control
// character, makes the call fail with a *ValidationError before anything is
// sent.
func WithHeader(key, value string) RequestOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = make(http.Header, 2)
		}
		o.header.Add(key, value)
	}
}

// WithCallRetry replaces the client's retry policy for this call. The call
// still draws on the client's retry budget unless p.NoRetryBudget is set.
func WithCallRetry(p RetryPolicy) RequestOption {
	return func(o *callOptions) { o.retry = &p }
}

// WithResponse stores the final *http.Response of the call in *dst, so that
// callers can read its status and headers. Its body is already consumed and
// closed.
func WithResponse(dst **http.Response) RequestOption {
	return func(o *callOptions) { o.response = dst }
}

// kind tells the request core what a call does, which decides its HTTP
// method, whether it may be retried after the server may have seen it, and
// what a 2xx answer must carry.
type kind uint8

const (
	kindRead   kind = iota // GET: fetch or list
	kindCreate             // POST that creates: never replayed once sent
	kindUpdate             // POST to an existing resource: idempotent
	kindDelete             // DELETE
)

func (k kind) method() string {
	switch k {
	case kindCreate, kindUpdate:
		return http.MethodPost
	case kindDelete:
		return http.MethodDelete
	}
	return http.MethodGet
}

// call is one logical API call. It may become several HTTP attempts.
type call struct {
	kind   kind
	path   string // escaped path, starting with /v1/
	query  string // encoded query string, without '?'
	body   string // encoded form body; sent when kind is create/update
	opts   []RequestOption
	url    string      // absolute URL to send to instead of base+path?query (media calls)
	upload *uploadBody // a streamed body instead of body (media uploads)
}

// newCall validates params and the path arguments and encodes params as the
// query (reads) or the form body (creates and updates). Nothing is sent.
func (s scope) newCall(k kind, tmpl string, params any, opts []RequestOption, args ...string) (*call, error) {
	p, err := s.path(tmpl, args...)
	if err != nil {
		return nil, err
	}
	if v, ok := params.(validator); ok {
		if err := v.validate(); err != nil {
			return nil, err
		}
	}
	c := &call{kind: k, path: p, opts: opts}
	if params != nil {
		enc, err := form.Encode(params)
		if err != nil {
			return nil, &ValidationError{Param: "params", Reason: "cannot be encoded: " + err.Error()}
		}
		if k == kindCreate || k == kindUpdate {
			c.body = enc
		} else {
			c.query = enc
		}
	}
	return c, nil
}

// path builds the escaped request path (after the base URL) from tmpl, a
// path below /v1 with {Name} placeholders, and args, one per placeholder in
// order. For service-scoped services it inserts Services/{ChatServiceSid}.
// Each value is checked (not empty, not a dot segment) and escaped as a
// single path segment, so '/', '?', '#', '%', '+', '@' and spaces reach the
// server as data and never change the route.
func (s scope) path(tmpl string, args ...string) (string, error) {
	var b strings.Builder
	b.Grow(len(tmpl) + 48 + 40*len(args))
	b.WriteString("/v1/")
	if s.scoped {
		if err := checkSegment("ChatServiceSid", s.service); err != nil {
			return "", err
		}
		b.WriteString("Services/")
		escapeSegment(&b, s.service)
		b.WriteByte('/')
	}
	n := 0
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '{' {
			b.WriteByte(tmpl[i])
			continue
		}
		end := strings.IndexByte(tmpl[i:], '}') + i
		name := tmpl[i+1 : end]
		if n >= len(args) {
			panic("conversations: path template " + tmpl + " has more placeholders than arguments")
		}
		if err := checkSegment(name, args[n]); err != nil {
			return "", err
		}
		escapeSegment(&b, args[n])
		n++
		i = end
	}
	return b.String(), nil
}

const hexUpper = "0123456789ABCDEF"

// escapeSegment percent-encodes everything but RFC 3986 unreserved characters.
func escapeSegment(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}

// unreserved reports whether c is an RFC 3986 unreserved character.
func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// want says what a 2xx answer must carry.
type want uint8

const (
	wantNothing  want = iota // Delete: any 2xx, the body is ignored
	wantResource             // Fetch, Create, Update: a JSON object
	wantPage                 // List: a JSON object (the envelope)
)

// one sends a call that answers with one resource.
func one[T any](ctx context.Context, s scope, k kind, tmpl string, params any, opts []RequestOption, args ...string) (*T, error) {
	c, err := s.newCall(k, tmpl, params, opts, args...)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := s.core.do(ctx, c, out, wantResource); err != nil {
		return nil, err
	}
	return out, nil
}

// remove sends a DELETE, which answers 204 with no body.
func remove(ctx context.Context, s scope, tmpl string, opts []RequestOption, args ...string) error {
	c, err := s.newCall(kindDelete, tmpl, nil, opts, args...)
	if err != nil {
		return err
	}
	return s.core.do(ctx, c, nil, wantNothing)
}

// do sends c (with retries) and decodes a successful JSON body into out.
// Every failure is a *ValidationError (nothing sent), a *NetworkError (no
// usable answer, including a done context, which it unwraps to), an *Error
// (a non-2xx answer) or a *DecodeError (a 2xx answer without the promised
// JSON).
func (co *core) do(ctx context.Context, c *call, out any, w want) error {
	method := c.kind.method()
	if ctx == nil {
		return &ValidationError{Param: "ctx", Reason: "must not be nil (use context.Background())"}
	}
	var o callOptions
	for _, opt := range c.opts {
		if opt != nil {
			opt(&o)
		}
	}
	if err := checkHeaders(o.header); err != nil {
		return err
	}
	policy, budget := co.retry, co.budget
	if o.retry != nil {
		policy = *o.retry
		if err := policy.validate(); err != nil {
			return err
		}
	}
	if policy.NoRetryBudget {
		budget = nil
	}
	if err := ctx.Err(); err != nil {
		return &NetworkError{Method: method, Path: c.path, Err: err}
	}
	u := c.url
	if u == "" {
		u = co.base + c.path
		if c.query != "" {
			u += "?" + c.query
		}
	}
	if c.upload != nil {
		// net/http may still read the body after Do returns; the caller's
		// reader is theirs again only once the last attempt lets go of it.
		defer c.upload.release()
	}
	start := time.Now()
	retried := 0 // budget tokens this call has taken
	for attempt := 1; ; attempt++ {
		resp, err := co.send(ctx, method, u, c, o.header)
		if o.response != nil {
			*o.response = resp
		}
		var apiErr error
		switch {
		case err != nil && c.upload != nil && IsValidation(err):
			// A streamed body broke its declared size or the size limit:
			// the request was abandoned, and is never retried.
			co.logDone(ctx, method, c.path, 0, attempt, start, err)
			return validationCause(err)
		case err != nil:
			apiErr = co.networkError(ctx, method, c.path, err)
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			readErr, derr := co.decodeSuccess(resp, out, w, method, c.path)
			if readErr == nil {
				if derr == nil {
					budget.succeeded(retried)
				}
				co.logDone(ctx, method, c.path, resp.StatusCode, attempt, start, derr)
				return derr // nil, or the 2xx body is not what was promised
			}
			// The body was cut off mid-read: a transport failure like any other.
			resp, err = nil, readErr
			apiErr = co.networkError(ctx, method, c.path, readErr)
		default:
			apiErr = decodeError(resp, method, c.path, co.secrets()...)
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		if ctx.Err() != nil {
			co.logDone(ctx, method, c.path, status, attempt, start, apiErr)
			return apiErr
		}
		wait, retry := policy.decide(attempt, c.kind, resp, err)
		if retry {
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
				// Waiting would only end in a context error: fail now with
				// the error the caller can act on.
				retry = false
			}
		}
		if retry && c.upload != nil && !c.upload.rewind(ctx) {
			retry = false // the bytes already sent cannot be sent again
		}
		if retry {
			cost := retryCost(resp)
			if !budget.take(cost) {
				co.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: retry budget empty",
					slog.String("method", method), slog.String("path", c.path), slog.Int("attempt", attempt))
				retry = false
			} else {
				retried += cost
			}
		}
		if !retry {
			co.logDone(ctx, method, c.path, status, attempt, start, apiErr)
			return apiErr
		}
		co.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: retrying",
			slog.String("method", method), slog.String("path", c.path),
			slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.String("error", apiErr.Error()))
		if err := sleepCtx(ctx, wait); err != nil {
			co.logDone(ctx, method, c.path, status, attempt, start, err)
			return &NetworkError{Method: method, Path: c.path, Err: &waitError{ctxErr: err, last: apiErr}}
		}
	}
}

// validationCause returns the *ValidationError inside err (a streamed
// upload body's own check, wrapped by net/http); it is kept out of do so
// that the variable errors.As needs is allocated only on this path.
func validationCause(err error) *ValidationError {
	var v *ValidationError
	errors.As(err, &v)
	return v
}

// waitError is a context that ended during a backoff wait. It unwraps to
// both the context's error and the last attempt's error, so that
// errors.Is(err, context.Canceled) and errors.As(err, &apiErr) both work.
type waitError struct {
	ctxErr, last error
}

func (e *waitError) Error() string {
	return e.ctxErr.Error() + " (while waiting to retry after: " + e.last.Error() + ")"
}

func (e *waitError) Unwrap() []error { return []error{e.ctxErr, e.last} }

// networkError wraps a transport failure; when the context is done the
// context's error is the cause the caller can act on.
func (co *core) networkError(ctx context.Context, method, path string, err error) *NetworkError {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = ctxErr
	}
	return &NetworkError{Method: method, Path: path, Err: err}
}

// logDone logs the outcome of a call at debug level: its final status (0
// when no response arrived), attempts and latency.
func (co *core) logDone(ctx context.Context, method, path string, status, attempts int, start time.Time, err error) {
	if !co.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("method", method), slog.String("path", path), slog.Int("status", status),
		slog.Int("attempts", attempts), slog.Duration("latency", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	co.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: response", attrs...)
}

// secrets are the strings no error may quote: the password and the
// Authorization header value built from it.
func (co *core) secrets() []string {
	pw := co.password.reveal()
	return []string{pw, base64.StdEncoding.EncodeToString([]byte(co.username + ":" + pw))}
}

// send performs one HTTP attempt of c to u. On success the response body
// is still open, except for a 1xx answer, whose body (a raw connection
// net/http no longer times) is closed at once.
func (co *core) send(ctx context.Context, method, u string, c *call, extra http.Header) (*http.Response, error) {
	var rd io.Reader
	switch {
	case c.upload != nil:
		rd = c.upload.start()
	case c.body != "":
		rd = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	for k, vs := range extra {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	// The SDK owns these: a WithHeader value never replaces them, and a
	// request without a body never claims a Content-Type.
	req.Header.Del("Content-Type")
	req.Header.Del("Content-Size")
	req.SetBasicAuth(co.username, co.password.reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", co.userAgent)
	switch {
	case c.upload != nil:
		c.upload.setHeaders(req)
	case c.body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	co.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: request", slog.String("method", method), slog.String("path", req.URL.Path))
	resp, err := co.hc.Do(req)
	if err == nil && resp.StatusCode < 200 {
		// An unsolicited 101 (or any 1xx net/http hands back) would hold
		// the call past every deadline: close its connection now.
		_ = resp.Body.Close()
		resp.Body = http.NoBody
	}
	return resp, err
}

// decodeSuccess decodes a 2xx body into out, reading at most the client's
// maxBody bytes of it (after any transparent gzip decoding), and then closes
// it. readErr is a transport failure that cut the body off (a retryable
// network error); derr is a *DecodeError for a body that arrived but is not
// what w promises: malformed JSON, JSON null, an empty body or a 204 where a
// resource or page was promised, or a body larger than maxBody.
func (co *core) decodeSuccess(resp *http.Response, out any, w want, method, path string) (readErr, derr error) {
	if w == wantNothing || out == nil {
		closeBody(resp, nil)
		return nil, nil
	}
	body := &bodyReader{r: resp.Body, left: co.maxBody}
	page, _ := out.(digested)
	if page != nil {
		body.digest = newBodyDigest()
	}
	fail := func(err error) error {
		return &DecodeError{Method: method, Path: path, Status: resp.StatusCode,
			RequestID: clip(resp.Header.Get("Twilio-Request-Id"), maxHeaderValue), Err: err}
	}
	if resp.StatusCode == http.StatusNoContent {
		closeBody(resp, body)
		return nil, fail(errNoContent)
	}
	err := json.NewDecoder(body).Decode(out)
	closeBody(resp, body)
	switch {
	case body.err == errTooLarge:
		return nil, fail(&ResponseTooLargeError{Limit: co.maxBody})
	case body.err != nil:
		return body.err, nil
	case err == io.EOF:
		return nil, fail(errEmptyBody)
	case err != nil:
		return nil, fail(err)
	case body.first == 'n':
		return nil, fail(errNullBody)
	}
	if page != nil {
		page.setDigest(body.digest.sum())
	}
	return nil, nil
}

// digested is a list envelope, which receives the digest of its body.
type digested interface{ setDigest(uint64) }

var (
	errNoContent = errors.New("204 No Content where a resource was promised")
	errEmptyBody = errors.New("empty body where a resource was promised")
	errNullBody  = errors.New("JSON null where a resource was promised")
	errTooLarge  = errors.New("response body too large")
)

// bodyReader reads a success body: it stops with errTooLarge after left
// bytes, notes the first error other than io.EOF (a transport failure, as
// opposed to malformed JSON), whether io.EOF was seen, and the first
// non-space byte (to tell JSON null from an object).
type bodyReader struct {
	r      io.Reader
	left   int64
	n      int64
	err    error
	eof    bool
	first  byte
	digest *bodyDigest // for list pages: digests the body without meta
}

// Read reads from the body within the limit.
func (b *bodyReader) Read(p []byte) (int, error) {
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
	if b.digest != nil {
		b.digest.write(p[:n])
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

// closeBody closes a response body without waiting for anything: the
// connection is kept for reuse only when the body is known to be at its end
// (io.EOF seen, or all of its Content-Length read, so one more Read returns
// io.EOF without touching the network). Otherwise the connection is closed
// rather than drained: a stalled or oversized body is not worth the
// caller's latency, and net/http closes a connection whose body is closed
// unread.
func closeBody(resp *http.Response, b *bodyReader) {
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

// sameOriginRedirect is the CheckRedirect of the SDK's default http.Client:
// it follows a redirect only to the scheme, host and port of the original
// request, so that the Authorization header never goes to another server
// (net/http alone would send it to another port of the same host, or over
// plain http). Any other redirect is returned as the 3xx *Error.
func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return http.ErrUseLastResponse
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
		return http.ErrUseLastResponse
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
