import {
  createUIMessageStream,
  createUIMessageStreamResponse,
  stepCountIs,
  type ModelMessage,
  type StopCondition,
  type ToolSet,
  type UIMessageChunk,
} from "ai";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import type { Bot } from "../bots/bot";
import { observeTurn, type TurnOutcome } from "./turn-outcome";
import { createImageTools } from "../images/generate-image-tool";
import type { ImageTurnOptions } from "../images/image-turn";
import { groundedPrompt } from "../rag/grounded-prompt";
import type { Passage } from "../rag/retrieve-passages";
import type { RouteDecision } from "../routing/route-decision";
import { DEFAULT_PRICES, type PriceTable } from "../routing/price-table";
import type { FailoverOptions } from "../routing/failover";
import { runRoutedGeneration, type TierModels } from "../routing/routed-generation";
import { NO_RETRIEVAL, retrievalSignalsFromPassages, type RetrievalSignals } from "../routing/retrieval-signals";
import { TurnLedger, type ModelCallUsage, type TurnUsageSummary } from "../routing/turn-usage";

/** Metadata sent with every assistant message on the stream (merged from `start`, `message-metadata` and `finish`). */
export interface ChatMessageMetadata {
  /** The model that answered (known once the router has decided). */
  model?: string;
  source: string;
  createdAt: number;
  /** True when the answer was written from retrieved documentation passages (cited as sources). */
  grounded?: boolean;
  usage?: { inputTokens: number; outputTokens: number };
  /** The tier that answered (after routing: the tier the router chose). */
  tier?: "small" | "large";
  /** Whether the small model handed the turn to the large one. */
  escalated?: boolean;
  /** The router's reasons, plus escalation and failover codes. */
  reasons?: string[];
  /** Estimated cost of the turn in USD from the price table, images included. */
  costUsd?: number;
  /** Tokens and cost per model call. */
  models?: ModelCallUsage[];
  /** True when some usage is estimated because the provider reported none. */
  usageEstimated?: boolean;
  /** Images generated in this turn, and their cost (worker/images/image-cost.ts), when images are offered. */
  images?: number;
  imageCostUsd?: number;
}

/** How a turn ended, with what it cost: what `onEnd` receives. */
export interface ChatTurnOutcome extends TurnOutcome {
  usage: TurnUsageSummary;
  /** Whether sources were found and used, and how many images were made. */
  grounded: boolean;
  sourcesFound: number;
  images: number;
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
  /**
   * The router's decision, or a function that decides from retrieval's signals (called after retrieval);
   * without one the turn starts small.
   */
  route?: RouteDecision | ((retrieval: RetrievalSignals) => RouteDecision);
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
  /** Offers the generate_image tool (see imageTurnOptions); unset, the turn has no image tool. */
  images?: ImageTurnOptions;
  /** Chunks written before `start`, e.g. the transient `data-session` part. */
  prelude?: UIMessageChunk[];
  /** Finds documentation passages for the question; without it the turn is not grounded. */
  retrieve?: () => Promise<Passage[]>;
  /** The vector score retrieval counts as relevant, for the router's "passages above threshold". */
  retrievalThreshold?: number;
}

/** What a model is told when the documentation could not be searched for this turn. */
export const RETRIEVAL_FAILED_NOTE =
  "The documentation search failed for this question: tell the visitor you could not check the documentation right now, and do not cite any sources.";

const START_SMALL: RouteDecision = { tier: "small", reasons: [], score: 0, threshold: 1 };

/**
 * Runs one chat turn and streams it as ONE assistant message in the UI message stream protocol:
 * prelude (session), `start`, sources from retrieval, the routed generation (small first, escalation,
 * failover, image tool), then `finish` with usage and cost. `onEnd` reports the outcome exactly once.
 */
export function streamChatTurn(input: ChatTurnInput): Response {
  const models = tierModelsOf(input);
  const prices = input.prices ?? DEFAULT_PRICES;
  let ledger = new TurnLedger(prices, typeof input.route === "object" ? input.route : START_SMALL);
  let grounded = false;
  let sourcesFound = 0;
  let imageUsage: { images?: number; imageCostUsd?: number } = {};
  // One abort for the whole turn: the visitor's request going away, or the stream being cancelled.
  const turnAbort = new AbortController();
  const abort = () => turnAbort.abort(new DOMException("The visitor stopped the answer.", "AbortError"));
  if (input.signal.aborted) abort();
  else input.signal.addEventListener("abort", abort, { once: true });

  const stream = createUIMessageStream({
    execute: async ({ writer }) => {
      for (const chunk of input.prelude ?? []) writer.write(chunk);
      const metadata: ChatMessageMetadata = { source: input.modelSource, createdAt: Date.now() };
      writer.write({ type: "start", messageId: crypto.randomUUID(), messageMetadata: metadata });
      const images = input.images ? createImageTools({ ...input.images, writer }) : undefined;

      // Retrieval: sources are streamed before the answer; a failing index or embedder leaves the
      // turn ungrounded (no sources, grounded: false) instead of failing it.
      let system = input.bot.systemPrompt;
      let signals = NO_RETRIEVAL;
      if (input.retrieve) {
        try {
          const passages = await input.retrieve();
          signals = retrievalSignalsFromPassages(passages, input.retrievalThreshold ?? 0);
          const prompt = groundedPrompt(input.bot.systemPrompt, passages);
          system = prompt.system;
          sourcesFound = prompt.sources.length;
          grounded = sourcesFound > 0;
          for (const source of prompt.sources) {
            writer.write({ type: "source-url", sourceId: source.sourceId, url: source.url, title: source.title });
          }
        } catch (error) {
          console.error("edgechat: retrieval failed; answering without sources", error);
          system = `${input.bot.systemPrompt}\n\n${RETRIEVAL_FAILED_NOTE}`;
        }
      }

      // Routing: decided after retrieval, so retrieval confidence counts.
      const route = typeof input.route === "function" ? input.route(signals) : (input.route ?? START_SMALL);
      ledger = new TurnLedger(prices, route);
      writer.write({
        type: "message-metadata",
        messageMetadata: { grounded, tier: route.tier, reasons: route.reasons, model: models[route.tier].modelId },
      });

      await runRoutedGeneration({
        writer,
        models,
        ledger,
        system,
        messages: [...input.history, { role: "user", content: input.question }],
        abortSignal: turnAbort.signal,
        maxOutputTokens: input.maxOutputTokens,
        failover: input.failover,
        tools: images ? { ...input.tools, ...images.tools } : input.tools,
        // With the image tool, more steps let the model answer after the tool's result.
        stopWhen: images ? (input.stopWhen ?? stepCountIs(3)) : input.stopWhen,
        errorText: chatErrorText,
        // Answer-side second chance (worker/routing/answer-checks.ts) needs to know the prompt had sources.
        grounded,
      });
      imageUsage = images?.usage() ?? {};
      if (!turnAbort.signal.aborted) {
        writer.write({ type: "finish", messageMetadata: { grounded, ...usageMetadata(ledger.summary(), imageUsage) } });
      }
    },
    onError: chatErrorText,
  });
  const observed = observeTurn(
    stream,
    (outcome) =>
      input.onEnd?.({
        ...outcome,
        usage: withImageCost(ledger.summary(), imageUsage),
        grounded,
        sourcesFound,
        images: imageUsage.images ?? 0,
      }),
    input.waitUntil,
    abort,
  );
  return createUIMessageStreamResponse({ stream: observed, headers: STREAMING_HEADERS });
}

/** The usage part of the message metadata, sent in `finish`; image costs are part of `costUsd`. */
export function usageMetadata(
  summary: TurnUsageSummary,
  images: { images?: number; imageCostUsd?: number } = {},
): Partial<ChatMessageMetadata> {
  const total = withImageCost(summary, images);
  return {
    model: total.model,
    tier: total.tier,
    escalated: total.escalated,
    reasons: total.reasons,
    usage: total.usage,
    costUsd: total.costUsd,
    models: total.models,
    usageEstimated: total.usageEstimated,
    ...images,
  };
}

function withImageCost(summary: TurnUsageSummary, images: { imageCostUsd?: number }): TurnUsageSummary {
  return images.imageCostUsd ? { ...summary, costUsd: summary.costUsd + images.imageCostUsd } : summary;
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
