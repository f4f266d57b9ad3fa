package conversations

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// CredentialType is the push notification service a credential is for.
// Values the SDK does not know yet decode without error.
type CredentialType string

// Known credential types.
const (
	// CredentialTypeAPN is Apple Push Notification service.
	CredentialTypeAPN CredentialType = "apn"
	// CredentialTypeGCM is Google Cloud Messaging.
	CredentialTypeGCM CredentialType = "gcm"
	// CredentialTypeFCM is Firebase Cloud Messaging.
	CredentialTypeFCM CredentialType = "fcm"
)

// Credential is a push notification credential (APN, GCM or FCM) of the
// account. Its secrets are write-only: the API never returns them.
type Credential struct {
	// SID identifies the credential (CR...).
	SID string `json:"sid"`
	// AccountSID is the Account that owns the credential.
	AccountSID string `json:"account_sid"`
	// FriendlyName is the human-readable name, up to 64 characters.
	FriendlyName string `json:"friendly_name"`
	// Type is the push notification service the credential is for.
	Type CredentialType `json:"type"`
	// Sandbox reports, for APN, whether notifications go to the sandbox APNs.
	// (The API sends the string "True" or "False"; the SDK decodes it.)
	Sandbox bool `json:"sandbox"`
	// DateCreated is when the credential was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the credential was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the credential's absolute API URL.
	URL string `json:"url"`
}

// UnmarshalJSON decodes a credential, reading the API's "True"/"False"
// string for sandbox (and a JSON boolean or null) as a bool.
func (c *Credential) UnmarshalJSON(data []byte) error {
	type plain Credential
	var w struct {
		*plain
		Sandbox flexBool `json:"sandbox"`
	}
	w.plain = (*plain)(c)
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	c.Sandbox = bool(w.Sandbox)
	return nil
}

// CredentialCreateParams are the parameters of Credentials.Create.
//
// Certificate, PrivateKey, APIKey and Secret are secrets. They are pointers,
// which fmt prints as addresses; json.Marshal skips them (json:"-"); and
// LogValue shows them to log/slog as [REDACTED]. Nothing prints their value.
type CredentialCreateParams struct {
	// Type is the push notification service the credential is for. Required.
	Type CredentialType `url:"Type"`
	// FriendlyName is the human-readable name, up to 64 characters.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// Certificate is, for APN only, the PEM certificate
	// ("-----BEGIN CERTIFICATE----- ..."). Secret.
	Certificate *string `url:"Certificate,omitempty" json:"-"`
	// PrivateKey is, for APN only, the PEM private key
	// ("-----BEGIN RSA PRIVATE KEY----- ..."). Secret.
	PrivateKey *string `url:"PrivateKey,omitempty" json:"-"`
	// Sandbox is, for APN only, whether to send to the sandbox APNs (true)
	// or to production (false).
	Sandbox *bool `url:"Sandbox,omitempty"`
	// APIKey is, for GCM only, the project's API key from the Google
	// Developer console. Secret.
	APIKey *string `url:"ApiKey,omitempty" json:"-"`
	// Secret is, for FCM only, the Server key of the Firebase project.
	// Secret.
	Secret *string `url:"Secret,omitempty" json:"-"`
}

func (p *CredentialCreateParams) validate() error {
	if p == nil {
		return &ValidationError{Param: "Type", Reason: "is required"}
	}
	return required("Type", p.Type)
}

// LogValue makes log/slog print the params readably, with their secrets
// redacted.
func (p CredentialCreateParams) LogValue() slog.Value {
	return slog.StringValue(credentialDescribe("CredentialCreateParams", Ptr(string(p.Type)), p.FriendlyName,
		p.Certificate, p.PrivateKey, p.Sandbox, p.APIKey, p.Secret))
}

// CredentialUpdateParams are the parameters of Credentials.Update.
//
// Certificate, PrivateKey, APIKey and Secret are secrets. They are pointers,
// which fmt prints as addresses; json.Marshal skips them (json:"-"); and
// LogValue shows them to log/slog as [REDACTED]. Nothing prints their value.
type CredentialUpdateParams struct {
	// Type is the push notification service the credential is for.
	Type *CredentialType `url:"Type,omitempty"`
	// FriendlyName is the human-readable name, up to 64 characters.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// Certificate is, for APN only, the PEM certificate
	// ("-----BEGIN CERTIFICATE----- ..."). Secret.
	Certificate *string `url:"Certificate,omitempty" json:"-"`
	// PrivateKey is, for APN only, the PEM private key
	// ("-----BEGIN RSA PRIVATE KEY----- ..."). Secret.
	PrivateKey *string `url:"PrivateKey,omitempty" json:"-"`
	// Sandbox is, for APN only, whether to send to the sandbox APNs (true)
	// or to production (false).
	Sandbox *bool `url:"Sandbox,omitempty"`
	// APIKey is, for GCM only, the project's API key from the Google
	// Developer console. Secret.
	APIKey *string `url:"ApiKey,omitempty" json:"-"`
	// Secret is, for FCM only, the Server key of the Firebase project.
	// Secret.
	Secret *string `url:"Secret,omitempty" json:"-"`
}

// LogValue makes log/slog print the params readably, with their secrets
// redacted.
func (p CredentialUpdateParams) LogValue() slog.Value {
	var typ *string
	if p.Type != nil {
		typ = Ptr(string(*p.Type))
	}
	return slog.StringValue(credentialDescribe("CredentialUpdateParams", typ, p.FriendlyName,
		p.Certificate, p.PrivateKey, p.Sandbox, p.APIKey, p.Secret))
}

// credentialRedacted replaces a secret that is set.
const credentialRedacted = "[REDACTED]"

// credentialDescribe prints credential params with the non-secret
// fields quoted, the secret ones as [REDACTED] when set, and unset fields
// as <nil>.
func credentialDescribe(name string, typ, friendlyName, certificate, privateKey *string, sandbox *bool, apiKey, secret *string) string {
	var b strings.Builder
	b.WriteString("conversations.")
	b.WriteString(name)
	b.WriteByte('{')
	plain := func(k string, v *string) {
		b.WriteString(k)
		b.WriteByte(':')
		if v == nil {
			b.WriteString("<nil>")
		} else {
			b.WriteString(strconv.Quote(*v))
		}
	}
	secretField := func(k string, v *string) {
		b.WriteString(", ")
		b.WriteString(k)
		b.WriteByte(':')
		if v == nil {
			b.WriteString("<nil>")
		} else {
			b.WriteString(credentialRedacted)
		}
	}
	plain("Type", typ)
	b.WriteString(", ")
	plain("FriendlyName", friendlyName)
	secretField("Certificate", certificate)
	secretField("PrivateKey", privateKey)
	b.WriteString(", Sandbox:")
	if sandbox == nil {
		b.WriteString("<nil>")
	} else {
		b.WriteString(strconv.FormatBool(*sandbox))
	}
	secretField("APIKey", apiKey)
	secretField("Secret", secret)
	b.WriteByte('}')
	return b.String()
}

// CredentialListParams are the parameters of Credentials.List and All.
type CredentialListParams struct {
	// ListParams holds PageSize (1 to 100, default 50), Page and PageToken.
	ListParams
}

func (p *CredentialListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(100)
}

// CredentialsAPI is the interface of CredentialsService, for mocking.
type CredentialsAPI interface {
	Create(ctx context.Context, params *CredentialCreateParams, opts ...RequestOption) (*Credential, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Credential, error)
	Update(ctx context.Context, sid string, params *CredentialUpdateParams, opts ...RequestOption) (*Credential, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *CredentialListParams, opts ...RequestOption) (*Page[Credential], error)
	All(ctx context.Context, params *CredentialListParams, opts ...RequestOption) iter.Seq2[*Credential, error]
}

var _ CredentialsAPI = (*CredentialsService)(nil)

// CredentialsService manages the account's push notification credentials
// (Client.Credentials). Credentials exist at account level only.
type CredentialsService struct{ s scopeRef }

// Create adds a push notification credential. Type is required.
//
// Operation: CreateCredential (POST /v1/Credentials)
func (r *CredentialsService) Create(ctx context.Context, params *CredentialCreateParams, opts ...RequestOption) (*Credential, error) {
	return one[Credential](ctx, r.s, kindCreate, "Credentials", params, opts)
}

// Fetch fetches a credential by SID.
//
// Operation: FetchCredential (GET /v1/Credentials/{Sid})
func (r *CredentialsService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Credential, error) {
	return one[Credential](ctx, r.s, kindRead, "Credentials/{Sid}", nil, opts, sid)
}

// Update updates a credential.
//
// Operation: UpdateCredential (POST /v1/Credentials/{Sid})
func (r *CredentialsService) Update(ctx context.Context, sid string, params *CredentialUpdateParams, opts ...RequestOption) (*Credential, error) {
	return one[Credential](ctx, r.s, kindUpdate, "Credentials/{Sid}", params, opts, sid)
}

// Delete deletes a credential.
//
// Operation: DeleteCredential (DELETE /v1/Credentials/{Sid})
func (r *CredentialsService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Credentials/{Sid}", opts, sid)
}

// List fetches one page of credentials.
//
// Operation: ListCredential (GET /v1/Credentials)
func (r *CredentialsService) List(ctx context.Context, params *CredentialListParams, opts ...RequestOption) (*Page[Credential], error) {
	return list[Credential](ctx, r.s, "Credentials", params, opts)
}

// All iterates over every credential, fetching pages as needed.
//
// Operation: ListCredential (GET /v1/Credentials)
func (r *CredentialsService) All(ctx context.Context, params *CredentialListParams, opts ...RequestOption) iter.Seq2[*Credential, error] {
	return all[Credential](ctx, r.s, "Credentials", params, opts)
}

// flexBool is a boolean that the API sends either as a JSON boolean or as a
// string ("True"/"False", "true"/"false"), as Credential's sandbox field is.
// null and "" decode as false. It stays inside the SDK: models expose bool.
type flexBool bool

// UnmarshalJSON accepts true, false, null and the strings "true"/"false" in
// any case.
func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(data), `"`)
	switch strings.ToLower(s) {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("conversations: %s is not a boolean", data)
	}
	return nil
}
