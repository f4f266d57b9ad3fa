package conversations

// Placeholder until this file's resources are written.

// ConfigurationService is not written yet.
type ConfigurationService struct{ s scope }

// AddressConfigurationsService is not written yet.
type AddressConfigurationsService struct{ s scope }

// ServiceConfigurationService is not written yet.
type ServiceConfigurationService struct{ s scope }

