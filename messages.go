package conversations

// Placeholder until this file's resources are written.

// MessagesService is not written yet.
type MessagesService struct{ s scope }

// ReceiptsService is not written yet.
type ReceiptsService struct{ s scope }

