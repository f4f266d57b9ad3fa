// Package rest is the one request core of this module: every call of the v1
// (root) package and of the v2 (orchestrator) package runs through
// (*Client).Do. It owns the credentials, the base URL (region and edge),
// the User-Agent, the one retry loop with the one client-wide retry budget,
// bounded bodies, the one check of every header value, the limiter and
// observer hooks, the debug log of each call, and the typed errors, which
// the root package re-exports as aliases.
//
// # Stages
//
// Data flows one way. An API builds a Request: method, escaped path and
// query (or an absolute URL), headers, a Body (FormBody, JSONBody — marshalled
// once — or StreamBody over a Stream that can rewind), a Decoder (JSON for
// one object, the caller's own for a page envelope or a 202's headers, nil
// for nothing), the Replay rule, an IdempotencyKey and a LimitKey. Do then
// runs: build (options, policy, URL; every header value checked; nothing is
// sent when one is bad) → for each attempt: limiter (when the request has a
// LimitKey) → one attempt (send, then the Decoder on a 2xx or the *Error of
// any other answer) → the retry decision (policy with Replay, the context's
// deadline, the body's rewind, the budget) → wait. One deferred function
// logs the outcome and ends the call for the observer. The core knows
// neither resources, media nor pages: they plug in through Body, Stream and
// Decoder.
//
// # Reading a 2xx body
//
// Decode hands a Decoder the body through a Reader, bounded by the client's
// limit (a body of exactly the limit is read; one byte more is a
// *ResponseTooLargeError). DecodeJSON reads it into a buffer the core
// reuses from call to call (sized once to a Content-Length up to 1 MiB,
// else doubled as bytes arrive) and decodes it with json.Unmarshal as soon
// as the bytes read end like the whole object or array, or hold the whole
// Content-Length: a body left open after its value is never waited for.
// When such a try was premature (a read ended on an inner brace), the
// nesting depth of the rest decides the next try; the end of the body
// makes a failed try final. The Reader, its buffer and Bytes go back to
// the pool when Decode returns: a Decoder keeps nothing of them (a page
// decoder digests what it needs before it returns).
//
// Path helpers (CheckSegment, EscapeSegment, AppendPath, Path) build the
// escaped paths of both APIs; ClientOf reaches the core of a root Client.
package rest
