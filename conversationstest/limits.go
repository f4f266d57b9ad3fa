package conversationstest

import (
	"net/http"
	"sync"
	"time"

	"github.com/conversations-go/conversations"
)

// WriteLimitPerSecond is Twilio's default write limit of the Conversations
// (classic) API: 30 actions per second for each conversation (conversation
// update; participant and message create, update and delete) and 30 per
// second for each Conversation Service (conversation create and delete; user
// and role create, update and delete). Reads do not count. See "Conversations
// (classic) Limits", https://www.twilio.com/docs/conversations-classic/conversations-limits,
// and the changelog entry "Increasing Actions Per Second for Conversations".
const WriteLimitPerSecond = 30

// WithWriteLimits makes the fake enforce Twilio's write limits: a write that
// would be the 31st counted against the same conversation, or against the
// same Conversation Service, within any one second is answered with
// 429 Too Many Requests and Twilio's error body (code 20429,
// https://www.twilio.com/docs/api/errors/20429) and is not processed. Reads,
// unauthenticated requests and the requests the limit refused do not count.
//
// The window is a sliding one: at most WriteLimitPerSecond accepted writes
// per key in any interval of one second of the fake's clock (WithClock,
// Advance; the wall clock by default, to the nanosecond). That is the strictest reading of "30 actions per
// second"; a client that stays under it stays under any coarser counting.
// A conversation is counted by its SID whether the path names it by SID or
// by unique name, and the default Conversation Service is the same key as
// /v1/Services/{its SID}. The fake sends no Retry-After with these 429s.
// Throttled counts the refusals.
func WithWriteLimits() Option {
	return func(s *Server) { s.limits = &writeLimits{keys: map[string]*window{}} }
}

// Throttled returns how many requests WithWriteLimits refused with a 429
// since the server started (0 without WithWriteLimits).
func (s *Server) Throttled() int {
	if s.limits == nil {
		return 0
	}
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	return s.limits.throttled
}

// writeLimits is the state of WithWriteLimits.
type writeLimits struct {
	mu        sync.Mutex
	keys      map[string]*window
	throttled int
}

// window holds the times of the last WriteLimitPerSecond accepted writes of
// one key, oldest at next.
type window struct {
	at   [WriteLimitPerSecond]time.Time
	n    int
	next int
}

// allow records a write at now unless WriteLimitPerSecond writes were
// accepted in the second before it.
func (w *window) allow(now time.Time) bool {
	if w.n == len(w.at) {
		if now.Sub(w.at[w.next]) < time.Second {
			return false
		}
	} else {
		w.n++
	}
	w.at[w.next] = now
	w.next = (w.next + 1) % len(w.at)
	return true
}

// newest is the time of the last accepted write.
func (w *window) newest() time.Time {
	return w.at[(w.next+len(w.at)-1)%len(w.at)]
}

// writeLimited answers r with a 429 and reports true when r is a write over
// Twilio's limit (see WithWriteLimits); it is the request path's one hook.
func (s *Server) writeLimited(w http.ResponseWriter, r *http.Request) bool {
	if s.limits == nil {
		return false
	}
	key, now := s.limitKey(r)
	if key == "" {
		return false
	}
	l := s.limits
	l.mu.Lock()
	win := l.keys[key]
	if win == nil {
		if len(l.keys) >= 4096 {
			for k, old := range l.keys {
				if now.Sub(old.newest()) >= time.Second {
					delete(l.keys, k) // a full second idle: as good as new
				}
			}
		}
		win = &window{}
		l.keys[key] = win
	}
	ok := win.allow(now)
	if !ok {
		l.throttled++
	}
	l.mu.Unlock()
	if ok {
		return false
	}
	writeJSON(w, http.StatusTooManyRequests, (&apiError{http.StatusTooManyRequests, conversations.CodeTooManyRequests, "Too Many Requests"}).body())
	return true
}

// limitKey returns the key a request counts against under Twilio's write
// limits: "conversation:CH…" or "service:IS…", or "" when it does not count;
// and the fake's time.
func (s *Server) limitKey(r *http.Request) (string, time.Time) {
	if r.Method != http.MethodPost && r.Method != http.MethodDelete {
		return "", time.Time{}
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != s.AccountSID || pass != s.AuthToken {
		return "", time.Time{}
	}
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil || len(segs) < 2 || segs[0] != "v1" {
		return "", time.Time{}
	}
	segs = segs[1:]
	svcSID := "" // "" is the account's default service
	if segs[0] == "Services" {
		if len(segs) < 3 {
			return "", time.Time{} // service create/delete: not a documented limit
		}
		svcSID, segs = segs[1], segs[2:]
	}
	n := len(segs)
	perService := false
	conv := ""
	switch segs[0] {
	case "Conversations":
		switch {
		case n == 1 && r.Method == http.MethodPost:
			perService = true // conversation create
		case n == 2 && r.Method == http.MethodDelete:
			perService = true // conversation delete
		case n == 2:
			conv = segs[1] // conversation update
		case (n == 3 || n == 4) && (segs[2] == "Messages" || segs[2] == "Participants"):
			if n == 3 && r.Method == http.MethodDelete {
				return "", time.Time{}
			}
			conv = segs[1] // message or participant create, update, delete
		default:
			return "", time.Time{}
		}
	case "ConversationWithParticipants":
		perService = n == 1 && r.Method == http.MethodPost // a conversation create
	case "Users", "Roles":
		perService = n == 2 || (n == 1 && r.Method == http.MethodPost)
	}
	if !perService && conv == "" {
		return "", time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock().Add(s.offset)
	if svcSID == "" {
		svcSID = s.st.defaultSvc
	}
	if perService {
		return "service:" + svcSID, now
	}
	if svc := s.st.services[svcSID]; svc != nil {
		if c := svc.conversationByKey(conv); c != nil {
			conv = c.sid
		}
	}
	return "conversation:" + conv, now
}
