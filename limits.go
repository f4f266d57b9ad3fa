package conversations

// Limit keys: which shared Twilio limit each v1 write counts against. This
// is the one place that says so; a Limiter (WithLimiter) is asked under
// these keys before every attempt of the write.
//
// Twilio's "Conversations (classic) Limits" page documents two write limits
// that the replicas of a fleet share: 30 writes per second on one
// conversation, and 30 writes per second on one Conversation Service. The
// keys are:
//
//   - "conversation:" + the conversation path argument (its SID, or the
//     unique name where the operation accepts one), for the writes inside
//     one conversation: Conversations.Update; Messages.Create, Update,
//     Delete; Participants.Create, Update, Delete; Webhooks.Create,
//     Update, Delete.
//   - "service:" + the ChatServiceSid of a Client.Service scope, or
//     "service:default" in the account's default scope, for the writes
//     that change the service itself: Conversations.Create,
//     CreateWithParticipants and Delete; Users.Create, Update, Delete;
//     UserConversations.Update, Delete; Roles.Create, Update, Delete;
//     Bindings.Delete; and a service's Configuration.Update,
//     UpdateNotifications and UpdateWebhooks.
//   - no key ("", no wait) for reads, for media uploads (the Media Content
//     Service has its own limits) and for the account-level writes, which
//     count against neither limit: Credentials, Services (Conversation
//     Services), AddressConfigurations, and the account's Configuration and
//     webhook configuration.

// limitRule is how a write's key is formed.
type limitRule uint8

const (
	limitNone         limitRule = iota
	limitConversation           // "conversation:" + the first path argument
	limitService                // "service:" + the scope's ChatServiceSid or "default"
	limitServiceScope           // limitService in a service scope, none at account level
)

// writeLimits maps every v1 write (kind and path template) to its rule.
// A write missing from it has no key; TestLimitKeysCoverEveryWrite keeps
// it complete.
var writeLimits = map[limitOp]limitRule{
	{kindUpdate, "Conversations/{Sid}"}:                                limitConversation,
	{kindCreate, "Conversations/{ConversationSid}/Messages"}:           limitConversation,
	{kindUpdate, "Conversations/{ConversationSid}/Messages/{Sid}"}:     limitConversation,
	{kindDelete, "Conversations/{ConversationSid}/Messages/{Sid}"}:     limitConversation,
	{kindCreate, "Conversations/{ConversationSid}/Participants"}:       limitConversation,
	{kindUpdate, "Conversations/{ConversationSid}/Participants/{Sid}"}: limitConversation,
	{kindDelete, "Conversations/{ConversationSid}/Participants/{Sid}"}: limitConversation,
	{kindCreate, "Conversations/{ConversationSid}/Webhooks"}:           limitConversation,
	{kindUpdate, "Conversations/{ConversationSid}/Webhooks/{Sid}"}:     limitConversation,
	{kindDelete, "Conversations/{ConversationSid}/Webhooks/{Sid}"}:     limitConversation,

	{kindCreate, "Conversations"}:                                   limitService,
	{kindCreate, "ConversationWithParticipants"}:                    limitService,
	{kindDelete, "Conversations/{Sid}"}:                             limitService,
	{kindCreate, "Users"}:                                           limitService,
	{kindUpdate, "Users/{Sid}"}:                                     limitService,
	{kindDelete, "Users/{Sid}"}:                                     limitService,
	{kindUpdate, "Users/{UserSid}/Conversations/{ConversationSid}"}: limitService,
	{kindDelete, "Users/{UserSid}/Conversations/{ConversationSid}"}: limitService,
	{kindCreate, "Roles"}:                                           limitService,
	{kindUpdate, "Roles/{Sid}"}:                                     limitService,
	{kindDelete, "Roles/{Sid}"}:                                     limitService,
	{kindDelete, "Bindings/{Sid}"}:                                  limitService,
	{kindUpdate, "Configuration"}:                                   limitServiceScope,
	{kindUpdate, "Configuration/Notifications"}:                     limitServiceScope,
	{kindUpdate, "Configuration/Webhooks"}:                          limitServiceScope,

	{kindCreate, "Credentials"}:                   limitNone,
	{kindUpdate, "Credentials/{Sid}"}:             limitNone,
	{kindDelete, "Credentials/{Sid}"}:             limitNone,
	{kindCreate, "Services"}:                      limitNone,
	{kindDelete, "Services/{Sid}"}:                limitNone,
	{kindCreate, "Configuration/Addresses"}:       limitNone,
	{kindUpdate, "Configuration/Addresses/{Sid}"}: limitNone,
	{kindDelete, "Configuration/Addresses/{Sid}"}: limitNone,
}

// limitOp is a write: its kind and path template.
type limitOp struct {
	k    kind
	tmpl string
}

// limitKey returns the limit key of a write in scope s, or "".
func limitKey(s scopeRef, k kind, tmpl string, args []string) string {
	switch writeLimits[limitOp{k, tmpl}] {
	case limitConversation:
		return "conversation:" + args[0]
	case limitServiceScope:
		if !s.scoped {
			return ""
		}
		fallthrough
	case limitService:
		if s.scoped {
			return "service:" + s.service
		}
		return "service:default"
	}
	return ""
}
