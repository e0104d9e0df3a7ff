import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { APICallError, simulateReadableStream, stepCountIs, tool, type StopCondition, type ToolSet } from "ai";
import { z } from "zod";
import { MockLanguageModelV3 } from "ai/test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { streamChatTurn, type ChatTurnOutcome } from "../chat/chat-turn";
import { runRoutedGeneration } from "./routed-generation";
import { TurnLedger } from "./turn-usage";
import { DEMO_BOT, type Bot } from "../bots/bot";
import { chatPost, seedBot, SITE } from "../test-support/bot-fixtures";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { readServerSentEvents } from "../../widget/client/server-sent-events";
import type { EdgechatEnv } from "../env";
import { planTurnRouting } from "./turn-routing";
import { NO_RETRIEVAL, type RetrievalSignals } from "./retrieval-signals";
import { DEFAULT_PRICES, costUsd } from "./price-table";
import type { Passage } from "../rag/retrieve-passages";

const testEnv = env as unknown as EdgechatEnv & { DB: D1Database };
type Chunk = { type: string; [key: string]: unknown };

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});
const finish = (input = 100, output = 20, reason: "stop" | "tool-calls" = "stop"): LanguageModelV3StreamPart => ({
  type: "finish",
  finishReason: { unified: reason, raw: reason },
  usage: usage(input, output),
});
const textParts = (text: string): LanguageModelV3StreamPart[] => [
  { type: "text-start", id: "t" },
  ...(text.match(/\S+\s*/g) ?? []).map((delta) => ({ type: "text-delta" as const, id: "t", delta })),
  { type: "text-end", id: "t" },
];

/** A tier model that answers with `text` and reports usage. */
function answering(modelId: string, text: string, tokens: [number, number] = [100, 20]) {
  return new MockLanguageModelV3({
    modelId,
    doStream: async () => ({ stream: simulateReadableStream({ chunks: [...textParts(text), finish(...tokens)] }) }),
  });
}

/** A model that streams `text` (if any), then sends nothing more until its call is aborted. */
function hanging(modelId: string, text = "") {
  return new MockLanguageModelV3({
    modelId,
    doStream: async ({ abortSignal }) => ({
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          abortSignal?.addEventListener("abort", () => controller.error(abortSignal.reason));
          if (text) for (const part of textParts(text).slice(0, -1)) controller.enqueue(part);
        },
      }),
    }),
  });
}

/** A small model that calls the escalate tool, optionally after writing some text. */
function escalating(modelId: string, before = "") {
  return new MockLanguageModelV3({
    modelId,
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          ...(before ? textParts(before) : []),
          { type: "tool-input-start", id: "call-1", toolName: "escalate" },
          { type: "tool-input-delta", id: "call-1", delta: '{"reason":"needs several steps"}' },
          { type: "tool-input-end", id: "call-1" },
          { type: "tool-call", toolCallId: "call-1", toolName: "escalate", input: '{"reason":"needs several steps"}' },
          finish(80, 12, "tool-calls"),
        ] satisfies LanguageModelV3StreamPart[],
      }),
    }),
  });
}

function apiError(status: number, retryAfter?: string) {
  return new APICallError({
    message: `provider said ${status} with internal details`,
    url: "https://api.example/v1/chat/completions",
    requestBodyValues: {},
    statusCode: status,
    responseHeaders: retryAfter === undefined ? {} : { "retry-after": retryAfter },
    isRetryable: status === 429 || status >= 500,
  });
}

/** A model whose call fails before any token. */
function failingBeforeText(modelId: string, status: number, retryAfter?: string) {
  return new MockLanguageModelV3({
    modelId,
    doStream: async () => {
      throw apiError(status, retryAfter);
    },
  });
}

/** A model that streams some text, then fails with a 500. */
function failingAfterText(modelId: string, text: string) {
  return new MockLanguageModelV3({
    modelId,
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [{ type: "text-start", id: "t" }, ...textParts(text).slice(1, -1), { type: "error", error: apiError(500) }] as LanguageModelV3StreamPart[],
      }),
    }),
  });
}

interface TurnOptions {
  question: string;
  small: MockLanguageModelV3;
  large: MockLanguageModelV3;
  retrieval?: RetrievalSignals;
  bot?: Bot;
  failover?: { maxRetryAfterMs?: number; firstTokenTimeoutMs?: number; idleTimeoutMs?: number };
  tools?: ToolSet;
  stopWhen?: StopCondition<ToolSet>;
  /** Retrieved passages: the turn is grounded and the router decides after retrieval, as in the chat route. */
  passages?: Passage[];
}

const BILLING_PASSAGE: Passage = {
  documentId: "billing",
  chunkIndex: 0,
  title: "Billing",
  url: "https://docs.example/billing",
  heading: "Billing",
  text: "Invoices are sent on the first day of each month to the billing email.",
  score: 0.7,
};

/** One turn as the chat route runs it: plan the routing, then stream; returns the chunks and the outcome. */
async function turn(options: TurnOptions) {
  const bot = options.bot ?? DEMO_BOT;
  const routing = planTurnRouting({
    bot,
    question: options.question,
    history: [],
    models: { chat: options.small, small: options.small, large: options.large, source: "custom" },
    retrieval: options.retrieval ?? NO_RETRIEVAL,
  });
  const outcomes: ChatTurnOutcome[] = [];
  const pending: Promise<unknown>[] = [];
  const response = streamChatTurn({
    bot,
    question: options.question,
    history: [],
    models: routing.models,
    route: options.passages ? routing.decide : routing.route,
    ...(options.passages ? { retrieve: async () => options.passages!, retrievalThreshold: 0.3 } : {}),
    prices: routing.prices,
    failover: options.failover,
    tools: options.tools,
    stopWhen: options.stopWhen,
    modelSource: "custom",
    signal: new AbortController().signal,
    maxOutputTokens: 200,
    onEnd: (outcome) => void outcomes.push(structuredClone(outcome)),
    waitUntil: (promise) => pending.push(promise),
  });
  const chunks: Chunk[] = [];
  for await (const data of readServerSentEvents(response.body!)) if (data !== "[DONE]") chunks.push(JSON.parse(data) as Chunk);
  await Promise.all(pending);
  const text = chunks.filter((chunk) => chunk.type === "text-delta").map((chunk) => chunk.delta).join("");
  const metadata = Object.assign({}, ...chunks.map((chunk) => (chunk.messageMetadata as object | undefined) ?? {})) as Record<string, unknown>;
  return { chunks, text, metadata, outcomes, route: routing.route };
}

describe("routing a turn between the small and the large model", () => {
  it("keeps an easy question on the small model", async () => {
    const small = answering("small-model", "The Pro plan costs $20 a month.");
    const large = answering("large-model", "unused");
    const { text, metadata, route } = await turn({
      question: "How much does the Pro plan cost?",
      small,
      large,
      retrieval: { searched: true, topScore: 0.82, secondScore: 0.4, passagesAboveThreshold: 2 },
    });
    expect(route.tier).toBe("small");
    expect(small.doStreamCalls).toHaveLength(1);
    expect(large.doStreamCalls).toHaveLength(0);
    expect(text).toBe("The Pro plan costs $20 a month.");
    expect(metadata).toMatchObject({ tier: "small", escalated: false, model: "small-model" });
    // The small model is offered the escalate tool.
    expect(small.doStreamCalls[0]!.tools?.map((tool) => tool.name)).toEqual(["escalate"]);
  });

  it("offers the turn's other tools to both tiers, and escalate only to the small one", async () => {
    const tools = { lookupOrder: tool({ description: "Look up an order", inputSchema: z.object({ id: z.string() }) }) };
    const small = escalating("small-model");
    const large = answering("large-model", "Done.");
    await turn({ question: "Where is the billing page?", small, large, tools });
    expect(small.doStreamCalls[0]!.tools?.map((t) => t.name)).toEqual(["lookupOrder", "escalate"]);
    expect(large.doStreamCalls[0]!.tools?.map((t) => t.name)).toEqual(["lookupOrder"]);
  });

  it("with a step limit, keeps what another tool did before the small model escalated", async () => {
    const tools = {
      lookupOrder: tool({ description: "Look up an order", inputSchema: z.object({ id: z.string() }), execute: async ({ id }) => ({ id, status: "shipped" }) }),
    };
    let step = 0;
    const small = new MockLanguageModelV3({
      modelId: "small-model",
      doStream: async () => {
        step++;
        const call = step === 1
          ? { type: "tool-call" as const, toolCallId: "order-1", toolName: "lookupOrder", input: '{"id":"A7"}' }
          : { type: "tool-call" as const, toolCallId: "esc-1", toolName: "escalate", input: '{"reason":"refund policy question"}' };
        return { stream: simulateReadableStream({ chunks: [call, finish(50, 5, "tool-calls")] }) };
      },
    });
    const large = answering("large-model", "Order A7 shipped; here is how refunds work.");
    const { chunks, text, metadata } = await turn({ question: "Where is my order A7?", small, large, tools, stopWhen: stepCountIs(3) });
    expect(small.doStreamCalls).toHaveLength(2);
    expect(large.doStreamCalls).toHaveLength(1);
    expect(chunks.find((chunk) => chunk.type === "tool-output-available")).toMatchObject({ toolCallId: "order-1", output: { id: "A7", status: "shipped" } });
    expect(chunks.some((chunk) => chunk.toolCallId === "esc-1")).toBe(false);
    expect(text).toBe("Order A7 shipped; here is how refunds work.");
    expect(metadata).toMatchObject({ tier: "large", escalated: true, reasons: ["escalate-tool: refund policy question"] });
  });

  it("routes with the learned router: a vague report goes large with the features that decided, a lookup stays small", async () => {
    const small = answering("small-model", "unused");
    const large = answering("large-model", "A careful answer.");
    const { metadata, route } = await turn({ question: "my payment went through twice", small, large });
    expect(route.tier).toBe("large");
    expect(small.doStreamCalls).toHaveLength(0);
    expect(large.doStreamCalls).toHaveLength(1);
    expect(large.doStreamCalls[0]!.tools ?? []).toHaveLength(0); // no escalate tool on the large tier
    expect(metadata).toMatchObject({ tier: "large", reasons: route.reasons });
    expect(route.reasons.length).toBeGreaterThan(0);

    const small2 = answering("small-model", "Invoices go to the billing email [1].");
    const large2 = answering("large-model", "unused");
    const lookup = await turn({ question: "Where do I change the billing email?", small: small2, large: large2, passages: [BILLING_PASSAGE] });
    expect(lookup.metadata).toMatchObject({ tier: "small", grounded: true, escalated: false });
    expect([small2.doStreamCalls.length, large2.doStreamCalls.length]).toEqual([1, 0]);
  });

  it("gives a second chance within the message when the small model hedges although sources exist", async () => {
    const small = answering("small-model", "I'm not sure, the documentation doesn't cover that.");
    const large = answering("large-model", "Let me look at this more closely. Invoices are sent on the 1st [1].");
    const { text, metadata, outcomes } = await turn({ question: "Where do I change the billing email?", small, large, passages: [BILLING_PASSAGE] });
    expect([small.doStreamCalls.length, large.doStreamCalls.length]).toEqual([1, 1]);
    expect(text).toBe("I'm not sure, the documentation doesn't cover that.Let me look at this more closely. Invoices are sent on the 1st [1].");
    expect(metadata).toMatchObject({ tier: "large", escalated: true, reasons: ["answer-check: hedged-with-sources"] });
    expect(outcomes[0]!.usage).toMatchObject({ escalated: true, tier: "large" });
    const largeSystem = String(large.doStreamCalls[0]!.prompt.find((message) => message.role === "system")!.content);
    expect(largeSystem).toContain("the documentation doesn't cover that");
    expect(largeSystem).toContain("hedged");
    expect(large.doStreamCalls[0]!.tools ?? []).toHaveLength(0); // no third call: escalation is offered once
  });

  it("gives a second chance when a grounded answer of some length cites nothing, and none when it cites or is not grounded", async () => {
    const uncited = "You can change the billing email in the dashboard under Settings, then Billing, where the current address is shown next to the invoices list and can be edited at any time by an owner.";
    const small = answering("small-model", uncited);
    const large = answering("large-model", "The billing email is where invoices go [1].");
    const { metadata } = await turn({ question: "Where do I change the billing email?", small, large, passages: [BILLING_PASSAGE] });
    expect(metadata).toMatchObject({ tier: "large", escalated: true, reasons: ["answer-check: no-citation"] });

    const cited = answering("small-model", `${uncited} [1]`);
    const unused = answering("large-model", "unused");
    expect((await turn({ question: "Where do I change the billing email?", small: cited, large: unused, passages: [BILLING_PASSAGE] })).metadata).toMatchObject({ tier: "small", escalated: false });
    const ungrounded = answering("small-model", "I'm not sure, the documentation doesn't cover that.");
    expect((await turn({ question: "Where do I change the billing email?", small: ungrounded, large: unused })).metadata).toMatchObject({ tier: "small", escalated: false });
    expect(unused.doStreamCalls).toHaveLength(0);
  });

  it("gives no second chance when one model serves both tiers", async () => {
    const only = answering("only-model", "I'm not sure, the documentation doesn't cover that.");
    const { metadata } = await turn({ question: "Where do I change the billing email?", small: only, large: only, passages: [BILLING_PASSAGE] });
    expect(only.doStreamCalls).toHaveLength(1);
    expect(metadata).toMatchObject({ escalated: false });
  });

  it("sends a question to the large model when the visitor asks for a detailed answer", async () => {
    const small = answering("small-model", "unused");
    const large = answering("large-model", "In detail: …");
    const { metadata } = await turn({ question: "Please give me a detailed answer: how do backups work?", small, large });
    expect(small.doStreamCalls).toHaveLength(0);
    expect(large.doStreamCalls).toHaveLength(1);
    expect(metadata.reasons).toContain("explicit-request");
  });

  it("obeys the bot policy always-large, and always-small, whatever the question", async () => {
    const alwaysLarge: Bot = { ...DEMO_BOT, routing: { policy: "always-large" } };
    const small = answering("small-model", "unused");
    const large = answering("large-model", "Large answer.");
    const first = await turn({ question: "Hi", small, large, bot: alwaysLarge });
    expect(first.metadata).toMatchObject({ tier: "large", reasons: ["policy-always-large"] });
    expect([small.doStreamCalls.length, large.doStreamCalls.length]).toEqual([0, 1]);

    const alwaysSmall: Bot = { ...DEMO_BOT, routing: { policy: "always-small" } };
    const small2 = answering("small-model", "Small answer.");
    const large2 = answering("large-model", "unused");
    await turn({ question: "Compare the Pro and Business plans in detail, step by step?", small: small2, large: large2, bot: alwaysSmall });
    expect([small2.doStreamCalls.length, large2.doStreamCalls.length]).toEqual([1, 0]);
  });

  it("hands over to the large model within one assistant message when the small model calls escalate", async () => {
    const small = escalating("small-model");
    const large = answering("large-model", "Here is the full troubleshooting plan.", [300, 60]);
    const { chunks, text, metadata, outcomes } = await turn({ question: "Where is the billing page?", small, large });
    expect(small.doStreamCalls).toHaveLength(1);
    expect(large.doStreamCalls).toHaveLength(1);
    expect(chunks.filter((chunk) => chunk.type === "start")).toHaveLength(1);
    expect(chunks.filter((chunk) => chunk.type === "finish")).toHaveLength(1);
    expect(chunks.some((chunk) => chunk.type.startsWith("tool-"))).toBe(false); // the hand-over is not shown
    expect(text).toBe("Here is the full troubleshooting plan.");
    expect(metadata).toMatchObject({
      tier: "large",
      escalated: true,
      model: "large-model",
      reasons: ["escalate-tool: needs several steps"],
      usage: { inputTokens: 380, outputTokens: 72 },
    });
    const expectedCost =
      costUsd(DEFAULT_PRICES, "small-model", "small", { inputTokens: 80, outputTokens: 12 }) +
      costUsd(DEFAULT_PRICES, "large-model", "large", { inputTokens: 300, outputTokens: 60 });
    expect(metadata.costUsd).toBeCloseTo(expectedCost, 10);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.usage).toMatchObject({ escalated: true, tier: "large", usageEstimated: false });
  });

  it("keeps text the small model wrote before escalating, and tells the large model it was shown", async () => {
    const small = escalating("small-model", "Let me look into that. ");
    const large = answering("large-model", "The cause is the DNS record.");
    const { text } = await turn({ question: "Where is the billing page?", small, large });
    expect(text).toBe("Let me look into that. The cause is the DNS record.");
    const largeSystem = large.doStreamCalls[0]!.prompt.find((message) => message.role === "system")!;
    expect(String(largeSystem.content)).toContain("Let me look into that.");
  });

  it("fails over to the other tier once when the first call fails with 429 before any text", async () => {
    const small = failingBeforeText("small-model", 429, "0");
    const large = answering("large-model", "Answer from the large tier.");
    const { chunks, text, metadata, outcomes } = await turn({ question: "How do I reset my password?", small, large });
    expect(small.doStreamCalls).toHaveLength(1);
    expect(large.doStreamCalls).toHaveLength(1);
    expect(chunks.some((chunk) => chunk.type === "error")).toBe(false);
    expect(text).toBe("Answer from the large tier.");
    expect(metadata).toMatchObject({ tier: "large", escalated: false, reasons: ["failover-429-small"] });
    expect(outcomes[0]!.status).toBe("complete");
  });

  it("gives up after one failover: both tiers failing ends the turn with one error part", async () => {
    const small = failingBeforeText("small-model", 503);
    const large = failingBeforeText("large-model", 500);
    const { chunks, outcomes } = await turn({ question: "How do I reset my password?", small, large });
    expect([small.doStreamCalls.length, large.doStreamCalls.length]).toEqual([1, 1]);
    const errors = chunks.filter((chunk) => chunk.type === "error");
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(chunks)).not.toContain("internal details");
    expect(outcomes[0]).toMatchObject({ status: "failed" });
  });

  it("does not fail over on a client error such as 401", async () => {
    const small = failingBeforeText("small-model", 401);
    const large = answering("large-model", "unused");
    const { outcomes } = await turn({ question: "How do I reset my password?", small, large });
    expect([small.doStreamCalls.length, large.doStreamCalls.length]).toEqual([1, 0]);
    expect(outcomes[0]!.status).toBe("failed");
  });

  it("fails over when the first model sends nothing before the first-token timeout", async () => {
    const small = hanging("small-model");
    const large = answering("large-model", "Large answer after a silent small model.");
    const { text, metadata } = await turn({ question: "How do I reset my password?", small, large, failover: { firstTokenTimeoutMs: 50 } });
    expect(text).toBe("Large answer after a silent small model.");
    expect(metadata.reasons).toEqual(["failover-timeout-small"]);
  });

  it("ends with an error part, keeping the text, when the model goes silent after text (idle timeout): never hangs", async () => {
    const small = hanging("small-model", "Started to answer ");
    const large = answering("large-model", "unused");
    const { chunks, text, outcomes } = await turn({ question: "How do I reset my password?", small, large, failover: { idleTimeoutMs: 50 } });
    expect(text).toBe("Started to answer ");
    expect(chunks.filter((chunk) => chunk.type === "error")).toHaveLength(1);
    expect(large.doStreamCalls).toHaveLength(0);
    expect(outcomes[0]).toMatchObject({ status: "failed", text: "Started to answer " });
  });

  it("ends with an error part and keeps the partial text when the model fails with 500 after text", async () => {
    const small = failingAfterText("small-model", "The first half of ");
    const large = answering("large-model", "unused");
    const { chunks, text, metadata, outcomes } = await turn({ question: "How do I reset my password?", small, large });
    expect(text).toBe("The first half of ");
    expect(large.doStreamCalls).toHaveLength(0); // no failover once text was shown
    const types = chunks.map((chunk) => chunk.type);
    expect(types.filter((type) => type === "error")).toHaveLength(1);
    expect(types.indexOf("error")).toBeGreaterThan(types.lastIndexOf("text-delta"));
    expect(outcomes[0]).toMatchObject({ status: "failed", text: "The first half of " });
    // No usage from the provider: estimated from the text and marked.
    expect(metadata).toMatchObject({ usageEstimated: true, tier: "small" });
    expect(metadata.costUsd).toBeGreaterThan(0);
  });

  it("lets the runtime send the first text delta before it takes the rest of a burst that is already there", async () => {
    // 200 words all ready at once (a provider's burst in one network read, a fast model).
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({ chunks: [...textParts(Array.from({ length: 200 }, (_, i) => `w${i} `).join("")), finish()], initialDelayInMs: null, chunkDelayInMs: null }),
      }),
    });
    // The runtime sends a written chunk only once JavaScript yields (workerd pumps the response between runs of
    // it): stand in for that with an event queued when the first delta is written, and see what was written by then.
    const written: Chunk[] = [];
    const deltas = () => written.filter((chunk) => chunk.type === "text-delta").length;
    let deltasWhenSent: number | undefined;
    const writer = {
      write(chunk: Chunk) {
        written.push(chunk);
        if (chunk.type === "text-delta" && deltas() === 1) setTimeout(() => (deltasWhenSent = deltas()), 0);
      },
      merge() {},
      onError: undefined,
    } as unknown as Parameters<typeof runRoutedGeneration>[0]["writer"];
    await runRoutedGeneration({
      writer,
      models: { small: model, large: model },
      ledger: new TurnLedger(DEFAULT_PRICES, { tier: "small", reasons: [], score: 0, threshold: 1 }),
      system: "Answer.",
      messages: [{ role: "user", content: "Tell me everything." }],
      abortSignal: new AbortController().signal,
      maxOutputTokens: 1000,
      errorText: () => "failed",
    });
    expect(deltas()).toBe(200);
    // Without the yield after the first delta, all 200 words were written (and went down the whole response
    // pipeline) before the runtime could send the first.
    expect(deltasWhenSent).toBe(1);
  });
});

describe("usage and cost in the stream and in the bot's totals (D1)", () => {
  const admin = { authorization: "Bearer test-admin-token" };

  async function fetchWorker(worker: ExportedHandler<EdgechatEnv>, request: Request) {
    const ctx = createExecutionContext();
    const response = await worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, testEnv, ctx);
    return { response, ctx };
  }
  // A registered bot, chatting from a page it allows, as the hosted-bot rules require.
  let botId = "";
  beforeAll(async () => {
    botId = (await seedBot()).bot.id;
  });
  const chatRequest = (question: string, id: string) =>
    chatPost({ botId, messages: [{ id, role: "user", parts: [{ type: "text", text: question }] }] });
  async function usageTotals(worker: ExportedHandler<EdgechatEnv>) {
    const { response } = await fetchWorker(worker, new Request(`http://edgechat.test/v1/admin/bots/${botId}/usage`, { headers: admin }));
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, any>;
  }

  it("records a completed turn's tier, tokens and cost, and the admin totals add it up", async () => {
    const small = answering("gpt-4.1-mini", "Short answer.", [1000, 100]);
    const large = answering("gpt-4.1", "unused");
    const worker = createEdgechatWorker({ models: { chat: small, small, large, source: "custom" } });
    const before = await usageTotals(worker);
    const { response, ctx } = await fetchWorker(worker, chatRequest("How do I add a custom domain?", "q-complete"));
    let finishMetadata: Record<string, unknown> | undefined;
    let messageId = "";
    let sessionId = "";
    for await (const data of readServerSentEvents(response.body!)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data) as Chunk;
      if (chunk.type === "data-session") sessionId = (chunk.data as { sessionId: string }).sessionId;
      if (chunk.type === "start") messageId = chunk.messageId as string;
      if (chunk.type === "finish") finishMetadata = chunk.messageMetadata as Record<string, unknown>;
    }
    await waitOnExecutionContext(ctx);
    const expectedCost = (1000 * 0.4 + 100 * 1.6) / 1e6;
    expect(finishMetadata).toMatchObject({ tier: "small", usage: { inputTokens: 1000, outputTokens: 100 }, usageEstimated: false });
    expect(finishMetadata!.costUsd).toBeCloseTo(expectedCost, 10);

    const row = await testEnv.DB.prepare("SELECT * FROM turns WHERE id = ?").bind(messageId).first<Record<string, unknown>>();
    expect(row).toMatchObject({
      bot_id: botId,
      session_id: sessionId,
      user_message_id: "q-complete",
      status: "complete",
      tier: "small",
      escalated: 0,
      input_tokens: 1000,
      output_tokens: 100,
      usage_estimated: 0,
      question: "How do I add a custom domain?",
    });
    expect(row!.cost_usd).toBeCloseTo(expectedCost, 10);
    expect(JSON.parse(row!.models as string)).toEqual([
      { model: "gpt-4.1-mini", tier: "small", inputTokens: 1000, outputTokens: 100, costUsd: expectedCost, estimated: false },
    ]);

    const after = await usageTotals(worker);
    expect(after.turns - before.turns).toBe(1);
    expect(after.byTier.small - before.byTier.small).toBe(1);
    expect(after.inputTokens - before.inputTokens).toBe(1000);
    expect(after.costUsd - before.costUsd).toBeCloseTo(expectedCost, 8);
    expect(after.models.find((model: { model: string }) => model.model === "gpt-4.1-mini")).toBeDefined();
  });

  it("records an aborted turn with estimated usage, marked, exactly once", async () => {
    const small = hanging("gpt-4.1-mini", "Half of an answer ");
    const large = answering("gpt-4.1", "unused");
    const worker = createEdgechatWorker({ models: { chat: small, small, large, source: "custom" } });
    const before = await usageTotals(worker);
    const { response, ctx } = await fetchWorker(worker, chatRequest("How do I add a custom domain?", "q-aborted"));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    let messageId = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before the answer began: ${seen}`);
      seen += decoder.decode(value);
      if (seen.includes("answer ")) break;
    }
    messageId = /"messageId":"([^"]+)"/.exec(seen)![1]!;
    // The visitor presses stop: the explicit stop aborts the generation at once (a mere disconnect
    // keeps it going for a grace period so that a reload can resume it).
    const session = JSON.parse(/"type":"data-session","data":(\{[^}]+\})/.exec(seen)![1]!) as { sessionId: string; token: string };
    const stop = await fetchWorker(
      worker,
      new Request(`http://edgechat.test/v1/sessions/${session.sessionId}/stop`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.token}`, origin: SITE },
      }),
    );
    expect(stop.response.status).toBe(200);
    while (!(await reader.read()).done);
    await waitOnExecutionContext(ctx);

    const rows = await testEnv.DB.prepare("SELECT * FROM turns WHERE id = ?").bind(messageId).all<Record<string, unknown>>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0]!;
    expect(row).toMatchObject({ status: "stopped", tier: "small", usage_estimated: 1 });
    expect(row.output_tokens).toBe(Math.ceil("Half of an answer ".length / 4));
    expect(row.input_tokens as number).toBeGreaterThan(0);
    expect(row.cost_usd as number).toBeGreaterThan(0);
    expect(JSON.parse(row.models as string)[0]).toMatchObject({ model: "gpt-4.1-mini", estimated: true });

    const after = await usageTotals(worker);
    expect(after.turns - before.turns).toBe(1);
    expect(after.byStatus.stopped - before.byStatus.stopped).toBe(1);
    expect(after.estimatedTurns - before.estimatedTurns).toBe(1);
    expect(after.costUsd - before.costUsd).toBeCloseTo(row.cost_usd as number, 8);
  });
});
