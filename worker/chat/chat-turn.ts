import { createUIMessageStream, createUIMessageStreamResponse, streamText, type ModelMessage } from "ai";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import type { Bot } from "../bots/bot";
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
  const stream = createUIMessageStream({
    execute: async ({ writer }) => {
      const metadata: ChatMessageMetadata = { model: model.modelId, source: input.modelSource, createdAt: Date.now() };
      writer.write({ type: "start", messageMetadata: metadata });
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
        abortSignal: input.signal,
        maxOutputTokens: input.maxOutputTokens,
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
                }
              : undefined,
          onError: chatErrorText,
        }),
      );
    },
    onError: chatErrorText,
  });
  return createUIMessageStreamResponse({ stream, headers: STREAMING_HEADERS });
}

/** What the visitor sees when the turn fails: never a raw provider message. */
export function chatErrorText(error: unknown): string {
  console.error("edgechat: chat turn failed", error);
  return "The assistant could not finish this answer. Please try again.";
}
