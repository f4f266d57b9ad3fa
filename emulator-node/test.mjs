// Twilio's official Node helper library (npm twilio, pinned in
// package-lock.json) against a running cmd/conversations-emulator.
//
//   conversations-emulator -addr 127.0.0.1:4010 -event-streams-url http://127.0.0.1:4011/events
//   EMULATOR_URL=http://127.0.0.1:4010 EVENT_STREAMS_PORT=4011 node --test test.mjs
//
// .ci/run starts the emulator on a free port and runs this. The only
// plumbing: an httpClient that sends what twilio-node addresses to
// https://conversations.twilio.com (v1 and v2) to EMULATOR_URL instead
// (page URLs already point at the emulator: it writes its own URL into
// them).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import twilio from "twilio";

const base = process.env.EMULATOR_URL;
if (!base) throw new Error("set EMULATOR_URL, e.g. http://127.0.0.1:4010");
const streamsPort = Number(process.env.EVENT_STREAMS_PORT);
if (!streamsPort) throw new Error("set EVENT_STREAMS_PORT, the port of the emulator's -event-streams-url");
const accountSid = process.env.EMULATOR_ACCOUNT_SID ?? "AC0f3c5a7e9b1d2f4a6c8e0b2d4f6a8c0e";
const authToken = process.env.EMULATOR_AUTH_TOKEN ?? "5e1d9b3f7a2c4e6081f3a5c7e9b0d2f4";

// EmulatorClient is twilio-node's own RequestClient with the Twilio host
// swapped for the emulator's.
class EmulatorClient extends twilio.RequestClient {
  request(opts) {
    const uri = opts.uri.replace(/^https:\/\/conversations\.twilio\.com/, base);
    assert.ok(uri.startsWith(base), `request to ${uri} would leave the emulator`);
    return super.request({ ...opts, uri });
  }
}

const client = twilio(accountSid, authToken, { httpClient: new EmulatorClient() });
const v1 = client.conversations.v1;

async function control(method, path, body) {
  const res = await fetch(base + "/_emulator" + path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

// A pre-action webhook endpoint that checks the emulator's signature with
// twilio.validateRequest and upper-cases bodies that say "shout".
let hookServer;
let hookURL;
const hookCalls = [];
before(async () => {
  const { status } = await control("POST", "/reset");
  assert.equal(status, 200);
  hookServer = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      const valid = twilio.validateRequest(authToken, req.headers["x-twilio-signature"], hookURL + req.url, params);
      hookCalls.push({ path: req.url, valid, params });
      if (!valid) {
        res.writeHead(403).end();
      } else if (params.EventType === "onMessageAdd" && /shout/.test(params.Body)) {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ body: params.Body.toUpperCase() }));
      } else if (params.EventType === "onMessageAdd" && /spam/.test(params.Body)) {
        res.writeHead(403).end();
      } else {
        res.writeHead(200).end();
      }
    });
  });
  await new Promise((r) => hookServer.listen(0, "127.0.0.1", r));
  hookURL = `http://127.0.0.1:${hookServer.address().port}`;
});
after(() => hookServer?.close());

// The Event Streams sink the emulator was started with: it checks each
// batch's signature with twilio.validateRequestWithBody (the body's SHA-256
// is in the URL) and keeps the events.
let sinkServer;
const batches = [];
before(async () => {
  sinkServer = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = `http://127.0.0.1:${streamsPort}${req.url}`;
      const valid = twilio.validateRequestWithBody(authToken, req.headers["x-twilio-signature"], url, raw);
      batches.push({ valid, events: JSON.parse(raw) });
      res.writeHead(valid ? 200 : 403).end();
    });
  });
  await new Promise((r) => sinkServer.listen(streamsPort, "127.0.0.1", r));
});
after(() => sinkServer?.close());

test("a conversation with participants, messages, paging, an inbound message and errors", async () => {
  const conv = await v1.conversations.create({ friendlyName: "Node support", uniqueName: "node-1" });
  assert.match(conv.sid, /^CH[0-9a-f]{32}$/);
  assert.equal(conv.accountSid, accountSid);
  assert.equal(conv.uniqueName, "node-1");
  assert.equal(conv.friendlyName, "Node support");
  assert.equal(conv.state, "active");
  assert.equal(conv.url, `${base}/v1/Conversations/${conv.sid}`);
  assert.ok(conv.dateCreated instanceof Date && !isNaN(conv.dateCreated));

  const byName = await v1.conversations("node-1").fetch();
  assert.equal(byName.sid, conv.sid);

  const alice = await v1.conversations(conv.sid).participants.create({ identity: "alice" });
  assert.match(alice.sid, /^MB[0-9a-f]{32}$/);
  assert.equal(alice.identity, "alice");
  const sms = await v1.conversations(conv.sid).participants.create({
    "messagingBinding.address": "+15558675310",
    "messagingBinding.proxyAddress": "+15017122661",
  });
  assert.equal(sms.identity, null);
  assert.deepEqual(sms.messagingBinding, { type: "sms", address: "+15558675310", proxy_address: "+15017122661" });
  const participants = await v1.conversations(conv.sid).participants.list();
  assert.deepEqual(participants.map((p) => p.sid), [alice.sid, sms.sid]);

  for (let i = 0; i < 5; i++) {
    const m = await v1.conversations(conv.sid).messages.create({ author: "alice", body: `message ${i}` });
    assert.equal(m.index, i);
    assert.equal(m.participantSid, alice.sid);
    assert.equal(m.conversationSid, conv.sid);
  }

  // Paging: list() follows next_page_url two at a time; page() shows it.
  const all = await v1.conversations(conv.sid).messages.list({ pageSize: 2 });
  assert.deepEqual(all.map((m) => m.body), [0, 1, 2, 3, 4].map((i) => `message ${i}`));
  const first = await v1.conversations(conv.sid).messages.page({ pageSize: 2 });
  assert.equal(first.instances.length, 2);
  assert.ok(first.nextPageUrl.startsWith(`${base}/v1/Conversations/${conv.sid}/Messages?PageSize=2&Page=1&PageToken=`), first.nextPageUrl);
  const second = await first.nextPage();
  assert.deepEqual(second.instances.map((m) => m.index), [2, 3]);
  const limited = await v1.conversations(conv.sid).messages.list({ limit: 3, pageSize: 2 });
  assert.equal(limited.length, 3);

  // An inbound SMS, played through the control plane; the pre-action
  // webhook (signed, checked with twilio.validateRequest) modifies it.
  await v1.configuration.webhooks().update({
    preWebhookUrl: hookURL + "/pre",
    postWebhookUrl: hookURL + "/post",
    filters: ["onMessageAdd", "onMessageAdded"],
    method: "POST",
  });
  const played = await control("POST", "/inbound", { address: "+15558675310", proxy_address: "+15017122661", body: "please shout" });
  assert.equal(played.status, 201, JSON.stringify(played.body));
  assert.equal(played.body.stored, true);
  assert.equal(played.body.conversation_sid, conv.sid);
  assert.deepEqual(played.body.pre_action, [{ url: hookURL + "/pre", status: 200, verdict: "modified" }]);
  const inbound = await v1.conversations(conv.sid).messages(played.body.message_sid).fetch();
  assert.equal(inbound.body, "PLEASE SHOUT");
  assert.equal(inbound.author, "+15558675310");
  assert.equal(inbound.participantSid, sms.sid);
  assert.equal(inbound.index, 5);

  const rejected = await control("POST", "/inbound", { address: "+15558675310", proxy_address: "+15017122661", body: "buy spam" });
  assert.equal(rejected.status, 200);
  assert.deepEqual(rejected.body, { stored: false, pre_action: [{ url: hookURL + "/pre", status: 403, verdict: "rejected" }] });

  const hooks = await control("GET", "/webhooks?wait=10s");
  assert.equal(hooks.status, 200);
  const types = hooks.body.deliveries.map((d) => `${d.event_type} ${d.status}`).sort();
  assert.deepEqual(types, ["onMessageAdd 200", "onMessageAdd 403", "onMessageAdded 200"]);
  assert.ok(hookCalls.length === 3 && hookCalls.every((c) => c.valid), JSON.stringify(hookCalls));

  // A duplicate unique name: Twilio's RestException with code 50353.
  await assert.rejects(v1.conversations.create({ uniqueName: "node-1" }), (err) => {
    assert.ok(err instanceof twilio.RestException, String(err));
    assert.equal(err.status, 409);
    assert.equal(err.code, 50353);
    assert.equal(err.moreInfo, "https://www.twilio.com/docs/errors/50353");
    return true;
  });
  // A missing resource: 404 with code 20404.
  await assert.rejects(v1.conversations("CH00000000000000000000000000000000").fetch(), (err) => {
    assert.equal(err.status, 404);
    assert.equal(err.code, 20404);
    return true;
  });

  // A REST write with X-Twilio-Webhook-Enabled fires the post-action
  // webhook; the control plane shows the request as twilio-node sent it.
  assert.equal((await control("DELETE", "/webhooks")).status, 200);
  const hooked = await v1.conversations(conv.sid).messages.create({ author: "alice", body: "with hook", xTwilioWebhookEnabled: "true" });
  const posted = await control("GET", "/webhooks?wait=10s");
  assert.deepEqual(
    posted.body.deliveries.map((d) => [d.event_type, d.form.MessageSid[0], d.form.Body[0], d.status]),
    [["onMessageAdded", hooked.sid, "with hook", 200]],
  );
  const requests = await control("GET", "/requests");
  const sent = requests.body.requests.at(-1);
  assert.equal(sent.method, "POST");
  assert.equal(sent.path, `/v1/Conversations/${conv.sid}/Messages`);
  assert.deepEqual(sent.form, { Author: ["alice"], Body: ["with hook"] });
  assert.deepEqual(sent.header["X-Twilio-Webhook-Enabled"], ["true"]);
  assert.match(sent.header["User-Agent"][0], /^twilio-node\/6\.3\.1 /);
  assert.equal(sent.header.Authorization, undefined);

  const updated = await v1.conversations(conv.sid).update({ friendlyName: "renamed", attributes: JSON.stringify({ a: 1 }) });
  assert.equal(updated.friendlyName, "renamed");
  assert.equal(updated.attributes, '{"a":1}');
  assert.equal(await v1.conversations(conv.sid).remove(), true);
  assert.deepEqual(await v1.conversations.list(), []);
});

test("a Conversation Service scope and users", async () => {
  const svc = await v1.services.create({ friendlyName: "node service" });
  assert.match(svc.sid, /^IS[0-9a-f]{32}$/);
  const user = await v1.services(svc.sid).users.create({ identity: "bob", friendlyName: "Bob" });
  assert.equal(user.chatServiceSid, svc.sid);
  const fetched = await v1.services(svc.sid).users("bob").fetch();
  assert.equal(fetched.sid, user.sid);
  const conv = await v1.services(svc.sid).conversations.create({ uniqueName: "scoped" });
  assert.equal(conv.chatServiceSid, svc.sid);
  assert.equal(conv.url, `${base}/v1/Services/${svc.sid}/Conversations/${conv.sid}`);
});

test("Event Streams: signed CloudEvents batches for what the API did", async () => {
  // Deliver what the earlier tests published, then start from nothing.
  assert.equal((await control("GET", "/eventstreams?wait=10s")).status, 200);
  await control("DELETE", "/eventstreams");
  batches.length = 0;
  const conv = await v1.conversations.create({ uniqueName: "streamed" });
  const msg = await v1.conversations(conv.sid).messages.create({ author: "alice", body: "to the stream" });
  const listed = await control("GET", "/eventstreams?wait=10s");
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.deepEqual(listed.body.events.map((e) => e.type), [
    "com.twilio.conversations.conversation.added",
    "com.twilio.conversations.message.added",
  ]);
  assert.ok(listed.body.deliveries.every((d) => d.status === 200 && d.outcome === "delivered"), JSON.stringify(listed.body.deliveries));
  assert.ok(batches.length > 0 && batches.every((b) => b.valid), "every batch validates with twilio.validateRequestWithBody");
  const events = batches.flatMap((b) => b.events);
  const added = events.find((e) => e.type === "com.twilio.conversations.message.added" && e.data.ConversationSid === conv.sid);
  assert.ok(added, JSON.stringify(events));
  assert.equal(added.specversion, "1.0");
  assert.equal(added.data.ConversationSid, conv.sid);
  assert.equal(added.data.MessageSid, msg.sid);
  assert.equal(added.data.MessageBody, "to the stream");
});

test("faults: twilio-node's autoRetry rides out injected 429s; without it, a RestException", async () => {
  const retrying = twilio(accountSid, authToken, {
    httpClient: new EmulatorClient({ autoRetry: true, maxRetries: 3, maxRetryDelay: 200 }),
  }).conversations.v1;
  await control("DELETE", "/requests");
  const fault = { count: 2, method: "POST", path: "/v1/Conversations", status: 429, header: { "Retry-After": ["1"] } };
  assert.deepEqual((await control("POST", "/faults", fault)).body, { pending: 2 });
  const conv = await retrying.conversations.create({ friendlyName: "after two 429s" });
  assert.equal(conv.friendlyName, "after two 429s");
  const sent = (await control("GET", "/requests")).body.requests.filter((r) => r.path === "/v1/Conversations");
  assert.equal(sent.length, 3, "two 429s, then the create");
  assert.deepEqual((await control("GET", "/faults")).body, { pending: 0 });

  await control("POST", "/faults", { ...fault, count: 1 });
  await assert.rejects(v1.conversations.create({ friendlyName: "no retry" }), (err) => {
    assert.equal(err.status, 429);
    assert.equal(err.code, 20429);
    return true;
  });
});

test("v2 (Conversation Orchestrator): configurations with paging, a conversation, errors", async () => {
  const v2 = client.conversations.v2;
  const ids = [];
  for (const name of ["north", "south", "east"]) {
    const op = await v2.configurations.create({
      displayName: name,
      description: `${name} desk`,
      conversationGroupingType: "GROUP_BY_PARTICIPANT_ADDRESSES",
      memoryStoreId: "mem_store_01k1etk2y5f1y9fpe2epfdtvv2",
    });
    assert.match(op.related.configurationId, /^conv_configuration_[0-9a-z]{26}$/);
    assert.ok(op.statusUrl.startsWith(`${base}/v2/ControlPlane/Operations/`), op.statusUrl);
    ids.push(op.related.configurationId);
  }
  const north = await v2.configurations(ids[0]).fetch();
  assert.equal(north.displayName, "north");
  assert.equal(north.description, "north desk");
  assert.equal(north.conversationGroupingType, "GROUP_BY_PARTICIPANT_ADDRESSES");

  await control("DELETE", "/requests");
  const listed = await v2.configurations.list({ pageSize: 2 });
  assert.deepEqual(listed.map((c) => c.id).filter((id) => ids.includes(id)), ids);
  const gets = (await control("GET", "/requests")).body.requests.filter((r) => r.path === "/v2/ControlPlane/Configurations");
  assert.ok(gets.length >= 2, `paged: ${gets.length} requests`);

  const conv = await v2.conversations.create({ configurationId: ids[1] });
  assert.match(conv.id, /^conv_conversation_[0-9a-z]{26}$/);
  assert.equal(conv.configurationId, ids[1]);
  assert.equal(conv.status, "ACTIVE");
  assert.equal((await v2.conversations(conv.id).fetch()).id, conv.id);

  await assert.rejects(v2.configurations("conv_configuration_00000000000000000000000000").fetch(), (err) => {
    assert.ok(err instanceof twilio.RestException, String(err));
    assert.equal(err.status, 404);
    assert.equal(err.code, 20404);
    return true;
  });
  await assert.rejects(v2.configurations.create({ displayName: "incomplete" }), (err) => {
    assert.equal(err.status, 400);
    assert.equal(err.code, 20001);
    assert.match(err.message, /description/);
    return true;
  });
});
