package accesstoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	accountSID = "AC0123456789abcdef0123456789abcdef"
	apiKeySID  = "SK0123456789abcdef0123456789abcdef"
	secret     = "made-up-api-key-secret"
	serviceSID = "IS0123456789abcdef0123456789abcdef"
	credSid    = "CR0123456789abcdef0123456789abcdef"
	roleSid    = "RL0123456789abcdef0123456789abcdef"
)

// The example token of "Access Tokens"
// (https://www.twilio.com/docs/iam/access-tokens, "Anatomy of an Access
// Token"). Its signature cannot be checked (the secret is not published),
// but its header segment and time claims can be reproduced.
const docsExampleToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0." +
	"eyJqdGkiOiJTS3h4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4LTE0NTA0NzExNDciLCJpc3MiOiJTS3h4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4Iiwic3ViIjoiQUN4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eCIsIm5iZiI6MTQ1MDQ3MTE0NywiZXhwIjoxNDUwNDc0NzQ3LCJncmFudHMiOnsiaWRlbnRpdHkiOiJ1c2VyQGV4YW1wbGUuY29tIiwiaXBfbWVzc2FnaW5nIjp7InNlcnZpY2Vfc2lkIjoiSVN4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eCIsImVuZHBvaW50X2lkIjoiSGlwRmxvd1NsYWNrRG9ja1JDOnVzZXJAZXhhbXBsZS5jb206c29tZWlvc2RldmljZSJ9fX0." +
	"IHx8KeH1acIfwnd8EIin3QBGPbfnF-yVnSFp5NpQJi0"

// docsExampleTime is the iat/nbf of the document's example (1450471147).
var docsExampleTime = time.Unix(1450471147, 0)

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

func base() Builder {
	return New(accountSID, apiKeySID, secret).
		Identity("alice@example.com").
		ChatGrant(ChatGrant{ServiceSID: serviceSID}).
		Clock(fixed(docsExampleTime))
}

// decode splits and decodes a JWT independently of Parse.
func decode(t *testing.T, tok string) (header, payload map[string]any, signingInput string, sig []byte) {
	t.Helper()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	for _, p := range parts {
		require.NotContains(t, p, "=", "JWT segments are unpadded")
		require.NotContains(t, p, "+")
		require.NotContains(t, p, "/")
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	sig, err = base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	dec := func(b []byte) map[string]any {
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		var m map[string]any
		require.NoError(t, d.Decode(&m))
		return m
	}
	return dec(h), dec(p), parts[0] + "." + parts[1], sig
}

func TestJWT_HeaderIsTheDocumentedOne(t *testing.T) {
	tok, err := base().JWT()
	require.NoError(t, err)
	// Byte for byte the header segment of the document's example token:
	// {"typ":"JWT","alg":"HS256","cty":"twilio-fpa;v=1"}.
	assert.Equal(t, strings.Split(docsExampleToken, ".")[0], strings.Split(tok, ".")[0])

	h, _, _, _ := decode(t, tok)
	assert.Equal(t, map[string]any{"typ": "JWT", "alg": "HS256", "cty": "twilio-fpa;v=1"}, h)
}

func TestJWT_EveryClaim(t *testing.T) {
	nbf := docsExampleTime.Add(-30 * time.Second)
	tok, err := base().
		ChatGrant(ChatGrant{
			ServiceSID:        serviceSID,
			EndpointID:        "myapp:alice@example.com:browser-1",
			PushCredentialSID: credSid,
			DeploymentRoleSID: roleSid,
		}).
		TTL(2 * time.Hour).
		NotBefore(nbf).
		JWT()
	require.NoError(t, err)

	_, p, input, sig := decode(t, tok)
	assert.Equal(t, map[string]any{
		"jti": apiKeySID + "-1450471147",
		"iss": apiKeySID,
		"sub": accountSID,
		"iat": json.Number("1450471147"),
		"nbf": json.Number("1450471117"),
		"exp": json.Number("1450478347"),
		"grants": map[string]any{
			"identity": "alice@example.com",
			"chat": map[string]any{
				"service_sid":         serviceSID,
				"endpoint_id":         "myapp:alice@example.com:browser-1",
				"push_credential_sid": credSid,
				"deployment_role_sid": roleSid,
			},
		},
	}, p)

	// The signature is HMAC-SHA256 over "header.payload" with the secret.
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(input))
	assert.Equal(t, mac.Sum(nil), sig)
	wrong := hmac.New(sha256.New, []byte(secret+"x"))
	wrong.Write([]byte(input))
	assert.NotEqual(t, wrong.Sum(nil), sig)
}

func TestJWT_ClaimOrderFollowsTheDocument(t *testing.T) {
	tok, err := base().NotBefore(docsExampleTime).JWT()
	require.NoError(t, err)
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	require.NoError(t, err)
	assert.Equal(t,
		`{"jti":"`+apiKeySID+`-1450471147","iss":"`+apiKeySID+`","sub":"`+accountSID+`",`+
			`"iat":1450471147,"nbf":1450471147,"exp":1450474747,`+
			`"grants":{"identity":"alice@example.com","chat":{"service_sid":"`+serviceSID+`"}}}`,
		string(raw))
}

func TestJWT_DefaultsMatchTheDocumentedExample(t *testing.T) {
	c, err := base().NotBefore(docsExampleTime).Claims()
	require.NoError(t, err)
	// The document's example: jti "SK...-1450471147", nbf 1450471147,
	// exp 1450474747 (one hour later).
	var docs struct {
		Jti string `json:"jti"`
		Nbf int64  `json:"nbf"`
		Exp int64  `json:"exp"`
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(docsExampleToken, ".")[1])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &docs))
	assert.Equal(t, strings.TrimPrefix(docs.Jti, "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), strings.TrimPrefix(c.ID, apiKeySID))
	assert.Equal(t, docs.Nbf, c.NotBefore)
	assert.Equal(t, docs.Exp, c.ExpiresAt)
	assert.Equal(t, int64(DefaultTTL/time.Second), c.ExpiresAt-c.IssuedAt)
}

func TestJWT_NotBeforeDefaultsToIssueTime(t *testing.T) {
	tok, err := base().JWT()
	require.NoError(t, err)
	_, p, _, _ := decode(t, tok)
	assert.Equal(t, json.Number("1450471147"), p["nbf"], "nbf = iat, as in the documented example")
	assert.Equal(t, json.Number("1450474747"), p["exp"])

	tok, err = base().OmitNotBefore().JWT()
	require.NoError(t, err)
	_, p, _, _ = decode(t, tok)
	assert.NotContains(t, p, "nbf")

	// A later NotBefore undoes OmitNotBefore, and the reverse.
	c, err := base().OmitNotBefore().NotBefore(docsExampleTime.Add(time.Minute)).Claims()
	require.NoError(t, err)
	assert.Equal(t, docsExampleTime.Unix()+60, c.NotBefore)
	c, err = base().NotBefore(docsExampleTime.Add(time.Minute)).OmitNotBefore().Claims()
	require.NoError(t, err)
	assert.Zero(t, c.NotBefore)
}

func TestJWT_CustomIDAndMaxTTL(t *testing.T) {
	c, err := base().ID("token-123").TTL(MaxTTL).Claims()
	require.NoError(t, err)
	assert.Equal(t, "token-123", c.ID)
	assert.Equal(t, int64(24*3600), c.ExpiresAt-c.IssuedAt)
}

func TestJWT_UsesTheClock(t *testing.T) {
	before := time.Now().Unix()
	c, err := base().Clock(nil).Claims()
	require.NoError(t, err)
	after := time.Now().Unix()
	assert.GreaterOrEqual(t, c.IssuedAt, before)
	assert.LessOrEqual(t, c.IssuedAt, after)
}

func TestJWT_InvalidInput(t *testing.T) {
	cases := []struct {
		name string
		b    Builder
		err  error
	}{
		{"no identity", base().Identity(""), ErrMissingIdentity},
		{"identity not UTF-8", base().Identity("al\xffce"), ErrMissingIdentity},
		{"TTL over 24h", base().TTL(MaxTTL + time.Second), ErrInvalidTTL},
		{"TTL 25h", base().TTL(25 * time.Hour), ErrInvalidTTL},
		{"negative TTL", base().TTL(-time.Minute), ErrInvalidTTL},
		{"sub-second TTL", base().TTL(500 * time.Millisecond), ErrInvalidTTL},
		{"empty secret", New(accountSID, apiKeySID, "").Identity("a").ChatGrant(ChatGrant{ServiceSID: serviceSID}), ErrEmptySecret},
		{"empty account SID", New("", apiKeySID, secret).Identity("a").ChatGrant(ChatGrant{ServiceSID: serviceSID}), ErrInvalidSID},
		{"account SID with wrong prefix", New("SK0123456789abcdef0123456789abcdef", apiKeySID, secret).Identity("a").ChatGrant(ChatGrant{ServiceSID: serviceSID}), ErrInvalidSID},
		{"short account SID", New("AC0123", apiKeySID, secret).Identity("a").ChatGrant(ChatGrant{ServiceSID: serviceSID}), ErrInvalidSID},
		{"non-hex API key SID", New(accountSID, "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", secret).Identity("a").ChatGrant(ChatGrant{ServiceSID: serviceSID}), ErrInvalidSID},
		{"account SID as API key", New(accountSID, accountSID, secret).Identity("a").ChatGrant(ChatGrant{ServiceSID: serviceSID}), ErrInvalidSID},
		{"no chat grant", New(accountSID, apiKeySID, secret).Identity("a"), ErrMissingChatGrant},
		{"chat grant without service", base().ChatGrant(ChatGrant{EndpointID: "x"}), ErrInvalidSID},
		{"bad service SID", base().ChatGrant(ChatGrant{ServiceSID: "MG0123456789abcdef0123456789abcdef"}), ErrInvalidSID},
		{"bad push credential SID", base().ChatGrant(ChatGrant{ServiceSID: serviceSID, PushCredentialSID: "CRnothex"}), ErrInvalidSID},
		{"bad role SID", base().ChatGrant(ChatGrant{ServiceSID: serviceSID, DeploymentRoleSID: "IS0123456789abcdef0123456789abcdef"}), ErrInvalidSID},
		{"nbf at expiry", base().NotBefore(docsExampleTime.Add(DefaultTTL)), ErrInvalidNotBefore},
		{"nbf after expiry", base().NotBefore(docsExampleTime.Add(48 * time.Hour)), ErrInvalidNotBefore},
		{"region with a space", base().Region("us 1"), ErrInvalidRegion},
		{"region with a dot", base().Region("us1.example"), ErrInvalidRegion},
		{"region not ASCII", base().Region("ü1"), ErrInvalidRegion},
		{"region too long", base().Region(strings.Repeat("a", 33)), ErrInvalidRegion},
		{"token over MaxTokenSize", base().Identity(strings.Repeat("a", MaxTokenSize)), ErrTokenTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := c.b.JWT()
			assert.ErrorIs(t, err, c.err)
			assert.Empty(t, tok)
		})
	}
}

func TestBuilder_IsAValue(t *testing.T) {
	tmpl := New(accountSID, apiKeySID, secret).ChatGrant(ChatGrant{ServiceSID: serviceSID}).Clock(fixed(docsExampleTime))
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tok, err := tmpl.Identity(string(rune('a' + i))).JWT()
			if !assert.NoError(t, err) {
				return
			}
			pt, err := Parse(tok, secret)
			if assert.NoError(t, err) {
				ids[i] = pt.Claims.Grants.Identity
			}
		}(i)
	}
	wg.Wait()
	assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g", "h"}, ids)
	_, err := tmpl.JWT()
	assert.ErrorIs(t, err, ErrMissingIdentity, "the template is unchanged")

	// Changing the grant passed in does not change the builder.
	g := ChatGrant{ServiceSID: serviceSID}
	b := base().ChatGrant(g)
	g.ServiceSID = "bad"
	_, err = b.JWT()
	assert.NoError(t, err)
}

func TestParse(t *testing.T) {
	tok, err := base().NotBefore(docsExampleTime).JWT()
	require.NoError(t, err)
	pt, err := Parse(tok, secret)
	require.NoError(t, err)
	c := pt.Claims
	want, err := base().NotBefore(docsExampleTime).Claims()
	require.NoError(t, err)
	assert.Equal(t, want, c)
	assert.Equal(t, Header{Type: "JWT", Algorithm: "HS256", ContentType: "twilio-fpa;v=1"}, pt.Header)
	assert.JSONEq(t, `{"identity":"alice@example.com","chat":{"service_sid":"`+serviceSID+`"}}`, string(pt.RawGrants))
	assert.True(t, c.ValidAt(docsExampleTime))
	assert.True(t, c.ValidAt(docsExampleTime.Add(59*time.Minute)))
	assert.False(t, c.ValidAt(docsExampleTime.Add(time.Hour)))
	assert.False(t, c.ValidAt(docsExampleTime.Add(-time.Second)))

	parts := strings.Split(tok, ".")
	_, err = Parse(tok, "wrong-secret")
	assert.ErrorIs(t, err, ErrBadSignature)
	_, err = Parse(tok, "")
	assert.ErrorIs(t, err, ErrBadSignature)

	// Tampered payload: identity changed, signature kept.
	forged := strings.Replace(mustDecode(t, parts[1]), "alice@example.com", "admin@example.com", 1)
	_, err = Parse(parts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(forged))+"."+parts[2], secret)
	assert.ErrorIs(t, err, ErrBadSignature)

	// alg none and other headers are refused before any signature check.
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"none","cty":"twilio-fpa;v=1"}`))
	_, err = Parse(none+"."+parts[1]+".", secret)
	assert.ErrorIs(t, err, ErrMalformedToken)

	_, err = Parse("a.b", secret)
	assert.ErrorIs(t, err, ErrMalformedToken)
	_, err = Parse("!!!."+parts[1]+"."+parts[2], secret)
	assert.ErrorIs(t, err, ErrMalformedToken)

	// The document's own example has the right header; its secret is not
	// published, so its signature does not verify with ours.
	_, err = Parse(docsExampleToken, secret)
	assert.ErrorIs(t, err, ErrBadSignature)
}

func mustDecode(t *testing.T, s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return string(b)
}

func TestConstants(t *testing.T) {
	assert.Equal(t, time.Hour, DefaultTTL)
	assert.Equal(t, 24*time.Hour, MaxTTL)
	assert.Equal(t, "JWT", HeaderType)
	assert.Equal(t, "HS256", HeaderAlgorithm)
	assert.Equal(t, "twilio-fpa;v=1", HeaderContentType)
}
