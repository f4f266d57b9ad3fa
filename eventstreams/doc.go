// Package eventstreams receives Twilio Event Streams deliveries on a
// webhook sink: it authenticates each request with package webhook's
// signature check, parses the batch of CloudEvents into typed Conversations
// events, calls back once per event — deduplicated by event id, because
// Event Streams delivers at least once — and answers so that Twilio
// redelivers exactly what failed.
//
// Event Streams is Twilio's recommended at-least-once channel for
// Conversations post-action events ("Conversations Webhooks", section
// "Conversations Webhooks vs. Event Streams": up to four hours of queuing,
// every post-action event except onDeliveryUpdated). Like package webhook,
// this package depends on the standard library only.
//
//	h, err := eventstreams.NewHandler(eventstreams.Config{
//		AuthToken:    os.Getenv("TWILIO_AUTH_TOKEN"),
//		PublicOrigin: "https://events.example.com", // the sink URL's origin, behind a proxy
//		OnMessage: func(ctx context.Context, e *eventstreams.MessageEvent) error {
//			return store.SaveMessage(ctx, e.ConversationSID, e.MessageSID, e.MessageBody)
//		},
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/twilio/events", h)
//
// # The wire
//
// A webhook sink receives POST requests whose body is a JSON array of
// CloudEvents 1.0 (id, type, source, specversion, time, dataschema,
// datacontenttype, data). The request carries X-Twilio-Signature computed
// the way every Twilio webhook is signed, over the sink URL with a
// bodySHA256 query parameter holding the SHA-256 of the body (the JSON
// variant of "Security", https://www.twilio.com/docs/usage/security). The
// Handler checks it with webhook.Handler.ReadBody — the module's one
// validator, with its URL spellings and its *webhook.SignatureError that
// names the likely cause of a mismatch.
//
// # Event types
//
// Every Conversations type is typed; any other type (a sink may be
// subscribed to other products) is a *GenericEvent with its data in
// Envelope.Data. Every event embeds the Envelope: id, type, source,
// specversion, time, dataschema, its schema version, datacontenttype, and
// the data and event as received.
//
//	ConversationAdded/Updated/Removed  *ConversationEvent
//	ConversationStateUpdated           *ConversationStateEvent
//	MessageAdded/Updated/Removed       *MessageEvent
//	ParticipantAdded/Updated/Removed   *ParticipantEvent
//	UserAdded/Updated                  *UserEvent
//
// Data fields keep Twilio's names in Go form (ConversationSid →
// ConversationSID, DateCreated → time.Time, Index → *int, Media →
// []Media); fields a type does not map are kept in its Extra map.
//
// # Delivery, retries and deduplication
//
// From "Event delivery retries and event duplication"
// (https://www.twilio.com/docs/events/event-delivery-and-duplication) and
// "Deduplication" (https://www.twilio.com/docs/events/faq/at-least-once-delivery):
// Event Streams delivers every event at least once, in no guaranteed order,
// and retries a failed delivery with exponential backoff for up to four
// hours; a webhook sink answering 429 or 5xx is retried, one answering
// another 4xx has the delivery discarded; two events are the same event if
// they have the same id; a sink must answer 200 for a duplicate it
// discards. There is no per-event acknowledgement in a webhook sink's
// answer, so the Handler answers 500 for a batch in which any event failed,
// and relies on deduplication to skip, on the redelivery, the events it
// already processed: see Handler for the exact rules and the guarantee that
// a failed event is never left marked as seen.
//
// The seen-set is the SeenSet interface. MemorySeenSet, the default, is
// bounded (DefaultSeenCapacity ids, oldest evicted first, each for
// DefaultSeenTTL = 5 h ≥ Twilio's four-hour retry window); a fleet of
// replicas needs a shared one (a Redis adapter implements SeenSet with
// SET NX PX and DEL).
//
// # Sources
//
//   - "Webhook Quickstart", https://www.twilio.com/docs/events/webhook-quickstart
//     — webhook sinks, signature validation, the 5-second answer timeout.
//   - "Event delivery retries and event duplication",
//     https://www.twilio.com/docs/events/event-delivery-and-duplication,
//     and "Deduplication", https://www.twilio.com/docs/events/faq/at-least-once-delivery
//     — at-least-once delivery, the four-hour retry window, the answer table
//     of the webhook sink, deduplication by id.
//   - The Conversations event type pages, https://www.twilio.com/docs/events/event-types/conversations/conversation,
//     .../conversation-state, .../message, .../participant, .../user — the
//     type strings, example events and field lists — and the JSON schemas
//     they link at https://events-schemas.twilio.com/ (for example
//     Conversations.ConversationAdded/2, Conversations.ConversationStateUpdated/1,
//     Conversations.MessageAdded/2, Conversations.ParticipantAdded/2,
//     Conversations.ParticipantUpdated/2, Conversations.UserAdded/2,
//     Conversations.UserUpdated/2).
//   - "Conversations Webhooks", https://www.twilio.com/docs/conversations/conversations-webhooks
//     — Event Streams carries every post-action event except onDeliveryUpdated.
//   - CloudEvents 1.0, https://github.com/cloudevents/spec/blob/v1.0/spec.md
//     — the envelope.
//
// The conversationstest fake delivers Event Streams too
// (conversationstest.WithEventStreams), signed, batched, with duplicates
// and reordering on request, so a consumer can be tested for idempotence
// without a Twilio account.
package eventstreams
