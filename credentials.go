package conversations

// Placeholder until this file's resources are written.

// CredentialsService is not written yet.
type CredentialsService struct{ s scope }

