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
// SaveState and LoadState write and read the whole state as JSON (seed
// data); WithManualClock stops the clock until Advance moves it.
//
// The README (section "Testing your code") lists what the fake does not model.
package conversationstest
