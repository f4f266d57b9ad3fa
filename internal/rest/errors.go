package rest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Error is a non-2xx answer from the API. Twilio's JSON error body
// ({"code", "message", "more_info", "status", "details"}) fills Code, Message,
// MoreInfo and Details; any other body (an HTML page from a proxy, an empty
// body, Prism's problem+json) still gives an *Error with Status and a short
// Snippet of the body. Use errors.As to get it:
//
//	var apiErr *conversations.Error
//	if errors.As(err, &apiErr) && apiErr.Code == 50433 { ... }
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Code is Twilio's numeric error code (0 when the body had none).
	Code int
	// Message is Twilio's error message, or the HTTP status text.
	Message string
	// MoreInfo is the link to Twilio's documentation of Code.
	MoreInfo string
	// Details holds Twilio's optional structured details.
	Details map[string]any
	// RequestID is the Twilio-Request-Id response header (at most 256 bytes).
	RequestID string
	// Method and Path identify the request (Path has no query string).
	Method, Path string
	// RetryAfter is the raw Retry-After response header, if any (at most
	// 256 bytes).
	RetryAfter string
	// Snippet is the start of a body that was not Twilio's error JSON,
	// at most 512 bytes of valid UTF-8.
	Snippet string
	// ConflictingResourceID is the X-Conflicting-Resource-Id header of a
	// 409 from the v2 API: the ID of the existing resource the request
	// conflicts with (at most 256 bytes; empty when absent).
	ConflictingResourceID string
}

// Error formats the error without the request body or any credential.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("conversations: ")
	// A hand-built Error (a mock's) may have no request: no empty fields.
	if req := strings.TrimSpace(e.Method + " " + e.Path); req != "" {
		b.WriteString(req)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.MoreInfo != "" {
		fmt.Fprintf(&b, " (more info: %s)", e.MoreInfo)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// twilioErrorBody is the legacy Twilio REST error shape.
type twilioErrorBody struct {
	Code     *int           `json:"code"`
	Message  string         `json:"message"`
	MoreInfo string         `json:"more_info"`
	Status   int            `json:"status"`
	Details  map[string]any `json:"details"`
}

// MaxSnippet bounds Error.Snippet; MaxMessage bounds Message and MoreInfo,
// so that an error string stays short whatever the server sends.
// MaxHeaderValue bounds every header value copied into an error
// (RequestID, RetryAfter): an error string stays a few KiB at most.
// MaxErrorBody bounds how much of an error response body is read.
const (
	MaxSnippet     = 512
	MaxMessage     = 1024
	MaxHeaderValue = 256
	MaxErrorBody   = 1 << 20
)

// ResponseError turns a non-2xx response into *Error, reading at most
// MaxErrorBody bytes, then drains and closes the body. Every occurrence of
// one of secrets in the body is replaced with "[REDACTED]" before anything is
// taken from it, in case a proxy or an echo endpoint quoted the request's
// Authorization header.
func ResponseError(resp *http.Response, method, path string, secrets ...string) *Error {
	defer drainClose(resp.Body)
	e := &Error{
		Status:     resp.StatusCode,
		Method:     method,
		Path:       path,
		RequestID:  Clip(resp.Header.Get("Twilio-Request-Id"), MaxHeaderValue),
		RetryAfter: Clip(resp.Header.Get("Retry-After"), MaxHeaderValue),

		ConflictingResourceID: Clip(resp.Header.Get("X-Conflicting-Resource-Id"), MaxHeaderValue),
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	// Replaced before the snippet's cut, which could leave half a secret.
	r := redactor(secrets)
	body = []byte(r.Replace(string(body)))
	var tb twilioErrorBody
	if json.Unmarshal(body, &tb) == nil && (tb.Code != nil || tb.Message != "") {
		if tb.Code != nil {
			e.Code = *tb.Code
		}
		e.Message = tb.Message
		e.MoreInfo = tb.MoreInfo
		e.Details = tb.Details
		// JSON escapes may have hidden a secret from the raw replace.
		e.Message = r.Replace(e.Message)
		e.MoreInfo = r.Replace(e.MoreInfo)
		if e.Details != nil {
			e.Details = redactAny(r, e.Details).(map[string]any)
		}
		e.Message = Clip(e.Message, MaxMessage)
		e.MoreInfo = Clip(e.MoreInfo, MaxMessage)
		return e
	}
	e.Message = http.StatusText(resp.StatusCode)
	e.Snippet = snippet(body)
	e.Snippet = r.Replace(e.Snippet) // collapsing whitespace must not form a secret either
	if e.Snippet != "" {
		e.Message += ": " + e.Snippet
	}
	return e
}

// Clip shortens s to at most n bytes, cutting at a rune boundary.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// redactor returns a replacer of the non-empty secrets with "[REDACTED]".
func redactor(secrets []string) *strings.Replacer {
	var pairs []string
	for _, s := range secrets {
		if s != "" {
			pairs = append(pairs, s, "[REDACTED]")
		}
	}
	return strings.NewReplacer(pairs...)
}

func redactAny(r *strings.Replacer, v any) any {
	switch x := v.(type) {
	case string:
		return r.Replace(x)
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[r.Replace(k)] = redactAny(r, val)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, val := range x {
			s[i] = redactAny(r, val)
		}
		return s
	}
	return v
}

// snippet returns the start of b as valid, single-line UTF-8 of at most
// MaxSnippet bytes. Invalid bytes become U+FFFD rather than vanishing, so
// that removing them cannot join two halves of a secret.
func snippet(b []byte) string {
	if len(b) > MaxSnippet {
		b = b[:MaxSnippet]
		// Drop a rune cut in half by the limit, rather than mark it invalid.
		i := len(b) - 1
		for i > len(b)-utf8.UTFMax && !utf8.RuneStart(b[i]) {
			i--
		}
		if !utf8.FullRune(b[i:]) {
			b = b[:i]
		}
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.Join(strings.Fields(s), " ")
	return Clip(s, MaxSnippet)
}

// ValidationError reports bad input found before any request was sent: an
// empty path SID, a missing required parameter or an invalid option value.
type ValidationError struct {
	// Param is the wire name of the offending parameter or path SID.
	Param string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return "conversations: " + e.Param + " " + e.Reason
}

// NetworkError is a failure to get a usable HTTP response: DNS, connection
// refused or reset, TLS, a client timeout, a body cut off mid-read, or the
// call's context ending (before the call, while waiting for the answer or
// reading it, or during a backoff wait). Err is then the context's error,
// so errors.Is(err, context.Canceled) and errors.Is(err,
// context.DeadlineExceeded) work as usual.
type NetworkError struct {
	// Method and Path identify the request.
	Method, Path string
	// Err is the transport's error.
	Err error
}

// Error implements error.
func (e *NetworkError) Error() string {
	return "conversations: " + e.Method + " " + e.Path + ": " + redactURLs(e.Err.Error())
}

// Unwrap returns the transport's error.
func (e *NetworkError) Unwrap() error { return e.Err }

// DecodeError is a 2xx response without what the call promised: a body
// that is not the expected JSON (malformed, truncated), an empty body, JSON
// null or a 204 where a resource or page was promised, a body larger than
// the client's limit (Err is a *ResponseTooLargeError), or a list whose
// pages cycle (Err wraps ErrPageCycle). It is never retried.
type DecodeError struct {
	// Method and Path identify the request.
	Method, Path string
	// Status is the HTTP status code of the response.
	Status int
	// RequestID is the Twilio-Request-Id response header (at most 256 bytes).
	RequestID string
	// Err is the JSON decoder's error, or what else was wrong.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("conversations: %s %s: HTTP %d: decoding response: %v", e.Method, e.Path, e.Status, e.Err)
}

// Unwrap returns the JSON decoder's error, or what else was wrong.
func (e *DecodeError) Unwrap() error { return e.Err }

// ResponseTooLargeError is the Err of a *DecodeError for a 2xx body longer
// than the client's WithMaxResponseBytes limit.
type ResponseTooLargeError struct {
	// Limit is the limit in bytes, counted after gzip decoding.
	Limit int64
}

// Error implements error.
func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("response body exceeds the limit of %d bytes (WithMaxResponseBytes)", e.Limit)
}

// redactURLs removes userinfo from any URL an error message may quote. The
// SDK never puts credentials in URLs, but a user-supplied transport might.
func redactURLs(s string) string {
	for _, scheme := range []string{"https://", "http://"} {
		i := 0
		for {
			j := strings.Index(s[i:], scheme)
			if j < 0 {
				break
			}
			start := i + j + len(scheme)
			end := start
			for end < len(s) && !strings.ContainsRune("/ \"'?#", rune(s[end])) {
				end++
			}
			if at := strings.LastIndexByte(s[start:end], '@'); at >= 0 {
				s = s[:start] + "REDACTED@" + s[start+at+1:]
			}
			i = start
		}
	}
	return s
}

// LimiterError is the Err of the *NetworkError of a call refused because
// its Limiter could not decide (its store was unreachable) under
// LimiterFailClosed. Nothing was sent.
type LimiterError struct {
	// Key is the limit key the call waited under.
	Key string
	// Err is the limiter's error.
	Err error
}

// Error implements error.
func (e *LimiterError) Error() string {
	return "limiter for " + e.Key + " could not decide: " + e.Err.Error()
}

// Unwrap returns the limiter's error.
func (e *LimiterError) Unwrap() error { return e.Err }
