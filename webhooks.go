package conversations

// Placeholder until this file's resources are written.

// WebhooksService is not written yet.
type WebhooksService struct{ s scope }

