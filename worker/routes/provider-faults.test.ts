// Provider faults through the real OpenAI provider (@ai-sdk/openai) against the fake OpenAI-compatible
// server (test/support/fake-openai-server.ts), through the whole worker: what the visitor's stream shows,
// what the session stores, and the turn's row in `turns`. The design (README, "Failover"): an error before
// the first text delta moves the turn to the other tier once; after text, the turn ends with an error part,
// the partial text kept, and the session record `failed`. Every test uses its own model ids, so its queued
// faults cannot be taken by another test file's calls.
import { inject, describe, expect, it } from "vitest";
import { createOpenAI } from "@ai-sdk/openai";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { streamChatTurn, type ChatTurnOutcome } from "../chat/chat-turn";
import { DEMO_BOT } from "../bots/bot";
import type { EdgechatEnv } from "../env";
import { callWorker, chatPost, chunksOf, seedBot, sessionOf, sessionRequest, testEnv, textOf, userMessage, type Chunk } from "../test-support/bot-fixtures";

/** A fault the fake server applies to the next matching call (its own type lives in Node-only test support). */
type Fault = { kind: "status"; status: number; path: string; model: string } | { kind: "fail-mid-stream" | "stall" | "malformed"; path: string; model: string };

const fakeUrl = inject("fakeOpenAIUrl");
const fakeRoot = fakeUrl.replace(/\/v1$/, "");
const CHAT = "/v1/chat/completions";
/** What the visitor reads when an answer fails: never the provider's own text. */
const VISITOR_ERROR = "The assistant could not finish this answer. Please try again.";

const providerEnv: EdgechatEnv = {
  ...testEnv,
  OPENAI_API_KEY: "sk-fault-test",
  OPENAI_BASE_URL: fakeUrl,
  // The local stand-in index is 384-dimensional in these tests; the fake embeds at any size.
  EDGECHAT_EMBEDDING_DIMENSIONS: "384",
};

/** A bot whose small and large models are this test's own ids; every turn starts on the small one. */
async function faultBot() {
  const tag = crypto.randomUUID().slice(0, 8);
  const small = `small-${tag}`;
  const large = `large-${tag}`;
  const { bot } = await seedBot({ models: { small, large }, routing: { policy: "always-small" } }, providerEnv);
  return { bot, small, large };
}

async function queueFaults(...faults: Fault[]) {
  const response = await fetch(`${fakeRoot}/__faults`, { method: "POST", body: JSON.stringify(faults) });
  expect(response.ok).toBe(true);
}

async function chatCallsFor(...models: string[]): Promise<string[]> {
  const calls = (await (await fetch(`${fakeRoot}/__calls`)).json()) as { path: string; body: { model?: string } }[];
  return calls.filter((call) => call.path === CHAT && models.includes(String(call.body?.model))).map((call) => String(call.body.model));
}

async function turnWith(botId: string, question: string) {
  const worker = createEdgechatWorker();
  const chunks = await chunksOf(await callWorker(worker, chatPost({ botId, messages: [userMessage(question)] }), providerEnv));
  const session = sessionOf(chunks);
  const transcript = (await (await callWorker(worker, sessionRequest(`/v1/sessions/${session.sessionId}/messages`, session.token), providerEnv)).json()) as {
    messages: { role: string; parts: { text?: string }[]; metadata: { status: string } }[];
  };
  const answer = transcript.messages.find((message) => message.role === "assistant");
  const turns = await providerEnv.DB!.prepare("SELECT status, tier, route_reasons FROM turns WHERE bot_id = ?").bind(botId).all<{ status: string; tier: string; route_reasons: string }>();
  return { chunks, answer, turns: turns.results };
}

const errorsOf = (chunks: Chunk[]) => chunks.filter((chunk) => chunk.type === "error").map((chunk) => chunk.errorText);

describe("provider faults before the first token: failover to the other tier, once", () => {
  it.each([429, 500])("a %i from the small model: the large model answers, the turn is complete and says why", async (status) => {
    const { bot, small, large } = await faultBot();
    await queueFaults({ kind: "status", status, path: CHAT, model: small });
    const { chunks, answer, turns } = await turnWith(bot.id, "How do I rotate my keys?");
    expect(errorsOf(chunks)).toEqual([]);
    expect(textOf(chunks)).toBe("Fake OpenAI answer to: How do I rotate my keys?");
    expect(await chatCallsFor(small, large)).toEqual([small, large]);
    expect(answer).toMatchObject({ metadata: { status: "complete" } });
    expect(turns).toEqual([expect.objectContaining({ status: "complete", tier: "large" })]);
    expect(JSON.parse(turns[0]!.route_reasons)).toContain(`failover-${status}-small`);
  });

  it("both tiers failing: one clear error part, two calls in all, the session record failed", async () => {
    const { bot, small, large } = await faultBot();
    await queueFaults({ kind: "status", status: 429, path: CHAT, model: small }, { kind: "status", status: 500, path: CHAT, model: large });
    const { chunks, answer, turns } = await turnWith(bot.id, "Anyone there?");
    expect(errorsOf(chunks)).toEqual([VISITOR_ERROR]);
    expect(JSON.stringify(chunks)).not.toContain("fake error");
    expect(await chatCallsFor(small, large)).toEqual([small, large]);
    expect(answer).toMatchObject({ metadata: { status: "failed" } });
    expect(turns).toEqual([expect.objectContaining({ status: "failed" })]);
  });
});

describe("provider faults after text: an error part, the partial text kept, no failover", () => {
  it.each([
    ["the connection drops mid-stream (a 500 after the headers)", "fail-mid-stream"],
    ["malformed SSE after the text", "malformed"],
  ] as const)("%s", async (_name, kind) => {
    const { bot, small, large } = await faultBot();
    await queueFaults({ kind, path: CHAT, model: small });
    const { chunks, answer, turns } = await turnWith(bot.id, "Please explain the whole billing cycle");
    const text = textOf(chunks);
    expect(text.length).toBeGreaterThan(0);
    expect("Fake OpenAI answer to: Please explain the whole billing cycle").toContain(text);
    expect(errorsOf(chunks)).toEqual([VISITOR_ERROR]);
    const types = chunks.map((chunk) => chunk.type);
    expect(types.indexOf("error")).toBeGreaterThan(types.lastIndexOf("text-delta"));
    expect(await chatCallsFor(small, large)).toEqual([small]);
    expect(answer).toMatchObject({ metadata: { status: "failed" } });
    expect(answer!.parts[0]!.text).toBe(text);
    expect(turns).toEqual([expect.objectContaining({ status: "failed", tier: "small" })]);
  });
});

describe("a provider stream that stalls after text", () => {
  it("ends at the idle timeout with an error part and the text kept, the turn failed: it never hangs", async () => {
    const model = `stall-${crypto.randomUUID().slice(0, 8)}`;
    await queueFaults({ kind: "stall", path: CHAT, model });
    const provider = createOpenAI({ apiKey: "sk-fault-test", baseURL: fakeUrl });
    const outcomes: ChatTurnOutcome[] = [];
    const pending: Promise<unknown>[] = [];
    // Through the route the timeouts are the defaults (20 s before the first token, 30 s between chunks);
    // here the same turn runs with a short idle timeout.
    const response = streamChatTurn({
      bot: DEMO_BOT,
      question: "Tell me about regions",
      history: [],
      model: provider.chat(model),
      modelSource: "openai",
      signal: new AbortController().signal,
      maxOutputTokens: 100,
      failover: { idleTimeoutMs: 300 },
      onEnd: (outcome) => void outcomes.push(outcome),
      waitUntil: (promise) => void pending.push(promise),
    });
    const started = Date.now();
    const chunks = await chunksOf(response);
    await Promise.all(pending);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(textOf(chunks)).toBe("Fake OpenAI answer to: Tell me about regions");
    expect(errorsOf(chunks)).toEqual([VISITOR_ERROR]);
    expect(await chatCallsFor(model)).toEqual([model]); // no failover once text was shown
    expect(outcomes).toEqual([expect.objectContaining({ status: "failed", text: "Fake OpenAI answer to: Tell me about regions" })]);
  });
});
