package accesstoken

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The access-token tests of Twilio's seven official helper libraries, one
// row per case that applies to a Conversations token. Each row names its
// source as "repo file: test name". The libraries' tests use placeholder
// SIDs (AC123, SK123, IS123, RL123, Role123, SS123, SR...) that this
// package refuses: Builder checks every SID against its documented format
// before signing. The rows keep each case's inputs and expectations with
// well-formed SIDs of the same kind in their place.
//
// Rows this package does not follow, and why:
//   - tokens without a chat grant or without an identity (twilio-node
//     "should create a token without any grants", twilio-python
//     test_empty_grants, twilio-java testEmptyToken, twilio-csharp
//     TestBuildToken, twilio-ruby "should generate a token for no grants",
//     twilio-php testEmptyGrants): "Access Tokens" says the Conversations
//     SDK requires a ChatGrant, so the Builder refuses such a token with
//     ErrMissingChatGrant (see the rows marked "not followed"); the rest of
//     each of those cases (jti, iss, sub, exp, nbf) is checked on a token
//     that has the grant.
//   - HS384/HS512 (twilio-node "should accept different algorithms"):
//     "Access Tokens" requires alg HS256, so the Builder only signs HS256
//     and Parse refuses the others.
//   - grants for other products (video, voice, sync, task router, playback,
//     rtc): out of this package's scope; Parse keeps them in RawGrants.

// t0 is the issue time of every row's token.
var t0 = time.Unix(1700000000, 0)

const (
	vecIdentity = "ID@example.com"
	vecSecret   = "secret"
)

// vecBase is the starting point of every row: the constructor arguments of
// the libraries' tests (account, key, "secret"), an identity and a chat
// grant, issued at t0.
func vecBase() Builder {
	return New(accountSID, apiKeySID, vecSecret).
		Identity(vecIdentity).
		ChatGrant(ChatGrant{ServiceSID: serviceSID}).
		Clock(fixed(t0))
}

type tokenVector struct {
	src   string
	build func(Builder) Builder
	err   error
	check func(t *testing.T, tk Token)
}

func same(b Builder) Builder { return b }

func grantsJSON(t *testing.T, tk Token) string {
	t.Helper()
	return string(tk.RawGrants)
}

func tokenVectors() []tokenVector {
	const (
		node = "twilio/twilio-node spec/unit/jwt/AccessToken.spec.js: "
		py   = "twilio/twilio-python tests/unit/jwt/test_access_token.py: "
		java = "twilio/twilio-java src/test/java/com/twilio/jwt/accesstoken/AccessTokenTest.java: "
		cs   = "twilio/twilio-csharp test/Twilio.Test/Jwt/AccessToken/AccessTokenTest.cs: "
		rb   = "twilio/twilio-ruby spec/jwt/access_token_spec.rb: "
		php  = "twilio/twilio-php tests/Twilio/Unit/Jwt/AccessTokenTest.php: "
		gol  = "twilio/twilio-go client/jwt/access_token_test.go: "
	)
	noTwr := func(t *testing.T, tk Token) {
		assert.Equal(t, Header{Type: "JWT", Algorithm: "HS256", ContentType: "twilio-fpa;v=1"}, tk.Header)
	}
	twr := func(region string) func(t *testing.T, tk Token) {
		return func(t *testing.T, tk Token) {
			assert.Equal(t, Header{Type: "JWT", Algorithm: "HS256", ContentType: "twilio-fpa;v=1", Region: region}, tk.Header)
		}
	}
	defaults := func(t *testing.T, tk Token) {
		c := tk.Claims
		assert.Equal(t, apiKeySID+"-1700000000", c.ID, "jti")
		assert.True(t, strings.HasPrefix(c.ID, c.Issuer), "jti starts with iss")
		assert.Equal(t, apiKeySID, c.Issuer, "iss")
		assert.Equal(t, accountSID, c.Subject, "sub")
		assert.Equal(t, int64(3600), c.ExpiresAt-c.IssuedAt, "exp - iat")
		assert.Greater(t, c.ExpiresAt, t0.Unix(), "exp in the future")
	}
	nbfIs := func(want int64) func(t *testing.T, tk Token) {
		return func(t *testing.T, tk Token) {
			assert.Equal(t, want, tk.Claims.NotBefore)
			assert.Greater(t, tk.Claims.ExpiresAt, tk.Claims.NotBefore)
		}
	}
	withNbf := func(ts int64) func(Builder) Builder {
		return func(b Builder) Builder { return b.NotBefore(time.Unix(ts, 0)) }
	}
	region := func(r string) func(Builder) Builder {
		return func(b Builder) Builder { return b.Region(r) }
	}
	chat := func(g ChatGrant) func(Builder) Builder {
		return func(b Builder) Builder { return b.ChatGrant(g) }
	}
	chatJSON := func(want string) func(t *testing.T, tk Token) {
		return func(t *testing.T, tk Token) {
			assert.JSONEq(t, `{"identity":"`+vecIdentity+`","chat":`+want+`}`, grantsJSON(t, tk))
		}
	}
	full := ChatGrant{ServiceSID: serviceSID, EndpointID: "endpointId", PushCredentialSID: credSid, DeploymentRoleSID: roleSid}
	fullJSON := `{"service_sid":"` + serviceSID + `","deployment_role_sid":"` + roleSid + `","endpoint_id":"endpointId","push_credential_sid":"` + credSid + `"}`
	noChat := func(b Builder) Builder {
		return New(accountSID, apiKeySID, vecSecret).Identity(vecIdentity).Clock(fixed(t0))
	}

	return []tokenVector{
		// twilio-node
		{node + "constructor should require accountSid", func(b Builder) Builder {
			return New("", apiKeySID, vecSecret).Identity("foo").ChatGrant(ChatGrant{ServiceSID: serviceSID})
		}, ErrInvalidSID, nil},
		{node + "constructor should require keySid", func(b Builder) Builder {
			return New(accountSID, "", vecSecret).Identity("foo").ChatGrant(ChatGrant{ServiceSID: serviceSID})
		}, ErrInvalidSID, nil},
		{node + "constructor should require secret", func(b Builder) Builder {
			return New(accountSID, apiKeySID, "").Identity("foo").ChatGrant(ChatGrant{ServiceSID: serviceSID})
		}, ErrEmptySecret, nil},
		{node + "constructor should require identity", func(b Builder) Builder { return b.Identity("") }, ErrMissingIdentity, nil},
		{node + "home region should add twr header when region is provided", region("foo"), nil, twr("foo")},
		{node + "home region should not add twr header if region is ", region(""), nil, noTwr},
		{node + "should generate the correct headers", same, nil, noTwr},
		{node + "should create a token without any grants (not followed: a chat grant is required)", noChat, ErrMissingChatGrant, nil},
		{node + "should create a token without any grants (jti, iss, sub, exp - iat)", same, nil, defaults},
		{node + "should accept nbf", withNbf(t0.Unix()), nil, nbfIs(t0.Unix())},
		{node + "should accept user defined ttl", func(b Builder) Builder { return b.TTL(100 * time.Second) }, nil,
			func(t *testing.T, tk Token) { assert.Equal(t, int64(100), tk.Claims.ExpiresAt-tk.Claims.IssuedAt) }},
		{node + "should create token with chat grant", chat(full), nil, chatJSON(fullJSON)},
		{node + "ChatGrant toPayload should set properties in the constructor", chat(full), nil, chatJSON(fullJSON)},
		{node + "ChatGrant toPayload should only populate set properties (service and role)",
			chat(ChatGrant{ServiceSID: serviceSID, DeploymentRoleSID: roleSid}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","deployment_role_sid":"` + roleSid + `"}`)},
		{node + "ChatGrant toPayload should only populate set properties (service, role, endpoint)",
			chat(ChatGrant{ServiceSID: serviceSID, DeploymentRoleSID: roleSid, EndpointID: "endpointId"}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","deployment_role_sid":"` + roleSid + `","endpoint_id":"endpointId"}`)},
		{node + "ChatGrant toPayload should only populate set properties (endpoint unset, push credential set)",
			chat(ChatGrant{ServiceSID: serviceSID, DeploymentRoleSID: roleSid, PushCredentialSID: credSid}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","deployment_role_sid":"` + roleSid + `","push_credential_sid":"` + credSid + `"}`)},

		// twilio-python
		{py + "test_empty_grants (not followed: a chat grant is required)", noChat, ErrMissingChatGrant, nil},
		{py + "test_empty_grants (claims)", same, nil, defaults},
		{py + "test_region", region("foo"), nil, twr("foo")},
		{py + "test_empty_region", same, nil, noTwr},
		{py + "test_nbf", withNbf(t0.Unix()), nil, nbfIs(t0.Unix())},
		{py + "test_headers", same, nil, noTwr},
		{py + "test_identity", func(b Builder) Builder { return b.Identity("test@twilio.com") }, nil,
			func(t *testing.T, tk Token) { assert.Equal(t, "test@twilio.com", tk.Claims.Grants.Identity) }},
		{py + "test_chat_grant", chat(ChatGrant{ServiceSID: serviceSID, PushCredentialSID: credSid}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","push_credential_sid":"` + credSid + `"}`)},

		// twilio-java
		{java + "testEmptyToken (not followed: a chat grant is required)", noChat, ErrMissingChatGrant, nil},
		{java + "testEmptyToken (claims)", same, nil, defaults},
		{java + "testOptionalValues", withNbf(t0.Unix() - 1), nil, nbfIs(t0.Unix() - 1)},
		{java + "testRegion", region("foo"), nil, twr("foo")},
		{java + "testEmptyRegion", same, nil, noTwr},
		{java + "testChatGrant", chat(ChatGrant{ServiceSID: serviceSID, EndpointID: "foobar", PushCredentialSID: credSid, DeploymentRoleSID: roleSid}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","deployment_role_sid":"` + roleSid + `","endpoint_id":"foobar","push_credential_sid":"` + credSid + `"}`)},
		{java + "testNullValues", chat(ChatGrant{ServiceSID: serviceSID, DeploymentRoleSID: roleSid}), nil,
			func(t *testing.T, tk Token) {
				assert.Equal(t, roleSid, tk.Claims.Grants.Chat.DeploymentRoleSID)
				assert.NotContains(t, grantsJSON(t, tk), "endpoint_id")
			}},

		// twilio-csharp
		{cs + "TestBuildToken (not followed: grants {} without a chat grant)", noChat, ErrMissingChatGrant, nil},
		{cs + "TestBuildToken (iss, sub, exp)", same, nil, defaults},
		{cs + "TestHaveRegion", region("foo"), nil, twr("foo")},
		{cs + "TestEmptyRegion", same, nil, noTwr},
		{cs + "TestHaveNbf", withNbf(t0.Unix()), nil, nbfIs(t0.Unix())},
		{cs + "TestCreateChatGrant", chat(ChatGrant{ServiceSID: serviceSID}), nil, chatJSON(`{"service_sid":"` + serviceSID + `"}`)},

		// twilio-ruby
		{rb + "should generate a token for no grants (not followed: a chat grant is required)", noChat, ErrMissingChatGrant, nil},
		{rb + "should generate a token for no grants (claims; nbf by default, not after now)", same, nil, func(t *testing.T, tk Token) {
			defaults(t, tk)
			assert.Equal(t, t0.Unix(), tk.Claims.NotBefore)
		}},
		{rb + "should add the proper headers without region", same, nil, noTwr},
		{rb + "should add the proper headers with region", region("foo"), nil, twr("foo")},
		{rb + "identity should exist in the grants", func(b Builder) Builder { return b.Identity("test-identity") }, nil,
			func(t *testing.T, tk Token) { assert.Equal(t, "test-identity", tk.Claims.Grants.Identity) }},
		{rb + "Chat grant", chat(ChatGrant{ServiceSID: serviceSID, EndpointID: "EP123", DeploymentRoleSID: roleSid, PushCredentialSID: credSid}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","deployment_role_sid":"` + roleSid + `","endpoint_id":"EP123","push_credential_sid":"` + credSid + `"}`)},

		// twilio-php
		{php + "testEmptyGrants (not followed: a chat grant is required)", noChat, ErrMissingChatGrant, nil},
		{php + "testEmptyGrants (claims: jti starts with iss-)", same, nil, func(t *testing.T, tk Token) {
			defaults(t, tk)
			assert.True(t, strings.HasPrefix(tk.Claims.ID, tk.Claims.Issuer+"-"))
		}},
		{php + "testMissingRegion", same, nil, noTwr},
		{php + "testValidRegion", region("foo"), nil, twr("foo")},
		{php + "testNbf", withNbf(t0.Unix()), nil, nbfIs(t0.Unix())},
		{php + "testChatGrant", chat(ChatGrant{ServiceSID: serviceSID, EndpointID: "EP123"}), nil,
			chatJSON(`{"service_sid":"` + serviceSID + `","endpoint_id":"EP123"}`)},

		// twilio-go
		{gol + "TestAccessTokenSimple", withNbf(3600), nil, nbfIs(3600)},
		{gol + "TestAccessTokenHeaders", func(b Builder) Builder { return b.Region("US").TTL(50 * time.Second) }, nil, func(t *testing.T, tk Token) {
			twr("US")(t, tk)
			assert.Equal(t, t0.Unix(), tk.Claims.NotBefore, "nbf 0 means now")
		}},
		{gol + "TestParams", func(b Builder) Builder { return b.Region("US").NotBefore(t0).TTL(7200 * time.Second) }, nil, func(t *testing.T, tk Token) {
			nbfIs(t0.Unix())(t, tk)
			assert.Equal(t, int64(7200), tk.Claims.ExpiresAt-tk.Claims.IssuedAt)
		}},
		{gol + "TestAccessTokenPayload", func(b Builder) Builder { return b.Region("US").NotBefore(time.Unix(360, 0)) }, nil, func(t *testing.T, tk Token) {
			nbfIs(360)(t, tk)
			assert.Contains(t, tk.Claims.ID, tk.Claims.Issuer)
			assert.Equal(t, "US", tk.Header.Region)
		}},
		{gol + "TestHeaders", same, nil, noTwr},
		{gol + "TestChatGrant", func(b Builder) Builder {
			return b.Identity("identity").Region("US").NotBefore(time.Unix(3600, 0)).
				ChatGrant(ChatGrant{ServiceSID: serviceSID, EndpointID: "Endpoint123", DeploymentRoleSID: roleSid, PushCredentialSID: credSid})
		}, nil, func(t *testing.T, tk Token) {
			assert.JSONEq(t, `{"identity":"identity","chat":{"service_sid":"`+serviceSID+`","endpoint_id":"Endpoint123","deployment_role_sid":"`+roleSid+`","push_credential_sid":"`+credSid+`"}}`, grantsJSON(t, tk))
		}},
		{"twilio/twilio-go client/jwt/jwt_test.go: TestGetPayload (nbf set by default)", same, nil, nbfIs(t0.Unix())},
	}
}

func TestOfficialLibraryTokenVectors(t *testing.T) {
	perLib := map[string][2]int{}
	for _, v := range tokenVectors() {
		lib := v.src[:strings.Index(v.src, " ")]
		n := perLib[lib]
		n[0]++
		ok := t.Run(v.src, func(t *testing.T) {
			tok, err := v.build(vecBase()).JWT()
			if v.err != nil {
				assert.ErrorIs(t, err, v.err)
				assert.Empty(t, tok)
				return
			}
			require.NoError(t, err)
			tk, err := Parse(tok, vecSecret)
			require.NoError(t, err)
			v.check(t, tk)
		})
		if ok {
			n[1]++
		}
		perLib[lib] = n
	}
	for lib, n := range perLib {
		t.Logf("%-22s %3d ported, %3d pass", lib, n[0], n[1])
	}
	assert.Len(t, perLib, 7)
}

// signed builds a token from a raw header and payload, as another library
// would, signed with HS256 and secret.
func signed(header, payload, secret string) string {
	in := b64([]byte(header)) + "." + b64([]byte(payload))
	return in + "." + b64(sign(secret, in))
}

// Tokens in the exact shape each official library emits (header members,
// claims present or absent, placeholder SIDs, numbers as they print them)
// parse, and their fields come out as the library set them.
func TestParse_TokensShapedByTheOfficialLibraries(t *testing.T) {
	cases := []struct {
		src, header, payload string
		check                func(t *testing.T, tk Token)
	}{
		{"twilio/twilio-node src/jwt/AccessToken.ts (jsonwebtoken: iat, no nbf, twr)",
			`{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1","twr":"foo"}`,
			`{"jti":"SKb5aed9ca12bf5890f37930e63cad6d38-1700000000","grants":{"identity":"ID@example.com","chat":{"service_sid":"SRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","deployment_role_sid":"RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","endpoint_id":"endpointId","push_credential_sid":"CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}},"iat":1700000000,"exp":1700003600,"iss":"SKb5aed9ca12bf5890f37930e63cad6d38","sub":"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`,
			func(t *testing.T, tk Token) {
				assert.Equal(t, "foo", tk.Header.Region)
				assert.Equal(t, int64(1700000000), tk.Claims.IssuedAt)
				assert.Zero(t, tk.Claims.NotBefore)
				assert.Equal(t, "endpointId", tk.Claims.Grants.Chat.EndpointID)
				assert.Equal(t, "SRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", tk.Claims.Grants.Chat.ServiceSID)
			}},
		{"twilio/twilio-python twilio/jwt (no iat, nbf now, twr)",
			`{"alg":"HS256","cty":"twilio-fpa;v=1","twr":"foo","typ":"JWT"}`,
			`{"jti":"SK123-1700000000","grants":{"chat":{"service_sid":"IS123","push_credential_sid":"CR123"},"identity":"test@twilio.com"},"iss":"SK123","exp":1700003600,"nbf":1700000000,"sub":"AC123"}`,
			func(t *testing.T, tk Token) {
				assert.Zero(t, tk.Claims.IssuedAt)
				assert.Equal(t, int64(1700000000), tk.Claims.NotBefore)
				assert.Equal(t, ChatGrant{ServiceSID: "IS123", PushCredentialSID: "CR123"}, *tk.Claims.Grants.Chat)
				assert.Equal(t, "SK123", tk.Claims.Issuer)
				assert.Equal(t, "AC123", tk.Claims.Subject)
			}},
		{"twilio/twilio-go client/jwt (nbf, numbers from float64, twr US)",
			`{"alg":"HS256","cty":"twilio-fpa;v=1","twr":"US","typ":"JWT"}`,
			`{"exp":1700003600,"grants":{"identity":"identity","ip_messaging":{"deployment_role_sid":"Role123","endpoint_id":"Endpoint123","push_credential_sid":"CR123","service_sid":"IS123"}},"iss":"SK123","jti":"SK123-1700000000","nbf":3600,"sub":"AC123"}`,
			func(t *testing.T, tk Token) {
				assert.Equal(t, "US", tk.Header.Region)
				assert.Equal(t, int64(3600), tk.Claims.NotBefore)
				require.NotNil(t, tk.Claims.Grants.IPMessaging)
				assert.Equal(t, "Role123", tk.Claims.Grants.IPMessaging.DeploymentRoleSID)
				assert.Nil(t, tk.Claims.Grants.Chat)
			}},
		{"twilio/twilio-php src/Twilio/Jwt/AccessToken.php (custom claims, no nbf)",
			`{"typ":"JWT","alg":"HS256","cty":"twilio-fpa;v=1"}`,
			`{"claim1":"value1","jti":"SK123-1700000000","iss":"SK123","sub":"AC123","exp":1700003600,"grants":{"chat":{"endpoint_id":"EP123","service_sid":"IS123"}}}`,
			func(t *testing.T, tk Token) {
				assert.Equal(t, "", tk.Claims.Grants.Identity)
				assert.Equal(t, "EP123", tk.Claims.Grants.Chat.EndpointID)
				assert.Zero(t, tk.Claims.NotBefore)
			}},
		{"twilio/twilio-csharp src/Twilio/JWT (grants {}, no region)",
			`{"cty":"twilio-fpa;v=1","alg":"HS256","typ":"JWT"}`,
			`{"jti":"SK123-1700000000","iss":"SK123","sub":"AC456","exp":1700003600,"grants":{}}`,
			func(t *testing.T, tk Token) {
				assert.Equal(t, "", tk.Header.Region)
				assert.JSONEq(t, `{}`, string(tk.RawGrants))
			}},
		{"twilio/twilio-java src/main/java/com/twilio/jwt (video grant kept raw)",
			`{"cty":"twilio-fpa;v=1","typ":"JWT","alg":"HS256","twr":"foo"}`,
			`{"iss":"SK123","sub":"AC123","exp":1700003600,"jti":"SK123-1700000000","grants":{"video":{"room":"RM123"}}}`,
			func(t *testing.T, tk Token) {
				assert.JSONEq(t, `{"video":{"room":"RM123"}}`, string(tk.RawGrants))
			}},
		{"twilio/twilio-ruby lib/twilio-ruby/jwt (nbf by default)",
			`{"typ":"JWT","alg":"HS256","cty":"twilio-fpa;v=1"}`,
			`{"jti":"SK123-1700000000","grants":{"identity":"test-identity"},"iss":"SK123","nbf":1700000000,"exp":1700003600,"sub":"AC123"}`,
			func(t *testing.T, tk Token) {
				assert.Equal(t, "test-identity", tk.Claims.Grants.Identity)
				assert.True(t, tk.Claims.ValidAt(time.Unix(1700000000, 0)))
			}},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			tk, err := Parse(signed(c.header, c.payload, vecSecret), vecSecret)
			require.NoError(t, err)
			c.check(t, tk)
			_, err = Parse(signed(c.header, c.payload, vecSecret), "other-secret")
			assert.ErrorIs(t, err, ErrBadSignature)
		})
	}

	// twilio-node "should accept different algorithms": not followed.
	for _, alg := range []string{"HS384", "HS512"} {
		_, err := Parse(signed(`{"alg":"`+alg+`","typ":"JWT","cty":"twilio-fpa;v=1"}`, `{"iss":"SK123"}`, vecSecret), vecSecret)
		assert.ErrorIs(t, err, ErrMalformedToken, alg)
	}
}

// The example token of "Access Tokens" (https://www.twilio.com/docs/iam/access-tokens,
// "Anatomy of an Access Token"): its secret is not published, so Parse
// reports a bad signature, and ParseUnverified reads it.
func TestParseUnverified_DocumentedExample(t *testing.T) {
	_, err := Parse(docsExampleToken, secret)
	assert.ErrorIs(t, err, ErrBadSignature)

	tk, err := ParseUnverified(docsExampleToken)
	require.NoError(t, err)
	assert.Equal(t, Header{Type: "JWT", Algorithm: "HS256", ContentType: "twilio-fpa;v=1"}, tk.Header)
	assert.Equal(t, Claims{
		ID:        "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-1450471147",
		Issuer:    "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		Subject:   "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		NotBefore: 1450471147,
		ExpiresAt: 1450474747,
		Grants: Grants{
			Identity: "user@example.com",
			IPMessaging: &ChatGrant{
				ServiceSID: "ISxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				EndpointID: "HipFlowSlackDockRC:user@example.com:someiosdevice",
			},
		},
	}, tk.Claims)

	// The builder reproduces its shape: with the same clock, nbf and exp
	// agree, and jti has the same form.
	c, err := New(accountSID, apiKeySID, secret).Identity("user@example.com").
		ChatGrant(ChatGrant{ServiceSID: serviceSID}).Clock(fixed(docsExampleTime)).Claims()
	require.NoError(t, err)
	assert.Equal(t, tk.Claims.NotBefore, c.NotBefore)
	assert.Equal(t, tk.Claims.ExpiresAt, c.ExpiresAt)
	assert.Equal(t, apiKeySID+"-1450471147", c.ID)

	for _, bad := range []string{"", "a.b", "a.b.c.d", "!!!.e30.e30"} {
		_, err := ParseUnverified(bad)
		assert.ErrorIs(t, err, ErrMalformedToken, bad)
	}
}
