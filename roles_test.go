package conversations

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testRoleSID = "RLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// roleGoldenForTest names the golden body of an operation in a scope.
func roleGoldenForTest(sc testScope, accountName, serviceName string) string {
	if sc.name == "service" {
		return serviceName
	}
	return accountName
}

// roleCheckForTest checks the key fields every role golden body shares.
func roleCheckForTest(t *testing.T, sc testScope, got *Role) {
	t.Helper()
	assert.Equal(t, testRoleSID, got.SID)
	assert.Equal(t, testAccountSID, got.AccountSID)
	assert.Equal(t, testServiceSID, got.ChatServiceSID)
	assert.Equal(t, "Conversation Role", got.FriendlyName)
	assert.Equal(t, RoleTypeConversation, got.Type)
	assert.Equal(t, []string{"sendMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage"}, got.Permissions)
	assert.Equal(t, time.Date(2016, 3, 3, 19, 47, 15, 0, time.UTC), got.DateCreated)
	assert.Equal(t, time.Date(2016, 3, 3, 19, 47, 15, 0, time.UTC), got.DateUpdated)
	assert.Equal(t, "https://conversations.twilio.com"+sc.prefix+"/Roles/"+testRoleSID, got.URL)
}

func TestRolesCreate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := roleGoldenForTest(sc, "CreateRole", "CreateServiceRole")
			c, rec := newRecorder(t, 201, golden(t, name))
			params := &RoleCreateParams{
				FriendlyName: "Conversation Role",
				Type:         RoleTypeConversation,
				Permission:   []string{"sendMessage", "leaveConversation", "editOwnMessage"},
			}
			got, err := sc.of(c).Roles.Create(context.Background(), params)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Roles", nil, url.Values{
				"FriendlyName": {"Conversation Role"},
				"Type":         {"conversation"},
				"Permission":   {"sendMessage", "leaveConversation", "editOwnMessage"},
			})
			assert.Equal(t, decodeGolden[Role](t, name), got)
			roleCheckForTest(t, sc, got)
			assert.Equal(t, []string{"sendMessage", "leaveConversation", "editOwnMessage"}, params.Permission, "params mutated")
		})
	}
}

func TestRolesCreateServiceType(t *testing.T) {
	c, rec := newRecorder(t, 201, golden(t, "CreateServiceRole"))
	_, err := c.Service(testServiceSID).Roles.Create(context.Background(), &RoleCreateParams{
		FriendlyName: "Admins",
		Type:         RoleTypeService,
		Permission:   []string{"addParticipant"},
	})
	require.NoError(t, err)
	assertWire(t, rec.last(t), "POST", "/v1/Services/"+testServiceSID+"/Roles", nil, url.Values{
		"FriendlyName": {"Admins"},
		"Type":         {"service"},
		"Permission":   {"addParticipant"},
	})
}

func TestRolesFetch(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := roleGoldenForTest(sc, "FetchRole", "FetchServiceRole")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Roles.Fetch(context.Background(), testRoleSID)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Roles/"+testRoleSID, nil, nil)
			assert.Equal(t, decodeGolden[Role](t, name), got)
			roleCheckForTest(t, sc, got)
		})
	}
}

func TestRolesFetchEscapesSID(t *testing.T) {
	c, rec := newRecorder(t, 200, golden(t, "FetchRole"))
	_, err := c.Roles.Fetch(context.Background(), "a/b?c")
	require.NoError(t, err)
	assertWire(t, rec.last(t), "GET", "/v1/Roles/a%2Fb%3Fc", nil, nil)
}

func TestRolesUpdate(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			name := roleGoldenForTest(sc, "UpdateRole", "UpdateServiceRole")
			c, rec := newRecorder(t, 200, golden(t, name))
			got, err := sc.of(c).Roles.Update(context.Background(), testRoleSID, &RoleUpdateParams{
				Permission: []string{"sendMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage"},
			})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "POST", sc.prefix+"/Roles/"+testRoleSID, nil, url.Values{
				"Permission": {"sendMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage"},
			})
			assert.Equal(t, decodeGolden[Role](t, name), got)
			roleCheckForTest(t, sc, got)
		})
	}
}

func TestRolesDelete(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 204, "")
			require.NoError(t, sc.of(c).Roles.Delete(context.Background(), testRoleSID))
			assertWire(t, rec.last(t), "DELETE", sc.prefix+"/Roles/"+testRoleSID, nil, nil)
		})
	}
}

func TestRolesList(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, golden(t, roleGoldenForTest(sc, "ListRole_readFull", "ListServiceRole_readFull")))
			page, err := sc.of(c).Roles.List(context.Background(), &RoleListParams{ListParams: ListParams{PageSize: Ptr(50), Page: Ptr(0), PageToken: Ptr("PT123")}})
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Roles", url.Values{
				"PageSize":  {"50"},
				"Page":      {"0"},
				"PageToken": {"PT123"},
			}, nil)
			require.Len(t, page.Items, 1)
			roleCheckForTest(t, sc, &page.Items[0])
			assert.Equal(t, "roles", page.Meta.Key)
			assert.Equal(t, 50, page.Meta.PageSize)
			assert.Equal(t, 0, page.Meta.Page)
			assert.Equal(t, "https://conversations.twilio.com"+sc.prefix+"/Roles?PageSize=50&Page=0", page.Meta.URL)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestRolesListEmpty(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, golden(t, roleGoldenForTest(sc, "ListRole_readEmpty", "ListServiceRole_readEmpty")))
			page, err := sc.of(c).Roles.List(context.Background(), nil)
			require.NoError(t, err)
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Roles", nil, nil)
			assert.Empty(t, page.Items)
			assert.Equal(t, "roles", page.Meta.Key)
			assert.False(t, page.HasNextPage())
		})
	}
}

func TestRolesAll(t *testing.T) {
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, golden(t, roleGoldenForTest(sc, "ListRole_readFull", "ListServiceRole_readFull")))
			var sids []string
			for role, err := range sc.of(c).Roles.All(context.Background(), &RoleListParams{ListParams: ListParams{PageSize: Ptr(1)}}) {
				require.NoError(t, err)
				sids = append(sids, role.SID)
			}
			assert.Equal(t, []string{testRoleSID}, sids)
			assert.Equal(t, 1, rec.count())
			assertWire(t, rec.last(t), "GET", sc.prefix+"/Roles", url.Values{"PageSize": {"1"}}, nil)
		})
	}
}

func TestRolesUnknownType(t *testing.T) {
	c, _ := newRecorder(t, 200, `{"sid":"`+testRoleSID+`","type":"superuser","permissions":null,"date_created":null}`)
	got, err := c.Roles.Fetch(context.Background(), testRoleSID)
	require.NoError(t, err)
	assert.Equal(t, RoleType("superuser"), got.Type)
	assert.Nil(t, got.Permissions)
	assert.True(t, got.DateCreated.IsZero())
}

func TestRolesValidation(t *testing.T) {
	ctx := context.Background()
	for _, sc := range testScopes {
		t.Run(sc.name, func(t *testing.T) {
			c, rec := newRecorder(t, 200, "{}")
			s := sc.of(c).Roles
			_, err := s.Create(ctx, nil)
			assertNothingSent(t, rec, err, "FriendlyName")
			_, err = s.Create(ctx, &RoleCreateParams{Type: RoleTypeService, Permission: []string{"a"}})
			assertNothingSent(t, rec, err, "FriendlyName")
			_, err = s.Create(ctx, &RoleCreateParams{FriendlyName: "x", Permission: []string{"a"}})
			assertNothingSent(t, rec, err, "Type")
			_, err = s.Create(ctx, &RoleCreateParams{FriendlyName: "x", Type: RoleTypeConversation})
			assertNothingSent(t, rec, err, "Permission")
			_, err = s.Fetch(ctx, "")
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Update(ctx, "", &RoleUpdateParams{Permission: []string{"a"}})
			assertNothingSent(t, rec, err, "Sid")
			_, err = s.Update(ctx, testRoleSID, nil)
			assertNothingSent(t, rec, err, "Permission")
			_, err = s.Update(ctx, testRoleSID, &RoleUpdateParams{Permission: []string{}})
			assertNothingSent(t, rec, err, "Permission")
			assertNothingSent(t, rec, s.Delete(ctx, ""), "Sid")
			assertNothingSent(t, rec, s.Delete(ctx, "."), "Sid")
			_, err = s.List(ctx, &RoleListParams{ListParams: ListParams{PageSize: Ptr(51)}})
			assertNothingSent(t, rec, err, "PageSize")
			_, err = s.List(ctx, &RoleListParams{ListParams: ListParams{PageSize: Ptr(0)}})
			assertNothingSent(t, rec, err, "PageSize")
			n := 0
			for _, err := range s.All(ctx, &RoleListParams{ListParams: ListParams{PageSize: Ptr(51)}}) {
				n++
				assertNothingSent(t, rec, err, "PageSize")
			}
			assert.Equal(t, 1, n)
		})
	}
	c, rec := newRecorder(t, 200, "{}")
	s := c.Service("").Roles
	_, err := s.Create(ctx, &RoleCreateParams{FriendlyName: "x", Type: RoleTypeService, Permission: []string{"a"}})
	assertNothingSent(t, rec, err, "ChatServiceSid")
	_, err = s.Fetch(ctx, testRoleSID)
	assertNothingSent(t, rec, err, "ChatServiceSid")
	_, err = s.Update(ctx, testRoleSID, &RoleUpdateParams{Permission: []string{"a"}})
	assertNothingSent(t, rec, err, "ChatServiceSid")
	assertNothingSent(t, rec, s.Delete(ctx, testRoleSID), "ChatServiceSid")
	_, err = s.List(ctx, nil)
	assertNothingSent(t, rec, err, "ChatServiceSid")
}
