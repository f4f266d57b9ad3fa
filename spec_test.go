package conversations_test

// The spec-driven checks: the SDK against Twilio's OpenAPI spec, operation
// by operation, parameter by parameter and example by example.

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/internal/specmodels"
	"github.com/conversations-go/conversations/internal/spectest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadSpec returns the operations of the spec copy in testdata/spec.
func loadSpec(t testing.TB) []*spectest.Op {
	t.Helper()
	ops, err := spectest.Load(spectest.Path)
	require.NoError(t, err)
	return ops
}

// paramsOf maps every operation that takes query or form params to the SDK
// params type that carries them. A service-scoped twin uses the type of its
// account-scoped operation.
var paramsOf = map[string]reflect.Type{
	"CreateConfigurationAddress":         reflect.TypeFor[cv.AddressConfigurationCreateParams](),
	"UpdateConfigurationAddress":         reflect.TypeFor[cv.AddressConfigurationUpdateParams](),
	"ListConfigurationAddress":           reflect.TypeFor[cv.AddressConfigurationListParams](),
	"UpdateConfiguration":                reflect.TypeFor[cv.ConfigurationUpdateParams](),
	"UpdateConfigurationWebhook":         reflect.TypeFor[cv.WebhookConfigurationUpdateParams](),
	"CreateConversation":                 reflect.TypeFor[cv.ConversationCreateParams](),
	"UpdateConversation":                 reflect.TypeFor[cv.ConversationUpdateParams](),
	"ListConversation":                   reflect.TypeFor[cv.ConversationListParams](),
	"CreateConversationWithParticipants": reflect.TypeFor[cv.ConversationWithParticipantsCreateParams](),
	"CreateCredential":                   reflect.TypeFor[cv.CredentialCreateParams](),
	"UpdateCredential":                   reflect.TypeFor[cv.CredentialUpdateParams](),
	"ListCredential":                     reflect.TypeFor[cv.CredentialListParams](),
	"CreateConversationMessage":          reflect.TypeFor[cv.MessageCreateParams](),
	"UpdateConversationMessage":          reflect.TypeFor[cv.MessageUpdateParams](),
	"ListConversationMessage":            reflect.TypeFor[cv.MessageListParams](),
	"ListConversationMessageReceipt":     reflect.TypeFor[cv.ReceiptListParams](),
	"ListParticipantConversation":        reflect.TypeFor[cv.ParticipantConversationListParams](),
	"CreateConversationParticipant":      reflect.TypeFor[cv.ParticipantCreateParams](),
	"UpdateConversationParticipant":      reflect.TypeFor[cv.ParticipantUpdateParams](),
	"ListConversationParticipant":        reflect.TypeFor[cv.ParticipantListParams](),
	"CreateRole":                         reflect.TypeFor[cv.RoleCreateParams](),
	"UpdateRole":                         reflect.TypeFor[cv.RoleUpdateParams](),
	"ListRole":                           reflect.TypeFor[cv.RoleListParams](),
	"CreateService":                      reflect.TypeFor[cv.ChatServiceCreateParams](),
	"ListService":                        reflect.TypeFor[cv.ChatServiceListParams](),
	"UpdateUserConversation":             reflect.TypeFor[cv.UserConversationUpdateParams](),
	"ListUserConversation":               reflect.TypeFor[cv.UserConversationListParams](),
	"CreateUser":                         reflect.TypeFor[cv.UserCreateParams](),
	"UpdateUser":                         reflect.TypeFor[cv.UserUpdateParams](),
	"ListUser":                           reflect.TypeFor[cv.UserListParams](),
	"CreateConversationScopedWebhook":    reflect.TypeFor[cv.WebhookCreateParams](),
	"UpdateConversationScopedWebhook":    reflect.TypeFor[cv.WebhookUpdateParams](),
	"ListConversationScopedWebhook":      reflect.TypeFor[cv.WebhookListParams](),
	"ListServiceBinding":                 reflect.TypeFor[cv.BindingListParams](),
	"UpdateServiceConfiguration":         reflect.TypeFor[cv.ChatServiceConfigurationUpdateParams](),
	"UpdateServiceNotification":          reflect.TypeFor[cv.ChatServiceNotificationUpdateParams](),
	"UpdateServiceWebhookConfiguration":  reflect.TypeFor[cv.WebhookConfigurationUpdateParams](),
}

// paramsTypeFor finds the params type of an operation, trying its
// account-scoped twin (CreateServiceRole -> CreateRole).
func paramsTypeFor(id string) (reflect.Type, bool) {
	if t, ok := paramsOf[id]; ok {
		return t, true
	}
	for _, verb := range []string{"Create", "Update", "List"} {
		if strings.HasPrefix(id, verb+"Service") {
			t, ok := paramsOf[verb+strings.TrimPrefix(id, verb+"Service")]
			return t, ok
		}
	}
	return nil, false
}

// urlTags lists the wire names of a params struct's fields, with those of
// embedded structs (ListParams) flattened in, as the encoder writes them.
func urlTags(t reflect.Type) []string {
	var tags []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("url"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			tags = append(tags, urlTags(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name != "" && name != "-" {
			tags = append(tags, name)
		}
	}
	sort.Strings(tags)
	return tags
}

// accountOnlyParams are fields of a params type shared by an operation and
// its service-scoped twin that only the account operation documents; the
// service method refuses them with a *ValidationError before sending
// (TestWebhookConfigurationTargetServiceScope).
var accountOnlyParams = map[string][]string{
	"UpdateServiceWebhookConfiguration": {"Target"},
}

// TestSpecParamsModelled checks that for every operation each documented
// query/form parameter has a params field whose url tag is its wire name,
// and that no params field sends a name the spec does not document.
func TestSpecParamsModelled(t *testing.T) {
	for _, op := range loadSpec(t) {
		if len(op.Params) == 0 {
			continue
		}
		pt, ok := paramsTypeFor(op.ID)
		if !assert.True(t, ok, "%s has params %v but no params type", op.ID, op.Params) {
			continue
		}
		want := append(append([]string(nil), op.Params...), accountOnlyParams[op.ID]...)
		sort.Strings(want)
		assert.Equal(t, want, urlTags(pt), "%s: documented params vs %s url tags", op.ID, pt.Name())
	}
}

// TestSpecExamplesDecodeStrictly decodes every response example of the spec
// into its SDK model with DisallowUnknownFields: every field the spec shows
// is modelled. List examples decode item by item, and their meta into Meta.
func TestSpecExamplesDecodeStrictly(t *testing.T) {
	n := 0
	for _, op := range loadSpec(t) {
		if op.Status == 204 {
			continue
		}
		typ, ok := specmodels.Models[op.Schema]
		require.True(t, ok, "%s: no model for schema %q", op.ID, op.Schema)
		require.NotEmpty(t, op.Examples, "%s has no examples", op.ID)
		for name, ex := range op.Examples {
			if op.ListKey == "" {
				assert.NoError(t, spectest.DecodeStrict(ex, typ), "%s/%s into %s", op.ID, name, typ.Name())
				n++
				continue
			}
			var env map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(ex, &env))
			assert.Len(t, env, 2, "%s/%s: a list body holds its array and meta", op.ID, name)
			assert.NoError(t, spectest.DecodeStrict(env["meta"], reflect.TypeFor[cv.Meta]()), "%s/%s meta", op.ID, name)
			var items []json.RawMessage
			require.NoError(t, json.Unmarshal(env[op.ListKey], &items), "%s/%s %s", op.ID, name, op.ListKey)
			for i, it := range items {
				assert.NoError(t, spectest.DecodeStrict(it, typ), "%s/%s item %d into %s", op.ID, name, i, typ.Name())
				n++
			}
		}
	}
	t.Logf("decoded %d example resources strictly", n)
}
