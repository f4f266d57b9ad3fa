package conversations

// Placeholder until this file's resources are written.

// ParticipantsService is not written yet.
type ParticipantsService struct{ s scope }

// ParticipantConversationsService is not written yet.
type ParticipantConversationsService struct{ s scope }

