package conversations

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/conversations-go/conversations/internal/form"
)

// DefaultBaseURL is the Conversations API host used when no base URL, region
// or edge is configured.
const DefaultBaseURL = "https://conversations.twilio.com"

// DefaultTimeout is the overall per-request timeout of the SDK's own
// *http.Client. A deadline on the request's context always wins when it is
// shorter. Use WithHTTPClient to supply a client with another timeout.
const DefaultTimeout = 30 * time.Second

// maxErrorBody bounds how much of an error response body is read.
const maxErrorBody = 1 << 20

// Client is a Twilio Conversations v1 API client. Its embedded Scope holds
// the resource services of the account's default Conversation Service
// (/v1/Conversations/...); Service returns the same services bound to one
// Conversation Service (/v1/Services/{ChatServiceSid}/...). The remaining
// fields manage account-level resources.
//
// A Client is safe for concurrent use by multiple goroutines.
type Client struct {
	// Scope holds the services of the account's default Conversation
	// Service: c.Conversations, c.Messages, ... are its fields.
	Scope
	// Credentials manages push notification credentials (account level only).
	Credentials *CredentialsService
	// Services manages Conversation Services (account level only).
	Services *ChatServicesService
	// Configuration reads and updates the account-level configuration and
	// its webhook configuration.
	Configuration *ConfigurationService
	// AddressConfigurations manages address configurations (account level only).
	AddressConfigurations *AddressConfigurationsService

	core *core
}

// Scope holds the resource services that exist both in the account's
// default Conversation Service and in any named one. The Client embeds the
// default scope and a ServiceScope embeds a named one, so code that works in
// either scope takes a *Scope:
//
//	func archive(ctx context.Context, s *conversations.Scope, sid string) error
//	archive(ctx, c.DefaultScope(), sid)
//	archive(ctx, &c.Service(serviceSID).Scope, sid)
type Scope struct {
	// Conversations manages conversations and creates conversations
	// together with their participants.
	Conversations *ConversationsService
	// Messages manages the messages of a conversation.
	Messages *MessagesService
	// Receipts reads the delivery receipts of a message.
	Receipts *ReceiptsService
	// Participants manages the participants of a conversation.
	Participants *ParticipantsService
	// ParticipantConversations lists the conversations a participant belongs to.
	ParticipantConversations *ParticipantConversationsService
	// Webhooks manages the conversation-scoped webhooks of a conversation.
	Webhooks *WebhooksService
	// Users manages conversation users.
	Users *UsersService
	// UserConversations manages a user's membership of conversations.
	UserConversations *UserConversationsService
	// Roles manages roles and their permissions.
	Roles *RolesService
	// Media uploads, fetches and downloads the media files of the scope's
	// Conversation Service (the Media Content Service).
	Media *MediaService
}

// newScope binds every per-scope service to s.
func newScope(s scope) Scope {
	return Scope{
		Conversations:            &ConversationsService{s},
		Messages:                 &MessagesService{s},
		Receipts:                 &ReceiptsService{s},
		Participants:             &ParticipantsService{s},
		ParticipantConversations: &ParticipantConversationsService{s},
		Webhooks:                 &WebhooksService{s},
		Users:                    &UsersService{s},
		UserConversations:        &UserConversationsService{s},
		Roles:                    &RolesService{s},
		Media:                    newMediaService(s),
	}
}

// DefaultScope returns the services of the account's default Conversation
// Service, for code that takes a *Scope.
func (c *Client) DefaultScope() *Scope { return &c.Scope }

// core holds everything a request needs. It is shared by the Client, every
// ServiceScope and every Page; it is never modified after NewClient returns.
type core struct {
	username  string
	password  secret
	baseURL   *url.URL
	base      string // baseURL without a trailing slash
	hc        *http.Client
	userAgent string
	logger    *slog.Logger
	retry     RetryPolicy
	mediaBase string // Media Content Service base URL, without a trailing slash
}

// secret holds a credential behind a pointer. fmt prints the fields of
// structs it reaches through unexported fields by reflection, without
// calling their methods (fmt.Sprintf("%s", c.Conversations) reaches the
// core through scope.core); a pointer below the top level is printed as an
// address only, so the credential never is.
type secret struct{ p *string }

func newSecret(s string) secret { return secret{&s} }

// reveal returns the credential; never pass the result to a logger or fmt.
func (s secret) reveal() string { return *s.p }

// String hides the credentials: a core is never printed with its secret.
func (c *core) String() string {
	return fmt.Sprintf("conversations.Client{base: %s, username: %s}", c.base, c.username)
}

// GoString hides the credentials from %#v.
func (c *core) GoString() string { return c.String() }

// Format hides the credentials from every verb, including %+v.
func (c *core) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// String describes the client without its secret.
func (c *Client) String() string { return c.core.String() }

// GoString describes the client without its secret.
func (c *Client) GoString() string { return c.core.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s) print the client without
// its secret.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.core.String()) }

// Option configures a Client in NewClient and NewClientFromEnv.
type Option func(*config) error

type config struct {
	hc        *http.Client
	baseURL   string
	region    string
	edge      string
	uaSuffix  string
	logger    *slog.Logger
	retry     RetryPolicy
	retrySet  bool
	baseIsSet bool
}

// WithHTTPClient makes the Client send its requests with hc. The SDK's default
// is its own *http.Client with DefaultTimeout, never http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("conversations: WithHTTPClient: nil *http.Client")
		}
		c.hc = hc
		return nil
	}
}

// WithBaseURL replaces https://conversations.twilio.com (tests, Prism,
// proxies). The SDK still appends /v1/..., so WithBaseURL("http://127.0.0.1:4010")
// sends GET http://127.0.0.1:4010/v1/Conversations. It takes precedence over
// WithRegion and WithEdge.
func WithBaseURL(base string) Option {
	return func(c *config) error {
		c.baseURL = base
		c.baseIsSet = true
		return nil
	}
}

// WithRegion selects a Twilio region (for example "ie1"): the host becomes
// conversations.{region}.twilio.com, or conversations.{edge}.{region}.twilio.com
// with WithEdge.
func WithRegion(region string) Option {
	return func(c *config) error { c.region = region; return nil }
}

// WithEdge selects a Twilio edge location (for example "dublin"): the host
// becomes conversations.{edge}.{region}.twilio.com, with region us1 when no
// region is set.
func WithEdge(edge string) Option {
	return func(c *config) error { c.edge = edge; return nil }
}

// WithUserAgent appends suffix to the SDK's User-Agent header.
func WithUserAgent(suffix string) Option {
	return func(c *config) error { c.uaSuffix = suffix; return nil }
}

// WithLogger makes the Client log each request and retry at debug level on
// l. Credentials and request bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// NewClient returns a Client that authenticates with HTTP Basic auth, where
// username and password are either an Account SID and its Auth Token or an API
// Key SID and its secret.
func NewClient(username, password string, opts ...Option) (*Client, error) {
	if username == "" {
		return nil, &ValidationError{Param: "username", Reason: "is required (an Account SID or API Key SID)"}
	}
	if password == "" {
		return nil, &ValidationError{Param: "password", Reason: "is required (an Auth Token or API Key secret)"}
	}
	cfg := config{}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := resolveBaseURL(cfg)
	if err != nil {
		return nil, err
	}
	hc := cfg.hc
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Every request goes to one host: keep as many idle connections
		// for it as in total, not net/http's 2 per host, or concurrent
		// callers open (and TLS-handshake) a new connection most times.
		tr.MaxIdleConnsPerHost = tr.MaxIdleConns
		hc = &http.Client{
			Timeout:       DefaultTimeout,
			Transport:     tr,
			CheckRedirect: sameOriginRedirect,
		}
	} else {
		// The caller's client, copied so that the caller's value is not
		// changed, with its redirect rule behind the same-origin check: a
		// redirect elsewhere never carries the Authorization header.
		own := *hc
		next := own.CheckRedirect
		own.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if err := sameOriginRedirect(req, via); err != nil || next == nil {
				return err
			}
			return next(req, via)
		}
		hc = &own
	}
	logger := cfg.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	retry := DefaultRetryPolicy()
	if cfg.retrySet {
		retry = cfg.retry
	}
	if err := retry.validate(); err != nil {
		return nil, err
	}
	ua := fmt.Sprintf("conversations-go/%s (%s %s) go/%s", Version, runtime.GOOS, runtime.GOARCH, runtime.Version())
	if cfg.uaSuffix != "" {
		ua += " " + cfg.uaSuffix
	}
	co := &core{
		username:  username,
		password:  newSecret(password),
		baseURL:   base,
		base:      strings.TrimRight(base.String(), "/"),
		hc:        hc,
		userAgent: ua,
		logger:    logger,
		retry:     retry,
		mediaBase: mediaBaseFor(cfg, base),
	}
	s := scope{core: co}
	c := &Client{
		Scope:                 newScope(s),
		Credentials:           &CredentialsService{s},
		Services:              &ChatServicesService{s},
		Configuration:         &ConfigurationService{s},
		AddressConfigurations: &AddressConfigurationsService{s},
		core:                  co,
	}
	return c, nil
}

// NewClientFromEnv builds a Client from the environment: TWILIO_API_KEY and
// TWILIO_API_SECRET when both are set, otherwise TWILIO_ACCOUNT_SID and
// TWILIO_AUTH_TOKEN; TWILIO_REGION and TWILIO_EDGE when set. Options given
// here are applied after the environment, so they win.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	user, pass := os.Getenv("TWILIO_API_KEY"), os.Getenv("TWILIO_API_SECRET")
	if user == "" || pass == "" {
		user, pass = os.Getenv("TWILIO_ACCOUNT_SID"), os.Getenv("TWILIO_AUTH_TOKEN")
	}
	if user == "" || pass == "" {
		return nil, errors.New("conversations: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET")
	}
	var envOpts []Option
	if r := os.Getenv("TWILIO_REGION"); r != "" {
		envOpts = append(envOpts, WithRegion(r))
	}
	if e := os.Getenv("TWILIO_EDGE"); e != "" {
		envOpts = append(envOpts, WithEdge(e))
	}
	return NewClient(user, pass, append(envOpts, opts...)...)
}

func resolveBaseURL(cfg config) (*url.URL, error) {
	raw := DefaultBaseURL
	switch {
	case cfg.baseIsSet:
		raw = cfg.baseURL
	case cfg.region != "" || cfg.edge != "":
		if !validHostLabel(cfg.region) || !validHostLabel(cfg.edge) {
			return nil, &ValidationError{Param: "region/edge", Reason: "must be DNS labels (letters, digits, '-')"}
		}
		region := cfg.region
		if region == "" {
			region = "us1"
		}
		host := "conversations." + region + ".twilio.com"
		if cfg.edge != "" {
			host = "conversations." + cfg.edge + "." + region + ".twilio.com"
		}
		raw = "https://" + host
	}
	u, err := url.Parse(raw)
	if err != nil {
		// The raw value is not quoted: it may hold credentials.
		return nil, &ValidationError{Param: "base URL", Reason: "is not a valid URL"}
	}
	if u.User != nil {
		return nil, &ValidationError{Param: "base URL", Reason: "must not carry credentials"}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &ValidationError{Param: "base URL", Reason: fmt.Sprintf("%q is not an absolute http(s) URL", u.Redacted())}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &ValidationError{Param: "base URL", Reason: "must not have a query or fragment"}
	}
	return u, nil
}

func validHostLabel(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}

// Service returns the resource services bound to the Conversation Service
// chatServiceSID, i.e. to /v1/Services/{ChatServiceSid}/... . An empty SID is
// reported by each method, before any request is sent.
func (c *Client) Service(chatServiceSID string) *ServiceScope {
	s := scope{core: c.core, service: chatServiceSID, scoped: true}
	return &ServiceScope{
		Scope:         newScope(s),
		Bindings:      &BindingsService{s},
		Configuration: &ChatServiceConfigurationService{s},
	}
}

// ServiceScope holds the resource services bound to one Conversation Service
// (/v1/Services/{ChatServiceSid}/...): the same Scope as the Client's, plus
// the services that exist in a named Conversation Service only. The models
// its services return carry ChatServiceSID.
type ServiceScope struct {
	// Scope holds the services shared with the default scope.
	Scope
	// Bindings manages the service's push notification bindings.
	Bindings *BindingsService
	// Configuration reads and updates the service's configuration,
	// notification settings and webhook configuration.
	Configuration *ChatServiceConfigurationService
}

// scope is embedded by every resource service: the shared core plus, for
// service-scoped services, the Conversation Service SID.
type scope struct {
	core    *core
	service string
	scoped  bool
}

// Ptr returns a pointer to v, for the optional fields of params structs:
// &ConversationUpdateParams{FriendlyName: conversations.Ptr("Support")}.
func Ptr[T any](v T) *T { return &v }

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
// Content-Type and User-Agent headers cannot be replaced this way.
func WithHeader(key, value string) RequestOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = make(http.Header, 2)
		}
		o.header.Add(key, value)
	}
}

// WithCallRetry replaces the client's retry policy for this call.
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
// method and whether it may be retried after the server may have seen it.
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

// validator is implemented by params structs with required fields.
type validator interface{ validate() error }

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

func checkSegment(name, v string) error {
	if v == "" {
		return &ValidationError{Param: name, Reason: "is required"}
	}
	if v == "." || v == ".." {
		return &ValidationError{Param: name, Reason: fmt.Sprintf("%q is not a valid identifier", v)}
	}
	return nil
}

const hexUpper = "0123456789ABCDEF"

// escapeSegment percent-encodes everything but RFC 3986 unreserved characters.
func escapeSegment(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}

// call is one logical API call. It may become several HTTP attempts.
type call struct {
	kind  kind
	path  string // escaped path, starting with /v1/
	query string // encoded query string, without '?'
	body  string // encoded form body; sent when kind is create/update
	opts  []RequestOption
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
			return nil, fmt.Errorf("conversations: encoding params: %w", err)
		}
		if k == kindCreate || k == kindUpdate {
			c.body = enc
		} else {
			c.query = enc
		}
	}
	return c, nil
}

// do sends c (with retries) and decodes a successful JSON body into out, when
// out is not nil. Every response body is drained and closed.
func (co *core) do(ctx context.Context, c *call, out any) error {
	var o callOptions
	for _, opt := range c.opts {
		if opt != nil {
			opt(&o)
		}
	}
	policy := co.retry
	if o.retry != nil {
		policy = *o.retry
		if err := policy.validate(); err != nil {
			return err
		}
	}
	u := co.base + c.path
	if c.query != "" {
		u += "?" + c.query
	}
	method := c.kind.method()
	for attempt := 1; ; attempt++ {
		resp, err := co.send(ctx, method, u, c.body, o.header)
		if o.response != nil {
			*o.response = resp
		}
		if err == nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
			derr := decodeSuccess(resp, out, method, c.path)
			var ne *NetworkError
			if !errors.As(derr, &ne) {
				return derr // nil, or a *DecodeError: the body arrived whole but is not the JSON we expect
			}
			// The body was cut off mid-read: a transport failure like any other.
			resp, err = nil, ne.Err
		}
		var apiErr error
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("conversations: %s %s: %w", method, c.path, ctxErr)
			}
			apiErr = &NetworkError{Method: method, Path: c.path, Err: err}
		} else {
			apiErr = decodeError(resp, method, c.path, co.secrets()...)
		}
		wait, retry := policy.decide(attempt, c.kind, resp, err)
		if !retry {
			return apiErr
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Waiting would only end in a context error: fail now with the
			// error the caller can act on.
			return apiErr
		}
		co.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: retrying",
			slog.String("method", method), slog.String("path", c.path),
			slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.String("error", apiErr.Error()))
		if err := sleepCtx(ctx, wait); err != nil {
			return fmt.Errorf("conversations: %s %s: %w (while waiting to retry after: %w)", method, c.path, err, apiErr)
		}
	}
}

// secrets are the strings no error may quote: the password and the
// Authorization header value built from it.
func (co *core) secrets() []string {
	pw := co.password.reveal()
	return []string{pw, base64.StdEncoding.EncodeToString([]byte(co.username + ":" + pw))}
}

// send performs one HTTP attempt. On success the response body is still open.
func (co *core) send(ctx context.Context, method, u, body string, extra http.Header) (*http.Response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
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
	req.SetBasicAuth(co.username, co.password.reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", co.userAgent)
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	co.logger.LogAttrs(ctx, slog.LevelDebug, "conversations: request", slog.String("method", method), slog.String("path", req.URL.Path))
	return co.hc.Do(req)
}

// decodeSuccess decodes a 2xx body into out. A body that cannot be read to
// its end (connection reset, timeout, context done) gives a *NetworkError;
// one that arrives whole but is not the expected JSON gives a *DecodeError.
func decodeSuccess(resp *http.Response, out any, method, path string) error {
	defer drainClose(resp.Body)
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	body := &readErrTracker{r: resp.Body}
	if err := json.NewDecoder(body).Decode(out); err != nil {
		if body.err != nil {
			return &NetworkError{Method: method, Path: path, Err: body.err}
		}
		return &DecodeError{Method: method, Path: path, Status: resp.StatusCode, RequestID: resp.Header.Get("Twilio-Request-Id"), Err: err}
	}
	return nil
}

// readErrTracker remembers the first read error other than io.EOF, which
// tells a transport failure from malformed JSON.
type readErrTracker struct {
	r   io.Reader
	err error
}

// Read reads from the body, noting the first error that is not io.EOF.
func (t *readErrTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
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

// drainClose reads what is left of a body (bounded) so that the connection
// can be reused, and closes it.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
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
