// Command conversations-emulator serves the stateful Twilio Conversations
// fake of package conversationstest over HTTP, so that code in any language
// (Twilio's Node, Python, Java, C# or Go helper libraries, or curl) can be
// tested against Conversations without a Twilio account:
//
//	go install github.com/conversations-go/conversations/cmd/conversations-emulator@latest
//	conversations-emulator -addr 127.0.0.1:4010
//
// It is a thin main over conversationstest (NewHandler, ControlPlane,
// SaveState, LoadState): the emulator serves exactly what the fake serves
// (the Conversations v1 API in the account's default service and in any
// Conversation Service, media upload and download, signed webhooks, Event
// Streams, and the v2 Conversation Orchestrator API below /v2), with the
// same errors, codes, paging and state rules. The -state file holds the v1
// state only.
//
// # Flags
//
// Every flag can also be set by the environment variable named in -h
// (CONVERSATIONS_EMULATOR_ and the flag's name in capitals, "-" as "_",
// e.g. CONVERSATIONS_EMULATOR_ADDR); a flag on the command line wins over
// its variable.
//
//	-addr host:port         where to listen (default 127.0.0.1:4010; port 0 picks a free one)
//	-public-url URL         base URL written into url, links and page URLs (default http:// + the address)
//	-account-sid SID        the Account SID accepted (default conversationstest.DefaultAccountSID)
//	-auth-token token       the Auth Token accepted and used to sign webhooks (default conversationstest.DefaultAuthToken)
//	-webhook-hosts a,b      hosts webhooks may go to besides loopback
//	-webhook-timeout 5s     how long a webhook may take to answer
//	-event-streams-url URL  an Event Streams webhook sink: signed CloudEvents batches go there
//	-event-streams-types a,b  the subscribed types (default every Conversations type)
//	-event-streams-batch-size 10, -event-streams-redeliver 0, -event-streams-reorder
//	                        batch size, at-least-once duplicates, shuffled rounds
//	-state file.json        state to load at start (seed data; see docs/emulator.md)
//	-save-state             save the state to the -state file at exit
//	-clock real|manual      manual: time moves only with POST /_emulator/clock/advance
//	-start-time RFC3339     where the manual clock starts (default now)
//	-write-limits           enforce Twilio's 30 writes/s per conversation and per service (429,
//	                        20429); on the fake's clock, so with -clock manual the window moves
//	                        only with POST /_emulator/clock/advance
//	-request-history 1000   how many recent entries each record keeps: requests (GET
//	                        /_emulator/requests), webhook deliveries (GET /_emulator/webhooks),
//	                        Event Streams events and deliveries (GET /_emulator/eventstreams);
//	                        memory stays bounded however long the emulator runs
//	-shutdown-timeout 10s   how long requests in flight may take at SIGINT/SIGTERM
//
// # Control plane
//
// Below /_emulator (conversationstest.ControlPrefix, which no Twilio route
// can take), JSON in and out, no credentials (serve it on loopback):
//
//	GET    /_emulator/health              {"status":"ok","account_sid":...,"url":...,"now":...}
//	POST   /_emulator/inbound             {"address","proxy_address","body","attributes","media_sid"}
//	                                      201 {"stored":true,"message_sid","conversation_sid","pre_action":[...]}
//	                                      200 {"stored":false,"pre_action":[...]} when a pre-action webhook rejected it
//	                                      404 when no open conversation has that address and proxy address
//	GET    /_emulator/clock               {"now":...}
//	POST   /_emulator/clock/advance       {"duration":"90s"}, answers {"now":...}
//	GET    /_emulator/webhooks[?wait=5s]  {"deliveries":[{"url","method","event_type","pre_action",
//	                                      "conversation_sid","form","header","status","body","error"}]}
//	DELETE /_emulator/webhooks            forgets the deliveries
//	GET    /_emulator/eventstreams[?wait=5s]  {"events":[{"id","type","event"}],"deliveries":[{"url",
//	                                      "header","body","event_ids","attempt","status","response",
//	                                      "error","outcome"}]} (409 without -event-streams-url)
//	DELETE /_emulator/eventstreams        forgets them
//	POST   /_emulator/faults              fail the next matching requests: {"count":1,"method":"POST",
//	                                      "path":"/v1/Conversations","status":429,"header":{"Retry-After":
//	                                      ["1"]}}, also "body", "code", "message", "delay", "after_handling";
//	                                      a trailing * in path matches a prefix; answers {"pending":n}
//	GET    /_emulator/faults              {"pending":n}
//	DELETE /_emulator/faults              drops the pending faults
//	POST   /_emulator/receipts            {"receipt_sid","status","error_code"}: a channel's delivery report
//	POST   /_emulator/bindings            {"chat_service_sid","identity","binding_type","endpoint",
//	                                      "credential_sid","message_types"}: a push binding, answers its sid
//	GET    /_emulator/requests            {"requests":[{"method","path","query","form","header","body"}]},
//	                                      the last -request-history requests, Authorization left out
//	                                      (likewise the webhooks and eventstreams lists keep the last
//	                                      -request-history entries each)
//	DELETE /_emulator/requests            forgets them
//	POST   /_emulator/reset               an empty account (recorded requests, webhook and Event Streams
//	                                      deliveries and events dropped too: conversationstest.Server.Reset)
//	GET    /_emulator/state               the state as JSON (conversationstest.Server.SaveState)
//	PUT    /_emulator/state               replaces the state (conversationstest.Server.LoadState)
//
// Each pre_action entry is one pre-action webhook sent for the inbound
// message: {"url","status","verdict","error"}, verdict "accepted",
// "modified" or "rejected" (Twilio's "Pre-action webhook responses" rules).
// Errors are {"error":"..."} with a 4xx status.
//
// # Logs and shutdown
//
// It logs JSON lines (log/slog) to standard error: one "listening" line at
// start with the address and URL, one "request" line per request (method,
// path without the query, status, bytes, ms, request_id) and never a
// header, so never a credential. SIGINT or SIGTERM stops it gracefully: no
// new connections, requests in flight finish (-shutdown-timeout), webhooks
// and Event Streams batches in flight are cancelled, the state is saved
// if -save-state is set, and a "stopped" line is logged. A second signal
// ends the process at once.
package main
