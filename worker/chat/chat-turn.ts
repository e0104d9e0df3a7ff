import { createUIMessageStream, createUIMessageStreamResponse, stepCountIs, streamText, type ModelMessage, type UIMessageChunk } from "ai";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import type { Bot } from "../bots/bot";
import { observeTurn, type TurnOutcome } from "./turn-outcome";
import { createImageTools } from "../images/generate-image-tool";
import type { ImageTurnOptions } from "../images/image-turn";
import { groundedPrompt } from "../rag/grounded-prompt";
import type { Passage } from "../rag/retrieve-passages";

/** Metadata sent with every assistant message on the stream (merged from `start` and `finish`). */
export interface ChatMessageMetadata {
  model: string;
  source: string;
  createdAt: number;
  /** True when the answer was written from retrieved documentation passages (cited as sources). */
  grounded?: boolean;
  usage?: { inputTokens: number; outputTokens: number };
  /** Images generated in this turn, and their cost (worker/images/image-cost.ts), when images are offered. */
  images?: number;
  imageCostUsd?: number;
}

export interface ChatTurnInput {
  bot: Bot;
  /** The visitor's new message. */
  question: string;
  /** Earlier messages of the conversation, from the server's own store. */
  history: ModelMessage[];
  model: LanguageModelV3;
  /** Where the model came from ("openai", "offline", "custom"), for the metadata. */
  modelSource: string;
  /** Aborted when the visitor goes away. */
  signal: AbortSignal;
  maxOutputTokens: number;
  /** Called exactly once when the turn ends, complete, stopped or failed (after the response, via waitUntil). */
  onEnd?: (outcome: TurnOutcome) => Promise<void> | void;
  waitUntil: (promise: Promise<unknown>) => void;
  /** Offers the generate_image tool (see imageTurnOptions); unset, the turn has no image tool. */
  images?: ImageTurnOptions;
  /** Chunks written before `start`, e.g. the transient `data-session` part. */
  prelude?: UIMessageChunk[];
  /** Finds documentation passages for the question; without it the turn is not grounded. */
  retrieve?: () => Promise<Passage[]>;
}

/** What a model is told when the documentation could not be searched for this turn. */
export const RETRIEVAL_FAILED_NOTE =
  "The documentation search failed for this question: tell the visitor you could not check the documentation right now, and do not cite any sources.";

/**
 * Runs one chat turn and streams it as a UI message stream response: `start` with metadata,
 * the model's text, then `finish` with usage. Later stages (sources, tools, escalation) write
 * into the same stream, so the visitor always sees one assistant message.
 */
export function streamChatTurn(input: ChatTurnInput): Response {
  const { model } = input;
  // One abort for the whole turn: the visitor's request going away, or the stream being cancelled.
  const turnAbort = new AbortController();
  const abort = () => turnAbort.abort(new DOMException("The visitor stopped the answer.", "AbortError"));
  if (input.signal.aborted) abort();
  else input.signal.addEventListener("abort", abort, { once: true });

  const stream = createUIMessageStream({
    execute: async ({ writer }) => {
      for (const chunk of input.prelude ?? []) writer.write(chunk);
      const metadata: ChatMessageMetadata = { model: model.modelId, source: input.modelSource, createdAt: Date.now() };
      writer.write({ type: "start", messageId: crypto.randomUUID(), messageMetadata: metadata });
      const images = input.images ? createImageTools({ ...input.images, writer }) : undefined;
      // Retrieval: sources are streamed before the answer; a failing index or embedder leaves the
      // turn ungrounded (no sources, grounded: false) instead of failing it.
      let system = input.bot.systemPrompt;
      let grounded = false;
      if (input.retrieve) {
        try {
          const prompt = groundedPrompt(input.bot.systemPrompt, await input.retrieve());
          system = prompt.system;
          grounded = prompt.sources.length > 0;
          for (const source of prompt.sources) {
            writer.write({ type: "source-url", sourceId: source.sourceId, url: source.url, title: source.title });
          }
        } catch (error) {
          console.error("edgechat: retrieval failed; answering without sources", error);
          system = `${input.bot.systemPrompt}\n\n${RETRIEVAL_FAILED_NOTE}`;
        }
      }
      writer.write({ type: "message-metadata", messageMetadata: { grounded } });
      const result = streamText({
        model,
        system,
        messages: [...input.history, { role: "user", content: input.question }],
        abortSignal: turnAbort.signal,
        maxOutputTokens: input.maxOutputTokens,
        // With the image tool, one more step lets the model answer after the tool's result.
        ...(images ? { tools: images.tools, stopWhen: stepCountIs(3) } : {}),
      });
      writer.merge(
        result.toUIMessageStream({
          sendStart: false,
          messageMetadata: ({ part }) =>
            part.type === "finish"
              ? {
                  grounded,
                  usage: {
                    inputTokens: part.totalUsage.inputTokens ?? 0,
                    outputTokens: part.totalUsage.outputTokens ?? 0,
                  },
                  ...images?.usage(),
                }
              : undefined,
          onError: chatErrorText,
        }),
      );
    },
    onError: chatErrorText,
  });
  const observed = observeTurn(stream, (outcome) => input.onEnd?.(outcome), input.waitUntil, abort);
  return createUIMessageStreamResponse({ stream: observed, headers: STREAMING_HEADERS });
}

/** What the visitor sees when the turn fails: never a raw provider message. */
export function chatErrorText(error: unknown): string {
  console.error("edgechat: chat turn failed", error);
  return "The assistant could not finish this answer. Please try again.";
}
