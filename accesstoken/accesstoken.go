// Package accesstoken mints Twilio Access Tokens for the client-side
// Conversations SDKs (JavaScript, iOS, Android): a JWT signed with HS256 and
// an API key secret, carrying the user's identity and a Chat grant.
//
// It depends on the standard library only.
//
// # Sources
//
// The token format — header, claim names, the 24-hour limit — is that of
// Twilio's "Access Tokens" document (https://www.twilio.com/docs/iam/access-tokens),
// sections "Anatomy of an Access Token" (Header, Payload, Signature) and
// "Create an Access Token for Conversations" (a Chat grant with the
// Conversation Service SID, and an identity). The keys inside the chat
// grant (service_sid, endpoint_id, deployment_role_sid, push_credential_sid)
// are those Twilio's helper libraries emit (twilio-go
// client/jwt/chat_grant.go, twilio-node src/jwt/AccessToken.ts ChatGrant).
// The SID formats (AC, SK, IS, CR, RL followed by 32 hexadecimal digits) are
// the patterns of the Conversations and IAM API references.
//
// # Use
//
//	tok, err := accesstoken.New(accountSID, apiKeySID, apiKeySecret).
//		Identity("alice@example.com").
//		ChatGrant(accesstoken.ChatGrant{ServiceSID: serviceSID}).
//		TTL(2 * time.Hour).
//		JWT()
//
// # Defaults
//
// Header: typ "JWT", alg "HS256", cty "twilio-fpa;v=1", and twr (the home
// region) only when Region is set. Claims: jti "<API key SID>-<issue time>",
// iss the API key SID, sub the account SID, iat and nbf the issue time, exp
// one hour later (DefaultTTL; at most MaxTTL, 24 hours), grants with the
// identity and the chat grant. These are the values of the example in
// "Access Tokens" and of Twilio's helper libraries, whose access-token tests
// are ported in vectors_test.go. The nbf default is that of the Python,
// Ruby and Go libraries; NotBefore sets another time and OmitNotBefore
// leaves it out (the Node, Java, C# and PHP default). ID sets your own jti.
//
// A full grant, for a user on one device with push notifications:
//
//	tok, err := accesstoken.New(accountSID, apiKeySID, apiKeySecret). // AC…, SK…, secret
//		Identity(user.Email).
//		ChatGrant(accesstoken.ChatGrant{
//			ServiceSID:        conversationServiceSID,                // IS…, required
//			PushCredentialSID: fcmCredentialSID,                      // CR…, optional
//			EndpointID:        "myapp:" + user.Email + ":" + deviceID, // optional
//		}).
//		TTL(2 * time.Hour). // default 1h, at most 24h
//		Region("ie1").      // optional: the account's home region, sent as twr
//		JWT()
//
// # Errors
//
// JWT returns an error, and no token, for: a missing identity; no Chat
// grant, or one without a service SID; a TTL over 24 hours, negative or
// under one second; an empty secret; a malformed SID; a not-before time at
// or after the expiry; a region that is not 1 to 32 ASCII letters, digits,
// "-" or "_"; a token longer than MaxTokenSize.
//
// # Builders are values
//
// A Builder is immutable: each method returns a new one. Keep one
// configured with the account and key and derive per-user tokens from it
// concurrently. Clock fixes the issue time for tests.
//
// # Reading a token
//
// Parse(token, secret) verifies a token (HS256 only) and returns its header
// (twr included) and claims, for tests and debugging; it reads tokens
// minted by any official helper library (it does not check SID formats;
// other products' grants are kept in RawGrants). ParseUnverified decodes
// without the secret, for inspection only. Both refuse a token longer than
// MaxTokenSize before splitting or decoding it.
package accesstoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// DefaultTTL is the lifetime of a token when none is set: one hour, the
	// default of Twilio's helper libraries and of the examples in "Access
	// Tokens" (ttl 3600).
	DefaultTTL = time.Hour
	// MaxTTL is the longest lifetime Twilio accepts. "Access Tokens": "All
	// tokens have a limited lifetime, configurable for up to 24 hours";
	// "Tokens have a maximum age of 24 hours."
	MaxTTL = 24 * time.Hour
	// MaxTokenSize is the longest token, in bytes, that Builder.JWT makes
	// and Parse and ParseUnverified read: 64 KiB. The Conversations example
	// of "Access Tokens" is 579 bytes, so the limit is far above any real
	// token; Parse refuses longer input before splitting or decoding any of
	// it.
	MaxTokenSize = 64 << 10
)

// Header values. "Access Tokens", "Header": typ "must be JWT", alg "must be
// HS256", cty "must be twilio-fpa;v=1".
const (
	HeaderType        = "JWT"
	HeaderAlgorithm   = "HS256"
	HeaderContentType = "twilio-fpa;v=1"
)

// Errors returned by Builder.JWT and Builder.Claims (wrapped with details;
// test with errors.Is) and by Parse.
var (
	// ErrInvalidSID: an account, API key, service, push credential or role
	// SID is missing or malformed.
	ErrInvalidSID = errors.New("accesstoken: invalid SID")
	// ErrEmptySecret: the API key secret is empty.
	ErrEmptySecret = errors.New("accesstoken: empty API key secret")
	// ErrMissingIdentity: no identity was set, or it is not valid UTF-8.
	ErrMissingIdentity = errors.New("accesstoken: missing identity")
	// ErrMissingChatGrant: no Chat grant was set. The Conversations SDKs
	// need one ("Access Tokens": "The Conversations SDK requires each Access
	// Token to contain a ChatGrant").
	ErrMissingChatGrant = errors.New("accesstoken: missing chat grant")
	// ErrInvalidTTL: the lifetime is negative, under one second, or longer
	// than MaxTTL.
	ErrInvalidTTL = errors.New("accesstoken: invalid TTL")
	// ErrInvalidRegion: the home region is not 1 to 32 ASCII letters,
	// digits, '-' or '_'.
	ErrInvalidRegion = errors.New("accesstoken: invalid region")
	// ErrInvalidNotBefore: the not-before time is not before the expiry, so
	// the token would never be valid.
	ErrInvalidNotBefore = errors.New("accesstoken: not-before time is not before expiry")
	// ErrMalformedToken: Parse was given something that is not a
	// three-part JWT with the Twilio header, or is longer than MaxTokenSize.
	ErrMalformedToken = errors.New("accesstoken: malformed token")
	// ErrTokenTooLarge: the token is longer than MaxTokenSize. Builder.JWT
	// returns it for a token it would otherwise make (an identity or
	// endpoint ID of tens of kilobytes); Parse returns it together with
	// ErrMalformedToken (errors.Is matches both).
	ErrTokenTooLarge = errors.New("accesstoken: token longer than MaxTokenSize")
	// ErrBadSignature: Parse found a signature that does not match.
	ErrBadSignature = errors.New("accesstoken: signature mismatch")
)

// ChatGrant is the "chat" grant: access to one Conversation Service.
type ChatGrant struct {
	// ServiceSID is the Conversation Service SID (IS...). Required: "Each
	// ChatGrant must contain the SID for your Conversation Service."
	ServiceSID string `json:"service_sid,omitempty"`
	// EndpointID optionally identifies the client endpoint (for example
	// identity:device) for push notification bookkeeping.
	EndpointID string `json:"endpoint_id,omitempty"`
	// DeploymentRoleSID optionally overrides the role (RL...) given to the
	// user.
	DeploymentRoleSID string `json:"deployment_role_sid,omitempty"`
	// PushCredentialSID optionally selects the push notification credential
	// (CR...) the client registers with.
	PushCredentialSID string `json:"push_credential_sid,omitempty"`
}

// Header is the JOSE header of an Access Token, in the member order of the
// "Access Tokens" example (typ, alg, cty), then twr.
type Header struct {
	// Type is "typ", always "JWT".
	Type string `json:"typ"`
	// Algorithm is "alg", always "HS256".
	Algorithm string `json:"alg"`
	// ContentType is "cty", always "twilio-fpa;v=1".
	ContentType string `json:"cty"`
	// Region is "twr", the home region of the account (for example "us1"
	// or "ie1"), present only when set with Builder.Region. Every official
	// helper library sets this header from its "region" option and leaves
	// it out when the option is empty (twilio-node AccessToken.spec.js "home
	// region", twilio-python test_region/test_empty_region, twilio-java
	// testRegion/testEmptyRegion, twilio-csharp TestHaveRegion/
	// TestEmptyRegion, twilio-ruby and twilio-php region tests, twilio-go
	// TestAccessTokenHeaders).
	Region string `json:"twr,omitempty"`
}

// Grants is the "grants" claim.
type Grants struct {
	// Identity is the user's identity ("identity").
	Identity string `json:"identity"`
	// Chat is the Chat grant ("chat").
	Chat *ChatGrant `json:"chat,omitempty"`
	// IPMessaging is the same grant under its former key "ip_messaging",
	// which the example token of "Access Tokens" still carries and twilio-go
	// and twilio-csharp can still emit (IpMessagingGrant). The Builder never
	// sets it; Parse fills it in when a token has it.
	IPMessaging *ChatGrant `json:"ip_messaging,omitempty"`
}

// Claims is the payload of an Access Token, with the claim names of "Access
// Tokens", "Payload", in that document's order.
type Claims struct {
	// ID is "jti", a unique identifier for the token. By default
	// "<API key SID>-<issue time in Unix seconds>", the form of the
	// document's example ("SKxxx...-1450471147").
	ID string `json:"jti"`
	// Issuer is "iss", the SID of the API key whose secret signs the token.
	Issuer string `json:"iss"`
	// Subject is "sub", the SID of the account access is scoped to.
	Subject string `json:"sub"`
	// IssuedAt is "iat", the issue time in Unix seconds. twilio-node sets
	// it; the other libraries and the document's example do not, so a
	// parsed token may have zero here.
	IssuedAt int64 `json:"iat,omitempty"`
	// NotBefore is "nbf": the token is not accepted before this Unix time.
	// The Builder sets it to the issue time unless told otherwise (see
	// Builder.NotBefore). Zero means absent.
	NotBefore int64 `json:"nbf,omitempty"`
	// ExpiresAt is "exp", the expiry time in Unix seconds.
	ExpiresAt int64 `json:"exp"`
	// Grants is "grants", the permissions the token carries.
	Grants Grants `json:"grants"`
}

// ValidAt reports whether t lies in the token's validity window
// [NotBefore, ExpiresAt).
func (c Claims) ValidAt(t time.Time) bool {
	u := t.Unix()
	return u >= c.NotBefore && u < c.ExpiresAt
}

// Builder assembles and signs an Access Token. It is a value: every method
// returns a modified copy, so a partly configured Builder can be kept as a
// template and reused concurrently.
type Builder struct {
	accountSID   string
	apiKeySID    string
	apiKeySecret string
	identity     string
	chat         *ChatGrant
	ttl          time.Duration
	notBefore    time.Time
	noNotBefore  bool
	region       string
	now          func() time.Time
	id           string
}

// New starts a token for the account accountSID (AC...), signed with the API
// key apiKeySID (SK...) and its secret. "Access Tokens", "Step 2": the key
// must be a Main or Standard API key.
func New(accountSID, apiKeySID, apiKeySecret string) Builder {
	return Builder{accountSID: accountSID, apiKeySID: apiKeySID, apiKeySecret: apiKeySecret}
}

// Identity sets the user's identity, typically the user name in your
// system. Required.
func (b Builder) Identity(identity string) Builder {
	b.identity = identity
	return b
}

// ChatGrant sets the Chat grant. Required, with a ServiceSID.
func (b Builder) ChatGrant(g ChatGrant) Builder {
	b.chat = &g
	return b
}

// TTL sets the lifetime: the token expires TTL after it is issued. Zero
// means DefaultTTL; more than MaxTTL is an error. Fractions of a second are
// dropped.
func (b Builder) TTL(d time.Duration) Builder {
	b.ttl = d
	return b
}

// NotBefore sets the time before which the token is not accepted ("nbf").
// The zero time, the default, means the issue time, which is what the
// example of "Access Tokens" shows (nbf equal to the time in jti) and what
// twilio-python, twilio-ruby and twilio-go set by default; twilio-node,
// twilio-java, twilio-csharp and twilio-php leave the claim out unless told.
// Fractions of a second are dropped.
func (b Builder) NotBefore(t time.Time) Builder {
	b.notBefore = t
	b.noNotBefore = false
	return b
}

// OmitNotBefore leaves the "nbf" claim out, as twilio-node, twilio-java,
// twilio-csharp and twilio-php do by default. Use it if a client's clock
// may run behind the server's by more than the time the client takes to
// use the token. A later NotBefore call undoes it.
func (b Builder) OmitNotBefore() Builder {
	b.notBefore = time.Time{}
	b.noNotBefore = true
	return b
}

// Region sets the home region of the account, sent as the "twr" header
// (for example "us1", "ie1" or "au1"). Empty, the default, leaves the header
// out, as every official helper library does. A region is 1 to 32 ASCII
// letters, digits, '-' or '_'.
func (b Builder) Region(region string) Builder {
	b.region = region
	return b
}

// Clock sets the source of the issue time; nil means time.Now. Tests and
// examples use it to make tokens reproducible.
func (b Builder) Clock(now func() time.Time) Builder {
	b.now = now
	return b
}

// ID sets the token identifier ("jti"). "Access Tokens": "Your application
// can choose this identifier." Empty means the default,
// "<API key SID>-<issue time>", which is not unique for two tokens issued
// by one key within the same second; set your own (for example with a
// random suffix) if you track tokens by jti.
func (b Builder) ID(jti string) Builder {
	b.id = jti
	return b
}

var (
	accountSidRE = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	apiKeySidRE  = regexp.MustCompile(`^SK[0-9a-fA-F]{32}$`)
	serviceSidRE = regexp.MustCompile(`^IS[0-9a-fA-F]{32}$`)
	credSidRE    = regexp.MustCompile(`^CR[0-9a-fA-F]{32}$`)
	roleSidRE    = regexp.MustCompile(`^RL[0-9a-fA-F]{32}$`)
	regionRE     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

// Claims validates the configuration and returns the claims the token will
// carry, without signing.
func (b Builder) Claims() (Claims, error) {
	if !accountSidRE.MatchString(b.accountSID) {
		return Claims{}, fmt.Errorf("%w: account SID %q (want AC followed by 32 hex digits)", ErrInvalidSID, b.accountSID)
	}
	if !apiKeySidRE.MatchString(b.apiKeySID) {
		return Claims{}, fmt.Errorf("%w: API key SID %q (want SK followed by 32 hex digits)", ErrInvalidSID, b.apiKeySID)
	}
	if b.apiKeySecret == "" {
		return Claims{}, ErrEmptySecret
	}
	if b.identity == "" {
		return Claims{}, ErrMissingIdentity
	}
	if !utf8.ValidString(b.identity) {
		return Claims{}, fmt.Errorf("%w: identity is not valid UTF-8", ErrMissingIdentity)
	}
	if b.chat == nil {
		return Claims{}, ErrMissingChatGrant
	}
	chat := *b.chat
	if !serviceSidRE.MatchString(chat.ServiceSID) {
		return Claims{}, fmt.Errorf("%w: Conversation Service SID %q (want IS followed by 32 hex digits)", ErrInvalidSID, chat.ServiceSID)
	}
	if chat.PushCredentialSID != "" && !credSidRE.MatchString(chat.PushCredentialSID) {
		return Claims{}, fmt.Errorf("%w: push credential SID %q (want CR followed by 32 hex digits)", ErrInvalidSID, chat.PushCredentialSID)
	}
	if chat.DeploymentRoleSID != "" && !roleSidRE.MatchString(chat.DeploymentRoleSID) {
		return Claims{}, fmt.Errorf("%w: role SID %q (want RL followed by 32 hex digits)", ErrInvalidSID, chat.DeploymentRoleSID)
	}

	if b.region != "" && !regionRE.MatchString(b.region) {
		return Claims{}, fmt.Errorf("%w: %q (want 1 to 32 ASCII letters, digits, '-' or '_')", ErrInvalidRegion, b.region)
	}

	ttl := b.ttl
	if ttl == 0 {
		ttl = DefaultTTL
	}
	if ttl < time.Second || ttl > MaxTTL {
		return Claims{}, fmt.Errorf("%w: %v (must be between 1s and %v)", ErrInvalidTTL, b.ttl, MaxTTL)
	}

	now := time.Now
	if b.now != nil {
		now = b.now
	}
	iat := now().Unix()
	c := Claims{
		ID:        b.id,
		Issuer:    b.apiKeySID,
		Subject:   b.accountSID,
		IssuedAt:  iat,
		ExpiresAt: iat + int64(ttl/time.Second),
		Grants:    Grants{Identity: b.identity, Chat: &chat},
	}
	if c.ID == "" {
		c.ID = b.apiKeySID + "-" + strconv.FormatInt(iat, 10)
	}
	switch {
	case b.noNotBefore:
	case b.notBefore.IsZero():
		c.NotBefore = iat
	default:
		c.NotBefore = b.notBefore.Unix()
		if c.NotBefore >= c.ExpiresAt {
			return Claims{}, fmt.Errorf("%w: nbf %d, exp %d", ErrInvalidNotBefore, c.NotBefore, c.ExpiresAt)
		}
	}
	return c, nil
}

// JWT validates the configuration and returns the signed token:
// base64url(header) "." base64url(claims) "." base64url(HMAC-SHA256 of the
// first two parts, keyed with the API key secret), without padding (RFC
// 7519, RFC 7515; "Access Tokens", "Signature").
func (b Builder) JWT() (string, error) {
	c, err := b.Claims()
	if err != nil {
		return "", err
	}
	header, err := json.Marshal(Header{Type: HeaderType, Algorithm: HeaderAlgorithm, ContentType: HeaderContentType, Region: b.region})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signingInput := b64(header) + "." + b64(payload)
	tok := signingInput + "." + b64(sign(b.apiKeySecret, signingInput))
	if len(tok) > MaxTokenSize {
		return "", fmt.Errorf("%w: %d bytes", ErrTokenTooLarge, len(tok))
	}
	return tok, nil
}

// Token is a decoded Access Token.
type Token struct {
	// Header is the JOSE header.
	Header Header
	// Claims is the payload.
	Claims Claims
	// RawGrants is the "grants" object as it appears in the token,
	// including grants this package has no type for (video, voice, ...).
	RawGrants json.RawMessage
}

// Parse verifies a token made with secret and returns its header and
// claims. It checks the three-part structure, the Twilio header (typ JWT,
// alg HS256, cty twilio-fpa;v=1, any twr) and the HS256 signature; it does
// not check the time window (see Claims.ValidAt) or the SID formats, so it
// reads tokens minted by any of Twilio's helper libraries. It is meant for
// tests and diagnostics: Twilio, not your server, is the consumer of these
// tokens.
//
// Tokens signed with HS384 or HS512, which twilio-node can mint, are
// refused: "Access Tokens" requires alg HS256. A token longer than
// MaxTokenSize is refused (ErrMalformedToken and ErrTokenTooLarge) before
// any of it is decoded.
func Parse(token, secret string) (Token, error) {
	t, signingInput, sig, err := decodeToken(token)
	if err != nil {
		return Token{}, err
	}
	if secret == "" || !hmac.Equal(sig, sign(secret, signingInput)) {
		return Token{}, ErrBadSignature
	}
	return t, nil
}

// ParseUnverified decodes a token like Parse but without checking its
// signature, for looking at a token whose secret you do not have (such as
// the example of "Access Tokens"). Nothing it returns can be trusted.
func ParseUnverified(token string) (Token, error) {
	t, _, _, err := decodeToken(token)
	return t, err
}

// decodeToken splits and decodes a token and checks its header. It refuses
// a token longer than MaxTokenSize first, and counts the separators before
// splitting, so input that is not a token costs no allocation beyond the
// error.
func decodeToken(token string) (t Token, signingInput string, sig []byte, err error) {
	if len(token) > MaxTokenSize {
		return Token{}, "", nil, fmt.Errorf("%w: %w: %d bytes", ErrMalformedToken, ErrTokenTooLarge, len(token))
	}
	if n := strings.Count(token, ".") + 1; n != 3 {
		return Token{}, "", nil, fmt.Errorf("%w: want 3 parts, got %d", ErrMalformedToken, n)
	}
	header, rest, _ := strings.Cut(token, ".")
	payload, signature, _ := strings.Cut(rest, ".")
	parts := [3]string{header, payload, signature}
	rawHeader, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return Token{}, "", nil, fmt.Errorf("%w: header: %v", ErrMalformedToken, err)
	}
	if err := json.Unmarshal(rawHeader, &t.Header); err != nil {
		return Token{}, "", nil, fmt.Errorf("%w: header: %v", ErrMalformedToken, err)
	}
	h := t.Header
	if h.Type != HeaderType || h.Algorithm != HeaderAlgorithm || h.ContentType != HeaderContentType {
		return Token{}, "", nil, fmt.Errorf("%w: unexpected header %s", ErrMalformedToken, rawHeader)
	}
	sig, err = base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return Token{}, "", nil, fmt.Errorf("%w: signature: %v", ErrMalformedToken, err)
	}
	rawPayload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return Token{}, "", nil, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	if err := json.Unmarshal(rawPayload, &t.Claims); err != nil {
		return Token{}, "", nil, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	var raw struct {
		Grants json.RawMessage `json:"grants"`
	}
	_ = json.Unmarshal(rawPayload, &raw) // cannot fail: decoded above
	t.RawGrants = raw.Grants
	return t, parts[0] + "." + parts[1], sig, nil
}

func sign(secret, signingInput string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signingInput))
	return mac.Sum(nil)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
