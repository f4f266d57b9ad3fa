package conversations

// Temporary: service types filled in by their own files.
type MessagesService struct{ s scope }
type ReceiptsService struct{ s scope }
type ParticipantsService struct{ s scope }
type ParticipantConversationsService struct{ s scope }
type WebhooksService struct{ s scope }
type UsersService struct{ s scope }
type UserConversationsService struct{ s scope }
type RolesService struct{ s scope }
type CredentialsService struct{ s scope }
type ServicesService struct{ s scope }
type ConfigurationService struct{ s scope }
type AddressConfigurationsService struct{ s scope }
type BindingsService struct{ s scope }
type ServiceConfigurationService struct{ s scope }
