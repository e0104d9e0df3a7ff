// Live takeover (issue 13, docs/takeover.md): a person takes a conversation in the same chat. The bot makes no
// model or embedding call while a person has it, every message is stored once and in order (concurrent sends)
// and fanned out live to the agent's and the visitor's event streams, hand back resumes the bot, members
// outside the bot's scope get 404, and a request nobody takes in time runs the webhook handoff.
import { createExecutionContext, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { createEdgechatWorker, type EdgechatWorker } from "../create-edgechat-worker";
import { countedModels } from "../test-support/counted-models";
import { delta, openDrivenChat, readUntil } from "../test-support/driven-model";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, sessionRequest, testEnv, textOf, userMessage } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";
import { HANDOFF_RETRY_DELAYS_MS } from "../sessions/handoff";
import { MAX_EVENT_LISTENERS } from "../sessions/chat-session";

const services = inject("fakeServicesUrl");
HANDOFF_RETRY_DELAYS_MS.value = [10, 10];

/** A worker whose model and embedder count their calls. */
function countingWorker() {
  const { models, calls } = countedModels("The bot's answer.");
  return { worker: createEdgechatWorker({ models }), calls };
}

type Session = { sessionId: string; token: string };

async function startConversation(worker: EdgechatWorker, botId: string, text = "How do I rotate my keys?"): Promise<Session> {
  return sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId, messages: [userMessage(text)] }))));
}

function say(worker: EdgechatWorker, botId: string, session: Session, text: string, extra: Record<string, unknown> = {}) {
  return callWorker(worker, chatPost({ botId, id: session.sessionId, sessionToken: session.token, messages: [userMessage(text)], ...extra }));
}

const admin = (worker: EdgechatWorker, path: string, body?: unknown) => callWorker(worker, adminRequest("POST", path, body));

/** Reads server-sent events of a long-lived stream as they come: `next(n)` waits for n more events. */
function eventReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: { event: string; data: any }[] = [];
  return {
    events,
    async next(count: number): Promise<{ event: string; data: any }[]> {
      const wanted = events.length + count;
      while (events.length < wanted) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(":")) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      }
      return events.slice(wanted - count, wanted);
    },
    close: () => reader.cancel(),
  };
}

/** Opens a live event stream (never read to its end, so not through callWorker). */
async function openEvents(worker: EdgechatWorker, request: Request) {
  const response = await worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, testEnv, createExecutionContext());
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  return eventReader(response);
}

describe("a person takes over a conversation", () => {
  it("stops model and embedding calls for that session; the visitor's messages are stored; hand back resumes the bot", async () => {
    const { bot } = await seedBot();
    const { worker, calls } = countingWorker();
    const session = await startConversation(worker, bot.id);
    expect(calls.model).toBe(1);

    const taken = await admin(worker, `/v1/admin/sessions/${session.sessionId}/takeover`, { name: "Ana" });
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ handoff: { state: "human", agentName: "Ana", since: expect.any(Number) } });

    const before = { ...calls };
    // The widget tells the server a person has the conversation: nothing is started before the session call.
    const hinted = await chunksOf(await say(worker, bot.id, session, "Are you a real person?", { handoff: "human" }));
    // A client that does not know (a plain AI SDK client): still no model call.
    const unhinted = await chunksOf(await say(worker, bot.id, session, "Hello?"));
    expect(calls.model).toBe(before.model);
    expect(calls.embedding).toBe(before.embedding + 1); // only the unhinted turn's early retrieval, never a model call
    for (const chunks of [hinted, unhinted]) {
      expect(textOf(chunks)).toBe("");
      expect(chunks.find((chunk) => chunk.type === "start")).toMatchObject({ messageMetadata: { source: "takeover", takeover: { state: "human", agentName: "Ana" } } });
      expect(chunks.some((chunk) => chunk.type === "data-session")).toBe(true);
    }
    const posted = await admin(worker, `/v1/admin/sessions/${session.sessionId}/messages`, { text: "Yes, I am Ana from support." });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({
      message: { role: "assistant", author: { kind: "human", name: "Ana" }, text: "Yes, I am Ana from support.", status: "complete" },
    });

    const history = (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as any;
    expect(history.handoff).toMatchObject({ state: "human", agentName: "Ana" });
    expect(history.messages.map((message: any) => [message.role, message.parts[0]?.text, message.metadata.author?.name])).toEqual([
      ["user", "How do I rotate my keys?", undefined],
      ["assistant", "The bot's answer.", undefined],
      ["user", "Are you a real person?", undefined],
      ["user", "Hello?", undefined],
      ["assistant", "Yes, I am Ana from support.", "Ana"],
    ]);

    const released = await admin(worker, `/v1/admin/sessions/${session.sessionId}/release`);
    expect(await released.json()).toMatchObject({ handoff: { state: "none" } });
    const again = await chunksOf(await say(worker, bot.id, session, "Thanks, and how do I delete a key?", { handoff: "human" }));
    expect(textOf(again)).toBe("The bot's answer.");
    expect(calls.model).toBe(before.model + 1);
    // Once released, a person may not write until they take over again.
    const late = await admin(worker, `/v1/admin/sessions/${session.sessionId}/messages`, { text: "one more thing" });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: "not_taken_over" } });
  });

  it("stores agent and visitor messages once and in order with concurrent sends, fanned out live in that order", async () => {
    const { bot } = await seedBot();
    const { worker, calls } = countingWorker();
    const session = await startConversation(worker, bot.id, "hello");
    await admin(worker, `/v1/admin/sessions/${session.sessionId}/takeover`, { name: "Bo" });
    const agentEvents = await openEvents(worker, adminRequest("GET", `/v1/admin/sessions/${session.sessionId}/events`));
    const visitorEvents = await openEvents(worker, sessionRequest(`/v1/sessions/${session.sessionId}/events`, session.token));
    expect((await agentEvents.next(1))[0]).toEqual({ event: "handoff", data: expect.objectContaining({ state: "human", agentName: "Bo" }) });
    expect((await visitorEvents.next(1))[0]!.data).toMatchObject({ state: "human" });

    const modelCalls = calls.model;
    const visitorIds = Array.from({ length: 6 }, (_, i) => `v-${i}-${crypto.randomUUID()}`);
    const agentIds = Array.from({ length: 6 }, (_, i) => `a-${i}-${crypto.randomUUID()}`);
    // The visitor and the agent each write one message after the other (as a person types), both at once;
    // the same messages sent again (a retry) are stored once.
    const visitorSends = async () => {
      const statuses: number[] = [];
      for (const [i, id] of visitorIds.entries()) {
        const body = { botId: bot.id, id: session.sessionId, sessionToken: session.token, handoff: "human", messages: [userMessage(`visitor ${i}`, id)] };
        const [first, again] = await Promise.all([callWorker(worker, chatPost(body)), callWorker(worker, chatPost(body))]);
        statuses.push(first.status, again.status);
      }
      return statuses;
    };
    const agentSends = async () => {
      const statuses: number[] = [];
      for (const [i, id] of agentIds.entries()) {
        const send = () => admin(worker, `/v1/admin/sessions/${session.sessionId}/messages`, { id, text: `agent ${i}` });
        const [first, again] = await Promise.all([send(), send()]);
        statuses.push(first.status, again.status);
      }
      return statuses;
    };
    const statuses = (await Promise.all([visitorSends(), agentSends()])).flat();
    expect(statuses.every((status) => status === 200 || status === 201)).toBe(true);
    expect(calls.model).toBe(modelCalls);

    const stored = (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as any;
    const ids: string[] = stored.messages.map((message: any) => message.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sent = ids.slice(2);
    expect([...sent].sort()).toEqual([...visitorIds, ...agentIds].sort());
    // Each side's messages keep the order they were written in; the streams carry exactly the stored order.
    expect(sent.filter((id) => id.startsWith("v-"))).toEqual(visitorIds);
    expect(sent.filter((id) => id.startsWith("a-"))).toEqual(agentIds);
    const live = (await agentEvents.next(12)).map((event) => {
      expect(event.event).toBe("message");
      return event.data;
    });
    expect(live.map((message) => message.id)).toEqual(sent);
    expect(live.find((message) => message.id === agentIds[1])).toMatchObject({ author: { kind: "human", name: "Bo" }, text: "agent 1" });
    expect(live.find((message) => message.id === visitorIds[1])).toMatchObject({ author: { kind: "visitor" }, role: "user" });
    const visitorLive = (await visitorEvents.next(12)).map((event) => event.data);
    expect(visitorLive.map((message) => message.id)).toEqual(sent);
    expect(visitorLive.find((message) => message.id === agentIds[2])).toMatchObject({ metadata: { author: { kind: "human", name: "Bo" } } });

    // Hand back: both streams hear it, then the bot's answer to the next question.
    await admin(worker, `/v1/admin/sessions/${session.sessionId}/release`);
    expect((await agentEvents.next(1))[0]).toMatchObject({ event: "handoff", data: { state: "none" } });
    await say(worker, bot.id, session, "Back to the bot");
    const [question, answer] = await agentEvents.next(2);
    expect(question!.data).toMatchObject({ role: "user", text: "Back to the bot" });
    expect(answer!.data).toMatchObject({ role: "assistant", author: { kind: "ai" }, text: "The bot's answer." });

    // A reconnect with `after` replays what was stored after the last message seen.
    const replay = await openEvents(worker, sessionRequest(`/v1/sessions/${session.sessionId}/events?after=${agentIds[5]}`, session.token));
    const replayed = await replay.next(1 + ids.length - 1 - ids.indexOf(agentIds[5]!) + 2);
    expect(replayed.slice(1).map((event) => event.data.id).slice(-2)).toEqual([question!.data.id, answer!.data.id]);
    await Promise.all([agentEvents.close(), visitorEvents.close(), replay.close()]);
    // Each open stream holds memory in the session object: their number is capped.
    const streams = await Promise.all(
      Array.from({ length: MAX_EVENT_LISTENERS }, () => worker.fetch!(adminRequest("GET", `/v1/admin/sessions/${session.sessionId}/events`) as never, testEnv, createExecutionContext())),
    );
    const refused = await worker.fetch!(adminRequest("GET", `/v1/admin/sessions/${session.sessionId}/events`) as never, testEnv, createExecutionContext());
    expect(refused.status).toBe(429);
    await Promise.all(streams.map((response) => response.body!.cancel()));
  });

  it("taking over while an answer streams stops it: the visitor's stream ends and the answer is stored as stopped", async () => {
    const { driven, worker, reader, session } = await openDrivenChat("How do I export my data?");
    await driven.write({ type: "text-start", id: "t" });
    await driven.write(delta("You can export "));
    await readUntil(reader, (chunks) => chunks.some((chunk) => chunk.type === "text-delta"));
    // The D1 sessions row of a new conversation is written beside its first turn.
    let taken = await admin(worker, `/v1/admin/sessions/${session.sessionId}/takeover`, { name: "Di" });
    for (let attempt = 0; taken.status === 404 && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      taken = await admin(worker, `/v1/admin/sessions/${session.sessionId}/takeover`, { name: "Di" });
    }
    expect(taken.status).toBe(200);
    await readUntil(reader, () => false); // returns at the end of the visitor's stream: it does end
    await expect.poll(() => driven.wasAborted()).toBe(true);
    await expect
      .poll(async () => ((await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as any).messages[1]?.metadata.status)
      .toBe("stopped");
  });

  it("answers 404 conversation_not_found to members outside the bot's scope, 403 to a role without takeover", async () => {
    const { bot } = await seedBot();
    const { bot: other } = await seedBot();
    const { worker } = countingWorker();
    const session = await startConversation(worker, bot.id, "hello");
    const outsider = await signedInMember(worker, { role: "agent", bots: [other.id] });
    const editor = await signedInMember(worker, { role: "editor", bots: [bot.id] });
    const agent = await signedInMember(worker, { role: "agent", bots: [bot.id], name: `ana-${crypto.randomUUID().slice(0, 8)}` });
    const base = `/v1/console/sessions/${session.sessionId}`;
    for (const [method, path, body] of [
      ["POST", `${base}/takeover`, undefined],
      ["POST", `${base}/messages`, { text: "hi" }],
      ["POST", `${base}/release`, undefined],
      ["GET", `${base}/events`, undefined],
    ] as const) {
      const response = await callWorker(worker, consoleRequest(method, path, { cookie: outsider.cookie, body }));
      expect([path, response.status]).toEqual([path, 404]);
      expect(await response.json()).toMatchObject({ error: { code: "conversation_not_found" } });
    }
    const unknown = await callWorker(worker, consoleRequest("POST", `/v1/console/sessions/no-such-session/takeover`, { cookie: agent.cookie }));
    expect(unknown.status).toBe(404);
    expect((await callWorker(worker, consoleRequest("POST", `${base}/takeover`, { cookie: editor.cookie }))).status).toBe(403);
    // Writes from another origin are refused (CSRF), before anything else.
    expect((await callWorker(worker, consoleRequest("POST", `${base}/takeover`, { cookie: agent.cookie, origin: "https://evil.example" }))).status).toBe(403);
    // An API key scoped to the other bot: the same 404 on the admin API.
    const taken = await callWorker(worker, consoleRequest("POST", `${base}/takeover`, { cookie: agent.cookie }));
    expect(await taken.json()).toMatchObject({ handoff: { state: "human", agentName: agent.member.displayName } });
    const wrote = await callWorker(worker, consoleRequest("POST", `${base}/messages`, { cookie: agent.cookie, body: { text: "Hi, I can help." } }));
    expect(wrote.status).toBe(201);
    expect(await wrote.json()).toMatchObject({ message: { author: { kind: "human", name: agent.member.displayName } } });
    expect((await callWorker(worker, consoleRequest("POST", `${base}/messages`, { cookie: agent.cookie, body: { text: "" } }))).status).toBe(400);
    expect((await callWorker(worker, adminRequest("POST", `/v1/admin/sessions/${session.sessionId}/takeover`, undefined, "wrong"))).status).toBe(401);
  });
});

describe("a visitor asks for a person", () => {
  const botWithWebhook = async (timeoutSeconds: number, hook: string) =>
    (await seedBot({ handoffWebhookUrl: `${services}/webhook/${hook}`, handoff: { takeoverTimeoutSeconds: timeoutSeconds } })).bot;
  async function requestPerson(worker: EdgechatWorker, bot: { id: string }) {
    const session = await startConversation(worker, bot.id, "My invoice is wrong");
    const response = await callWorker(
      worker,
      new Request(`http://edgechat.test/v1/sessions/${session.sessionId}/handoff`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://site.example", authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ contact: "ada@example.com" }),
      }),
    );
    return { bot, session, response };
  }
  const deliveries = async (hook: string) => (await (await fetch(`${services}/webhook/${hook}`)).json()) as unknown[];

  it("is listed for members who may take over; nobody takes it within the bot's time: the webhook runs and the visitor is told", async () => {
    const { worker } = countingWorker();
    const hook = `takeover-timeout-${crypto.randomUUID()}`;
    const bot = await botWithWebhook(2, hook);
    // Members first (signing in is slow): the request below has 2 s before the webhook runs.
    const agent = await signedInMember(worker, { role: "agent", bots: [bot.id] });
    const outsider = await signedInMember(worker, { role: "agent", bots: ["another-bot"] });
    const { session, response } = await requestPerson(worker, bot);
    expect(await response.json()).toMatchObject({ status: "requested", handoff: { state: "requested" }, message: expect.stringContaining("2 seconds") });
    const visitorEvents = await openEvents(worker, sessionRequest(`/v1/sessions/${session.sessionId}/events`, session.token));
    expect((await visitorEvents.next(1))[0]!.data).toMatchObject({ state: "requested" });

    const listed = (await (await callWorker(worker, consoleRequest("GET", "/v1/console/handoffs", { cookie: agent.cookie }))).json()) as any;
    expect(listed.handoffs).toContainEqual({ botId: bot.id, sessionId: session.sessionId, requestedAt: expect.any(Number), firstQuestion: "My invoice is wrong" });
    const hidden = (await (await callWorker(worker, consoleRequest("GET", "/v1/console/handoffs", { cookie: outsider.cookie }))).json()) as any;
    expect(hidden.handoffs.map((row: any) => row.sessionId)).not.toContain(session.sessionId);
    expect(await deliveries(hook)).toHaveLength(0);

    // The session object's alarm fires after 2 s: webhook delivered, the visitor reads what happens next, then "timed_out".
    const [notice, timedOut] = await visitorEvents.next(2);
    expect(timedOut!.data).toMatchObject({ state: "timed_out" });
    expect(notice!.data).toMatchObject({ role: "assistant", metadata: { source: "handoff", handoff: "sent" } });
    expect(notice!.data.parts[0].text).toContain("ada@example.com");
    const [delivery] = (await deliveries(hook)) as { body: string }[];
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "edgechat.handoff", sessionId: session.sessionId, contact: "ada@example.com" });
    await expect.poll(async () => ((await (await callWorker(worker, consoleRequest("GET", "/v1/console/handoffs", { cookie: agent.cookie }))).json()) as any).handoffs.length).toBe(0);
    await visitorEvents.close();
  });

  it("a member who takes over in time calls the webhook handoff off", async () => {
    const { worker } = countingWorker();
    const hook = `takeover-in-time-${crypto.randomUUID()}`;
    const bot = await botWithWebhook(60, hook);
    const { session } = await requestPerson(worker, bot);
    const agent = await signedInMember(worker, { role: "agent", bots: [bot.id] });
    const open = async () => ((await (await callWorker(worker, consoleRequest("GET", "/v1/console/handoffs", { cookie: agent.cookie }))).json()) as any).handoffs;
    expect((await open()).map((row: any) => row.sessionId)).toEqual([session.sessionId]);
    await admin(worker, `/v1/admin/sessions/${session.sessionId}/takeover`, { name: "Cy" });
    // Taken: no longer an open request, and the session object's alarm is gone (nothing left to run).
    expect(await open()).toEqual([]);
    const stub = testEnv.CHAT_SESSIONS!.get(testEnv.CHAT_SESSIONS!.idFromName(`${bot.id}/${session.sessionId}`));
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect(await deliveries(hook)).toHaveLength(0);
    const history = (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token))).json()) as any;
    expect(history.handoff).toMatchObject({ state: "human", agentName: "Cy", requestedAt: expect.any(Number) });
  });

  it("validates the bot's timeout setting", async () => {
    const bad = await callWorker(worker0(), adminRequest("POST", "/v1/admin/bots", { id: `bad-${Date.now().toString(36)}`, name: "x", handoff: { takeoverTimeoutSeconds: -1 } }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: expect.stringContaining("handoff.takeoverTimeoutSeconds") } });
  });
});

const worker0 = () => countingWorker().worker;

