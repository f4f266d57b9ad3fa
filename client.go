package conversations

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"
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
// ServiceScope and every Page; it is never modified after NewClient returns
// (the retry budget's token count aside).
type core struct {
	budget    *retryBudget // nil: no retry budget
	maxBody   int64        // bound on a decoded 2xx body
	username  string
	password  secret
	base      string // baseURL without a trailing slash
	hc        *http.Client
	userAgent string
	logger    *slog.Logger
	retry     RetryPolicy
	mediaBase string // Media Content Service base URL, without a trailing slash
}

// secret holds a credential behind a pointer. fmt prints the fields of
// structs it reaches through unexported fields by reflection, without
// calling their methods (fmt.Sprintf("%+v", c.core) prints the core's
// fields); a pointer below the top level is printed as an address only, so
// the credential never is. This is the one layer that hides it: every other
// value that holds the core holds it through a pointer.
type secret struct{ p *string }

func newSecret(s string) secret { return secret{&s} }

// reveal returns the credential; never pass the result to a logger or fmt.
func (s secret) reveal() string { return *s.p }

// String describes the client without its secret.
func (c *Client) String() string {
	return fmt.Sprintf("conversations.Client{base: %s, username: %s}", c.core.base, c.core.username)
}

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
	maxBody   int64
}

// DefaultMaxResponseBytes bounds a success body (after any gzip decoding)
// when WithMaxResponseBytes is not given: 32 MiB, far above the largest
// real page (1,000 items of a few KiB).
const DefaultMaxResponseBytes = 32 << 20

// WithMaxResponseBytes bounds how many bytes of a 2xx body the client reads
// and decodes, counted after net/http's transparent gzip decoding, so memory
// stays bounded whatever the encoding. A larger body fails the call with a
// *DecodeError that wraps a *ResponseTooLargeError; nothing more is read and
// the connection is closed. n must be positive; the default is
// DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return &ValidationError{Param: "WithMaxResponseBytes", Reason: "must be positive"}
		}
		c.maxBody = n
		return nil
	}
}

// WithHTTPClient makes the Client send its requests with hc. The SDK's default
// is its own *http.Client with DefaultTimeout, never http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &ValidationError{Param: "WithHTTPClient", Reason: "must not be nil"}
		}
		c.hc = hc
		return nil
	}
}

// WithBaseURL replaces https://conversations.twilio.com (tests, Prism,
// proxies). The SDK still appends /v1/..., so WithBaseURL("http://127.0.0.1:4010")
// sends GET http://127.0.0.1:4010/v1/Conversations; a base URL that already
// ends in /v1 is refused. It takes precedence over WithRegion and WithEdge.
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

// WithUserAgent appends suffix to the SDK's User-Agent header. A suffix
// with a control character (CR, LF, NUL, ...) is refused.
func WithUserAgent(suffix string) Option {
	return func(c *config) error {
		if !validHeaderValue(suffix) {
			return &ValidationError{Param: "WithUserAgent", Reason: "has a control character (CR, LF, NUL, ...)"}
		}
		c.uaSuffix = suffix
		return nil
	}
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
		username: username,
		password: newSecret(password),

		base:      strings.TrimRight(base.String(), "/"),
		hc:        hc,
		userAgent: ua,
		logger:    logger,
		retry:     retry,
		mediaBase: mediaBaseFor(cfg, base),
		budget:    newRetryBudget(retry),
		maxBody:   DefaultMaxResponseBytes,
	}
	if cfg.maxBody > 0 {
		co.maxBody = cfg.maxBody
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
	if p := strings.TrimRight(u.Path, "/"); p == "/v1" || strings.HasSuffix(p, "/v1") {
		// The SDK appends /v1/...: this would send /v1/v1/...
		return nil, &ValidationError{Param: "base URL", Reason: fmt.Sprintf("%q must not end in /v1 (the SDK adds /v1 itself)", u.Redacted())}
	}
	return u, nil
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
