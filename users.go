package conversations

import (
	"context"
	"iter"
	"time"
)

// User is a conversation user: an application identity within a
// Conversation Service.
type User struct {
	// SID identifies the user (US...).
	SID string `json:"sid"`
	// AccountSID is the Account that created the user.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the user belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// RoleSID is the service-level Role assigned to the user (RL...).
	RoleSID string `json:"role_sid"`
	// Identity is the application-defined, case-sensitive string that
	// identifies the user within the service (often a username or an email
	// address); it can replace the SID in paths.
	Identity string `json:"identity"`
	// FriendlyName is the human-readable name.
	FriendlyName string `json:"friendly_name"`
	// Attributes is a JSON document kept as a string; see UnmarshalAttributes.
	Attributes string `json:"attributes"`
	// IsOnline reports whether the user is connected to the service and
	// online. It is only returned by fetches of a single user, and is nil
	// when the API does not know (always in lists, or when the service's
	// reachability indicator is disabled).
	IsOnline *bool `json:"is_online"`
	// IsNotifiable reports whether the user has a potentially valid push
	// notification registration. Like IsOnline, it is nil when the API does
	// not return it.
	IsNotifiable *bool `json:"is_notifiable"`
	// DateCreated is when the user was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the user was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// URL is the user's absolute API URL.
	URL string `json:"url"`
	// Links holds the URLs of related resources (user_conversations).
	Links map[string]string `json:"links"`
}

// UserConversationNotificationLevel is the notification level of a user in a
// conversation. Values the SDK does not know yet decode without error.
type UserConversationNotificationLevel string

// Known user conversation notification levels.
const (
	UserConversationNotificationLevelDefault UserConversationNotificationLevel = "default"
	UserConversationNotificationLevelMuted   UserConversationNotificationLevel = "muted"
)

// UserConversation is a conversation seen from one of its users: the
// conversation's summary plus the user's read horizon and notification
// level in it.
type UserConversation struct {
	// AccountSID is the Account responsible for the conversation.
	AccountSID string `json:"account_sid"`
	// ChatServiceSID is the Conversation Service the conversation belongs to.
	ChatServiceSID string `json:"chat_service_sid"`
	// ConversationSID identifies the conversation (CH...).
	ConversationSID string `json:"conversation_sid"`
	// UnreadMessagesCount is the number of messages the user has not read;
	// nil when the API does not know it (no read horizon set).
	UnreadMessagesCount *int `json:"unread_messages_count"`
	// LastReadMessageIndex is the index of the last message the user has
	// read; nil when the user has read none.
	LastReadMessageIndex *int `json:"last_read_message_index"`
	// ParticipantSID is the participant the user is in the conversation (MB...).
	ParticipantSID string `json:"participant_sid"`
	// UserSID identifies the user (US...).
	UserSID string `json:"user_sid"`
	// FriendlyName is the conversation's human-readable name.
	FriendlyName string `json:"friendly_name"`
	// ConversationState is the conversation's current state (inactive,
	// active or closed).
	ConversationState ConversationState `json:"conversation_state"`
	// Timers holds when the conversation's state timers fire.
	Timers ConversationTimers `json:"timers"`
	// Attributes is the conversation's JSON document kept as a string; see
	// UnmarshalAttributes.
	Attributes string `json:"attributes"`
	// DateCreated is when the conversation was created.
	DateCreated time.Time `json:"date_created"`
	// DateUpdated is when the conversation was last updated.
	DateUpdated time.Time `json:"date_updated"`
	// CreatedBy is the identity of the conversation's creator.
	CreatedBy string `json:"created_by"`
	// NotificationLevel is the user's notification level in the conversation.
	NotificationLevel UserConversationNotificationLevel `json:"notification_level"`
	// UniqueName is the conversation's application-defined unique name; it
	// can replace the conversation SID in paths.
	UniqueName string `json:"unique_name"`
	// URL is the user conversation's absolute API URL.
	URL string `json:"url"`
	// Links holds the URLs of the participant and the conversation.
	Links map[string]string `json:"links"`
}

// UserCreateParams are the parameters of Users.Create.
type UserCreateParams struct {
	// Identity is the application-defined, case-sensitive string that
	// identifies the user within the service (often a username or an email
	// address). Required.
	Identity string `url:"Identity"`
	// FriendlyName is the human-readable name.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// RoleSID is the service-level Role to assign to the user (RL...).
	RoleSID *string `url:"RoleSid,omitempty"`
}

func (p *UserCreateParams) validate() error {
	if p == nil {
		return required("Identity", "")
	}
	return required("Identity", p.Identity)
}

// UserUpdateParams are the parameters of Users.Update.
type UserUpdateParams struct {
	// FriendlyName is the human-readable name.
	FriendlyName *string `url:"FriendlyName,omitempty"`
	// Attributes is a JSON document as a string; see MarshalAttributes.
	Attributes *string `url:"Attributes,omitempty"`
	// RoleSID is the service-level Role to assign to the user (RL...).
	RoleSID *string `url:"RoleSid,omitempty"`
}

// UserListParams are the parameters of Users.List and All.
type UserListParams struct {
	// ListParams holds PageSize (1 to 50, default 50), Page and PageToken.
	ListParams
}

func (p *UserListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(50)
}

// UserConversationUpdateParams are the parameters of UserConversations.Update.
type UserConversationUpdateParams struct {
	// NotificationLevel is the user's notification level in the conversation.
	NotificationLevel *UserConversationNotificationLevel `url:"NotificationLevel,omitempty"`
	// LastReadTimestamp is the date of the last message the user has read
	// in the conversation.
	LastReadTimestamp *time.Time `url:"LastReadTimestamp,omitempty"`
	// LastReadMessageIndex is the index of the last message the user has
	// read in the conversation: Set(n) sets it, Null[int]() clears it, unset
	// leaves it unchanged.
	LastReadMessageIndex Nullable[int] `url:"LastReadMessageIndex,omitempty"`
}

// UserConversationListParams are the parameters of UserConversations.List
// and All.
type UserConversationListParams struct {
	// ListParams holds PageSize (1 to 50, default 50), Page and PageToken.
	ListParams
}

func (p *UserConversationListParams) validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.validate(50)
}

// UsersAPI is the interface of UsersService, for mocking.
type UsersAPI interface {
	Create(ctx context.Context, params *UserCreateParams, opts ...RequestOption) (*User, error)
	Fetch(ctx context.Context, sid string, opts ...RequestOption) (*User, error)
	Update(ctx context.Context, sid string, params *UserUpdateParams, opts ...RequestOption) (*User, error)
	Delete(ctx context.Context, sid string, opts ...RequestOption) error
	List(ctx context.Context, params *UserListParams, opts ...RequestOption) (*Page[User], error)
	All(ctx context.Context, params *UserListParams, opts ...RequestOption) iter.Seq2[*User, error]
}

var _ UsersAPI = (*UsersService)(nil)

// UsersService manages conversation users, in the account's default
// Conversation Service (Client.Users) or in one service
// (Client.Service(sid).Users).
type UsersService struct{ s scopeRef }

// Create creates a user. Identity is required. It accepts
// WithWebhookEnabled.
//
// Known error codes: CodeUserExists (IsConflict), CodeIdentityIsUserSID.
//
// Operation: CreateUser (POST /v1/Users)
// Operation: CreateServiceUser (POST /v1/Services/{ChatServiceSid}/Users)
func (r *UsersService) Create(ctx context.Context, params *UserCreateParams, opts ...RequestOption) (*User, error) {
	return one[User](ctx, r.s, kindCreate, "Users", params, opts)
}

// Fetch fetches a user by SID or identity.
//
// Operation: FetchUser (GET /v1/Users/{Sid})
// Operation: FetchServiceUser (GET /v1/Services/{ChatServiceSid}/Users/{Sid})
func (r *UsersService) Fetch(ctx context.Context, sid string, opts ...RequestOption) (*User, error) {
	return one[User](ctx, r.s, kindRead, "Users/{Sid}", nil, opts, sid)
}

// Update updates a user, addressed by SID or identity. It accepts
// WithWebhookEnabled.
//
// Operation: UpdateUser (POST /v1/Users/{Sid})
// Operation: UpdateServiceUser (POST /v1/Services/{ChatServiceSid}/Users/{Sid})
func (r *UsersService) Update(ctx context.Context, sid string, params *UserUpdateParams, opts ...RequestOption) (*User, error) {
	return one[User](ctx, r.s, kindUpdate, "Users/{Sid}", params, opts, sid)
}

// Delete deletes a user, addressed by SID or identity. It accepts
// WithWebhookEnabled.
//
// Operation: DeleteUser (DELETE /v1/Users/{Sid})
// Operation: DeleteServiceUser (DELETE /v1/Services/{ChatServiceSid}/Users/{Sid})
func (r *UsersService) Delete(ctx context.Context, sid string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Users/{Sid}", opts, sid)
}

// List fetches one page of users.
//
// Operation: ListUser (GET /v1/Users)
// Operation: ListServiceUser (GET /v1/Services/{ChatServiceSid}/Users)
func (r *UsersService) List(ctx context.Context, params *UserListParams, opts ...RequestOption) (*Page[User], error) {
	return list[User](ctx, r.s, "Users", params, opts)
}

// All iterates over every user, fetching pages as needed.
//
// Operation: ListUser (GET /v1/Users)
// Operation: ListServiceUser (GET /v1/Services/{ChatServiceSid}/Users)
func (r *UsersService) All(ctx context.Context, params *UserListParams, opts ...RequestOption) iter.Seq2[*User, error] {
	return all[User](ctx, r.s, "Users", params, opts)
}

// UserConversationsAPI is the interface of UserConversationsService, for
// mocking.
type UserConversationsAPI interface {
	Fetch(ctx context.Context, userSID, conversationSID string, opts ...RequestOption) (*UserConversation, error)
	Update(ctx context.Context, userSID, conversationSID string, params *UserConversationUpdateParams, opts ...RequestOption) (*UserConversation, error)
	Delete(ctx context.Context, userSID, conversationSID string, opts ...RequestOption) error
	List(ctx context.Context, userSID string, params *UserConversationListParams, opts ...RequestOption) (*Page[UserConversation], error)
	All(ctx context.Context, userSID string, params *UserConversationListParams, opts ...RequestOption) iter.Seq2[*UserConversation, error]
}

var _ UserConversationsAPI = (*UserConversationsService)(nil)

// UserConversationsService manages a user's conversation memberships, in
// the account's default Conversation Service (Client.UserConversations) or
// in one service (Client.Service(sid).UserConversations).
type UserConversationsService struct{ s scopeRef }

// Fetch fetches one conversation of a user. The user is addressed by SID or
// identity, the conversation by SID or unique name.
//
// Operation: FetchUserConversation (GET /v1/Users/{UserSid}/Conversations/{ConversationSid})
// Operation: FetchServiceUserConversation (GET /v1/Services/{ChatServiceSid}/Users/{UserSid}/Conversations/{ConversationSid})
func (r *UserConversationsService) Fetch(ctx context.Context, userSID, conversationSID string, opts ...RequestOption) (*UserConversation, error) {
	return one[UserConversation](ctx, r.s, kindRead, "Users/{UserSid}/Conversations/{ConversationSid}", nil, opts, userSID, conversationSID)
}

// Update updates a user's notification level or read horizon in a
// conversation. The user is addressed by SID or identity, the conversation
// by SID or unique name.
//
// Operation: UpdateUserConversation (POST /v1/Users/{UserSid}/Conversations/{ConversationSid})
// Operation: UpdateServiceUserConversation (POST /v1/Services/{ChatServiceSid}/Users/{UserSid}/Conversations/{ConversationSid})
func (r *UserConversationsService) Update(ctx context.Context, userSID, conversationSID string, params *UserConversationUpdateParams, opts ...RequestOption) (*UserConversation, error) {
	return one[UserConversation](ctx, r.s, kindUpdate, "Users/{UserSid}/Conversations/{ConversationSid}", params, opts, userSID, conversationSID)
}

// Delete removes a user from a conversation. The user is addressed by SID
// or identity, the conversation by SID or unique name.
//
// Operation: DeleteUserConversation (DELETE /v1/Users/{UserSid}/Conversations/{ConversationSid})
// Operation: DeleteServiceUserConversation (DELETE /v1/Services/{ChatServiceSid}/Users/{UserSid}/Conversations/{ConversationSid})
func (r *UserConversationsService) Delete(ctx context.Context, userSID, conversationSID string, opts ...RequestOption) error {
	return remove(ctx, r.s, "Users/{UserSid}/Conversations/{ConversationSid}", opts, userSID, conversationSID)
}

// List fetches one page of a user's conversations. The user is addressed by
// SID or identity.
//
// Operation: ListUserConversation (GET /v1/Users/{UserSid}/Conversations)
// Operation: ListServiceUserConversation (GET /v1/Services/{ChatServiceSid}/Users/{UserSid}/Conversations)
func (r *UserConversationsService) List(ctx context.Context, userSID string, params *UserConversationListParams, opts ...RequestOption) (*Page[UserConversation], error) {
	return list[UserConversation](ctx, r.s, "Users/{UserSid}/Conversations", params, opts, userSID)
}

// All iterates over every conversation of a user, fetching pages as needed.
// The user is addressed by SID or identity.
//
// Operation: ListUserConversation (GET /v1/Users/{UserSid}/Conversations)
// Operation: ListServiceUserConversation (GET /v1/Services/{ChatServiceSid}/Users/{UserSid}/Conversations)
func (r *UserConversationsService) All(ctx context.Context, userSID string, params *UserConversationListParams, opts ...RequestOption) iter.Seq2[*UserConversation, error] {
	return all[UserConversation](ctx, r.s, "Users/{UserSid}/Conversations", params, opts, userSID)
}
