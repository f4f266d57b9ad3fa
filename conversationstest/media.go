package conversationstest

// Media: the fake's Media Content Service. Twilio serves it on another host
// (https://mcs.us1.twilio.com/v1); the fake serves it on its own origin,
// where conversations.WithBaseURL sends the SDK's media calls too.
//
// Modelled from Twilio's docs (Conversations Media Resource,
// https://www.twilio.com/docs/conversations/api/media-resource; Media
// Support in Conversations,
// https://www.twilio.com/docs/conversations/media-support-conversations):
//   - POST /v1/Services/{ChatServiceSid}/Media: the raw file is the body and
//     Content-Type its MIME type; the file name comes from the Filename query
//     parameter (what the SDK sends; undocumented by Twilio). The answer is
//     201 and the media resource, shaped like the real service's answers.
//   - GET /v1/Services/{ChatServiceSid}/Media/{MediaSid}: the resource again,
//     with links.content_direct_temporary: a URL on the fake's origin that
//     needs no credentials, refuses any (as a pre-signed storage URL does),
//     and expires 300 seconds later on the fake's clock.
//   - GET .../Media/{MediaSid}/Content: the bytes, with credentials.
//   - MediaSid on message create attaches the media; the message's "media"
//     array describes it; deleting the message (or its conversation)
//     deletes the media; media not attached within 5 minutes of the fake's
//     clock disappears.
//   - Files over 150 MB are refused with error 50512
//     (https://www.twilio.com/docs/api/errors/50512); a MediaSid that names
//     no media of the conversation's service gives 50507 (Media not found,
//     https://www.twilio.com/docs/api/errors/50507) and one already sent
//     gives 50508 (Media already sent with another message,
//     https://www.twilio.com/docs/api/errors/50508). Twilio documents no
//     HTTP status for these; the fake answers 400.
//
// Uploads are held in memory. Requests() records media requests with their
// headers and query, and with the body only when it is at most 64 KiB.

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/conversations-go/conversations"
)

const (
	// mediaLinkTTL is how long a content_direct_temporary URL works.
	mediaLinkTTL = 300 * time.Second
	// mediaUnattachedTTL is how long media waits to be attached.
	mediaUnattachedTTL = 5 * time.Minute
	// mediaContentPath is the first path segment of temporary content URLs.
	mediaContentPath = "media-content"
	// maxRecordedMediaBody bounds the body kept in Requests().
	maxRecordedMediaBody = 64 << 10
)

// mediaStore holds the media of every Conversation Service. It lives in
// state (so Reset forgets it) and is guarded by Server.mu.
type mediaStore struct {
	files  map[string]*mediaFile  // media SID -> file
	tokens map[string]*mediaGrant // temporary content token -> grant
}

type mediaFile struct {
	base
	svc         string
	contentType string
	filename    string
	data        []byte
	msg         *message // nil until attached
}

type mediaGrant struct {
	file    *mediaFile
	expires time.Time
}

// mediaStore returns the state's media, creating the store on first use.
func (st *state) mediaStore() *mediaStore {
	if st.media == nil {
		st.media = &mediaStore{files: map[string]*mediaFile{}, tokens: map[string]*mediaGrant{}}
	}
	return st.media
}

// purge forgets unattached media older than 5 minutes and expired links.
func (ms *mediaStore) purge(now time.Time) {
	for sid, f := range ms.files {
		if f.msg == nil && !now.Before(f.created.Add(mediaUnattachedTTL)) {
			delete(ms.files, sid)
		}
	}
	for tok, g := range ms.tokens {
		if !now.Before(g.expires) || ms.files[g.file.sid] != g.file {
			delete(ms.tokens, tok)
		}
	}
}

// attachableMedia checks the MediaSid of a message about to be created in c:
// nil when sid is nil, else media of c's service, not yet sent.
func (st *state) attachableMedia(c *conversation, sid *string, now time.Time) (*mediaFile, *apiError) {
	if sid == nil {
		return nil, nil
	}
	ms := st.mediaStore()
	ms.purge(now)
	f := ms.files[*sid]
	if f == nil || f.svc != c.svc.sid {
		return nil, errBad(conversations.CodeMediaNotFound, "Media not found: "+*sid)
	}
	if f.msg != nil {
		return nil, errBad(conversations.CodeMediaAlreadySent, "Media "+*sid+" is already sent with another message")
	}
	return f, nil
}

// attach links f (which may be nil) to its new message m.
func (f *mediaFile) attach(m *message) {
	if f != nil {
		f.msg = m
	}
}

// dropMessageMedia deletes the media of a message being deleted.
func (st *state) dropMessageMedia(m *message) {
	if m.mediaSID != "" && st.media != nil {
		delete(st.media.files, m.mediaSID)
	}
}

// messageMedia is a message's "media" array: null without media.
func (rc *reqCtx) messageMedia(m *message) any {
	if m.mediaSID == "" {
		return nil
	}
	f := rc.s.st.mediaStore().files[m.mediaSID]
	if f == nil {
		return []obj{{{"sid", m.mediaSID}, {"size", 0}, {"content_type", "application/octet-stream"}, {"filename", nil}, {"category", "media"}}}
	}
	return []obj{{{"sid", f.sid}, {"size", len(f.data)}, {"content_type", f.contentType}, {"filename", nstr(f.filename)}, {"category", "media"}}}
}

// serveMedia answers the Media Content Service routes and the temporary
// content URLs; it reports false for every other request.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) bool {
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil {
		return false
	}
	temporary := len(segs) == 2 && segs[0] == mediaContentPath
	api := len(segs) >= 4 && len(segs) <= 6 && segs[0] == "v1" && segs[1] == "Services" && segs[3] == "Media"
	if !temporary && !api {
		return false
	}
	var body []byte
	tooLarge := false
	if r.Method == http.MethodPost {
		if r.ContentLength > conversations.MaxMediaSize {
			tooLarge = true
		} else {
			body, err = io.ReadAll(io.LimitReader(r.Body, conversations.MaxMediaSize+1))
			if err != nil {
				return true // the client gave up mid-upload: nothing to answer
			}
			tooLarge = len(body) > conversations.MaxMediaSize
		}
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: url.Values{}}
	if len(body) <= maxRecordedMediaBody {
		rec.Body = string(body)
	}
	fault := s.record(rec)
	w.Header().Set("Twilio-Request-Id", newSID("RQ"))
	if fault != nil && !fault.AfterHandling {
		s.writeFault(w, r, fault)
		return true
	}
	if temporary {
		s.serveMediaContent(w, r, segs[1], fault)
		return true
	}
	res, aerr := s.handleMedia(r, segs[2:], body, tooLarge)
	switch {
	case fault != nil:
		s.writeFault(w, r, fault)
	case aerr != nil:
		writeJSON(w, aerr.Status, aerr.body())
	case res.status == 0:
		// handleMedia wrote nothing: the bytes of .../Content follow.
		f := res.body.(*mediaFile)
		writeBytes(w, f.contentType, f.data)
	default:
		writeJSON(w, res.status, res.body)
	}
	return true
}

func writeBytes(w http.ResponseWriter, contentType string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// handleMedia serves /v1/Services/{ChatServiceSid}/Media[/{MediaSid}[/Content]];
// segs starts at the service SID. A result with status 0 carries the
// *mediaFile whose bytes are the answer.
func (s *Server) handleMedia(r *http.Request, segs []string, body []byte, tooLarge bool) (result, *apiError) {
	user, pass, hasAuth := r.BasicAuth()
	if !hasAuth || user != s.AccountSID || pass != s.AuthToken {
		return fail(&apiError{http.StatusUnauthorized, conversations.CodeAuthenticationFailed, "Authenticate"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	ms := s.st.mediaStore()
	ms.purge(now)
	notFound := func() (result, *apiError) { return fail(errNotFound(r.URL.Path[len("/v1"):])) }
	svc := s.st.services[segs[0]]
	if svc == nil {
		return notFound()
	}
	if len(segs) == 2 { // .../Media
		if r.Method != http.MethodPost {
			return fail(&apiError{http.StatusMethodNotAllowed, conversations.CodeMethodNotAllowed, "Method not allowed: " + r.Method + " " + r.URL.Path})
		}
		ct := r.Header.Get("Content-Type")
		switch {
		case tooLarge:
			return fail(errBad(conversations.CodeMediaTooLarge, "Message media size is too large"))
		case ct == "":
			return fail(errBad(conversations.CodeBadRequest, "Content-Type header is required: the MIME type of the file"))
		}
		filename := r.URL.Query().Get("Filename")
		if filename == "" {
			filename = r.URL.Query().Get("filename")
		}
		f := &mediaFile{base: s.st.newBase("ME", now), svc: svc.sid, contentType: ct, filename: filename, data: body}
		ms.files[f.sid] = f
		return created(s.renderMediaFile(f, ""))
	}
	f := ms.files[segs[2]]
	if f == nil || f.svc != svc.sid || r.Method != http.MethodGet || (len(segs) == 4 && segs[3] != "Content") {
		if f != nil && f.svc == svc.sid && r.Method != http.MethodGet {
			return fail(&apiError{http.StatusMethodNotAllowed, conversations.CodeMethodNotAllowed, "Method not allowed: " + r.Method + " " + r.URL.Path})
		}
		return notFound()
	}
	if len(segs) == 4 {
		return result{body: f}, nil
	}
	tok := newSID("")
	exp := now.Add(mediaLinkTTL)
	ms.tokens[tok] = &mediaGrant{file: f, expires: exp}
	link := s.URL + "/" + mediaContentPath + "/" + tok + "?Expires=" + strconv.FormatInt(exp.Unix(), 10)
	return ok(s.renderMediaFile(f, link))
}

// renderMediaFile is a media resource as the Media Content Service sends
// it; temporary is the content_direct_temporary link, when one was made.
func (s *Server) renderMediaFile(f *mediaFile, temporary string) obj {
	path := "/v1/Services/" + f.svc + "/Media/" + f.sid
	links := obj{{"content", path + "/Content"}}
	if temporary != "" {
		links = append(links, kv{"content_direct_temporary", temporary})
	}
	var msgSID, channelSID any
	if f.msg != nil {
		msgSID, channelSID = f.msg.sid, f.msg.conv.sid
	}
	return obj{
		{"sid", f.sid},
		{"account_sid", s.AccountSID},
		{"service_sid", f.svc},
		{"date_created", ts(f.created)},
		{"date_upload_updated", ts(f.created)},
		{"date_updated", ts(f.updated)},
		{"links", links},
		{"size", len(f.data)},
		{"content_type", f.contentType},
		{"filename", nstr(f.filename)},
		{"author", "system"},
		{"category", "media"},
		{"message_sid", msgSID},
		{"channel_sid", channelSID},
		{"url", path},
		{"is_multipart_upstream", false},
	}
}

// serveMediaContent answers a temporary content URL like a pre-signed
// storage URL: no credentials wanted (any Authorization header is refused),
// 403 once it has expired on the fake's clock.
func (s *Server) serveMediaContent(w http.ResponseWriter, r *http.Request, tok string, fault *Fault) {
	s.mu.Lock()
	now := s.nowLocked()
	ms := s.st.mediaStore()
	g := ms.tokens[tok]
	alive := g != nil && now.Before(g.expires) && ms.files[g.file.sid] == g.file
	s.mu.Unlock()
	switch {
	case fault != nil:
		s.writeFault(w, r, fault)
	case r.Method != http.MethodGet:
		storageError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	case r.Header.Get("Authorization") != "":
		storageError(w, http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; the URL is already signed")
	case !alive:
		storageError(w, http.StatusForbidden, "AccessDenied", "Request has expired")
	default:
		writeBytes(w, g.file.contentType, g.file.data) // the bytes are never changed: no lock needed
	}
}

func storageError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"+code+"</Code><Message>"+msg+"</Message></Error>")
}
