import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { NO_MATCHING_PASSAGES, SOURCES_END, SOURCES_START } from "../rag/grounded-prompt";
import { extractiveAnswer, type OfflineSource } from "./offline-extractive-answer";
import { resolveWordVectors, type WordVectors, type WordVectorsSource } from "./word-vectors";

export interface OfflineLanguageModelOptions {
  /** Model id reported in metadata, e.g. "offline-small". */
  modelId?: string;
  /** Milliseconds between streamed deltas; 0 streams as fast as possible (tests). */
  delayMs?: number;
  /** Builds the answer from the prompt (and the word vectors, when given); the default explains that this is the offline stand-in. */
  answer?: OfflineAnswer;
  /**
   * Word vectors the default answer uses to also quote sentences that say the same in other words
   * (edgechat's own: `wordVectorsFromAssets(env.ASSETS)`). Without them it matches shared words only.
   */
  wordVectors?: WordVectorsSource;
}

/** Builds an offline answer from the prompt and, when the model has them, its word vectors. */
export type OfflineAnswer = (prompt: LanguageModelV3Prompt, wordVectors?: WordVectors) => string;

/**
 * A deterministic language model that needs no API key and no network. It implements the
 * AI SDK's LanguageModelV3 interface, so the rest of edgechat cannot tell it from a real one.
 * It streams its answer word by word, at a pace tests can set to zero.
 *
 * @example
 * const model = createOfflineLanguageModel({ delayMs: 0 });
 * const result = streamText({ model, prompt: "Hello" });
 */
export function createOfflineLanguageModel(options: OfflineLanguageModelOptions = {}): LanguageModelV3 {
  const modelId = options.modelId ?? "offline";
  const delayMs = options.delayMs ?? 0;
  const answer = options.answer ?? defaultOfflineAnswer;

  return {
    specificationVersion: "v3",
    provider: "edgechat-offline",
    modelId,
    supportedUrls: {},
    async doGenerate(call: LanguageModelV3CallOptions) {
      const text = answer(call.prompt, await resolveWordVectors(options.wordVectors));
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: estimateUsage(call.prompt, text),
        warnings: [],
      };
    },
    async doStream(call: LanguageModelV3CallOptions) {
      const text = answer(call.prompt, await resolveWordVectors(options.wordVectors));
      const deltas = splitIntoDeltas(text);
      const signal = call.abortSignal;
      let index = 0;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "response-metadata", modelId, timestamp: new Date(0) });
          controller.enqueue({ type: "text-start", id: "text-0" });
        },
        async pull(controller) {
          if (signal?.aborted) {
            controller.error(signal.reason ?? new DOMException("Aborted", "AbortError"));
            return;
          }
          if (index < deltas.length) {
            if (delayMs > 0 && index > 0) await sleep(delayMs);
            controller.enqueue({ type: "text-delta", id: "text-0", delta: deltas[index++]! });
            return;
          }
          controller.enqueue({ type: "text-end", id: "text-0" });
          controller.enqueue({
            type: "finish",
            finishReason: { unified: "stop", raw: "stop" },
            usage: estimateUsage(call.prompt, text),
          });
          controller.close();
        },
      });
      return { stream };
    },
  };
}

/** Splits text into word-sized deltas, keeping whitespace with the word before it. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * The offline stand-in's answer. With documentation sources in the prompt it answers
 * extractively (see offline-extractive-answer.ts): the sentences and table rows of the sources that
 * are about the question, each with its source's [n] citation. When retrieval found nothing, or
 * nothing it found is about the question, it says so plainly. Without
 * any sources block (no retrieval) it explains that it is the offline model.
 */
export function defaultOfflineAnswer(prompt: LanguageModelV3Prompt, wordVectors?: WordVectors): string {
  const question = lastUserText(prompt).trim();
  const quoted = question.length > 200 ? `${question.slice(0, 200)}…` : question;
  const sources = parseSources(systemText(prompt));
  if (sources === undefined) {
    return (
      `This is edgechat's offline model: no OPENAI_API_KEY is configured, so no real language model answered. ` +
      `You asked: "${quoted}". Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL) on the worker to get real answers.`
    );
  }
  const answer = sources.length === 0 ? undefined : extractiveAnswer(question, sources, wordVectors);
  return (
    answer ??
    `I found nothing in the documentation about "${quoted}", so I cannot answer that from the docs. (This is edgechat's offline model, which only quotes the documentation.)`
  );
}

/** Sources fenced in the system prompt by groundedPrompt(); undefined when the prompt has none. */
function parseSources(system: string): OfflineSource[] | undefined {
  const start = system.lastIndexOf(SOURCES_START);
  const end = system.lastIndexOf(SOURCES_END);
  if (start < 0 || end < start) return undefined;
  const block = system.slice(start + SOURCES_START.length, end);
  if (block.trim() === NO_MATCHING_PASSAGES) return [];
  const sources: OfflineSource[] = [];
  for (const match of block.matchAll(/<source id="(\d+)"(?: title="([^"]*)")?[^>]*>\n([\s\S]*?)\n<\/source>/g)) {
    sources.push({ number: Number(match[1]), title: match[2]?.trim() ?? "", text: match[3]! });
  }
  return sources;
}

function systemText(prompt: LanguageModelV3Prompt): string {
  return prompt
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n");
}

/** Text of the last user message of a prompt. */
export function lastUserText(prompt: LanguageModelV3Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i]!;
    if (message.role === "user") {
      return message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
    }
  }
  return "";
}

/** About four characters per token: the usual rule of thumb for English text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Usage as the offline models report it: the prompt's and the answer's text at about four characters per token. */
export function estimateUsage(prompt: LanguageModelV3Prompt, output: string): LanguageModelV3Usage {
  const promptText = prompt
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part ? part.text : "")).join(""),
    )
    .join("\n");
  const inputTokens = estimateTokens(promptText);
  const outputTokens = estimateTokens(output);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
