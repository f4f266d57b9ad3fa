package rest

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"
)

// DefaultBaseURL is the API host used when neither a base URL nor a region
// or edge is configured.
const DefaultBaseURL = "https://conversations.twilio.com"

// DefaultTimeout is the overall per-request timeout of the core's own
// *http.Client.
const DefaultTimeout = 30 * time.Second

// DefaultMaxResponseBytes bounds a success body when Config.MaxBody is 0.
const DefaultMaxResponseBytes = 32 << 20

// Config is what New needs; the root package's client options fill it.
type Config struct {
	// Username and Password are the HTTP Basic credentials: an Account
	// SID and its Auth Token, or an API Key SID and its secret.
	Username, Password string
	// Version is the SDK's version, sent in the User-Agent.
	Version string
	// UserAgentSuffix is appended to the User-Agent.
	UserAgentSuffix string
	// HTTPClient sends the requests; nil means the core's own client.
	HTTPClient *http.Client
	// BaseURL replaces DefaultBaseURL when BaseURLSet (and wins over
	// Region and Edge).
	BaseURL    string
	BaseURLSet bool
	// Region and Edge select a Twilio region and edge location.
	Region, Edge string
	// Logger receives the debug log; nil logs nothing.
	Logger *slog.Logger
	// Retry is the client's retry policy when RetrySet.
	Retry    RetryPolicy
	RetrySet bool
	// MaxBody bounds a 2xx body; 0 means DefaultMaxResponseBytes.
	MaxBody int64
	// Limiter paces requests with a LimitKey; nil: none.
	Limiter Limiter
	// LimiterFailure is what a call does when Limiter cannot decide.
	LimiterFailure LimiterFailureMode
	// Observer receives the life of each call; nil: none.
	Observer Observer
}

// Client holds everything a request needs: credentials, base URL,
// User-Agent, HTTP client, retry policy and budget, bounds, logger and
// hooks. It is built once per root Client, shared by every API that calls
// through it, and never modified after New returns (the retry budget's
// token count aside).
type Client struct {
	budget      *retryBudget // nil: no retry budget
	maxBody     int64
	username    string
	password    secret
	base        string // base URL without a trailing slash
	hc          *http.Client
	userAgent   string
	logger      *slog.Logger
	retry       RetryPolicy
	limiter     Limiter
	limiterMode LimiterFailureMode
	observer    Observer
}

// ClientOf returns the core of a root *conversations.Client (nil for any
// other value). The root package sets it in its init, so that another API
// package reaches the same core without the root package importing it.
var ClientOf func(any) *Client

// secret holds a credential behind a pointer. fmt prints the fields of a
// struct it is handed a pointer to (fmt.Sprintf("%+v", core)), and of the
// structs it reaches through fields by reflection, without calling their
// methods; a pointer below the top level is printed as an address only. So
// printing a *Client, which code of this module holds, never prints the
// credential: this is the one layer that hides it.
type secret struct{ p *string }

func newSecret(s string) secret { return secret{&s} }

// reveal returns the credential; never pass the result to a logger or fmt.
func (s secret) reveal() string { return *s.p }

// New validates cfg and returns the core it describes.
func New(cfg Config) (*Client, error) {
	if cfg.Username == "" {
		return nil, &ValidationError{Param: "username", Reason: "is required (an Account SID or API Key SID)"}
	}
	if cfg.Password == "" {
		return nil, &ValidationError{Param: "password", Reason: "is required (an Auth Token or API Key secret)"}
	}
	if !ValidHeaderValue(cfg.UserAgentSuffix) {
		return nil, &ValidationError{Param: "WithUserAgent", Reason: "has a control character (CR, LF, NUL, ...)"}
	}
	if cfg.LimiterFailure != LimiterFailOpen && cfg.LimiterFailure != LimiterFailClosed {
		return nil, &ValidationError{Param: "WithLimiterFailureMode", Reason: "must be LimiterFailOpen or LimiterFailClosed"}
	}
	base, err := ResolveBaseURL(cfg)
	if err != nil {
		return nil, err
	}
	retry := DefaultRetryPolicy()
	if cfg.RetrySet {
		retry = cfg.Retry
	}
	if err := retry.Validate(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ua := fmt.Sprintf("conversations-go/%s (%s %s) go/%s", cfg.Version, runtime.GOOS, runtime.GOARCH, runtime.Version())
	if cfg.UserAgentSuffix != "" {
		ua += " " + cfg.UserAgentSuffix
	}
	c := &Client{
		username:    cfg.Username,
		password:    newSecret(cfg.Password),
		base:        strings.TrimRight(base.String(), "/"),
		hc:          httpClient(cfg.HTTPClient),
		userAgent:   ua,
		logger:      logger,
		retry:       retry,
		budget:      newRetryBudget(retry),
		maxBody:     DefaultMaxResponseBytes,
		limiter:     cfg.Limiter,
		limiterMode: cfg.LimiterFailure,
		observer:    cfg.Observer,
	}
	if cfg.MaxBody > 0 {
		c.maxBody = cfg.MaxBody
	}
	return c, nil
}

// httpClient returns the client requests are sent with: the core's own
// (never http.DefaultClient), or a copy of hc whose redirect rule is behind
// the same-origin check.
func httpClient(hc *http.Client) *http.Client {
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Every request goes to one host: keep as many idle connections
		// for it as in total, not net/http's 2 per host, or concurrent
		// callers open (and TLS-handshake) a new connection most times.
		tr.MaxIdleConnsPerHost = tr.MaxIdleConns
		return &http.Client{Timeout: DefaultTimeout, Transport: tr, CheckRedirect: sameOriginRedirect}
	}
	// The caller's client, copied so that the caller's value is not
	// changed: a redirect elsewhere never carries the Authorization header.
	own := *hc
	next := own.CheckRedirect
	own.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := sameOriginRedirect(req, via); err != nil || next == nil {
			return err
		}
		return next(req, via)
	}
	return &own
}

// ResolveBaseURL returns the API base URL cfg selects: BaseURL, or the
// regional host conversations[.{edge}].{region}.twilio.com, or
// DefaultBaseURL. It refuses a URL with credentials, a query or fragment, a
// scheme other than http(s), a path ending in /v1, and a region or edge
// that is not a DNS label.
func ResolveBaseURL(cfg Config) (*url.URL, error) {
	raw := DefaultBaseURL
	switch {
	case cfg.BaseURLSet:
		raw = cfg.BaseURL
	case cfg.Region != "" || cfg.Edge != "":
		if !validHostLabel(cfg.Region) || !validHostLabel(cfg.Edge) {
			return nil, &ValidationError{Param: "region/edge", Reason: "must be DNS labels (letters, digits, '-')"}
		}
		region := cfg.Region
		if region == "" {
			region = "us1"
		}
		host := "conversations." + region + ".twilio.com"
		if cfg.Edge != "" {
			host = "conversations." + cfg.Edge + "." + region + ".twilio.com"
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

// validHostLabel reports whether s is made of the characters of a DNS label
// (letters, digits, '-'); the empty string passes (not set).
func validHostLabel(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}

// sameOriginRedirect is the CheckRedirect of the core's HTTP client: it
// follows a redirect only to the scheme, host and port of the original
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

// Base is the base URL, without a trailing slash.
func (c *Client) Base() string { return c.base }

// Username is the HTTP Basic username (an Account SID or API Key SID; not
// a secret).
func (c *Client) Username() string { return c.username }

// HTTPClient is the client requests are sent with.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// UserAgent is the User-Agent header value.
func (c *Client) UserAgent() string { return c.userAgent }

// Logger is the client's logger (never nil).
func (c *Client) Logger() *slog.Logger { return c.logger }

// Retry is the client's retry policy.
func (c *Client) Retry() RetryPolicy { return c.retry }

// MaxBody is the bound on a decoded 2xx body.
func (c *Client) MaxBody() int64 { return c.maxBody }

// Limited reports whether a Limiter is set, so that an API builds a
// Request's LimitKey only when it will be used.
func (c *Client) Limited() bool { return c.limiter != nil }

// ResponseError turns a non-2xx response into an *Error (see
// ResponseError), redacting the client's credentials from it.
func (c *Client) ResponseError(resp *http.Response, method, path string) *Error {
	return ResponseError(resp, method, path, c.secrets()...)
}

// secrets are the strings no error may quote: the password and the
// Authorization header value built from it.
func (c *Client) secrets() []string {
	pw := c.password.reveal()
	return []string{pw, base64.StdEncoding.EncodeToString([]byte(c.username + ":" + pw))}
}

// Observed reports whether an Observer is set.
func (c *Client) Observed() bool { return c.observer != nil }

// RetryBudgetLeft is the number of tokens in the client's retry budget, -1
// without one.
func (c *Client) RetryBudgetLeft() int {
	if c.budget == nil {
		return -1
	}
	return int(c.budget.tokens.Load())
}
