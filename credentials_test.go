package conversations

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testCredentialSID = "CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

	// Made-up secrets: each must never show up in printed params.
	testCredentialCertificate = "-----BEGIN CERTIFICATE----- MIIcertSECRETcert -----END CERTIFICATE-----"
	testCredentialPrivateKey  = "-----BEGIN RSA PRIVATE KEY----- MIIkeySECRETkey -----END RSA PRIVATE KEY-----"
	testCredentialAPIKey      = "AIzaSyAPIKEYsecret0123456789"
	testCredentialSecret      = "AAAAserverKEYsecret:APA91b-0123456789"
)

// testCredentialSecrets lists every secret value used in these tests.
var testCredentialSecrets = []string{testCredentialCertificate, testCredentialPrivateKey, testCredentialAPIKey, testCredentialSecret}

func TestCredentialsCreate(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateCredential_create"))
	got, err := c.Credentials.Create(context.Background(), &CredentialCreateParams{
		Type:         CredentialTypeAPN,
		FriendlyName: Ptr("Test slow create"),
		Certificate:  Ptr(testCredentialCertificate),
		PrivateKey:   Ptr(testCredentialPrivateKey),
		Sandbox:      Ptr(false),
		APIKey:       Ptr(testCredentialAPIKey),
		Secret:       Ptr(testCredentialSecret),
	})
	require.NoError(t, err)
	r := rec.last(t)
	assertWire(t, r, "POST", "/v1/Credentials", nil, url.Values{
		"Type":         {"apn"},
		"FriendlyName": {"Test slow create"},
		"Certificate":  {testCredentialCertificate},
		"PrivateKey":   {testCredentialPrivateKey},
		"Sandbox":      {"false"},
		"ApiKey":       {testCredentialAPIKey},
		"Secret":       {testCredentialSecret},
	})
	assert.Empty(t, r.Header.Get("X-Twilio-Webhook-Enabled"))
	assert.Equal(t, decodeGolden[Credential](t, "CreateCredential_create"), got)
	assert.Equal(t, testCredentialSID, got.SID)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, CredentialTypeAPN, got.Type)
	assert.False(t, bool(got.Sandbox))
	assert.Equal(t, time.Date(2015, 10, 7, 17, 50, 1, 0, time.UTC), got.DateCreated)
	assert.Equal(t, "https://conversations.twilio.com/v1/Credentials/"+testCredentialSID, got.URL)
}

func TestCredentialsCreatePushTypes(t *testing.T) {
	for _, tc := range []struct {
		golden string
		typ    CredentialType
		form   url.Values
		params CredentialCreateParams
	}{
		{"CreateCredential_createPushTypeGcm", CredentialTypeGCM, url.Values{"Type": {"gcm"}, "ApiKey": {testCredentialAPIKey}},
			CredentialCreateParams{Type: CredentialTypeGCM, APIKey: Ptr(testCredentialAPIKey)}},
		{"CreateCredential_createPushTypeFcm", CredentialTypeFCM, url.Values{"Type": {"fcm"}, "Secret": {testCredentialSecret}, "Sandbox": {"true"}},
			CredentialCreateParams{Type: CredentialTypeFCM, Secret: Ptr(testCredentialSecret), Sandbox: Ptr(true)}},
	} {
		t.Run(string(tc.typ), func(t *testing.T) {
			c, rec := newRecorder(t, 201, golden(t, tc.golden))
			got, err := c.Credentials.Create(context.Background(), &tc.params)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", "/v1/Credentials", nil, tc.form)
			assert.Equal(t, decodeGolden[Credential](t, tc.golden), got)
			// Both spec examples answer "gcm", even the FCM one.
			assert.Equal(t, CredentialTypeGCM, got.Type)
		})
	}
}

func TestCredentialsSandboxDecoding(t *testing.T) {
	for body, want := range map[string]bool{
		`{"sandbox":"True"}`:  true,
		`{"sandbox":"true"}`:  true,
		`{"sandbox":true}`:    true,
		`{"sandbox":"False"}`: false,
		`{"sandbox":null}`:    false,
		`{}`:                  false,
	} {
		c, _ := newRecorder(t, 200, body)
		got, err := c.Credentials.Fetch(context.Background(), testCredentialSID)
		require.NoError(t, err, body)
		assert.Equal(t, want, bool(got.Sandbox), body)
	}
	var cr Credential
	require.NoError(t, json.Unmarshal([]byte(`{"type":"hms"}`), &cr), "unknown enum values decode")
	assert.Equal(t, CredentialType("hms"), cr.Type)
}

func TestCredentialsFetch(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchCredential"))
	got, err := c.Credentials.Fetch(context.Background(), testCredentialSID)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Credentials/"+testCredentialSID, nil, nil)
	assert.Equal(t, decodeGolden[Credential](t, "FetchCredential"), got)
	assert.Equal(t, testCredentialSID, got.SID)
	assert.Equal(t, "Test slow create", got.FriendlyName)
	assert.Equal(t, CredentialTypeAPN, got.Type)
	assert.Equal(t, time.Date(2015, 10, 7, 17, 50, 1, 0, time.UTC), got.DateUpdated)
}

func TestCredentialsFetchEscapesSID(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchCredential"))
	_, err := c.Credentials.Fetch(context.Background(), "CR/../x y")
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Credentials/CR%2F..%2Fx%20y", nil, nil)
}

func TestCredentialsUpdate(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateCredential"))
	got, err := c.Credentials.Update(context.Background(), testCredentialSID, &CredentialUpdateParams{
		Type:         Ptr(CredentialTypeFCM),
		FriendlyName: Ptr(""),
		Certificate:  Ptr(testCredentialCertificate),
		PrivateKey:   Ptr(testCredentialPrivateKey),
		Sandbox:      Ptr(true),
		APIKey:       Ptr(testCredentialAPIKey),
		Secret:       Ptr(testCredentialSecret),
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Credentials/"+testCredentialSID, nil, url.Values{
		"Type":         {"fcm"},
		"FriendlyName": {""},
		"Certificate":  {testCredentialCertificate},
		"PrivateKey":   {testCredentialPrivateKey},
		"Sandbox":      {"true"},
		"ApiKey":       {testCredentialAPIKey},
		"Secret":       {testCredentialSecret},
	})
	assert.Equal(t, decodeGolden[Credential](t, "UpdateCredential"), got)
	assert.Equal(t, testCredentialSID, got.SID)
	assert.Equal(t, CredentialTypeAPN, got.Type)
}

func TestCredentialsUpdateNoParams(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "UpdateCredential"))
	_, err := c.Credentials.Update(context.Background(), testCredentialSID, nil)
	require.NoError(t, err)
	r := rec.last(t)
	assert.Equal(t, "POST", r.Method)
	assert.Empty(t, r.Body)
}

func TestCredentialsDelete(t *testing.T) {
	c, rec := newRecorder(t, 204, "")
	require.NoError(t, c.Credentials.Delete(context.Background(), testCredentialSID))
	assertWire(t, rec.last(t), "DELETE", "/v1/Credentials/"+testCredentialSID, nil, nil)
}

func TestCredentialsList(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListCredential_readFull"))
	page, err := c.Credentials.List(context.Background(), &CredentialListParams{ListParams: ListParams{PageSize: Ptr(100), Page: Ptr(0), PageToken: Ptr("PT123")}})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Credentials", url.Values{
		"PageSize":  {"100"},
		"Page":      {"0"},
		"PageToken": {"PT123"},
	}, nil)
	require.Len(t, page.Items, 1)
	assert.Equal(t, testCredentialSID, page.Items[0].SID)
	assert.Equal(t, CredentialTypeAPN, page.Items[0].Type)
	assert.False(t, bool(page.Items[0].Sandbox))
	assert.Equal(t, "credentials", page.Meta.Key)
	assert.Equal(t, 50, page.Meta.PageSize)
	assert.Equal(t, "https://conversations.twilio.com/v1/Credentials?PageSize=50&Page=0", page.Meta.FirstPageURL)
	assert.False(t, page.HasNextPage())
}

func TestCredentialsListEmpty(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListCredential_readEmpty"))
	page, err := c.Credentials.List(context.Background(), nil)
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Credentials", nil, nil)
	assert.Empty(t, page.Items)
	assert.Equal(t, "credentials", page.Meta.Key)
	assert.False(t, page.HasNextPage())
}

func TestCredentialsAll(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "ListCredential_readFull"))
	var sids []string
	for cr, err := range c.Credentials.All(context.Background(), &CredentialListParams{ListParams: ListParams{PageSize: Ptr(1)}}) {
		require.NoError(t, err)
		sids = append(sids, cr.SID)
	}
	assert.Equal(t, []string{testCredentialSID}, sids)
	assert.Equal(t, 1, rec.count())
	assertWire(t, rec.last(t), "GET", "/v1/Credentials", url.Values{"PageSize": {"1"}}, nil)
}

func TestCredentialsValidation(t *testing.T) {
	ctx := context.Background()
	c, rec := newRecorder(t, 200, "{}")
	s := c.Credentials
	_, err := s.Create(ctx, nil)
	assertNothingSent(t, rec, err, "Type")
	_, err = s.Create(ctx, &CredentialCreateParams{FriendlyName: Ptr("no type"), Secret: Ptr(testCredentialSecret)})
	assertNothingSent(t, rec, err, "Type")
	assert.NotContains(t, err.Error(), testCredentialSecret)
	_, err = s.Fetch(ctx, "")
	assertNothingSent(t, rec, err, "Sid")
	_, err = s.Update(ctx, "", &CredentialUpdateParams{FriendlyName: Ptr("x")})
	assertNothingSent(t, rec, err, "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, ""), "Sid")
	assertNothingSent(t, rec, s.Delete(ctx, "."), "Sid")
	_, err = s.List(ctx, &CredentialListParams{ListParams: ListParams{PageSize: Ptr(101)}})
	assertNothingSent(t, rec, err, "PageSize")
	_, err = s.List(ctx, &CredentialListParams{ListParams: ListParams{PageSize: Ptr(0)}})
	assertNothingSent(t, rec, err, "PageSize")
	n := 0
	for _, err := range s.All(ctx, &CredentialListParams{ListParams: ListParams{Page: Ptr(-1)}}) {
		n++
		assertNothingSent(t, rec, err, "Page")
	}
	assert.Equal(t, 1, n)
}

// credentialParamsPrinted returns every way the tests print a params value.
func credentialParamsPrinted(v any) map[string]string {
	type wrapper struct {
		Name   string
		Params any
	}
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["nested "+verb] = fmt.Sprintf(verb, wrapper{Name: "w", Params: v})
		out["slice "+verb] = fmt.Sprintf(verb, []any{v})
	}
	j, _ := json.Marshal(v)
	out["json"] = string(j)
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("params", "p", v)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("params", "p", v)
	out["slog"] = buf.String()
	return out
}

func TestCredentialsParamsRedactSecrets(t *testing.T) {
	create := CredentialCreateParams{
		Type:         CredentialTypeAPN,
		FriendlyName: Ptr("visible-name"),
		Certificate:  Ptr(testCredentialCertificate),
		PrivateKey:   Ptr(testCredentialPrivateKey),
		Sandbox:      Ptr(true),
		APIKey:       Ptr(testCredentialAPIKey),
		Secret:       Ptr(testCredentialSecret),
	}
	update := CredentialUpdateParams{
		Type:         Ptr(CredentialTypeFCM),
		FriendlyName: Ptr("visible-name"),
		Certificate:  Ptr(testCredentialCertificate),
		PrivateKey:   Ptr(testCredentialPrivateKey),
		Sandbox:      Ptr(false),
		APIKey:       Ptr(testCredentialAPIKey),
		Secret:       Ptr(testCredentialSecret),
	}
	for name, v := range map[string]any{"create": create, "*create": &create, "update": update, "*update": &update} {
		t.Run(name, func(t *testing.T) {
			printed := credentialParamsPrinted(v)
			assert.Equal(t, 8, strings.Count(printed["slog"], "[REDACTED]"), "slog JSON and text handlers use LogValue")
			for how, s := range printed {
				for _, secret := range testCredentialSecrets {
					assert.NotContains(t, s, secret, how)
				}
				// No fragment of a secret either.
				assert.NotContains(t, s, "SECRET", how)
				assert.NotContains(t, s, "secret0123", how)
			}
			assert.Contains(t, printed["json"], "visible-name", "json shows what is not secret")
		})
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("params", "p", &create)
	assert.Contains(t, buf.String(),
		`conversations.CredentialCreateParams{Type:\"apn\", FriendlyName:\"visible-name\", Certificate:[REDACTED], PrivateKey:[REDACTED], Sandbox:true, APIKey:[REDACTED], Secret:[REDACTED]}`)
	buf.Reset()
	slog.New(slog.NewTextHandler(&buf, nil)).Info("params", "p", CredentialUpdateParams{APIKey: Ptr("")})
	assert.Contains(t, buf.String(),
		`conversations.CredentialUpdateParams{Type:<nil>, FriendlyName:<nil>, Certificate:<nil>, PrivateKey:<nil>, Sandbox:<nil>, APIKey:[REDACTED], Secret:<nil>}`,
		"an empty secret is redacted too; unset fields show <nil>")
	// Redaction is for printing only: the wire still carries the secrets
	// (see TestCredentialsCreate), and the caller's struct is untouched.
	assert.Equal(t, testCredentialSecret, *create.Secret)
}

// TestParamsJSONNeverPrintsSecrets: json.Marshal of the credential params
// leaves the secret fields out.
func TestParamsJSONNeverPrintsSecrets(t *testing.T) {
	const s = "secret-never-in-json"
	for _, p := range []any{
		CredentialCreateParams{Certificate: Ptr(s), PrivateKey: Ptr(s), APIKey: Ptr(s), Secret: Ptr(s)},
		CredentialUpdateParams{Certificate: Ptr(s), PrivateKey: Ptr(s), APIKey: Ptr(s), Secret: Ptr(s)},
	} {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		assert.NotContains(t, string(b), s, "%T", p)
	}
}

func TestClientFlexBool(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`true`, true},
		{`false`, false},
		{`"True"`, true},
		{`"False"`, false},
		{`"true"`, true},
		{`"false"`, false},
		{`"TRUE"`, true},
		{`null`, false},
		{`""`, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			v := Credential{Sandbox: !tc.want, FriendlyName: "kept"} // prove the decoder writes the value
			require.NoError(t, json.Unmarshal([]byte(`{"sid":"CR1","sandbox":`+tc.in+`}`), &v))
			assert.Equal(t, tc.want, v.Sandbox)
			assert.Equal(t, "CR1", v.SID)
		})
	}
	for _, in := range []string{`"yes"`, `"maybe"`, `2`, `"tru"`} {
		t.Run("invalid "+in, func(t *testing.T) {
			var v Credential
			err := json.Unmarshal([]byte(`{"sandbox":`+in+`}`), &v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is not a boolean")
		})
	}
	b, err := json.Marshal(Credential{Sandbox: true})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"sandbox":true`)
}
