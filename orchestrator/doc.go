// Package orchestrator is the client of Twilio's Conversations API v2, the
// Conversation Orchestrator: configurations (how traffic is captured and
// grouped), conversations, their participants and communications, actions
// (sending a message) and long-running operations. It covers the 22
// operations of the v2 spec, one method each.
//
// # One client configuration for both APIs
//
// A v2 client is made from the v1 client, and shares all of it: the
// credentials, base URL (region, edge), HTTP client and timeouts, retry
// policy and client-wide retry budget, limiter, observer, logger and the
// error types (*conversations.Error, *ValidationError, *NetworkError,
// *DecodeError), so one errors.As works for v1 and v2 calls:
//
//	c, err := conversations.NewClientFromEnv()
//	...
//	v2 := orchestrator.New(c)
//	op, err := v2.Configurations.Create(ctx, &orchestrator.ConfigurationCreateParams{...})
//
// Request options are the root package's (WithHeader, WithCallRetry,
// WithResponse, WithIdempotencyKey). v2 calls carry no limiter key: the
// fleet limiter (conversations.WithLimiter) paces the v1 write limits,
// and Twilio documents no such limit for v2; an Observer sees v2 calls
// with their path templates as routes ("/v2/Conversations/{id}").
//
// # Services
//
// Client.Configurations (ConfigurationsAPI), Client.Conversations,
// Client.Participants, Client.Communications, Client.Actions and
// Client.Operations each have an interface for mocking. Lists have List
// (one page, *Page) and All (a lazy iter.Seq2 over every item): pages
// follow meta.nextToken through the pageToken query parameter, keeping
// the filters and page size; All yields every item or an error, and a
// token already used or a page repeating an earlier page's items ends it
// with a *conversations.DecodeError wrapping conversations.ErrPageCycle.
// PageOf and conversations.SeqOf build pages and iterators for fakes.
//
// # PUT and PATCH
//
// Configurations and conversations have both. Update (PUT) replaces the
// resource: its params are plain fields, and a field left empty is cleared.
// Patch (PATCH) is a JSON merge patch (RFC 7396): each field of its params
// is a Nullable, unset by default (left out of the body, so the server keeps
// the value), Set(v) to replace the value, or Null to send null, which
// removes it. Maps inside a patch (a configuration's channelSettings, a
// conversation's metadata) use pointer values: a key mapped to nil is sent
// as null and removes that entry; keys not in the map are kept.
// conversations.Ptr makes the pointers.
//
// # Idempotency keys and retries
//
// The spec takes an Idempotency-Key header on five writes: the
// configuration writes (Create, Update, Patch, Delete) and the asynchronous
// conversation delete (Conversations.Delete); Twilio keeps a key for 24
// hours per account and region and answers a repeated key with the
// original answer. For those the SDK generates one random UUID (version 4,
// from crypto/rand) per logical call, sends it unchanged on every attempt,
// and so retries them on 5xx and network errors like reads; a caller may
// pass its own key with conversations.WithIdempotencyKey (for instance to
// retry across process restarts); it must be a UUID, as the spec's pattern
// says, or the call fails with a *ValidationError. The other writes take
// no key (a WithIdempotencyKey there is sent but gives no guarantee): the
// creates (conversations, participants, communications, actions) are
// never re-sent once the server may have seen them (only 429s and
// failures to connect are retried), as in v1; the PUT and PATCH of
// conversations and participants are idempotent by nature and retried.
//
// A 409 Conflict (a pending operation holds the resource, a service is
// already bridged, an address is taken) is a *conversations.Error whose
// ConflictingResourceID is the X-Conflicting-Resource-Id header; see
// ConflictingResourceID.
//
// # Long-running operations
//
// The five keyed writes answer 202 Accepted: the method returns an
// *Operation built from the Operation-Id, Location and Retry-After
// headers and the body (statusUrl, related). Operation.Wait (or
// Operations.Wait with an operation ID) polls
// GET /v2/ControlPlane/Operations/{id} on the client's own base URL until
// the operation is COMPLETED or FAILED: it first waits for the 202's
// Retry-After, then backs off (1s doubling to 30s, see WaitPolicy), never
// polling sooner than an answer's Retry-After, and stops when ctx ends. A
// FAILED operation returns its state and an *OperationError carrying the
// RFC 9457 problem details.
// Actions.Create also answers 202, with the action itself (PENDING); poll
// Actions.Fetch for its outcome.
//
// # Validation
//
// Bad input fails with a *conversations.ValidationError before anything
// is sent: required fields, enum values (the documented enums are named
// string types with constants), displayName (at most 32 characters of
// ^[a-zA-Z0-9-_ ]+$), description (512), at most 5 intelligence
// configurations, at most 50 participants on Conversations.Create, metadata
// (8 entries, keys of 1-128 letters, digits, '.', '_', '-', values of 512),
// status callbacks (an absolute url, POST or GET), capture rules (from and
// to), the bridge's serviceId (IS + 32 hex digits), pageSize (1-1000), the
// memoryStoreId filter's pattern and path IDs (not empty, not a dot
// segment; escaped as one segment).
//
// # Where the spec or the docs are silent or disagree
//
//   - Status callbacks: the spec allows at most 2 in the body of the
//     configuration writes (as Twilio's API reference page shows) but up to
//     20 on a configuration as read and in a conversation's PATCH. The SDK
//     checks each request against its own schema: 2 for configuration
//     writes, 20 for Conversations.Patch.
//   - Channels: the channel enum has VOICE, SMS, RCS, WHATSAPP, CHAT and
//     VIDEO; a configuration's channelSettings keys are documented as
//     VOICE, SMS, RCS, WHATSAPP and CHAT only, so the SDK refuses VIDEO
//     there; the spec's send_channel list (no VOICE) belongs to no
//     operation, so senders and recipients of an action take any channel
//     and the API decides. CHAT is only reachable through the classic
//     bridge (Twilio's "Connect Conversations API (classic)" guide).
//   - The classic bridge: ConversationsV1Bridge.ServiceID names a
//     Conversation Service (IS...) of the v1 API; one configuration per
//     service. It is plain data here: the SDK checks its pattern and does
//     not look the service up. With the same *conversations.Client, v1
//     calls on that service and v2 calls share credentials and budget.
//   - Action types: requests take SEND_MESSAGE (ActionTypeSendMessage), the
//     only one documented; responses report Action.Type as a free string
//     (the spec says "action-send-message", its examples "SEND_MESSAGE").
//   - Transcription words are filled by the API; Transcription is one type
//     for reading and writing, and Words is ignored in requests.
//   - Idempotency-Key is honoured only where the spec lists it (above);
//     the async-operations page lists POST, PUT and DELETE of
//     configurations and DELETE of conversations as asynchronous, and the
//     spec adds PATCH of configurations, which the SDK treats the same.
//
// Twilio pages used for these choices: the API reference
// (https://www.twilio.com/docs/api/conversations/v2/Configuration), "Async
// operations" (https://www.twilio.com/docs/conversations/orchestrator/concepts/async-operations),
// "Connect Conversations API (classic)"
// (https://www.twilio.com/docs/conversations/orchestrator/guides/classic-bridge)
// and "Webhooks" (https://www.twilio.com/docs/conversations/orchestrator/webhooks:
// status callback URLs must be HTTPS on a public host, which the API, not
// the SDK, checks).
//
// # What is left out
//
// Schemas that no path uses (the capability schemas, the
// start_conversation_* schemas, communication_endpoint, relay and call
// settings, send_address and send_content, and the component copies of
// request bodies) are not part of the API and have no Go type. Fields
// marked libraryVisibility: private (beta features:
// traitExtractionStrategyIds, observationExtractionStrategyIds, a new
// conversation's workflows and its actionId) are left out too; answers
// carrying them still decode.
package orchestrator
