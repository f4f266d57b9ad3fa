package conversationstest

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
)

// Twilio error codes of the v2 answers (see errors.go for the shared ones).
const (
	// codeIdempotencyMismatch: "Idempotency key payload mismatch", a
	// request reused an Idempotency-Key with a different payload.
	// https://www.twilio.com/docs/api/errors/17534 (the page gives no HTTP
	// status; the fake answers 422, as the IETF draft
	// draft-ietf-httpapi-idempotency-key-header says for a key reused
	// with a different payload).
	codeIdempotencyMismatch = 17534

	// codeV2Conflict is the code of the v2 409 answers (a PENDING operation
	// holds the resource, a Conversation Service already bridged, a
	// participant address already in the conversation). Twilio documents
	// no code for them, so, as for Fault bodies, the status is the code.
	codeV2Conflict = http.StatusConflict
)

// Problem is an RFC 9457 problem details object: the error of a v2
// operation that ended FAILED (GET /v2/ControlPlane/Operations/{id}).
type Problem struct {
	// Type is a URI reference that identifies the problem type, e.g.
	// "https://www.twilio.com/docs/errors/20500".
	Type string
	// Title is a short summary of the problem type.
	Title string
	// Status is the HTTP status code of this occurrence.
	Status int
	// Detail explains this occurrence.
	Detail string
	// Instance identifies this occurrence; the fake sets it to the
	// operation's statusUrl when empty.
	Instance string
}

// AsyncPlan says how the fake settles the v2 long-running operations
// (configuration create/update/patch/delete, conversation delete) and
// Actions that are started from now on. The zero plan settles each one at
// once: the 202 answer is sent after the change is applied, and the first
// poll sees COMPLETED.
type AsyncPlan struct {
	// PendingPolls is how many fetches of a new operation or action answer
	// PENDING before it settles; the change is applied when it settles.
	PendingPolls int
	// Hold keeps new operations and actions PENDING until
	// CompleteOperation/FailOperation or CompleteAction/FailAction.
	Hold bool
	// Fail, when set, makes new operations end FAILED with this problem
	// (defaults filled in: status 500, Twilio's 20500 page as type) and new
	// actions FAILED with its Detail as failureReason. The change is not
	// applied.
	Fail *Problem
	// RetryAfter is the Retry-After of the 202 answers, rounded up to whole
	// seconds. When 0, the fake sends 0 for an operation that has already
	// settled and 1 for one that is still pending.
	RetryAfter time.Duration
}

// v2Settings holds the v2 options of a Server (guarded by Server.mu).
type v2Settings struct {
	plan AsyncPlan
}

// WithAsyncPlan sets the AsyncPlan the fake starts with; see SetAsyncPlan.
func WithAsyncPlan(p AsyncPlan) Option {
	return func(s *Server) { s.v2.plan = p }
}

// SetAsyncPlan changes how the v2 operations and actions started from now
// on settle. Those already started keep their plan.
func (s *Server) SetAsyncPlan(p AsyncPlan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v2.plan = p
}

// v2ctx is one v2 request being handled, under Server.mu.
type v2ctx struct {
	s    *Server
	r    *http.Request
	now  time.Time
	body []byte
	st   *v2State
}

// v2Answer is a v2 answer, its body already encoded (so that an
// idempotent write can replay it byte for byte).
type v2Answer struct {
	status int
	header http.Header
	body   []byte
}

func v2JSON(status int, body any) v2Answer {
	b, err := json.Marshal(body)
	if err != nil {
		e := &apiError{http.StatusInternalServerError, conversations.CodeInternalServerError, "encoding response: " + err.Error()}
		b, _ = json.Marshal(e.body())
		status = e.Status
	}
	return v2Answer{status: status, body: b}
}

func v2Fail(e *apiError) v2Answer { return v2JSON(e.Status, e.body()) }

// v2Conflict is a 409 naming the resource in the way
// (X-Conflicting-Resource-Id, as the spec's Conflict response documents).
func v2Conflict(msg, conflictingID string) v2Answer {
	a := v2Fail(&apiError{http.StatusConflict, codeV2Conflict, msg})
	a.header = http.Header{"X-Conflicting-Resource-Id": {conflictingID}}
	return a
}

func (v *v2ctx) notFound() v2Answer { return v2Fail(errNotFound(v.r.URL.Path)) }

func (v *v2ctx) methodNotAllowed() v2Answer {
	return v2Fail(&apiError{http.StatusMethodNotAllowed, conversations.CodeMethodNotAllowed, "Method not allowed: " + v.r.Method + " " + v.r.URL.Path})
}

// url is an absolute URL on the fake.
func (v *v2ctx) url(path string) string { return v.s.URL + path }

// serveV2 answers the requests below /v2; it reports whether the request
// was one. Like the v1 routes, every request is recorded, authenticated
// with the account's Basic credentials and subject to FailNext.
func (s *Server) serveV2(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/v2" && !strings.HasPrefix(r.URL.Path, "/v2/") {
		return false
	}
	body, rec := readRequest(r, maxBody+1) // one more byte: handleV2 answers 400 to a larger body
	fault := s.record(rec)
	w.Header().Set("Twilio-Request-Id", newSID("RQ"))
	if fault != nil && !fault.AfterHandling {
		s.writeFault(w, r, fault)
		return true
	}
	ans := s.handleV2(r, body)
	if fault != nil {
		s.writeFault(w, r, fault)
		return true
	}
	for k, vs := range ans.header {
		w.Header()[k] = append([]string(nil), vs...)
	}
	if len(ans.body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(ans.status)
	_, _ = w.Write(ans.body)
	return true
}

func (s *Server) handleV2(r *http.Request, body []byte) v2Answer {
	user, pass, hasAuth := r.BasicAuth()
	if !hasAuth || user != s.AccountSID || pass != s.AuthToken {
		return v2Fail(&apiError{http.StatusUnauthorized, conversations.CodeAuthenticationFailed, "Authenticate"})
	}
	if len(body) > maxBody {
		return v2Fail(errBad(conversations.CodeBadRequest, "Request body is larger than "+strconv.Itoa(maxBody)+" bytes"))
	}
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil || len(segs) < 2 {
		return v2Fail(errNotFound(r.URL.Path))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &v2ctx{s: s, r: r, now: s.nowLocked(), body: body, st: s.st.v2State()}
	v.syncBridgesLocked()
	v.tickConversations()
	return v.route(segs[1:])
}

// route maps a path below /v2 to its operation.
func (v *v2ctx) route(segs []string) v2Answer {
	n := len(segs)
	switch {
	case segs[0] == "ControlPlane" && n >= 2 && segs[1] == "Configurations":
		if n == 2 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet:  v.listConfigurations,
				http.MethodPost: func() v2Answer { return v.withBody(v.idempotent(v.createConfiguration)) },
			})
		}
		if n == 3 {
			id := segs[2]
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet: func() v2Answer { return v.fetchConfiguration(id) },
				http.MethodPut: func() v2Answer {
					return v.withBody(v.idempotent(func(b *jobj) v2Answer { return v.updateConfiguration(id, b, false) }))
				},
				http.MethodPatch: func() v2Answer {
					return v.withBody(v.idempotent(func(b *jobj) v2Answer { return v.updateConfiguration(id, b, true) }))
				},
				http.MethodDelete: func() v2Answer { return v.idempotent(func(*jobj) v2Answer { return v.deleteConfiguration(id) })(nil) },
			})
		}
	case segs[0] == "ControlPlane" && n == 3 && segs[1] == "Operations":
		return v.dispatch(map[string]func() v2Answer{
			http.MethodGet: func() v2Answer { return v.fetchOperation(segs[2]) },
		})
	case segs[0] == "Conversations":
		if n == 1 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet:  v.listConversations,
				http.MethodPost: func() v2Answer { return v.withBody(v.createConversation) },
			})
		}
		id := segs[1]
		if n == 2 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet: func() v2Answer { return v.fetchConversation(id) },
				http.MethodPut: func() v2Answer {
					return v.withBody(func(b *jobj) v2Answer { return v.updateConversation(id, b, false) })
				},
				http.MethodPatch: func() v2Answer {
					return v.withBody(func(b *jobj) v2Answer { return v.updateConversation(id, b, true) })
				},
				http.MethodDelete: func() v2Answer { return v.idempotent(func(*jobj) v2Answer { return v.deleteConversation(id) })(nil) },
			})
		}
		c := v.st.convs[id]
		if c == nil {
			return v.notFound()
		}
		return v.routeConversationChild(c, segs[2:])
	}
	return v.notFound()
}

func (v *v2ctx) routeConversationChild(c *v2Conv, segs []string) v2Answer {
	n := len(segs)
	switch segs[0] {
	case "Actions":
		if n == 1 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodPost: func() v2Answer { return v.withBody(func(b *jobj) v2Answer { return v.createAction(c, b) }) },
			})
		}
		if n == 2 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet: func() v2Answer { return v.fetchAction(c, segs[1]) },
			})
		}
	case "Participants":
		if n == 1 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet:  func() v2Answer { return v.listParticipants(c) },
				http.MethodPost: func() v2Answer { return v.withBody(func(b *jobj) v2Answer { return v.createParticipant(c, b) }) },
			})
		}
		if n == 2 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet: func() v2Answer { return v.fetchParticipant(c, segs[1]) },
				http.MethodPut: func() v2Answer {
					return v.withBody(func(b *jobj) v2Answer { return v.updateParticipant(c, segs[1], b) })
				},
			})
		}
	case "Communications":
		if n == 1 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet:  func() v2Answer { return v.listCommunications(c) },
				http.MethodPost: func() v2Answer { return v.withBody(func(b *jobj) v2Answer { return v.createCommunication(c, b) }) },
			})
		}
		if n == 2 {
			return v.dispatch(map[string]func() v2Answer{
				http.MethodGet: func() v2Answer { return v.fetchCommunication(c, segs[1]) },
			})
		}
	}
	return v.notFound()
}

func (v *v2ctx) dispatch(m map[string]func() v2Answer) v2Answer {
	if h, ok := m[v.r.Method]; ok {
		return h()
	}
	return v.methodNotAllowed()
}

// withBody checks the Content-Type and parses the JSON object body before
// calling h.
func (v *v2ctx) withBody(h func(*jobj) v2Answer) v2Answer {
	ct := v.r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != "application/json" && !(v.r.Method == http.MethodPatch && mt == "application/merge-patch+json") {
		return v2Fail(errBad(conversations.CodeBadRequest, "Content-Type must be application/json, got "+strconv.Quote(ct)))
	}
	b, aerr := parseJSONBody(v.body)
	if aerr != nil {
		return v2Fail(aerr)
	}
	return h(b)
}

// v2IdemEntry is the first answer to an Idempotency-Key.
type v2IdemEntry struct {
	fingerprint string // method, path and body of the first request
	answer      v2Answer
	expires     time.Time
}

// v2IdemTTL is how long a key is remembered, in the fake's time: "Keys are
// scoped to account + region with a 24-hour TTL" (the spec's
// IdempotencyKeyHeader).
const v2IdemTTL = 24 * time.Hour

// idempotent wraps a write that takes Idempotency-Key: the same key with
// the same method, path and body (byte for byte) within 24 hours gets the
// first answer again, status, headers and body, without running the write
// twice; the same key with another request gets 422 (Twilio's 17534). Only
// successful answers are remembered: a rejected request changed nothing,
// so sending it again is safe and gets a fresh answer.
func (v *v2ctx) idempotent(h func(*jobj) v2Answer) func(*jobj) v2Answer {
	return func(b *jobj) v2Answer {
		key := v.r.Header.Get("Idempotency-Key")
		if key == "" {
			return h(b)
		}
		if !v2IdemKeyPattern.MatchString(key) {
			return v2Fail(errInvalid("Idempotency-Key", strconv.Quote(key)+" is not a UUID"))
		}
		fp := v.r.Method + " " + v.r.URL.EscapedPath() + "\n" + string(v.body)
		if e := v.st.idem[key]; e != nil {
			if v.now.Before(e.expires) {
				if e.fingerprint != fp {
					return v2Fail(&apiError{http.StatusUnprocessableEntity, codeIdempotencyMismatch,
						"Idempotency-Key " + key + " was used in the last 24 hours with a different request; use a new key for a new request"})
				}
				return e.answer
			}
			delete(v.st.idem, key)
		}
		ans := h(b)
		if ans.status >= 200 && ans.status < 300 {
			v.st.idem[key] = &v2IdemEntry{fingerprint: fp, answer: ans, expires: v.now.Add(v2IdemTTL)}
		}
		return ans
	}
}

// ts2 formats a v2 timestamp: RFC 3339 in UTC.
func ts2(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// nullable renders an optional string that the spec marks nullable.
func nullable(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}
