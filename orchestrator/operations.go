package orchestrator

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Operation is the handle of a long-running operation, from the 202
// Accepted answer of an asynchronous write (the configuration writes and
// Conversations.Delete). Wait polls it until it completes or fails.
type Operation struct {
	// ID is the operation's ID, from the Operation-Id header (or, when the
	// header is missing, the last segment of StatusURL or Location).
	ID string `json:"-"`
	// Location is the Location header: the URL of the operation's status.
	Location string `json:"-"`
	// RetryAfter is the Retry-After header: how long the API suggests
	// waiting before the first poll (0 when absent).
	RetryAfter time.Duration `json:"-"`
	// StatusURL is the body's URL to poll for the operation's status.
	StatusURL string `json:"statusUrl"`
	// Related names the resources of the operation: "configurationId" for
	// the configuration writes, "conversationId" for a conversation delete.
	Related map[string]string `json:"related,omitempty"`

	c *Client
}

// fill reads the 202's headers into op.
func (op *Operation) fill(h http.Header) {
	op.ID = h.Get("Operation-Id")
	op.Location = h.Get("Location")
	op.RetryAfter = retryAfter(h)
	if op.ID == "" {
		op.ID = lastSegment(op.StatusURL)
	}
	if op.ID == "" {
		op.ID = lastSegment(op.Location)
	}
}

// retryAfter reads a Retry-After header in whole seconds (the form the v2
// API documents), capped at a day; 0 when absent or not a number.
func retryAfter(h http.Header) time.Duration {
	s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || s <= 0 {
		return 0
	}
	return time.Duration(min(s, 86400)) * time.Second
}

func lastSegment(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimRight(u, "/")
	if i := strings.LastIndexByte(u, '/'); i >= 0 && strings.Contains(u[:i], "/Operations") {
		return u[i+1:]
	}
	return ""
}

// Wait polls the operation until it is COMPLETED or FAILED, with the
// default WaitPolicy; see OperationsService.Wait.
func (op *Operation) Wait(ctx context.Context, opts ...RequestOption) (*OperationState, error) {
	if op == nil || op.c == nil {
		return nil, invalid("Operation", "was not returned by a Client, so it cannot be waited on")
	}
	return op.c.Operations.Wait(ctx, op.ID, &WaitPolicy{FirstWait: min(op.RetryAfter, defaultMaxRetryAfter)}, opts...)
}

// OperationState is the state of a long-running operation.
type OperationState struct {
	// OperationID identifies the operation.
	OperationID string `json:"operationId"`
	// Status is PENDING, COMPLETED or FAILED.
	Status OperationStatus `json:"status"`
	// CreatedAt is when the operation was created.
	CreatedAt time.Time `json:"createdAt"`
	// CompletedAt is when it completed or failed; nil while pending.
	CompletedAt *time.Time `json:"completedAt"`
	// StatusURL is the URL of this status.
	StatusURL string `json:"statusUrl"`
	// Error holds the RFC 9457 problem details of a failed operation.
	Error *ProblemDetails `json:"error"`
	// Related names the resources of the operation, as in Operation.
	Related map[string]string `json:"related"`
}

// ProblemDetails are RFC 9457 problem details: why an operation failed.
type ProblemDetails struct {
	// Type is a URI reference identifying the problem type.
	Type string `json:"type,omitempty"`
	// Title is a short summary of the problem type.
	Title string `json:"title,omitempty"`
	// Status is the HTTP status code of this occurrence.
	Status int `json:"status,omitempty"`
	// Detail explains this occurrence.
	Detail string `json:"detail,omitempty"`
	// Instance is a URI reference identifying this occurrence.
	Instance string `json:"instance,omitempty"`
}

// OperationError is the error Wait returns for an operation that FAILED.
// Problem holds the operation's problem details (empty when the API gave
// none); State is the whole final state.
type OperationError struct {
	// OperationID identifies the failed operation.
	OperationID string
	// Problem holds the RFC 9457 problem details of the failure.
	Problem ProblemDetails
	// State is the operation's final state.
	State *OperationState
}

// Error implements error.
func (e *OperationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "orchestrator: operation %s failed", e.OperationID)
	if e.Problem.Title != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem.Title)
	}
	if e.Problem.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem.Detail)
	}
	if e.Problem.Status != 0 {
		fmt.Fprintf(&b, " (status %d)", e.Problem.Status)
	}
	return b.String()
}

// WaitPolicy paces the polling of Wait: FirstWait before the first poll,
// then Interval doubling up to MaxInterval, and never less than the
// Retry-After of the previous answer (capped at MaxRetryAfter). A zero
// field takes its default.
type WaitPolicy struct {
	// FirstWait is the wait before the first poll (default 0: poll at
	// once). Operation.Wait sets it from the 202's Retry-After.
	FirstWait time.Duration
	// Interval is the wait after the first pending answer (default 1s).
	Interval time.Duration
	// MaxInterval caps the doubling (default 30s).
	MaxInterval time.Duration
	// MaxRetryAfter caps a Retry-After from the API (default 5m).
	MaxRetryAfter time.Duration
}

// defaultMaxRetryAfter is WaitPolicy.MaxRetryAfter's default.
const defaultMaxRetryAfter = 5 * time.Minute

func (p WaitPolicy) withDefaults() WaitPolicy {
	if p.Interval <= 0 {
		p.Interval = time.Second
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 30 * time.Second
	}
	if p.MaxInterval < p.Interval {
		p.MaxInterval = p.Interval
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = defaultMaxRetryAfter
	}
	return p
}

// OperationsAPI is the interface of OperationsService, for mocking.
type OperationsAPI interface {
	Fetch(ctx context.Context, id string, opts ...RequestOption) (*OperationState, error)
	Wait(ctx context.Context, id string, policy *WaitPolicy, opts ...RequestOption) (*OperationState, error)
}

var _ OperationsAPI = (*OperationsService)(nil)

// OperationsService reads long-running operations.
type OperationsService struct{ c *Client }

const routeOperation = "/v2/ControlPlane/Operations/{id}"

// Fetch fetches the state of an operation.
//
// Operation: FetchOperationStatus (GET /v2/ControlPlane/Operations/{id})
func (s *OperationsService) Fetch(ctx context.Context, id string, opts ...RequestOption) (*OperationState, error) {
	st, _, err := s.fetch(ctx, id, opts)
	return st, err
}

func (s *OperationsService) fetch(ctx context.Context, id string, opts []RequestOption) (*OperationState, http.Header, error) {
	path, err := buildPath(routeOperation, id)
	if err != nil {
		return nil, nil, err
	}
	var out OperationState
	var h http.Header
	if err := s.c.send(ctx, &call{method: http.MethodGet, route: routeOperation, path: path, replay: true, opts: opts}, headerDecoder{&out, &h}); err != nil {
		return nil, nil, err
	}
	return &out, h, nil
}

// Wait polls GET /v2/ControlPlane/Operations/{id} (on the client's own
// base URL, never on a URL from a response) until the operation is
// COMPLETED or FAILED, pacing the polls by policy (nil: the defaults) and
// by the API's Retry-After. It returns the final state; for a FAILED
// operation also an *OperationError with the problem details. Each poll is
// one call with the client's retries; a poll's error ends the wait, and so
// does ctx (a *conversations.NetworkError wrapping ctx.Err()).
//
// Operation: FetchOperationStatus (GET /v2/ControlPlane/Operations/{id})
func (s *OperationsService) Wait(ctx context.Context, id string, policy *WaitPolicy, opts ...RequestOption) (*OperationState, error) {
	var p WaitPolicy
	if policy != nil {
		p = *policy
	}
	p = p.withDefaults()
	path, err := buildPath(routeOperation, id)
	if err != nil {
		return nil, err
	}
	wait, next := p.FirstWait, p.Interval
	for {
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctxError(path, ctx.Err())
			case <-t.C:
			}
		}
		st, h, err := s.fetch(ctx, id, opts)
		if err != nil {
			return nil, err
		}
		switch st.Status {
		case OperationStatusCompleted:
			return st, nil
		case OperationStatusFailed:
			e := &OperationError{OperationID: id, State: st}
			if st.Error != nil {
				e.Problem = *st.Error
			}
			return st, e
		}
		// Retry-After is a lower bound: never poll sooner than the API
		// asks (up to MaxRetryAfter), nor sooner than the backoff.
		wait = next
		next = min(2*next, p.MaxInterval)
		if ra := retryAfter(h); ra > 0 {
			wait = max(wait, min(ra, p.MaxRetryAfter))
		}
	}
}
