// Package specmodels maps the response schemas of Twilio's Conversations
// spec to the SDK models that decode them, for the spec-driven tests. It is
// apart from internal/spectest so that the root package's own tests can read
// the spec without an import cycle.
package specmodels

import (
	"reflect"

	cv "github.com/conversations-go/conversations"
)

// Models maps every response schema of the spec to the SDK model that
// decodes it. Account and service schemas share one Go type.
var Models = map[string]reflect.Type{
	"conversations.v1.configuration":                                                                                  reflect.TypeFor[cv.Configuration](),
	"conversations.v1.configuration.configuration_webhook":                                                            reflect.TypeFor[cv.WebhookConfiguration](),
	"conversations.v1.configuration_address":                                                                          reflect.TypeFor[cv.AddressConfiguration](),
	"conversations.v1.conversation":                                                                                   reflect.TypeFor[cv.Conversation](),
	"conversations.v1.conversation.conversation_message":                                                              reflect.TypeFor[cv.Message](),
	"conversations.v1.conversation.conversation_message.conversation_message_receipt":                                 reflect.TypeFor[cv.Receipt](),
	"conversations.v1.conversation.conversation_participant":                                                          reflect.TypeFor[cv.Participant](),
	"conversations.v1.conversation.conversation_scoped_webhook":                                                       reflect.TypeFor[cv.Webhook](),
	"conversations.v1.conversation_with_participants":                                                                 reflect.TypeFor[cv.Conversation](),
	"conversations.v1.credential":                                                                                     reflect.TypeFor[cv.Credential](),
	"conversations.v1.participant_conversation":                                                                       reflect.TypeFor[cv.ParticipantConversation](),
	"conversations.v1.role":                                                                                           reflect.TypeFor[cv.Role](),
	"conversations.v1.service":                                                                                        reflect.TypeFor[cv.ChatService](),
	"conversations.v1.service.service_binding":                                                                        reflect.TypeFor[cv.Binding](),
	"conversations.v1.service.service_configuration":                                                                  reflect.TypeFor[cv.ChatServiceConfiguration](),
	"conversations.v1.service.service_configuration.service_notification":                                             reflect.TypeFor[cv.ChatServiceNotification](),
	"conversations.v1.service.service_configuration.service_webhook_configuration":                                    reflect.TypeFor[cv.WebhookConfiguration](),
	"conversations.v1.service.service_conversation":                                                                   reflect.TypeFor[cv.Conversation](),
	"conversations.v1.service.service_conversation.service_conversation_message":                                      reflect.TypeFor[cv.Message](),
	"conversations.v1.service.service_conversation.service_conversation_message.service_conversation_message_receipt": reflect.TypeFor[cv.Receipt](),
	"conversations.v1.service.service_conversation.service_conversation_participant":                                  reflect.TypeFor[cv.Participant](),
	"conversations.v1.service.service_conversation.service_conversation_scoped_webhook":                               reflect.TypeFor[cv.Webhook](),
	"conversations.v1.service.service_conversation_with_participants":                                                 reflect.TypeFor[cv.Conversation](),
	"conversations.v1.service.service_participant_conversation":                                                       reflect.TypeFor[cv.ParticipantConversation](),
	"conversations.v1.service.service_role":                                                                           reflect.TypeFor[cv.Role](),
	"conversations.v1.service.service_user":                                                                           reflect.TypeFor[cv.User](),
	"conversations.v1.service.service_user.service_user_conversation":                                                 reflect.TypeFor[cv.UserConversation](),
	"conversations.v1.user":                                                                                           reflect.TypeFor[cv.User](),
	"conversations.v1.user.user_conversation":                                                                         reflect.TypeFor[cv.UserConversation](),
}
