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
// Twilio's own helper libraries (twilio-go client/request_validator.go,
// twilio-node src/webhooks/webhooks.ts) were read for two behaviours the
// documents leave open: validating against the URL both with and without
// its port, and the order of repeated parameter values.
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
//	h := &webhook.Handler{
//		AuthToken: os.Getenv("TWILIO_AUTH_TOKEN"),
//		URL:       webhook.FixedOrigin("https://hooks.example.com"),
//		OnMessage: func(r *http.Request, e *webhook.MessageEvent) webhook.Response {
//			if e.EventType == webhook.OnMessageAdd && strings.Contains(e.Body, "spam") {
//				return webhook.Reject(http.StatusForbidden)
//			}
//			return webhook.Allow()
//		},
//	}
//	http.Handle("/twilio/conversations", h)
package webhook
