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
	// ErrInvalidNotBefore: the not-before time is not before the expiry, so
	// the token would never be valid.
	ErrInvalidNotBefore = errors.New("accesstoken: not-before time is not before expiry")
	// ErrMalformedToken: Parse was given something that is not a
	// three-part JWT with the Twilio header.
	ErrMalformedToken = errors.New("accesstoken: malformed token")
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
// "Access Tokens" example (typ, alg, cty).
type Header struct {
	// Type is "typ", always "JWT".
	Type string `json:"typ"`
	// Algorithm is "alg", always "HS256".
	Algorithm string `json:"alg"`
	// ContentType is "cty", always "twilio-fpa;v=1".
	ContentType string `json:"cty"`
}

// Grants is the "grants" claim.
type Grants struct {
	// Identity is the user's identity ("identity").
	Identity string `json:"identity"`
	// Chat is the Chat grant ("chat").
	Chat *ChatGrant `json:"chat,omitempty"`
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
	// IssuedAt is "iat", the issue time in Unix seconds.
	IssuedAt int64 `json:"iat"`
	// NotBefore is "nbf", optional: the token is not accepted before this
	// Unix time. Zero means absent.
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
// The zero time, the default, leaves the claim out. Fractions of a second
// are dropped.
func (b Builder) NotBefore(t time.Time) Builder {
	b.notBefore = t
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
	if !b.notBefore.IsZero() {
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
	header, err := json.Marshal(Header{Type: HeaderType, Algorithm: HeaderAlgorithm, ContentType: HeaderContentType})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signingInput := b64(header) + "." + b64(payload)
	return signingInput + "." + b64(sign(b.apiKeySecret, signingInput)), nil
}

// Parse verifies a token made with secret and returns its claims. It checks
// the three-part structure, the Twilio header (typ JWT, alg HS256, cty
// twilio-fpa;v=1) and the HS256 signature; it does not check the time
// window (see Claims.ValidAt). It is meant for tests and diagnostics: Twilio,
// not your server, is the consumer of these tokens.
func Parse(token, secret string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, fmt.Errorf("%w: want 3 parts, got %d", ErrMalformedToken, len(parts))
	}
	rawHeader, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return Claims{}, fmt.Errorf("%w: header: %v", ErrMalformedToken, err)
	}
	var h Header
	if err := json.Unmarshal(rawHeader, &h); err != nil {
		return Claims{}, fmt.Errorf("%w: header: %v", ErrMalformedToken, err)
	}
	if h != (Header{Type: HeaderType, Algorithm: HeaderAlgorithm, ContentType: HeaderContentType}) {
		return Claims{}, fmt.Errorf("%w: unexpected header %s", ErrMalformedToken, rawHeader)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return Claims{}, fmt.Errorf("%w: signature: %v", ErrMalformedToken, err)
	}
	if secret == "" || !hmac.Equal(sig, sign(secret, parts[0]+"."+parts[1])) {
		return Claims{}, ErrBadSignature
	}
	rawPayload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return Claims{}, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	var c Claims
	if err := json.Unmarshal(rawPayload, &c); err != nil {
		return Claims{}, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	return c, nil
}

func sign(secret, signingInput string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signingInput))
	return mac.Sum(nil)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
