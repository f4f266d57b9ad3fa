package conversations

// Media: upload, fetch and download files through Twilio's Media Content
// Service (MCS), then attach them to a message with
// MessageCreateParams.MediaSID.
//
// What Twilio documents, and where:
//   - Conversations Media Resource,
//     https://www.twilio.com/docs/conversations/api/media-resource: the MCS
//     base URL https://mcs.us1.twilio.com/v1; HTTP Basic auth (Account SID +
//     Auth Token, or API Key + secret); "POST /Services/{Chat Service SID}/Media"
//     whose body is the file itself in binary (not multipart), with the
//     Content-Type header set to the file's MIME type and a Content-Size header
//     with its size in bytes; the service must be the chat_service_sid of the
//     conversation the media is for; "GET /Services/{Chat Service SID}/Media/{Media SID}"
//     returns the resource again; the properties table (sid, account_sid,
//     service_sid, date_created, date_updated, channel_sid, message_sid, size,
//     content_type, file_name, author, url, links.content and
//     links.content_direct_temporary). The page also says Twilio's own helper
//     libraries do not support this resource (a maintainer says the same in
//     twilio/twilio-csharp#647; twilio/twilio-python#596 is still open).
//   - Media Support in Conversations,
//     https://www.twilio.com/docs/conversations/media-support-conversations:
//     media lives apart from its message, a media SID links the two, deleting
//     the message cleans up its media, media is immutable once created, and a
//     temporary, time-limited URL is asked for to download it.
//   - Conversations Limits, https://www.twilio.com/docs/conversations/conversations-limits,
//     and error 50512 ("Message media size is too large"),
//     https://www.twilio.com/docs/api/errors/50512: 150 MB between chat
//     participants, 5 MB when forwarded to SMS/MMS, 16 MB to WhatsApp.
//
// What the reference pages do not say, and what this file relies on instead:
//   - Real responses (seen in public test fixtures of MCS clients) spell the
//     file name "filename", not "file_name" as the docs table does, and also
//     carry date_upload_updated, category and is_multipart_upstream. Media
//     accepts both spellings of the file name.
//   - The file name is not in the upload docs at all. The SDK sends it as the
//     Filename query parameter (POST .../Media?Filename=receipt.png), as MCS
//     clients in the wild do; an upload without a Filename is what the docs'
//     curl example sends, and Twilio then stores no file name.
//   - content_direct_temporary is a pre-signed URL on another host; it is
//     fetched without any Authorization header (it carries its own signature
//     and expires after about 300 seconds, which is why Download always asks
//     for a fresh one). Media that is not attached to a message within 5
//     minutes of its upload is removed by Twilio.
//   - Only the us1 MCS host is documented. With WithRegion the SDK uses
//     mcs.{region}.twilio.com, following the pattern of Twilio's other regional
//     hosts (undocumented for MCS); WithEdge does not change the MCS host.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/conversations-go/conversations/internal/rest"
)

// DefaultMediaBaseURL is the Media Content Service host used when neither a
// base URL nor a region is configured.
const DefaultMediaBaseURL = "https://mcs.us1.twilio.com"

// MaxMediaSize is the largest file Twilio accepts for a conversation
// between chat participants: 150 MB (150 MiB, 157,286,400 bytes). Media
// forwarded to SMS/MMS participants is limited to 5 MB, and to WhatsApp to
// 16 MB; those limits are checked by Twilio when the message is sent (error
// 50512), not by the SDK, which cannot know the conversation's channels.
const MaxMediaSize = 150 << 20

// mediaBaseFor returns the Media Content Service base URL (no trailing
// slash) for a client configured with cfg, whose API base URL resolved to
// base. WithBaseURL sends media to the same base (tests, the fake, proxies).
func mediaBaseFor(cfg config, base string) string {
	switch {
	case cfg.BaseURLSet:
		return base
	case cfg.Region != "" && cfg.Region != "us1":
		// rest.New has already checked that region is a DNS label.
		return "https://mcs." + cfg.Region + ".twilio.com"
	}
	return DefaultMediaBaseURL
}

// MediaCategory says what a media file is used for. Values the SDK does not
// know yet decode without error.
type MediaCategory string

// Known media categories.
const (
	// MediaCategoryMedia is a file attached to a message.
	MediaCategoryMedia MediaCategory = "media"
	// MediaCategoryBody is a message body too long to be kept inline.
	MediaCategoryBody MediaCategory = "body"
	// MediaCategoryHistory is a conversation history export.
	MediaCategoryHistory MediaCategory = "history"
)

// MediaLinks are the URLs of a media file's content.
type MediaLinks struct {
	// Content is the path of the file's content on the Media Content
	// Service, which needs the account's credentials.
	Content string `json:"content"`
	// ContentDirectTemporary is a pre-signed URL of the file's content on
	// another host. It needs no credentials and must be sent none; it
	// expires after about 300 seconds. Twilio fills it when the media is
	// fetched, not always on upload.
	ContentDirectTemporary string `json:"content_direct_temporary"`
}

// Media is a file stored by the Media Content Service for a Conversation
// Service, to be attached to a message.
type Media struct {
	// SID identifies the media (ME...); pass it as MessageCreateParams.MediaSID.
	SID string `json:"sid"`
	// AccountSID is the Account that owns the media.
	AccountSID string `json:"account_sid"`
	// ServiceSID is the Conversation Service the media belongs to (IS...).
	ServiceSID string `json:"service_sid"`
	// ChannelSID is the conversation (CH...) of the message the media is
	// attached to; empty until it is attached.
	ChannelSID string `json:"channel_sid"`
	// MessageSID is the message (IM...) the media is attached to; empty
	// until it is attached.
	MessageSID string `json:"message_sid"`
	// Size is the file size in bytes.
	Size int64 `json:"size"`
	// ContentType is the file's MIME type, e.g. "image/png".
	ContentType string `json:"content_type"`
	// Filename is the file name given at upload; empty when none was.
	Filename string `json:"filename"`
	// Author is the identity of the uploader ("system" for REST uploads).
	Author string `json:"author"`
	// Category says what the media is used for.
	Category MediaCategory `json:"category"`
	// URL is the media's path on the Media Content Service.
	URL string `json:"url"`
	// Links holds the URLs of the file's content.
	Links MediaLinks `json:"links"`
	// IsMultipartUpstream is true for media uploaded in several parts.
	IsMultipartUpstream bool `json:"is_multipart_upstream"`
	// DateCreated is when the media resource was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the media resource was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// DateUploadUpdated is when the file's content was last written.
	DateUploadUpdated time.Time `json:"date_upload_updated"`
}

// UnmarshalJSON decodes a media resource, accepting both "filename" (what
// the service sends) and "file_name" (what its docs table says).
func (m *Media) UnmarshalJSON(b []byte) error {
	type plain Media
	var v struct {
		plain
		FileName *string `json:"file_name"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = Media(v.plain)
	if m.Filename == "" && v.FileName != nil {
		m.Filename = *v.FileName
	}
	return nil
}

// MediaUploadParams are the parameters of MediaService.Upload.
type MediaUploadParams struct {
	// ContentType is the file's MIME type, e.g. "image/png" (required).
	ContentType string
	// Filename is the file name shown to participants (optional).
	Filename string
	// Body is read once, streamed to Twilio, and never buffered whole
	// (required). Upload does not close it.
	Body io.Reader
	// Size is the number of bytes Body holds, when known. When > 0 it is
	// sent as Content-Length, and a Body that ends early or holds more is
	// an error (the upload is abandoned, never sent truncated). 0 means
	// unknown: the body is sent chunked and stopped at MaxMediaSize.
	Size int64
	// GetBody, when set, returns a fresh reader over the same bytes. It
	// makes an upload that was refused with 429 Too Many Requests
	// replayable when Body is not an io.Seeker. The SDK closes what it
	// returns.
	GetBody func() (io.ReadCloser, error)
}

func (p *MediaUploadParams) validate() error {
	switch {
	case p == nil:
		return &ValidationError{Param: "params", Reason: "is required (*MediaUploadParams)"}
	case p.ContentType == "":
		return &ValidationError{Param: "ContentType", Reason: "is required (the file's MIME type, e.g. image/png)"}
	case p.Body == nil:
		return &ValidationError{Param: "Body", Reason: "is required"}
	case p.Size < 0:
		return &ValidationError{Param: "Size", Reason: "must not be negative (0 means unknown)"}
	case p.Size > MaxMediaSize:
		return &ValidationError{Param: "Size", Reason: fmt.Sprintf("%d bytes is over the %d-byte (150 MB) media limit", p.Size, MaxMediaSize)}
	}
	if _, _, err := mime.ParseMediaType(p.ContentType); err != nil {
		return &ValidationError{Param: "ContentType", Reason: fmt.Sprintf("%q is not a MIME type", rest.Clip(p.ContentType, 64))}
	}
	return nil
}

// MediaAPI is the interface of MediaService, for mocking.
type MediaAPI interface {
	Upload(ctx context.Context, params *MediaUploadParams, opts ...RequestOption) (*Media, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Media, error)
	Download(ctx context.Context, sid string, opts ...RequestOption) (io.ReadCloser, *Media, error)
}

var _ MediaAPI = (*MediaService)(nil)

// MediaService uploads, fetches and downloads media files. On the Client it
// works with the account's default Conversation Service, whose SID it reads
// from /v1/Configuration (default_chat_service_sid) on first use; on
// Client.Service(sid) it works with that service. Media must be uploaded to
// the Conversation Service of the conversation it will be sent in.
type MediaService struct{ s scopeRef }

// defaultServiceSID resolves the account's default Conversation Service
// SID once per Client. A failed lookup is not remembered: the next call
// tries again. Callers waiting for a lookup in flight stop waiting when
// their context is done.
type defaultServiceSID struct {
	sem chan struct{} // a one-slot semaphore guarding sid
	sid string
}

func (d *defaultServiceSID) get(ctx context.Context, s scopeRef) (string, error) {
	select {
	case d.sem <- struct{}{}:
	case <-ctx.Done():
		return "", &NetworkError{Method: http.MethodGet, Path: "/v1/Configuration", Err: ctx.Err()}
	}
	defer func() { <-d.sem }()
	if d.sid != "" {
		return d.sid, nil
	}
	cfg, err := (&ConfigurationService{s}).Fetch(ctx)
	if err != nil {
		return "", err // typed as every call's error; its Path says it was /v1/Configuration
	}
	if cfg.DefaultChatServiceSID == "" {
		return "", &DecodeError{Method: http.MethodGet, Path: "/v1/Configuration", Status: http.StatusOK,
			Err: errors.New("no default_chat_service_sid: the account's default Conversation Service is unknown")}
	}
	d.sid = cfg.DefaultChatServiceSID
	return d.sid, nil
}

// mediaPath returns the escaped path /v1/Services/{ChatServiceSid}/Media
// followed by "/{MediaSid}" when sid is given.
func (m *MediaService) mediaPath(ctx context.Context, sid ...string) (string, error) {
	svc := m.s
	if !svc.scoped {
		id, err := svc.shared.defaultSID.get(ctx, svc)
		if err != nil {
			return "", err
		}
		svc.service, svc.scoped = id, true
	}
	if len(sid) == 0 {
		return svc.path("Media")
	}
	return svc.path("Media/{MediaSid}", sid[0])
}

// Upload streams a file to the Media Content Service and returns the new
// media. Attach it to a message within 5 minutes (MessageCreateParams.MediaSID)
// or Twilio removes it.
//
// The body is sent as it is read and never held in memory whole. An upload
// is a create: it is sent again only after 429 Too Many Requests (and only
// when the body can be replayed: Body is an io.Seeker, or GetBody is set) or
// after a connection failure before any byte was read; never after it may
// have reached Twilio.
//
// Operation: UploadMedia (POST https://mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media)
func (m *MediaService) Upload(ctx context.Context, params *MediaUploadParams, opts ...RequestOption) (*Media, error) {
	if ctx == nil {
		return nil, &ValidationError{Param: "ctx", Reason: "must not be nil"}
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	p, err := m.mediaPath(ctx)
	if err != nil {
		return nil, err
	}
	u := m.s.shared.mediaBase + p
	if params.Filename != "" {
		u += "?Filename=" + url.QueryEscape(params.Filename)
	}
	body := newUploadBody(params)
	defer body.closeReopened()
	out := new(Media)
	r := rest.Request{Method: http.MethodPost, Path: p, URL: u, RoutePrefix: mediaRoute, Route: "Media",
		Body: rest.StreamBody(params.ContentType, body), Decoder: rest.JSON(out), Options: opts}
	if params.Size > 0 {
		// Twilio documents Content-Size beside Content-Length (Media
		// Resource, "Headers").
		r.Header = http.Header{"Content-Size": {strconv.FormatInt(params.Size, 10)}}
	}
	if err := m.s.core.Do(ctx, &r); err != nil {
		return nil, err
	}
	return out, nil
}

// mediaRoute is the route prefix of the media operations, for an Observer.
const mediaRoute = "/v1/Services/{ChatServiceSid}/"

// Fetch returns a media file's resource, with a fresh
// Links.ContentDirectTemporary URL.
//
// Operation: FetchMedia (GET https://mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media/{MediaSid})
func (m *MediaService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Media, error) {
	if ctx == nil {
		return nil, &ValidationError{Param: "ctx", Reason: "must not be nil"}
	}
	if err := rest.CheckSegment("MediaSid", sid); err != nil {
		return nil, err
	}
	p, err := m.mediaPath(ctx, sid)
	if err != nil {
		return nil, err
	}
	out := new(Media)
	r := rest.Request{Method: http.MethodGet, Path: p, URL: m.s.shared.mediaBase + p, RoutePrefix: mediaRoute,
		Route: "Media/{MediaSid}", Replay: true, Decoder: rest.JSON(out), Options: opts}
	if err := m.s.core.Do(ctx, &r); err != nil {
		return nil, err
	}
	return out, nil
}

// Download fetches a media file's resource (as Fetch does, with opts) and
// then its content from Links.ContentDirectTemporary, a pre-signed URL to
// which no credentials are sent. It returns a reader over the file's bytes,
// which the caller must close; cancelling ctx stops it. A non-2xx answer
// from either request is an *Error.
//
// Operation: DownloadMedia (GET https://mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media/{MediaSid}, then GET links.content_direct_temporary)
func (m *MediaService) Download(ctx context.Context, sid string, opts ...RequestOption) (io.ReadCloser, *Media, error) {
	md, err := m.Fetch(ctx, sid, opts...)
	if err != nil {
		return nil, nil, err
	}
	rc, err := downloadContent(ctx, m.s.core, md.Links.ContentDirectTemporary)
	if err != nil {
		return nil, md, err
	}
	return rc, md, nil
}

// downloadContent GETs a pre-signed content URL with no Authorization
// header. Errors never quote the URL's query, which holds its signature.
func downloadContent(ctx context.Context, co *rest.Client, raw string) (io.ReadCloser, error) {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, &DecodeError{Method: http.MethodGet, Path: "links.content_direct_temporary", Status: http.StatusOK,
			Err: errors.New("the media has no absolute http(s) content_direct_temporary URL")}
	}
	path := u.EscapedPath()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &NetworkError{Method: http.MethodGet, Path: path, Err: err}
	}
	req.Header.Set("User-Agent", co.UserAgent())
	co.Logger().LogAttrs(ctx, slog.LevelDebug, "conversations: media download", slog.String("host", u.Host), slog.String("path", path))
	resp, err := co.HTTPClient().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // *url.Error would quote the signed URL
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = ctxErr // the cause the caller can act on
		}
		return nil, &NetworkError{Method: http.MethodGet, Path: path, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, co.ResponseError(resp, http.MethodGet, path)
	}
	return resp.Body, nil
}

// uploadBody streams an upload's body, counting what was read, enforcing
// the declared size and the media size limit, and rewinding for a retry
// when the source allows it. It is not an io.Closer, so net/http never
// closes the caller's reader.
type uploadBody struct {
	size int64 // declared size; 0 when unknown

	src      io.Reader
	seeker   io.Seeker // src as a Seeker, or nil
	offset   int64     // the seeker's position at the start
	getBody  func() (io.ReadCloser, error)
	reopened io.ReadCloser // the last reader GetBody returned

	read int64        // bytes read in this attempt
	err  error        // sticky error of this attempt
	cur  *attemptBody // the body handed to net/http for this attempt
}

// attemptBody is what one attempt hands to net/http. net/http may still
// read a request body after Do has returned (when the server answered
// before reading it all), so each attempt's body is detached before the
// upload body is rewound for the next attempt or given back to the caller:
// a detached attemptBody never touches the caller's reader again. Close
// (called by the transport) never closes the caller's reader either.
type attemptBody struct {
	b        *uploadBody
	sem      chan struct{} // held while a Read is in progress
	detached atomic.Bool
}

// errBodyDetached is what a transport still reading an abandoned attempt gets.
var errBodyDetached = errors.New("conversations: upload body reused by a later attempt")

// Read implements io.Reader.
func (a *attemptBody) Read(p []byte) (int, error) {
	if a.detached.Load() {
		return 0, errBodyDetached
	}
	a.sem <- struct{}{}
	defer func() { <-a.sem }()
	if a.detached.Load() {
		return 0, errBodyDetached
	}
	return a.b.Read(p)
}

// Close implements io.Closer: net/http is done with the body.
func (a *attemptBody) Close() error {
	a.detached.Store(true)
	return nil
}

// detach stops the attempt from reading the caller's reader. With wait it
// waits (until ctx is done) for a Read in progress to finish and reports
// whether none is left; without, it never blocks.
func (a *attemptBody) detach(ctx context.Context, wait bool) bool {
	a.detached.Store(true)
	if !wait {
		select {
		case a.sem <- struct{}{}:
			<-a.sem
			return true
		default:
			return false
		}
	}
	select {
	case a.sem <- struct{}{}:
		<-a.sem
		return true
	case <-ctx.Done():
		return false
	}
}

// Open implements rest.Stream: the reader of one attempt, and the declared
// size (-1 when unknown: the body is sent chunked).
func (b *uploadBody) Open() (io.Reader, int64) {
	if b.size > 0 {
		return b.start(), b.size
	}
	return b.start(), -1
}

// Rewind implements rest.Stream.
func (b *uploadBody) Rewind(ctx context.Context) bool { return b.rewind(ctx) }

// Release implements rest.Stream: it detaches the current attempt without
// waiting, when the upload is over.
func (b *uploadBody) Release() {
	if b.cur != nil {
		b.cur.detach(context.Background(), false)
	}
}

func newUploadBody(p *MediaUploadParams) *uploadBody {
	b := &uploadBody{size: p.Size, src: p.Body, getBody: p.GetBody}
	if sk, ok := p.Body.(io.Seeker); ok {
		off, err := sk.Seek(0, io.SeekCurrent)
		if err == nil {
			b.seeker, b.offset = sk, off
		}
	}
	return b
}

// start resets the per-attempt counters.
func (b *uploadBody) start() *attemptBody {
	b.read, b.err = 0, nil
	b.cur = &attemptBody{b: b, sem: make(chan struct{}, 1)}
	return b.cur
}

// rewind prepares the body for another attempt, once net/http has let go
// of it; it reports false when the bytes already read cannot be sent again.
func (b *uploadBody) rewind(ctx context.Context) bool {
	if b.cur != nil && !b.cur.detach(ctx, true) {
		return false
	}
	if b.read == 0 && b.err == nil {
		return true // nothing was consumed
	}
	if b.seeker != nil {
		if _, err := b.seeker.Seek(b.offset, io.SeekStart); err == nil {
			return true
		}
	}
	if b.getBody != nil {
		rc, err := b.getBody()
		if err != nil || rc == nil {
			return false
		}
		b.closeReopened()
		b.reopened, b.src, b.seeker = rc, rc, nil
		return true
	}
	return false
}

func (b *uploadBody) closeReopened() {
	if b.reopened != nil {
		_ = b.reopened.Close()
		b.reopened = nil
	}
}

// Read implements io.Reader. With a declared size it returns io.EOF only
// after exactly size bytes from a source that ends there. A source that ends
// early, or holds more (checked before the last byte is handed over, so
// that the request never completes), gives a *ValidationError and the
// request is abandoned. Without a declared size the same holds for
// MaxMediaSize.
func (b *uploadBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	limit := int64(MaxMediaSize)
	if b.size > 0 {
		limit = b.size
	}
	if b.read >= limit {
		return 0, io.EOF // the end was checked when the last byte was read
	}
	if rest := limit - b.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.src.Read(p)
	if err == nil && b.read+int64(n) == limit {
		if perr := b.checkEnd(); perr != nil {
			b.err = perr
			return 0, perr
		}
		err = io.EOF
	}
	b.read += int64(n)
	if err == io.EOF && b.size > 0 && b.read < b.size {
		b.err = &ValidationError{Param: "Body", Reason: fmt.Sprintf("ended after %d of Size (%d) bytes", b.read, b.size)}
		return n, b.err
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// checkEnd reports an error unless the source has nothing after the limit.
func (b *uploadBody) checkEnd() error {
	var one [1]byte
	for try := 0; try < 100; try++ {
		n, err := b.src.Read(one[:])
		switch {
		case n > 0 && b.size > 0:
			return &ValidationError{Param: "Body", Reason: fmt.Sprintf("holds more than Size (%d bytes)", b.size)}
		case n > 0:
			return &ValidationError{Param: "Body", Reason: fmt.Sprintf("is over the %d-byte (150 MB) media limit", MaxMediaSize)}
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		}
	}
	return io.ErrNoProgress
}
