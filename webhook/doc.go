// Package webhook receives Twilio Conversations webhooks: it checks the
// X-Twilio-Signature header, parses the form body into typed events and
// answers pre-action events the way Conversations expects (allow, reject or
// modify).
//
// It depends on the standard library only; importing it does not pull in the
// REST client.
//
// # Sources
//
// Every rule in this package comes from one of these Twilio documents (the
// code comments name the one a rule comes from):
//
//   - "Security", https://www.twilio.com/docs/usage/security — sections
//     "Validating requests are coming from Twilio", "Explore the algorithm
//     yourself" and "A few notes": the signature algorithm, its worked
//     example, the bodySHA256 query parameter and the handling of ports and
//     user info in the URL.
//   - "Secure webhooks", https://www.twilio.com/docs/usage/webhooks/webhooks-security
//     — the same algorithm, and the rule that the URL must be the one Twilio
//     called (scheme, host, port, path and complete query string).
//   - "Conversations Webhooks", https://www.twilio.com/docs/conversations/conversations-webhooks
//     — the event types, their pre/post pairing, the parameters of every
//     event, and the pre-action response contract (200 publishes, 200 with a
//     JSON body modifies, 40x/50x rejects).
//
// The request-validation tests of Twilio's seven official helper libraries
// (twilio-node, twilio-python, twilio-java, twilio-csharp, twilio-ruby,
// twilio-php, twilio-go) are ported as table tests (vectors_test.go, one row
// per case, naming its source); they settle what the documents leave open:
// the URL spellings accepted (see CandidateURLs) and the treatment of
// repeated parameter values (see ComputeSignature).
//
// # URL normalisation
//
// Twilio signs the URL it requested, but not always in the spelling a
// server reconstructs, so ValidateSignature accepts the signature of any of
// these spellings of the URL it is given (CandidateURLs lists them):
//
//   - with the user info ("user:pass@") as written, and without it;
//   - with the port as written, without it, and — when the URL has none —
//     with the scheme's default port (:443 for https, :80 for http);
//   - with the path and query as written, and with the characters a
//     WHATWG URL parser escapes percent-encoded (the apostrophe in the
//     query, spaces, quotes, angle brackets, non-ASCII bytes: "It's" is
//     also tried as "It%27s"), and an escaped apostrophe of the query
//     unescaped ("param%27WithQuote" is also tried as "param'WithQuote");
//   - with an empty path as "/" and "/" as an empty path, query or not: a
//     webhook configured as "https://desk.example.com" is signed over that
//     string, while the server receives the request-target "/".
//
// Nothing else is rewritten: the scheme and host keep their case, escapes
// other than the query's %27 are never decoded ("%31" is not "1"), the
// query keeps its order, and a trailing slash after a non-empty path
// matters ("/hook" is not "/hook/"). Behind a proxy that changes the scheme, host or
// port, give the Handler the public origin (Config.PublicOrigin).
//
// # Validating by hand
//
// ValidateSignature checks a form-encoded request, ValidateBody a request
// whose body is JSON and whose URL carries bodySHA256. Both need the URL
// exactly as Twilio requested it; behind a proxy or load balancer that is
// the public URL configured in Twilio, not the one the Go server sees.
//
// # Handler
//
// Handler does everything: bounded read of the body, signature check (401
// and no callback on failure), parsing, dispatch to a typed callback and the
// response.
//
//	h, err := webhook.NewHandler(webhook.Config{
//		AuthToken:    os.Getenv("TWILIO_AUTH_TOKEN"),
//		PublicOrigin: "https://hooks.example.com",
//		OnMessage: func(r *http.Request, e *webhook.MessageEvent) webhook.Response {
//			if e.EventType == webhook.OnMessageAdd && strings.Contains(e.Body, "spam") {
//				return webhook.Reject(http.StatusForbidden)
//			}
//			return webhook.Allow()
//		},
//	})
//	if err != nil {
//		log.Fatal(err) // e.g. a PublicOrigin without a scheme
//	}
//	http.Handle("/twilio/conversations", h)
//
// NewHandler refuses a configuration that cannot work. A refused request is
// reported to Config.Logger and Config.OnReject; for a bad signature the
// error is a *SignatureError listing the URL spellings tried and, when it
// can tell, the likely cause (Cause, Hint: another scheme, host, port or
// trailing slash matched), never the token or the signature. A signature
// failure answers 401, which on a pre-action webhook rejects the action: a
// wrong PublicOrigin drops every inbound message, so log these errors.
//
// docs/webhooks.md in the module's repository has the tables: the
// responses and their effect on each pre-action event, the Go type of each
// of the 23 event types, and every URL spelling tried.
package webhook
