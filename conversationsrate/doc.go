// Package conversationsrate holds Twilio's write limits for one process:
// its Limiter is a conversations.Limiter on golang.org/x/time/rate that
// paces writes per key without any store.
//
// Twilio counts 30 actions per second per conversation (conversation update;
// participant and message create, update, delete) and 30 per second per
// Conversation Service (conversation create and delete; user and role
// writes); reads do not count ("Conversations (classic) Limits",
// https://www.twilio.com/docs/conversations-classic/conversations-limits).
// The client asks the limiter before each attempt of a write, under the key
// the write counts against: "conversation:<conversation path argument>" or
// "service:<ChatServiceSid>" ("service:default" for the account's default
// Conversation Service).
//
// It is a module of its own so that the SDK's root module keeps no runtime
// dependency beyond the standard library, and so that a single replica does
// not pull in Redis: a fleet of replicas shares the limits through
// conversationsredis instead, because N replicas that each stay under 30/s
// put the fleet over it.
//
//	client, err := conversations.NewClient(accountSID, authToken,
//		conversations.WithLimiter(conversationsrate.NewLimiter()))
//
// The pace is DefaultRate (28/s) with DefaultBurst (2): 93 % of Twilio's
// limit, leaving room for network jitter. Wait never fails except when its
// context ends, so the client's LimiterFailureMode never comes into play.
package conversationsrate
