// Package conversationstest is an in-memory, stateful fake of the Twilio
// Conversations v1 REST API for tests, since Twilio has no sandbox for
// Conversations. It serves all 103 operations of the API over HTTP on
// 127.0.0.1, with the standard library only:
//
//	func TestSupportFlow(t *testing.T) {
//		srv := conversationstest.NewServer(t) // closed when the test ends
//		client := srv.Client()                // a *conversations.Client wired to it
//
//		conv, err := client.Conversations.Create(ctx, &conversations.ConversationCreateParams{
//			UniqueName: conversations.Ptr("support-42"),
//		})
//		...
//	}
//
// Anything that speaks HTTP can use it too: send Basic auth with
// srv.AccountSID and srv.AuthToken to srv.URL + "/v1/...".
//
// # What it models
//
// Answers follow Twilio's wire format: every field of the operation's
// response schema in the spec, SIDs with the right prefix (CH, IM, MB, WH,
// US, RL, IS, CR, BS, DY, IG) and 32 lower-case hex digits, RFC 3339 UTC
// timestamps, absolute url and links on the server's own URL, list
// envelopes with meta (key, page, page_size, url, first_page_url,
// previous_page_url, next_page_url with PageSize, Page and PageToken), 201
// on create, 204 on delete, and errors as Twilio's JSON
// {code, message, more_info, status} with Twilio's codes.
//
// State is kept between calls: a default Conversation Service (which the
// routes without /Services/{ChatServiceSid} address) plus any services you
// create, each holding its own conversations, users, roles, bindings and
// configuration; conversations addressable by SID or unique name, users and
// participants by SID or identity; message indexes increasing per
// conversation; date_updated moving on update; state timers that fire on
// the fake's clock (see Advance); delivery receipts for non-chat
// participants (see SetReceiptStatus); cascade deletes; uniqueness of
// conversation unique names, user identities, participant identities and
// address/proxy-address bindings; required parameters; paging and the list
// filters.
//
// Tests can inject faults (FailNext, RateLimitNext), inspect what was sent
// (Requests), seed push bindings (AddBinding) and move time (Advance).
// WithWriteLimits makes the fake enforce Twilio's write limits (30 per
// second per conversation and per Conversation Service, 429 with code
// 20429 above them).
//
// # Webhooks
//
// The fake calls webhooks back as Twilio does, signed with its auth token
// (X-Twilio-Signature): the service-level, account-level and
// conversation-scoped targets, post-action events of REST calls made with
// X-Twilio-Webhook-Enabled: true, and the pre- and post-action events of an
// inbound message played with ReceiveMessage, whose pre-action answer can
// reject or modify it. WaitDeliveries waits for the asynchronous post-action
// events and Deliveries lists everything sent. It sends only to loopback
// addresses unless WithWebhookHosts allows others.
//
// # Event Streams
//
// With WithEventStreams the fake also delivers Twilio Event Streams to a
// webhook sink: every post-action event but onDeliveryUpdated is published
// as a CloudEvent (com.twilio.conversations.message.added, ...) and posted
// in signed JSON-array batches, with duplicates (Redeliver) and shuffled
// order (Reorder) on request, retried on 429 and 5xx as Twilio does.
// FlushEventStreams delivers what is pending and waits; StreamDeliveries
// and StreamEvents list what was sent. Package eventstreams consumes it.
//
// # As a program, and as an http.Handler
//
// NewHandler makes a fake that does not listen, for your own HTTP server,
// with WithPublicBaseURL as the base of the URLs it returns; WithListenAddr
// gives New a fixed address. ControlPlane serves the test hooks above
// (ReceiveMessage, Advance, Deliveries, Reset, SaveState/LoadState) as JSON
// endpoints below ControlPrefix. cmd/conversations-emulator is both, as a
// program, so code in any language can use the fake (docs/emulator.md).
// SaveState and LoadState write and read the whole v1 state as JSON (seed
// data); WithRequestHistory bounds the recorded requests, webhook
// deliveries and Event Streams records of a long-running fake;
// WithManualClock stops the clock until Advance moves it.
//
// docs/testing.md in the module's repository is the reference: every test
// hook, the webhook rules, what the fake models, its error codes (each with
// its Twilio source) and what it does not model.
//
// # Conversation Orchestrator (v2)
//
// The fake also serves Conversations v2, the Conversation Orchestrator: the
// 22 operations of twilio_conversations_v2.json below srv.URL + "/v2", with
// the same Basic credentials, request recording, faults (FailNext matches
// /v2 paths too) and clock (Advance). State is kept in memory as for v1
// (Reset drops it; SaveState and LoadState do not carry it: a load starts
// it empty): configurations, conversations with their participants,
// communications and actions, long-running operations, idempotency keys.
//
// Wire: JSON bodies shaped as the spec's schemas (every answer is checked
// against them in the tests). IDs are a type prefix and 26 lower-case
// Crockford base32 characters (a ULID), as in the spec's examples:
// conv_configuration_, conv_conversation_, conv_participant_,
// conv_communication_, conv_action_, proc_job_ for operations and
// mem_profile_ for resolved profiles. Optional fields are left out when
// unset and nullable ones (name, completedAt, error, failureReason) are
// null; fields with a documented default carry it (memoryExtractionEnabled
// false, empty statusCallbacks, intelligenceConfigurationIds,
// channelSettings, metadata). Errors use Twilio's JSON
// {code, message, more_info, status}, the shape the spec gives every v2
// error response: 20001 for a missing field, 400 for an invalid one (its
// JSON path in the message, e.g. "channelSettings.SMS.statusTimeouts.inactive"),
// 20404, 20004, 20003, 409 (code 409) with X-Conflicting-Resource-Id, and
// 422 with Twilio's 17534 for a reused Idempotency-Key. The checks follow
// the request schemas: required fields, enums, patterns, lengths, list
// sizes (displayName at most 32 characters of ^[a-zA-Z0-9-_ ]+$, at most 2
// statusCallbacks on configuration writes and 20 on a conversation PATCH,
// 5 intelligence configurations, 50 participants on create, 8 metadata
// entries). A body field or list query parameter the spec does not have
// is a 400, never silently ignored.
//
// Long-running operations: the configuration writes (POST, PUT, PATCH,
// DELETE) and the conversation DELETE answer 202 Accepted with the
// Operation-Id, Location and Retry-After headers and {statusUrl, related};
// GET /v2/ControlPlane/Operations/{id} answers PENDING, then COMPLETED or
// FAILED (with completedAt and, when failed, an RFC 9457 problem in
// error). The change is applied when the operation completes: a
// configuration being created is 404 until then, and another async write
// to a resource whose operation is PENDING is a 409 naming that operation.
// By default operations complete at once (the first poll sees COMPLETED,
// Retry-After is 0); an AsyncPlan (WithAsyncPlan, SetAsyncPlan) keeps them
// PENDING for a number of polls (PendingPolls), until the test settles them
// (Hold, then CompleteOperation or FailOperation), or fails them (Fail).
//
// Actions: SEND_MESSAGE, the one type the spec's request accepts, answers
// 202 with the action PENDING, and settles under the same AsyncPlan
// (CompleteAction, FailAction): COMPLETED adds the message to the
// conversation as a communication (recipients DELIVERED; channelId and
// resourceId are the related messageSid) and sets related.communicationId;
// FAILED sets failureReason. from and to resolve as the spec says
// (participantId and channel, participantId with a single address, or
// address and channel); VOICE and VIDEO cannot send.
//
// Idempotency-Key, where the spec takes it (the async writes above): the
// same key with the same method, path and body, byte for byte, within 24
// hours of the fake's time returns the first answer (status, headers and
// body) without doing the write again; the same key with another request
// is 422 (17534, https://www.twilio.com/docs/api/errors/17534; the status is
// the IETF idempotency-key draft's); a key that is not a UUID is 400. Only
// successful answers are remembered, so a rejected request can be fixed
// and sent again under its key. Other operations ignore the header.
//
// Lists page by token: pageSize 1 to 1000 (default 50; outside is 400),
// pageToken, and meta {key, pageSize (the items returned, as the spec
// says), previousToken, nextToken}, the tokens present only when that page
// exists. Items are in creation order; a token stays valid when the item it
// points at is deleted, carries its list's filters (sent alone, it
// continues the filtered list; with other filters, or to another list, it
// is refused). PageSize and PageToken, which twilio-go sends for later
// pages, are accepted as spellings of pageSize and pageToken.
//
// PUT replaces (an optional field left out goes back to its default; the
// configuration's displayName, which PUT does not require, is kept); PATCH
// is a JSON merge patch (application/json or application/merge-patch+json):
// a field left out is kept, null removes it (back to its default), a
// configuration's channelSettings merge channel by channel, a
// conversation's metadata key by key; null on a required field is 400.
//
// Lifecycle (https://www.twilio.com/docs/conversations/orchestrator/concepts/lifecycle):
// a conversation moves from ACTIVE to INACTIVE and CLOSED when the
// statusTimeouts (minutes) of the channel of its last communication have
// passed since that communication, on the fake's clock; new traffic brings
// it back to ACTIVE; CLOSED is final (no new communications, participants
// or actions, no reopening). Participants of type CUSTOMER get a profileId,
// one per address, as a memory store would resolve it.
//
// The classic bridge: a configuration's conversationsV1Bridge.serviceId
// must name a Conversation Service of this fake (else 400; an empty one
// means no bridge, which is what twilio-go sends when none is set), and
// one service has one configuration (else 409). Following Twilio's guide
// "Connect Conversations API (classic)"
// (https://www.twilio.com/docs/conversations/orchestrator/guides/classic-bridge),
// the fake mirrors the bridged service into v2 at every v2 request: each
// classic conversation becomes a conversation of the configuration, each
// participant a participant (a chat identity on CHAT, a phone address on
// SMS, WHATSAPP or RCS as a CUSTOMER), each message a communication whose
// resourceId is the message SID. The other way, a communication added
// through v2 to a mirror (POST Communications, a completed action) becomes
// a classic message of its author (no classic webhooks are called for it).
// Traffic to a CLOSED mirror starts a new one; a mirror deleted through v2
// is not recreated.
//
// Where the spec and Twilio's docs disagree or are silent, the fake
// chooses: configuration IDs are conv_configuration_ everywhere (the
// spec's related example says cfg_configuration_); an action's type echoes
// the request (SEND_MESSAGE, as the spec's 202 example; its description
// says action-send-message); statusCallbacks allow 2 items on configuration
// writes (the request schemas) although the model allows 20; a
// communication whose resourceId exists updates it and answers 201 (the
// only status the spec lists); an empty transcription object on TEXT
// content is ignored (twilio-go sends one); 409 and 422 carry the status
// as code where Twilio documents none; the conversation's configuration is
// a copy taken at creation (plus its own intelligenceConfigurationIds and
// PATCHed statusCallbacks).
//
// Not modelled in v2: status callbacks are stored, never called; capture
// rules and grouping types are stored, not applied (conversations come
// from the API and the bridge only); memory store, intelligence and Studio
// IDs are not looked up; the bridge copies new messages only, not edits
// or deletions; the three-year maximum lifespan; API key credentials; the
// private (beta) fields, which create accepts (workflows,
// traitExtractionStrategyIds, observationExtractionStrategyIds) but
// neither stores nor returns; operations and actions are kept forever.
package conversationstest
