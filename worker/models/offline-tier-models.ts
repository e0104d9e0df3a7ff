import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { createOfflineLanguageModel, defaultOfflineAnswer, type OfflineAnswer } from "./offline-language-model";
import { firstSentences } from "./split-sentences";
import type { WordVectors, WordVectorsSource } from "./word-vectors";

export interface OfflineTierOptions {
  /** Milliseconds between streamed deltas. */
  delayMs?: number;
  /** The offline answer both tiers start from; default the offline model's own answer. */
  answer?: OfflineAnswer;
  /** Word vectors for the default answer (see createOfflineLanguageModel). */
  wordVectors?: WordVectorsSource;
}

/**
 * The offline small tier: the offline model's answer cut to its first two sentences, labelled, so a
 * demo shows at a glance that the cheap model answered. Priced like gpt-4.1-mini for estimates.
 *
 * @example
 * const small = createOfflineSmallModel({ delayMs: 0 }); // modelId "offline-small"
 */
export function createOfflineSmallModel(options: OfflineTierOptions = {}): LanguageModelV3 {
  const base = options.answer ?? defaultOfflineAnswer;
  return createOfflineLanguageModel({
    modelId: "offline-small",
    delayMs: options.delayMs,
    wordVectors: options.wordVectors,
    answer: (prompt, wordVectors) => offlineSmallAnswer(prompt, base, wordVectors),
  });
}

/**
 * The small tier's answer: the first two sentences of the base answer (a table counts as one and is
 * kept whole), labelled. `npm run eval:rag -- --answers` grades it as the demo shows it.
 *
 * @example
 * offlineSmallAnswer(prompt) // "[small model] From the documentation: Logs are kept for 7 days. [1]"
 */
export function offlineSmallAnswer(prompt: LanguageModelV3Prompt, base: OfflineAnswer = defaultOfflineAnswer, wordVectors?: WordVectors): string {
  return `[small model] ${firstSentences(base(prompt, wordVectors), 2)}`;
}

/**
 * The offline large tier: the offline model's full answer with a closing note on how the answer was
 * routed, visibly longer than the small tier's. Priced like gpt-4.1 for estimates.
 *
 * @example
 * const large = createOfflineLargeModel({ delayMs: 0 }); // modelId "offline-large"
 */
export function createOfflineLargeModel(options: OfflineTierOptions = {}): LanguageModelV3 {
  const base = options.answer ?? defaultOfflineAnswer;
  return createOfflineLanguageModel({
    modelId: "offline-large",
    delayMs: options.delayMs,
    wordVectors: options.wordVectors,
    answer: (prompt, wordVectors) =>
      `[large model] ${base(prompt, wordVectors)}\n\n` +
      `This question went to the large tier because the router judged it harder than a plain lookup ` +
      `(several questions, troubleshooting, a comparison, code, weak matches in the docs, or a request for detail). ` +
      `With a real provider this tier is the stronger, more expensive model.`,
  });
}
