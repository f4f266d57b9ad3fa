package rest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Request is one logical API call, built by the calling API; Do sends it
// as one or more HTTP attempts. Do does not modify it.
type Request struct {
	// Method is the HTTP method: GET, POST, PUT, PATCH or DELETE.
	Method string
	// Path is the escaped path from the base URL ("/v1/Conversations/CH1"),
	// and Query the encoded query string without '?'. Errors and logs
	// name Path, never the query.
	Path, Query string
	// URL, when set, is the absolute URL sent to instead of
	// base+Path?Query (a request to another host of the same account,
	// such as the Media Content Service); Path still names it.
	URL string
	// RoutePrefix+Route is the call's path template for an Observer, e.g.
	// "/v1/Services/{ChatServiceSid}/" + "Conversations/{Sid}". The two
	// are joined only when an Observer is set.
	RoutePrefix, Route string
	// Header holds headers the calling API builds, possibly from caller
	// input (Content-Size). They are validated with the caller's and win
	// over WithHeader.
	Header http.Header
	// Body is the request body, sent again on every attempt.
	Body Body
	// Decoder turns a 2xx answer into the result; nil ignores the body.
	Decoder Decoder
	// Replay says the request may be sent again after the server may have
	// seen it: reads, deletes, updates of a known resource, and writes
	// that carry an idempotency key the API honours. Without it only a
	// 429 or a dial error (nothing was sent) is retried.
	Replay bool
	// IdempotencyKey, when set, is sent unchanged as the Idempotency-Key
	// header of every attempt; a WithIdempotencyKey option replaces it.
	IdempotencyKey string
	// LimitKey names the shared limit the request counts against
	// ("conversation:CH1", "service:IS1"); the client's Limiter is asked
	// before each attempt of a request with a LimitKey.
	LimitKey string
	// Options are the caller's per-call options.
	Options []RequestOption
}

// noOptions is the options of a call without any: read, never written
// (apply writes only through an option, and such a call has its own).
var noOptions callOptions

// call is the state of one logical call inside Do.
type call struct {
	c       *Client
	r       Request      // a copy, so that the caller's Request does not escape
	o       *callOptions // separate: the options' closures make it escape
	policy  RetryPolicy
	budget  *retryBudget
	url     string
	idemKey string
	info    CallInfo  // filled only when an observer is set
	start   time.Time // set only when debug or an observer reads it
	debug   bool      // the logger takes debug records
	sent    int       // attempts sent
	status  int       // the last attempt's status, 0 when none arrived
	retried int       // retry-budget tokens this call has taken
}

// Do sends r: build (options, headers, URL; nothing is sent when they are
// invalid) → for each attempt: limiter → one attempt → decode or classify
// the answer → retry decision → wait. Every failure is a *ValidationError
// (nothing sent), a *NetworkError (no usable answer, including a done
// context, which it unwraps to), an *Error (a non-2xx answer) or a
// *DecodeError (a 2xx answer the Decoder refused). The call's outcome is
// logged once, at debug level.
func (c *Client) Do(ctx context.Context, r *Request) (err error) {
	if ctx == nil {
		return &ValidationError{Param: "ctx", Reason: "must not be nil (use context.Background())"}
	}
	k := call{c: c, r: *r, o: &noOptions, policy: c.retry, budget: c.budget}
	if len(r.Options) > 0 {
		k.o = new(callOptions)
	}
	if err := k.build(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return &NetworkError{Method: r.Method, Path: r.Path, Err: err}
	}
	// The clock is read only for someone who reads the time: an observer
	// or a debug log.
	k.debug = c.logger.Enabled(ctx, slog.LevelDebug)
	if k.debug || c.observer != nil {
		k.start = time.Now()
	}
	if c.observer != nil {
		k.info = CallInfo{Method: r.Method, Route: r.RoutePrefix + r.Route}
		k.info.URL, _ = url.Parse(k.url)
		ctx = c.observer.CallStart(ctx, k.info)
	}
	defer func() { k.end(ctx, err) }()
	for attempt := 1; ; attempt++ {
		if err := k.limit(ctx); err != nil {
			return err
		}
		var t time.Time
		if c.observer != nil {
			t = time.Now()
		}
		resp, sendErr := k.send(ctx)
		err, cause, done := k.outcome(ctx, resp, sendErr)
		if done {
			if c.observer != nil {
				k.observe(ctx, AttemptInfo{Attempt: attempt, Latency: time.Since(t), Err: err, BudgetLeft: k.budgetLeft()})
			}
			return err
		}
		if cause != nil {
			resp = nil // judged as a network error, as policy.decide expects
		}
		a := k.decide(ctx, attempt, resp, cause, err)
		if c.observer != nil {
			a.Latency = time.Since(t)
			k.observe(ctx, a)
		}
		if !a.Retry {
			return err
		}
		if werr := sleepCtx(ctx, a.Wait); werr != nil {
			return &NetworkError{Method: r.Method, Path: r.Path, Err: &waitError{ctxErr: werr, last: err}}
		}
	}
}

// build resolves the call's options, policy, URL and idempotency key, and
// validates every header value the call will send.
func (k *call) build() error {
	k.o.apply(k.r.Options)
	if k.o.retry != nil {
		k.policy = *k.o.retry
		if err := k.policy.Validate(); err != nil {
			return err
		}
	}
	if k.policy.NoRetryBudget {
		k.budget = nil
	}
	if k.o.header != nil {
		if err := checkHeaders(k.o.header); err != nil {
			return err
		}
	}
	if k.r.Header != nil {
		if err := checkHeaders(k.r.Header); err != nil {
			return err
		}
	}
	if err := checkHeaderValue("Content-Type", k.r.Body.contentType); err != nil {
		return err
	}
	k.idemKey = k.r.IdempotencyKey
	if k.o.idempotencyKey != "" {
		k.idemKey = k.o.idempotencyKey
	}
	if err := checkHeaderValue("Idempotency-Key", k.idemKey); err != nil {
		return err
	}
	k.url = k.r.URL
	if k.url == "" {
		k.url = k.c.base + k.r.Path
		if k.r.Query != "" {
			k.url += "?" + k.r.Query
		}
	}
	return nil
}

// limit asks the limiter, when the request has a LimitKey, whether an
// attempt may be sent now.
func (k *call) limit(ctx context.Context) error {
	key := k.r.LimitKey
	if k.c.limiter == nil || key == "" {
		return nil
	}
	t := time.Now()
	err := k.c.limiter.Wait(ctx, key)
	if k.c.observer != nil {
		k.c.observer.LimiterWait(ctx, k.info, key, time.Since(t), err)
	}
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &NetworkError{Method: k.r.Method, Path: k.r.Path, Err: ctxErr}
	}
	mode := k.c.limiterMode
	if k.o.limiterModeSet {
		mode = k.o.limiterMode
	}
	if mode == LimiterFailClosed {
		return &NetworkError{Method: k.r.Method, Path: k.r.Path, Err: &LimiterError{Key: key, Err: err}}
	}
	k.c.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: limiter failed, sending anyway",
		slog.String("key", key), slog.String("error", err.Error()))
	return nil
}

// send performs one HTTP attempt. On success the response body is still
// open, except for a 1xx answer, whose body (a raw connection net/http no
// longer times) is closed at once.
func (k *call) send(ctx context.Context) (*http.Response, error) {
	r := &k.r
	rd, n := r.Body.open()
	req, err := http.NewRequestWithContext(ctx, r.Method, k.url, rd)
	if err != nil {
		return nil, err
	}
	req.ContentLength = n // what NewRequest sets for a form or JSON body; a stream's own length, -1 when unknown
	if k.o.header != nil {
		for name, vs := range k.o.header {
			req.Header[http.CanonicalHeaderKey(name)] = vs
		}
		// The SDK owns these: a WithHeader value never replaces them,
		// and a request without a body never claims a Content-Type.
		req.Header.Del("Content-Type")
		req.Header.Del("Content-Size")
	}
	for name, vs := range r.Header {
		req.Header[http.CanonicalHeaderKey(name)] = vs
	}
	req.SetBasicAuth(k.c.username, k.c.password.reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", k.c.userAgent)
	if r.Body.contentType != "" {
		req.Header.Set("Content-Type", r.Body.contentType)
	}
	if k.idemKey != "" {
		req.Header.Set("Idempotency-Key", k.idemKey)
	}
	if k.debug {
		k.c.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: request", slog.String("method", r.Method), slog.String("path", req.URL.Path))
	}
	k.sent++
	resp, err := k.c.hc.Do(req)
	if err == nil && resp.StatusCode < 200 {
		// An unsolicited 101 (or any 1xx net/http hands back) would hold
		// the call past every deadline: close its connection now.
		_ = resp.Body.Close()
		resp.Body = http.NoBody
	}
	if k.o.response != nil {
		*k.o.response = resp
	}
	return resp, err
}

// outcome classifies one attempt: err is what the call returns if no
// attempt follows; cause is the transport's error when no usable answer
// arrived (no response, or a 2xx body cut off mid-read); done says no attempt may
// follow whatever the policy (success, a 2xx the decoder refused, a
// stream's own validation error, a done context).
func (k *call) outcome(ctx context.Context, resp *http.Response, sendErr error) (err, cause error, done bool) {
	r := &k.r
	k.status = 0
	switch {
	case sendErr != nil && r.Body.stream != nil && isValidation(sendErr):
		// A streamed body broke its declared size or the size limit: the
		// request was abandoned, and is never retried.
		return validationCause(sendErr), nil, true
	case sendErr != nil:
		err, cause = k.networkError(ctx, sendErr), sendErr
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		k.status = resp.StatusCode
		readErr, derr := k.c.decode(resp, r.Decoder, r.Method, r.Path)
		if readErr == nil {
			if derr == nil {
				k.budget.succeeded(k.retried)
				return nil, nil, true
			}
			return derr, nil, true // the 2xx body is not what was promised
		}
		k.status = 0
		err, cause = k.networkError(ctx, readErr), readErr
	default:
		k.status = resp.StatusCode
		err = k.c.ResponseError(resp, r.Method, r.Path)
	}
	return err, cause, ctx.Err() != nil
}

// decide takes the retry decision after a failed attempt: the policy (with
// the request's Replay), the context's deadline, the body's rewind and the
// retry budget must all allow another attempt.
func (k *call) decide(ctx context.Context, attempt int, resp *http.Response, cause, err error) AttemptInfo {
	a := AttemptInfo{Attempt: attempt, Err: err}
	wait, retry, reason := k.policy.decide(attempt, k.r.Replay, resp, cause)
	if retry {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Waiting would only end in a context error: fail now with
			// the error the caller can act on.
			retry = false
		}
	}
	if retry && !k.r.Body.rewind(ctx) {
		retry = false // the bytes already sent cannot be sent again
	}
	if retry {
		cost := retryCost(resp)
		if !k.budget.take(cost) {
			k.c.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: retry budget empty",
				slog.String("method", k.r.Method), slog.String("path", k.r.Path), slog.Int("attempt", attempt))
			retry, a.BudgetEmpty = false, true
		} else {
			k.retried += cost
		}
	}
	a.BudgetLeft = k.budgetLeft()
	if retry {
		a.Retry, a.RetryReason, a.Wait = true, reason, wait
		k.c.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: retrying",
			slog.String("method", k.r.Method), slog.String("path", k.r.Path),
			slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.String("error", err.Error()))
	}
	return a
}

// observe reports one attempt to the observer.
func (k *call) observe(ctx context.Context, a AttemptInfo) {
	if k.c.observer == nil {
		return
	}
	a.Status = k.status
	k.c.observer.Attempt(ctx, k.info, a)
}

// budgetLeft is the number of tokens in the retry budget, -1 without one.
func (k *call) budgetLeft() int {
	if k.budget == nil {
		return -1
	}
	return int(k.budget.tokens.Load())
}

// end closes the call: the stream is released, the outcome logged once
// and reported to the observer.
func (k *call) end(ctx context.Context, err error) {
	attempts := k.sent
	if k.r.Body.stream != nil {
		// net/http may still read the body after Do returns; the caller's
		// reader is theirs again only once the last attempt lets go of it.
		k.r.Body.stream.Release()
	}
	if k.debug {
		attrs := []slog.Attr{slog.String("method", k.r.Method), slog.String("path", k.r.Path), slog.Int("status", k.status),
			slog.Int("attempts", attempts), slog.Duration("latency", time.Since(k.start))}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		k.c.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: response", attrs...)
	}
	if k.c.observer != nil {
		k.c.observer.CallEnd(ctx, k.info, CallResult{Status: k.status, Attempts: attempts, Duration: time.Since(k.start), Err: err})
	}
}

// networkError wraps a transport failure; when the context is done the
// context's error is the cause the caller can act on.
func (k *call) networkError(ctx context.Context, err error) *NetworkError {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = ctxErr
	}
	return &NetworkError{Method: k.r.Method, Path: k.r.Path, Err: err}
}

// isValidation reports whether err wraps a *ValidationError.
func isValidation(err error) bool {
	var v *ValidationError
	return errors.As(err, &v)
}

// validationCause returns the *ValidationError inside err (a streamed
// body's own check, wrapped by net/http); it is kept out of Do so that the
// variable errors.As needs is allocated only on this path.
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

var _ io.Reader = (*Reader)(nil)
