// Package conversations is a typed, context-aware client for the Twilio
// Conversations v1 REST API: all 103 operations of the API, in the account's
// default Conversation Service and in any other Conversation Service.
//
// # Client
//
// Create a Client with an Account SID and Auth Token, or (better in
// production) an API Key SID and secret:
//
//	c, err := conversations.NewClient(apiKeySID, apiKeySecret)
//	c, err := conversations.NewClientFromEnv() // TWILIO_API_KEY/TWILIO_API_SECRET or TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN
//
// Options set the HTTP client (WithHTTPClient), the host (WithBaseURL,
// WithRegion, WithEdge), the User-Agent suffix (WithUserAgent), a slog
// logger (WithLogger) and the retry policy (WithRetry, WithoutRetry). A
// Client is safe for concurrent use.
//
// # Scopes
//
// The Client embeds a Scope whose resource services (c.Conversations,
// c.Messages, ...) address the account's default Conversation Service:
// /v1/Conversations/... . c.Service(chatServiceSID) returns a ServiceScope
// that embeds the same Scope bound to /v1/Services/{ChatServiceSid}/..., plus
// the services that exist only there (Bindings, Configuration):
//
//	c.Service("IS...").Conversations.Fetch(ctx, "CH...")
//
// Code that works in either scope takes a *Scope: c.DefaultScope() or
// &c.Service(sid).Scope. Account-level resources hang off the Client alone:
// c.Services (Conversation Services, modelled as ChatService, after the
// wire's chat_service_sid), c.Credentials, c.Configuration and
// c.AddressConfigurations.
//
// # Names
//
// Go initialisms throughout: SID, URL, ID, API (ConversationSID, PreWebhookURL).
// A conversation's unique name may stand in for its SID where Twilio's spec
// says so: in Conversations.Fetch, Update and Delete
// (/v1/Conversations/{Sid}). The sub-resources (messages, participants,
// webhooks, user conversations) take the conversation SID (CH...): fetch the
// conversation by unique name first to get it.
//
// # Enums
//
// One rule: every enumeration of Twilio's spec is a named string type with a
// constant per documented value (ConversationState, WebhookMethod,
// CredentialType, ...), used in models and params alike; a value the SDK does
// not know yet still decodes, so a new server value never breaks a call. A
// parameter or field that the spec documents as a free string stays a
// string, even when its documentation lists examples (webhook Filters),
// except where the values are an enum the SDK already has: the Type filter
// of AddressConfigurations.List is an AddressConfigurationType, and a type
// without a constant is sent as given. One concept has one type:
// WebhookMethod serves every webhook's HTTP method, and the SDK sends each
// operation the spelling its spec documents ("POST" or "post").
//
// # Params
//
// Each operation takes a params struct. Optional fields are pointers so that
// "unset" differs from the zero value; set them with Ptr. Required fields are
// values, checked before any request is sent, as are empty path SIDs: such
// mistakes return a *ValidationError and nothing goes on the wire.
//
//	c.Conversations.Update(ctx, sid, &conversations.ConversationUpdateParams{
//		State: conversations.Ptr(conversations.ConversationStateClosed),
//	}, conversations.WithWebhookEnabled(false))
//
// WithWebhookEnabled sets the X-Twilio-Webhook-Enabled header on the
// operations that accept it; WithHeader adds any header; WithCallRetry
// changes the retry policy of one call; WithIdempotencyKey and
// WithCallLimiterFailureMode serve the v2 API and fleets; WithResponse
// exposes the raw *http.Response. RequestOptions reads them back, for mocks.
//
// Wire quirks stay inside the SDK: Credential.Sandbox is a bool although
// Twilio sends "True"/"False"; CreateWithParticipants takes typed
// InitialParticipants and sends each as the JSON the API expects; dates and
// date filters are time.Time (*time.Time where optional or null, as
// LastReadTimestamp), sent as RFC 3339 in UTC; a webhook method is sent in
// the case each operation's spec documents.
//
// # Clearing a value
//
// A few parameters can be cleared as well as set: LastReadMessageIndex
// (participants and user conversations) and a participant's
// MessagingBinding.ProxyAddress and ProjectedAddress. They are one generic
// type, Nullable[T], with three states: unset (the zero value: nothing is
// sent, the value is kept), Set(v) (sent), and Null[T]() (cleared).
//
//	LastReadMessageIndex:         conversations.Set(42),
//	MessagingBindingProxyAddress: conversations.Null[string](),
//
// One generic type rather than NullableInt beside a NullableString: the rule
// (unset, value, null) is the same whatever the value's type, so it is one
// concept with one name, a param that becomes clearable later needs no new
// type, and the v2 API's merge-patch fields (package orchestrator) are the
// same type. A pointer alone could not say it: for an *int there is no value
// left to mean null, and for a *string the empty string is itself a value.
// The form body has no null, so each kind sends its spec's spelling: an
// integer's null is an empty value, a string's is the word null ("'null'
// value will remove it"). No other string param of the v1 spec is
// clearable.
//
// # Pagination
//
// Every XListParams embeds ListParams (PageSize, Page, PageToken). List
// returns one *Page; All returns an iter.Seq2 over every item, fetching
// pages lazily, starting no goroutine and stopping on break:
//
//	for conv, err := range c.Conversations.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(conv.SID)
//	}
//
// # Errors
//
// API answers other than 2xx are *Error (Status, Twilio's Code, Message,
// MoreInfo, RequestID, ...); transport failures are *NetworkError; bad 2xx
// bodies are *DecodeError; input rejected before sending is
// *ValidationError. IsNotFound, IsRateLimited and IsUnauthorized classify
// errors; all types work with errors.As. Twilio's documented error codes have
// names (CodeConversationUniqueNameExists, CodeParticipantExists, ...):
// HasCode(err, code) tests for one and IsConflict for "already exists"; each
// method's doc names the codes it is known to return.
//
// Both Conversations APIs (v1 here, v2 in the orchestrator package) call
// through one request core, the internal package internal/rest, which
// defines these types. This package re-exports them as type aliases (type
// Error = rest.Error, and likewise ValidationError, NetworkError,
// DecodeError, ResponseTooLargeError, LimiterError, RetryPolicy,
// RequestOption and the Limiter and Observer types): an alias is the same
// type, not a copy, so one errors.As(err, &apiErr) with a
// *conversations.Error matches an error of a v1 and of a v2 call alike,
// and a RequestOption or RetryPolicy built here is accepted by both. Other
// ways were weighed: defining the types here would make the core import
// the v1 package it serves (a cycle once v2 joins), and converting errors
// at each API's boundary would give two types for one error and a second
// place that must keep every field. The aliases' documentation is here;
// their fields are documented where they are defined.
//
// # Retries
//
// 429 answers are retried on every call; 5xx answers and network errors on
// reads, deletes and updates. Creates are never sent twice once they may
// have reached Twilio. Retry-After is honoured up to a cap, every wait
// ends when the context is done, and a client-wide retry budget keeps an
// outage from multiplying the load (see RetryPolicy).
//
// # Fleets and observability
//
// WithLimiter paces the writes that count against Twilio's shared limits
// (30 writes per second per conversation and per Conversation Service):
// every attempt of such a write waits for the Limiter under a key that
// limits.go documents ("conversation:CH...", "service:IS...",
// "service:default"). A limiter that cannot decide lets the call through
// (LimiterFailOpen, the default) or fails it with a *NetworkError wrapping a
// *LimiterError (LimiterFailClosed, per client or per call).
// WithObserver reports each call's start, limiter waits, attempts (with
// the retry decision and the budget left) and end, for traces and metrics.
// Neither costs anything measurable when unset.
//
// # Testing
//
// Every service has an interface (ConversationsAPI, MessagesAPI, ...) that
// callers can fake in unit tests; the fields of Scope are these
// interfaces, so code that takes a *Scope is tested with
// &conversations.Scope{Messages: fakeMessages}. A mock reads the options a
// call passed with RequestOptions(opts...), and may return a hand-built
// &conversations.Error{Status: 409, Code: CodeParticipantExists}, which
// prints as "conversations: HTTP 409 (code 50433)". For a fake that keeps
// state and speaks the real wire, see package conversationstest.
package conversations
