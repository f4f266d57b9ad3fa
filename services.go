package conversations

// Placeholder until this file's resources are written.

// ServicesService is not written yet.
type ServicesService struct{ s scope }

// BindingsService is not written yet.
type BindingsService struct{ s scope }

