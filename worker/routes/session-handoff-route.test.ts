import { describe, expect, inject, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { signWebhook } from "../sessions/handoff";
import { callWorker, chatPost, chunksOf, seedBot, sessionOf, SITE, userMessage } from "../test-support/bot-fixtures";
import { HANDOFF_RETRY_DELAYS_MS } from "./session-handoff-route";

const services = inject("fakeServicesUrl");
/** These bots hand off through the webhook at once, as before live takeover (0 s: no wait for a member). */
const AT_ONCE = { handoff: { takeoverTimeoutSeconds: 0 } };
const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
HANDOFF_RETRY_DELAYS_MS.value = [10, 10];

function handoff(sessionId: string, token: string | undefined, body: unknown = {}) {
  return callWorker(
    worker,
    new Request(`http://edgechat.test/v1/sessions/${sessionId}/handoff`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: SITE, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

type Delivery = { headers: Record<string, string>; body: string };

describe("human handoff", () => {
  it("offers a person when asked, then POSTs the signed transcript to the bot's webhook, retrying failures", async () => {
    const hook = `hook-${crypto.randomUUID()}`;
    const { bot, handoffSecret } = await seedBot({ handoffWebhookUrl: `${services}/webhook/${hook}?fail=2`, ...AT_ONCE });
    const first = await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("How do I export data?")] })));
    expect(first.some((chunk) => chunk.type === "data-handoff")).toBe(false);
    const session = sessionOf(first);
    const asking = await chunksOf(
      await callWorker(worker, chatPost({ botId: bot.id, id: session.sessionId, sessionToken: session.token, messages: [userMessage("Can I talk to a human please?")] })),
    );
    expect(asking.find((chunk) => chunk.type === "data-handoff")).toMatchObject({ data: { offered: true } });

    const response = await handoff(session.sessionId, session.token, { contact: "ada@example.com", note: "Urgent" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "sent", message: expect.stringContaining("ada@example.com") });

    const deliveries = (await (await fetch(`${services}/webhook/${hook}`)).json()) as Delivery[];
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    const expected = await signWebhook(handoffSecret, delivery!.headers["x-edgechat-timestamp"]!, delivery!.body);
    expect(delivery!.headers["x-edgechat-signature"]).toBe(expected);
    expect(await signWebhook("wrong-secret", delivery!.headers["x-edgechat-timestamp"]!, delivery!.body)).not.toBe(expected);
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({ type: "edgechat.handoff", botId: bot.id, sessionId: session.sessionId, contact: "ada@example.com", note: "Urgent" });
    expect(payload.messages.map((message: { role: string; text: string }) => message.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(payload.messages[2].text).toBe("Can I talk to a human please?");

    // Once per conversation: a second click sends nothing more.
    const again = await handoff(session.sessionId, session.token);
    expect(await again.json()).toMatchObject({ status: "already_sent" });
    expect(((await (await fetch(`${services}/webhook/${hook}`)).json()) as Delivery[]).length).toBe(1);
  });

  it("tells the visitor when the team cannot be reached, and lets them try again", async () => {
    const hook = `down-${crypto.randomUUID()}`;
    const { bot } = await seedBot({ handoffWebhookUrl: `${services}/webhook/${hook}?fail=3`, ...AT_ONCE });
    const session = sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hello")] }))));
    const failed = await handoff(session.sessionId, session.token);
    expect(failed.status).toBe(502);
    const retried = await handoff(session.sessionId, session.token);
    expect(retried.status).toBe(200);
  });

  it("refuses a webhook on a private host (the same receiver, named localhost): 502, and nothing is delivered", async () => {
    const hook = `private-${crypto.randomUUID()}`;
    const privateUrl = `${services.replace("127.0.0.1", "localhost")}/webhook/${hook}`;
    const { bot } = await seedBot({ handoffWebhookUrl: privateUrl, ...AT_ONCE });
    const session = sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hello")] }))));
    expect((await handoff(session.sessionId, session.token)).status).toBe(502);
    expect(((await (await fetch(`${services}/webhook/${hook}`)).json()) as Delivery[]).length).toBe(0);
  });

  it("needs the session's own token and a bot with a webhook", async () => {
    const { bot } = await seedBot({ handoffWebhookUrl: `${services}/webhook/x-${crypto.randomUUID()}` });
    const { bot: noHook } = await seedBot();
    const mine = sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("a")] }))));
    const other = sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId: noHook.id, messages: [userMessage("b")] }))));
    expect((await handoff(mine.sessionId, undefined)).status).toBe(401);
    expect((await handoff(mine.sessionId, other.token)).status).toBe(404);
    expect((await handoff(other.sessionId, other.token)).status).toBe(409);
  });
});
