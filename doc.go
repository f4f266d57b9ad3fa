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
// The Client's resource services (c.Conversations, c.Messages, ...) address
// the default service: /v1/Conversations/... . c.Service(chatServiceSID)
// returns the same service types bound to /v1/Services/{ChatServiceSid}/...:
//
//	c.Service("IS...").Conversations.Fetch(ctx, "CH...")
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
// changes the retry policy of one call; WithResponse exposes the raw
// *http.Response.
//
// # Pagination
//
// List returns one *Page; All returns an iter.Seq2 over every item, fetching
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
// errors; all types work with errors.As.
//
// # Retries
//
// 429 answers are retried on every call; 5xx answers and network errors on
// reads, deletes and updates. Creates are never sent twice once they may
// have reached Twilio. Retry-After is honoured up to a cap, and every wait
// ends when the context is done.
//
// # Testing
//
// Every service has an interface (ConversationsAPI, MessagesAPI, ...) that
// callers can fake in unit tests.
package conversations
