package conversations

// Placeholder until this file's resources are written.

// RolesService is not written yet.
type RolesService struct{ s scope }

