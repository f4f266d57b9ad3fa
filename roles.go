package conversations

import (
	"context"
	"iter"
	"time"
)

// RoleType is the type of a role: what its permissions apply to. Values the
// SDK does not know yet decode without error.
type RoleType string

// Known role types.
const (
	// RoleTypeConversation is a Conversation role: permissions within one
	// conversation.
	RoleTypeConversation RoleType = "conversation"
	// RoleTypeService is a Conversation Service role: permissions across the
	// service.
	RoleTypeService RoleType = "service"
)

// Role is a set of permissions granted to a user within a Conversation
// Service or a conversation.
type Role struct {
	// SID identifies the role (RL...).
	SID string `json:"sid"`
	// AccountSID is the Account that created the role.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the role belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// FriendlyName is the role's descriptive name.
	FriendlyName string `json:"friendly_name"`
	// Type says whether this is a conversation or a service role.
	Type RoleType `json:"type"`
	// Permissions are the permissions the role has been granted.
	Permissions []string `json:"permissions"`
	// DateCreated is when the role was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the role was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the role's absolute API URL.
	URL string `json:"url"`
}

// RoleCreateParams are the parameters of Roles.Create. All three are
// required.
type RoleCreateParams struct {
	// FriendlyName is a descriptive name, up to 64 characters. Required.
	FriendlyName string `url:"FriendlyName"`
	// Type is the type of role: RoleTypeConversation or RoleTypeService.
	// Required.
	Type RoleType `url:"Type"`
	// Permission holds the permissions granted to the role, sent as one
	// Permission key per value. The values allowed depend on Type. Required
	// (at least one).
	Permission []string `url:"Permission"`
}

func (p *RoleCreateParams) validate() error {
	if p == nil {
		p = &RoleCreateParams{}
	}
	if err := required("FriendlyName", p.FriendlyName); err != nil {
		return err
	}
	if err := required("Type", p.Type); err != nil {
		return err
	}
	return requiredSlice("Permission", p.Permission)
}

// RoleUpdateParams are the parameters of Roles.Update.
type RoleUpdateParams struct {
	// Permission holds the permissions granted to the role, sent as one
	// Permission key per value. The update replaces every previously granted
	// permission: to remove one, leave it out. The values allowed depend on
	// the role's type. Required (at least one).
	Permission []string `url:"Permission"`
}

func (p *RoleUpdateParams) validate() error {
	if p == nil {
		p = &RoleUpdateParams{}
	}
	return requiredSlice("Permission", p.Permission)
}

// RoleListParams are the parameters of Roles.List and All.
type RoleListParams struct {
	// ListParams holds PageSize (1 to 50, default 50), Page and PageToken.
	ListParams
}

func (p *RoleListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(50)
}

// RolesAPI is the interface of RolesService, for mocking.
type RolesAPI interface {
	Create(ctx context.Context, params *RoleCreateParams, opts ...RequestOption) (*Role, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Role, error)
	Update(ctx context.Context, sid string, params *RoleUpdateParams, opts ...RequestOption) (*Role, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *RoleListParams, opts ...RequestOption) (*Page[Role], error)
	All(ctx context.Context, params *RoleListParams, opts ...RequestOption) iter.Seq2[*Role, error]
}

var _ RolesAPI = (*RolesService)(nil)

// RolesService manages roles and their permissions, in the account's default
// Conversation Service (Client.Roles) or in one service
// (Client.Service(sid).Roles).
type RolesService struct{ s scopeRef }

// Create creates a role.
//
// Operation: CreateRole (POST /v1/Roles)
// Operation: CreateServiceRole (POST /v1/Services/{ChatServiceSid}/Roles)
func (r *RolesService) Create(ctx context.Context, params *RoleCreateParams, opts ...RequestOption) (*Role, error) {
	return one[Role](ctx, r.s, kindCreate, "Roles", params, opts)
}

// Fetch fetches a role by SID.
//
// Operation: FetchRole (GET /v1/Roles/{Sid})
// Operation: FetchServiceRole (GET /v1/Services/{ChatServiceSid}/Roles/{Sid})
func (r *RolesService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*Role, error) {
	return one[Role](ctx, r.s, kindRead, "Roles/{Sid}", nil, opts, sid)
}

// Update replaces the permissions of a role.
//
// Operation: UpdateRole (POST /v1/Roles/{Sid})
// Operation: UpdateServiceRole (POST /v1/Services/{ChatServiceSid}/Roles/{Sid})
func (r *RolesService) Update(ctx context.Context, sid string, params *RoleUpdateParams, opts ...RequestOption) (*Role, error) {
	return one[Role](ctx, r.s, kindUpdate, "Roles/{Sid}", params, opts, sid)
}

// Delete deletes a role.
//
// Operation: DeleteRole (DELETE /v1/Roles/{Sid})
// Operation: DeleteServiceRole (DELETE /v1/Services/{ChatServiceSid}/Roles/{Sid})
func (r *RolesService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Roles/{Sid}", opts, sid)
}

// List fetches one page of roles.
//
// Operation: ListRole (GET /v1/Roles)
// Operation: ListServiceRole (GET /v1/Services/{ChatServiceSid}/Roles)
func (r *RolesService) List(ctx context.Context, params *RoleListParams, opts ...RequestOption) (*Page[Role], error) {
	return list[Role](ctx, r.s, "Roles", params, opts)
}

// All iterates over every role, fetching pages as needed.
//
// Operation: ListRole (GET /v1/Roles)
// Operation: ListServiceRole (GET /v1/Services/{ChatServiceSid}/Roles)
func (r *RolesService) All(ctx context.Context, params *RoleListParams, opts ...RequestOption) iter.Seq2[*Role, error] {
	return all[Role](ctx, r.s, "Roles", params, opts)
}
