// Package conversationsredis runs conversations-go in a fleet: it keeps
// the limits that every replica of a service shares in Redis
// (github.com/redis/go-redis/v9), where no single process can hold them.
//
//   - Limiter is a conversations.Limiter: it paces the writes of all
//     replicas under Twilio's write limits, 30 actions per second per
//     conversation and 30 per second per Conversation Service.
//   - SeenSet is an eventstreams.SeenSet: an Event Streams event that Twilio
//     delivers again, to any replica, is processed once.
//
// It is a module of its own, so that the SDK's root module keeps no runtime
// dependency beyond the standard library. For a single replica, the
// conversationsrate module holds the same limits in process, on
// golang.org/x/time/rate, without Redis.
//
// # Twilio's limits and the keys
//
// Twilio's "Conversations (classic) Limits"
// (https://www.twilio.com/docs/conversations-classic/conversations-limits,
// and the changelog "Increasing Actions Per Second for Conversations")
// count writes, not reads:
//
//	key                    operations                                      limit
//	conversation:<arg>     conversation update; participant and message    30/s per conversation
//	                       create, update, delete
//	service:<IS…>          conversation create and delete; user and role   30/s per Conversation
//	service:default        create, update, delete                          Service
//
// <arg> is the conversation path argument the call was given (its SID, or
// its unique name where the API accepts one); service:default is the
// account's default Conversation Service (the routes without
// /Services/{ChatServiceSid}). The root package's limits.go maps each
// operation to its key; reads are unkeyed and never wait. The keys follow
// the call, not Twilio's resolution: replicas that write to the default
// service both through the default scope and through
// Client.Service(<its SID>) count against two keys, and replicas that name
// one conversation by SID and by unique name likewise; let a fleet spell
// each conversation and service one way. A request over a
// limit gets HTTP 429 (Twilio error 20429) and is not processed.
//
// # The limiter
//
// Each key is a GCRA rate limit (the generic cell rate algorithm) held in
// one Redis string and updated atomically by the Lua script of
// github.com/go-redis/redis_rate/v10, which reads the time from Redis
// itself, so replicas with skewed clocks still agree. Wait asks for a
// permit and, when refused, sleeps for the RetryAfter Redis answered and
// asks again. Within one process, the callers waiting on one key take turns
// (one Redis call in flight per key per process).
//
// The pace is DefaultLimit, 28/s with a burst of 2: 93 % of Twilio's 30,
// leaving room for the jitter between a permit and the moment Twilio counts
// the request. WithLimit changes it (for a service whose limits Twilio
// raised, say).
//
// Redis keys: "rate:" + prefix + key, e.g.
// "rate:conversations:conversation:CH…" (DefaultPrefix "conversations:",
// WithPrefix changes it). Each expires once its key has been idle for a
// second, so Redis holds only the keys in use.
//
// # When Redis fails
//
// Wait returns an *Error (Op "limit", wrapping go-redis's error) when Redis
// cannot decide, and ctx's error when ctx ends first. After a failure, the
// Limiter answers every Wait with that error at once, without asking Redis,
// for DefaultRecheck (1 s; WithRecheck changes it), so that an outage does
// not cost every write a dial and its retries. The client then follows its
// LimiterFailureMode:
//
//   - conversations.LimiterFailOpen (the default) sends the request anyway.
//     The fleet is then unpaced until Redis is back, and Twilio's 429
//     answers, which the client retries (a 429 was not processed), protect
//     the limit. Choose it when a write delayed by retries is better than a
//     write refused.
//   - conversations.LimiterFailClosed fails the call with
//     *conversations.NetworkError{Err: *conversations.LimiterError{Key,
//     Err: *Error}} and sends nothing. Choose it for bulk jobs that should
//     stop rather than hammer Twilio.
//
// Set it for a client (conversations.WithLimiterFailureMode) or for one call
// (conversations.WithCallLimiterFailureMode). Each Redis round trip is
// bounded by WithTimeout (DefaultTimeout, 250 ms) when the go-redis client
// has ContextTimeoutEnabled; its MaxRetries and DialTimeout bound it too. A
// Limiter starts no goroutine, so nothing is left behind when Redis goes
// away or the client is dropped.
//
// # The seen-set
//
// SeenSet.Claim is "SET prefix+seen:<event id> 1 NX PX <ttl>": the first
// delivery of an event id, on any replica, gets true and processes the
// event; a redelivery within ttl gets false. Release deletes the key (the
// processing failed), so Twilio's next delivery is processed. When Redis
// fails, Claim returns an *Error and the receiving handler answers Twilio
// with an error, so Twilio delivers the batch again later: an event is
// never dropped for a Redis outage, and never processed twice while Redis
// keeps its data (a Redis restarted without persistence forgets the ids it
// held, and a redelivery after that is processed again).
//
// # Configuring go-redis
//
//	rdb := redis.NewClient(&redis.Options{
//		Addr:                  "redis:6379",
//		ContextTimeoutEnabled: true,                   // WithTimeout applies
//		DialTimeout:           250 * time.Millisecond, // an unreachable Redis costs a call little
//		DialerRetries:         1,
//		MaxRetries:            1,
//	})
//	limiter := conversationsredis.NewLimiter(rdb)
//	client, err := conversations.NewClient(accountSID, authToken,
//		conversations.WithLimiter(limiter))
package conversationsredis
