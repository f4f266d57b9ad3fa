package conversations

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/conversations-go/conversations/internal/rest"
)

// DefaultBaseURL is the Conversations API host used when no base URL, region
// or edge is configured.
const DefaultBaseURL = rest.DefaultBaseURL

// DefaultTimeout is the overall per-request timeout of the SDK's own
// *http.Client. A deadline on the request's context always wins when it is
// shorter. Use WithHTTPClient to supply a client with another timeout.
const DefaultTimeout = rest.DefaultTimeout

func init() {
	rest.ClientOf = func(v any) *rest.Client {
		if c, ok := v.(*Client); ok && c != nil {
			return c.core
		}
		return nil
	}
}

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

	core *rest.Client
}

// Scope holds the resource services that exist both in the account's
// default Conversation Service and in any named one. The Client embeds the
// default scope and a ServiceScope embeds a named one, so code that works in
// either scope takes a *Scope:
//
//	func archive(ctx context.Context, s *conversations.Scope, sid string) error
//	archive(ctx, c.DefaultScope(), sid)
//	archive(ctx, &c.Service(serviceSID).Scope, sid)
//
// Its fields are the services' interfaces, so such code is tested with
// fakes of the services it uses: &conversations.Scope{Messages: fakeMessages}.
type Scope struct {
	// Conversations manages conversations and creates conversations
	// together with their participants.
	Conversations ConversationsAPI
	// Messages manages the messages of a conversation.
	Messages MessagesAPI
	// Receipts reads the delivery receipts of a message.
	Receipts ReceiptsAPI
	// Participants manages the participants of a conversation.
	Participants ParticipantsAPI
	// ParticipantConversations lists the conversations a participant belongs to.
	ParticipantConversations ParticipantConversationsAPI
	// Webhooks manages the conversation-scoped webhooks of a conversation.
	Webhooks WebhooksAPI
	// Users manages conversation users.
	Users UsersAPI
	// UserConversations manages a user's membership of conversations.
	UserConversations UserConversationsAPI
	// Roles manages roles and their permissions.
	Roles RolesAPI
	// Media uploads, fetches and downloads the media files of the scope's
	// Conversation Service (the Media Content Service).
	Media MediaAPI
}

// services are the per-scope services of one scope, allocated together:
// Client.Service costs one allocation, not one per service.
type services struct {
	scope                    ServiceScope
	conversations            ConversationsService
	messages                 MessagesService
	receipts                 ReceiptsService
	participants             ParticipantsService
	participantConversations ParticipantConversationsService
	webhooks                 WebhooksService
	users                    UsersService
	userConversations        UserConversationsService
	roles                    RolesService
	media                    MediaService
	bindings                 BindingsService
	configuration            ChatServiceConfigurationService
}

// newServices binds every per-scope service to s. Bindings and
// Configuration are set on service scopes only.
func newServices(s scopeRef) *services {
	x := &services{
		conversations:            ConversationsService{s},
		messages:                 MessagesService{s},
		receipts:                 ReceiptsService{s},
		participants:             ParticipantsService{s},
		participantConversations: ParticipantConversationsService{s},
		webhooks:                 WebhooksService{s},
		users:                    UsersService{s},
		userConversations:        UserConversationsService{s},
		roles:                    RolesService{s},
		media:                    MediaService{s},
		bindings:                 BindingsService{s},
		configuration:            ChatServiceConfigurationService{s},
	}
	x.scope.Scope = Scope{
		Conversations:            &x.conversations,
		Messages:                 &x.messages,
		Receipts:                 &x.receipts,
		Participants:             &x.participants,
		ParticipantConversations: &x.participantConversations,
		Webhooks:                 &x.webhooks,
		Users:                    &x.users,
		UserConversations:        &x.userConversations,
		Roles:                    &x.roles,
		Media:                    &x.media,
	}
	if s.scoped {
		x.scope.Bindings = &x.bindings
		x.scope.Configuration = &x.configuration
	}
	return x
}

// DefaultScope returns the services of the account's default Conversation
// Service, for code that takes a *Scope.
func (c *Client) DefaultScope() *Scope { return &c.Scope }

// String describes the client without its secret.
func (c *Client) String() string {
	return fmt.Sprintf("conversations.Client{base: %s, username: %s}", c.core.Base(), c.core.Username())
}

// Option configures a Client in NewClient and NewClientFromEnv.
type Option func(*config) error

type config struct {
	rest.Config
}

// DefaultMaxResponseBytes bounds a success body (after any gzip decoding)
// when WithMaxResponseBytes is not given: 32 MiB, far above the largest
// real page (1,000 items of a few KiB).
const DefaultMaxResponseBytes = rest.DefaultMaxResponseBytes

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
		c.MaxBody = n
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
		c.HTTPClient = hc
		return nil
	}
}

// WithBaseURL replaces https://conversations.twilio.com (tests, Prism,
// proxies). The SDK still appends /v1/..., so WithBaseURL("http://127.0.0.1:4010")
// sends GET http://127.0.0.1:4010/v1/Conversations; a base URL that already
// ends in /v1 is refused. It takes precedence over WithRegion and WithEdge.
func WithBaseURL(base string) Option {
	return func(c *config) error {
		c.BaseURL = base
		c.BaseURLSet = true
		return nil
	}
}

// WithRegion selects a Twilio region (for example "ie1"): the host becomes
// conversations.{region}.twilio.com, or conversations.{edge}.{region}.twilio.com
// with WithEdge.
func WithRegion(region string) Option {
	return func(c *config) error { c.Region = region; return nil }
}

// WithEdge selects a Twilio edge location (for example "dublin"): the host
// becomes conversations.{edge}.{region}.twilio.com, with region us1 when no
// region is set.
func WithEdge(edge string) Option {
	return func(c *config) error { c.Edge = edge; return nil }
}

// WithUserAgent appends suffix to the SDK's User-Agent header. A suffix
// with a control character (CR, LF, NUL, ...) is refused.
func WithUserAgent(suffix string) Option {
	return func(c *config) error {
		if !rest.ValidHeaderValue(suffix) {
			return &ValidationError{Param: "WithUserAgent", Reason: "has a control character (CR, LF, NUL, ...)"}
		}
		c.UserAgentSuffix = suffix
		return nil
	}
}

// WithLogger makes the Client log each request and retry at debug level on
// l. Credentials and request bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.Logger = l; return nil }
}

// NewClient returns a Client that authenticates with HTTP Basic auth, where
// username and password are either an Account SID and its Auth Token or an API
// Key SID and its secret.
func NewClient(username, password string, opts ...Option) (*Client, error) {
	cfg := config{rest.Config{Username: username, Password: password, Version: Version}}
	if username == "" || password == "" {
		_, err := rest.New(cfg.Config) // the *ValidationError naming what is missing
		return nil, err
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	co, err := rest.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	s := scopeRef{core: co, shared: &shared{mediaBase: mediaBaseFor(cfg, co.Base())}}
	s.shared.defaultSID.sem = make(chan struct{}, 1)
	c := &Client{
		Scope:                 newServices(s).scope.Scope,
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

// Service returns the resource services bound to the Conversation Service
// chatServiceSID, i.e. to /v1/Services/{ChatServiceSid}/... . An empty SID is
// reported by each method, before any request is sent.
func (c *Client) Service(chatServiceSID string) *ServiceScope {
	s := c.ref()
	s.service, s.scoped = chatServiceSID, true
	return &newServices(s).scope
}

// ref is the client's default scope.
func (c *Client) ref() scopeRef { return c.Credentials.s }

// ServiceScope holds the resource services bound to one Conversation Service
// (/v1/Services/{ChatServiceSid}/...): the same Scope as the Client's, plus
// the services that exist in a named Conversation Service only. The models
// its services return carry ChatServiceSID.
type ServiceScope struct {
	// Scope holds the services shared with the default scope.
	Scope
	// Bindings manages the service's push notification bindings.
	Bindings BindingsAPI
	// Configuration reads and updates the service's configuration,
	// notification settings and webhook configuration.
	Configuration ChatServiceConfigurationAPI
}

// scopeRef is held by every resource service: the shared core, the
// client's shared state and, for service-scoped services, the Conversation
// Service SID.
type scopeRef struct {
	core    *rest.Client
	shared  *shared
	service string
	scoped  bool
}

// shared is the state of a Client that its services share beside the core.
type shared struct {
	mediaBase  string            // Media Content Service base URL, without a trailing slash
	defaultSID defaultServiceSID // the account's default Conversation Service, for media
}
