package orchestrator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/rest"
)

// RequestOption changes one call; it is the root package's type, so the
// same options (WithHeader, WithCallRetry, WithResponse,
// WithIdempotencyKey, ...) work on v1 and v2 calls.
type RequestOption = conversations.RequestOption

// Client is a Conversation Orchestrator (Conversations API v2) client. It
// shares everything with the *conversations.Client it was made from:
// credentials, base URL (region and edge), HTTP client, timeouts, retry
// policy and retry budget, limiter, observer, logger and error types.
//
// A Client is safe for concurrent use by multiple goroutines.
type Client struct {
	// Configurations manages conversation configurations.
	Configurations *ConfigurationsService
	// Conversations manages conversations.
	Conversations *ConversationsService
	// Participants manages the participants of a conversation.
	Participants *ParticipantsService
	// Communications manages the communications of a conversation.
	Communications *CommunicationsService
	// Actions creates and reads the actions of a conversation.
	Actions *ActionsService
	// Operations reads and waits for long-running operations.
	Operations *OperationsService

	core *rest.Client
}

func newClient(core *rest.Client) *Client {
	c := &Client{core: core}
	c.Configurations = &ConfigurationsService{c}
	c.Conversations = &ConversationsService{c}
	c.Participants = &ParticipantsService{c}
	c.Communications = &CommunicationsService{c}
	c.Actions = &ActionsService{c}
	c.Operations = &OperationsService{c}
	return c
}

// call is one logical v2 API call; the transport turns it into attempts.
type call struct {
	method string
	route  string // path template, for logs and metrics
	path   string // escaped path below the base URL
	query  string // encoded query, without '?'
	body   any    // JSON request body, nil for none
	// idemKey is sent as Idempotency-Key on every attempt ("" for none).
	idemKey string
	// replay: the call may be sent again after the server may have seen
	// it (reads, updates, deletes, writes with an idempotency key).
	replay bool
	opts   []RequestOption
}

// one runs a call that answers with one JSON object.
func one[T any](ctx context.Context, c *Client, k *call) (*T, error) {
	out := new(T)
	if err := c.send(ctx, k, rest.JSON(out)); err != nil {
		return nil, err
	}
	return out, nil
}

// async runs one of the idempotent, asynchronous writes: it sends an
// Idempotency-Key (the caller's, or a new UUIDv4 for this call) on every
// attempt, may retry, and turns the 202 into an *Operation.
func (c *Client) async(ctx context.Context, method, route, path string, body any, opts []RequestOption) (*Operation, error) {
	key := rest.IdempotencyKey(opts)
	if key == "" {
		key = newUUID()
	} else if err := checkIdempotencyKey(key); err != nil {
		return nil, err
	}
	k := &call{method: method, route: route, path: path, body: body, replay: true, opts: opts, idemKey: key}
	op := &Operation{c: c}
	if err := c.send(ctx, k, acceptedDecoder{op}); err != nil {
		return nil, err
	}
	return op, nil
}

// newUUID returns a random (version 4) UUID from crypto/rand.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// buildPath fills tmpl's {placeholders} with args, each checked (not
// empty, not a dot segment) and escaped as one path segment. IDs made of
// RFC 3986 unreserved characters only (every ID the API issues) need no
// escaping and are joined in one concatenation; anything else goes
// through rest.Path.
func buildPath(tmpl string, args ...string) (string, error) {
	for _, a := range args {
		if !plainSegment(a) {
			return rest.Path(tmpl, args...)
		}
	}
	i := strings.IndexByte(tmpl, '{')
	j := i + strings.IndexByte(tmpl[i:], '}')
	if len(args) == 1 {
		return tmpl[:i] + args[0] + tmpl[j+1:], nil
	}
	k := j + 1 + strings.IndexByte(tmpl[j+1:], '{')
	l := k + strings.IndexByte(tmpl[k:], '}')
	return tmpl[:i] + args[0] + tmpl[j+1:k] + args[1] + tmpl[l+1:], nil
}

// plainSegment reports whether s is a path segment that needs no escaping
// and no check beyond this one: not empty, not a dot segment, only
// unreserved characters.
func plainSegment(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// query builds a query string in a fixed order.
type query struct{ b []byte }

func (q *query) add(k, v string) {
	if v == "" {
		return
	}
	if len(q.b) > 0 {
		q.b = append(q.b, '&')
	} else if q.b == nil {
		q.b = make([]byte, 0, 64)
	}
	q.b = append(q.b, url.QueryEscape(k)...)
	q.b = append(q.b, '=')
	q.b = append(q.b, url.QueryEscape(v)...)
}

func (q *query) addInt(k string, v int) {
	if v != 0 {
		q.add(k, strconv.Itoa(v))
	}
}

// String returns the encoded query, without '?'.
func (q *query) String() string { return string(q.b) }

// ctxError is the error of a call whose context ended outside an attempt.
func ctxError(path string, err error) error {
	return &conversations.NetworkError{Method: http.MethodGet, Path: path, Err: err}
}

// ConflictingResourceID returns the ID of the existing resource a 409
// answer names in its X-Conflicting-Resource-Id header (the
// ConflictingResourceID of the *conversations.Error in err's chain), or ""
// when err carries none.
func ConflictingResourceID(err error) string {
	var e *conversations.Error
	if errors.As(err, &e) {
		return e.ConflictingResourceID
	}
	return ""
}
