package conversations

// Placeholder until this file's resources are written.

// UsersService is not written yet.
type UsersService struct{ s scope }

// UserConversationsService is not written yet.
type UserConversationsService struct{ s scope }

