import { createUIMessageStream, createUIMessageStreamResponse, type ModelMessage, type StopCondition, type ToolSet } from "ai";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import type { Bot } from "../bots/bot";
import { observeTurn, type TurnOutcome } from "./turn-outcome";
import type { RouteDecision } from "../routing/route-decision";
import { DEFAULT_PRICES, type PriceTable } from "../routing/price-table";
import type { FailoverOptions } from "../routing/failover";
import { runRoutedGeneration, type TierModels } from "../routing/routed-generation";
import { TurnLedger, type ModelCallUsage, type TurnUsageSummary } from "../routing/turn-usage";

/** Metadata sent with every assistant message on the stream (merged from `start` and `finish`). */
export interface ChatMessageMetadata {
  model: string;
  source: string;
  createdAt: number;
  usage?: { inputTokens: number; outputTokens: number };
  /** The tier that answered (in `start`: the tier the router chose). */
  tier?: "small" | "large";
  /** Whether the small model handed the turn to the large one. */
  escalated?: boolean;
  /** The router's reasons, plus escalation and failover codes. */
  reasons?: string[];
  /** Estimated cost of the turn in USD from the price table. */
  costUsd?: number;
  /** Tokens and cost per model call. */
  models?: ModelCallUsage[];
  /** True when some usage is estimated because the provider reported none. */
  usageEstimated?: boolean;
}

/** How a turn ended, with what it cost: what `onEnd` receives. */
export interface ChatTurnOutcome extends TurnOutcome {
  usage: TurnUsageSummary;
}

export interface ChatTurnInput {
  bot: Bot;
  /** The visitor's new message. */
  question: string;
  /** Earlier messages of the conversation, from the server's own store. */
  history: ModelMessage[];
  /** The small and large tier models. */
  models?: TierModels;
  /** One model for both tiers (used when `models` is not given). */
  model?: LanguageModelV3;
  /** The router's decision (worker/routing/route-decision.ts); without one the turn starts small. */
  route?: RouteDecision;
  /** Prices for the cost estimate; default DEFAULT_PRICES. */
  prices?: PriceTable;
  /** Failover bounds (Retry-After cap, timeouts). */
  failover?: Partial<FailoverOptions>;
  /** Tools offered to both tiers (the small tier also gets `escalate`). */
  tools?: ToolSet;
  /** Step limit for those tools, e.g. stepCountIs(3); default one step. */
  stopWhen?: StopCondition<ToolSet>;
  /** Where the model came from ("openai", "offline", "custom"), for the metadata. */
  modelSource: string;
  /** Aborted when the visitor goes away. */
  signal: AbortSignal;
  maxOutputTokens: number;
  /** Called exactly once when the turn ends, complete, stopped or failed (after the response, via waitUntil). */
  onEnd?: (outcome: ChatTurnOutcome) => Promise<void> | void;
  waitUntil: (promise: Promise<unknown>) => void;
}

/**
 * Runs one chat turn and streams it as a UI message stream response: `start` with metadata,
 * the model's text, then `finish` with usage. Later stages (sources, tools, escalation) write
 * into the same stream, so the visitor always sees one assistant message.
 */
export function streamChatTurn(input: ChatTurnInput): Response {
  const models = tierModelsOf(input);
  const route: RouteDecision = input.route ?? { tier: "small", reasons: [], score: 0, threshold: 1 };
  const ledger = new TurnLedger(input.prices ?? DEFAULT_PRICES, route);
  // One abort for the whole turn: the visitor's request going away, or the stream being cancelled.
  const turnAbort = new AbortController();
  const abort = () => turnAbort.abort(new DOMException("The visitor stopped the answer.", "AbortError"));
  if (input.signal.aborted) abort();
  else input.signal.addEventListener("abort", abort, { once: true });

  const stream = createUIMessageStream({
    execute: async ({ writer }) => {
      const metadata: ChatMessageMetadata = {
        model: models[route.tier].modelId,
        source: input.modelSource,
        createdAt: Date.now(),
        tier: route.tier,
        reasons: route.reasons,
      };
      writer.write({ type: "start", messageId: crypto.randomUUID(), messageMetadata: metadata });
      // The router chose the tier; escalation, failover and usage happen in worker/routing.
      await runRoutedGeneration({
        writer,
        models,
        ledger,
        system: input.bot.systemPrompt,
        messages: [...input.history, { role: "user", content: input.question }],
        abortSignal: turnAbort.signal,
        maxOutputTokens: input.maxOutputTokens,
        failover: input.failover,
        tools: input.tools,
        stopWhen: input.stopWhen,
        errorText: chatErrorText,
      });
      if (!turnAbort.signal.aborted) writer.write({ type: "finish", messageMetadata: usageMetadata(ledger.summary()) });
    },
    onError: chatErrorText,
  });
  const observed = observeTurn(
    stream,
    (outcome) => input.onEnd?.({ ...outcome, usage: ledger.summary() }),
    input.waitUntil,
    abort,
  );
  return createUIMessageStreamResponse({ stream: observed, headers: STREAMING_HEADERS });
}

/** The usage part of the message metadata, sent in `finish`. */
export function usageMetadata(summary: TurnUsageSummary): Partial<ChatMessageMetadata> {
  return {
    model: summary.model,
    tier: summary.tier,
    escalated: summary.escalated,
    reasons: summary.reasons,
    usage: summary.usage,
    costUsd: summary.costUsd,
    models: summary.models,
    usageEstimated: summary.usageEstimated,
  };
}

function tierModelsOf(input: ChatTurnInput): TierModels {
  if (input.models) return input.models;
  if (input.model) return { small: input.model, large: input.model };
  throw new Error("streamChatTurn needs `models` (small and large) or `model`.");
}

/** What the visitor sees when the turn fails: never a raw provider message. */
export function chatErrorText(error: unknown): string {
  console.error("edgechat: chat turn failed", error);
  return "The assistant could not finish this answer. Please try again.";
}
