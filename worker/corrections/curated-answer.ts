import { embed, type UIMessageChunk } from "ai";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { EdgechatEnv } from "../env";
import { embedderSourceOf, type ModelSet } from "../models/model-set";
import { assertIndexDimensions } from "../rag/embedding-dimensions";
import { streamStoredAnswer } from "../sessions/stored-answer-stream";
import type { VisitorSession } from "../sessions/visitor-session";
import type { VisitorTurn } from "../sessions/visitor-turn";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import { correctionNamespaceForBot } from "../bots/bot-namespace";
import { wordVectorsFromAssets } from "../models/word-vectors-from-assets";
import { resolveWordVectors, type WordVectors, type WordVectorsSource } from "../models/word-vectors";
import { getCorrection, getCorrections, markCorrectionUsed, type Correction } from "./correction-store";
import { createQuestionMatcher, numbersDiffer } from "./question-match";

/** A curated answer chosen for a question, and how close the question came to it. */
export interface CuratedMatch {
  correction: Correction;
  /**
   * How close: the question matcher's score (0…1) when word vectors are at hand (the offline embedder), else
   * the embedder's cosine similarity of the question to the closest of the correction's texts.
   */
  score: number;
}

export interface CuratedLookup {
  db: D1Database;
  index: Vectorize;
  embedding: EmbeddingModelV3;
  /** Lowest score that counts as the same question (`correctionMinScore`): the matcher's, or the embedder's. */
  minScore: number;
  /**
   * Word vectors for the second stage (worker/corrections/question-match.ts): the closest corrections by vector are
   * scored again word by word, and that score decides. Without them (a real embedder), the embedder's similarity
   * decides, with the matcher's number veto. A loader is resolved after the question's embedding, by when the offline
   * embedder has loaded the same table (one fetch per isolate, not two).
   */
  wordVectors?: WordVectorsSource;
}

/** Vectors a lookup reads (each correction has 2 or more), and corrections it scores again with word vectors. */
const NEAREST_VECTORS = 20;
const RESCORED_CORRECTIONS = 8;

/**
 * The correction whose question or phrasing best matches `question`, if it matches well enough: one embedding
 * of the question and one query of the bot's corrections namespace (nothing else in the index is seen), then one
 * D1 read of the closest corrections (the winner only, without word vectors).
 *
 * @example
 * const match = await findCuratedAnswer({ db, index, embedding, minScore: 0.55, wordVectors }, "demo", "Do you ship to Canada?");
 */
export async function findCuratedAnswer(lookup: CuratedLookup, botId: string, question: string): Promise<CuratedMatch | undefined> {
  const { embedding } = await embed({ model: lookup.embedding, value: question, maxRetries: 1, providerOptions: { edgechat: { bot: botId, tier: "embedding" } } });
  await assertIndexDimensions(lookup.index, embedding.length);
  const { matches } = await lookup.index.query(embedding, {
    topK: lookup.wordVectors ? NEAREST_VECTORS : 3,
    namespace: correctionNamespaceForBot(botId),
    returnMetadata: "all",
  });
  const nearest: string[] = [];
  for (const match of matches) {
    const id = match.metadata?.correctionId;
    if (typeof id === "string" && !nearest.includes(id)) nearest.push(id);
  }
  if (nearest.length === 0) return undefined;
  const wordVectors = await resolveWordVectors(lookup.wordVectors);
  if (!wordVectors) {
    const best = matches.find((match) => match.metadata?.correctionId === nearest[0])!;
    if (best.score < lookup.minScore) return undefined;
    const correction = await getCorrection(lookup.db, botId, nearest[0]!);
    return correction && !numbersDiffer(question, correction) ? { correction, score: best.score } : undefined;
  }
  const matcher = questionMatcherFor(wordVectors);
  let best: CuratedMatch | undefined;
  for (const correction of await getCorrections(lookup.db, botId, nearest.slice(0, RESCORED_CORRECTIONS))) {
    const { score, veto } = matcher.score(question, correction);
    if (!veto && score >= lookup.minScore && (!best || score > best.score)) best = { correction, score };
  }
  return best;
}

const matchers = new WeakMap<WordVectors, ReturnType<typeof createQuestionMatcher>>();

/** One matcher per word-vector table and isolate (it caches the words it has seen). */
function questionMatcherFor(wordVectors: WordVectors) {
  let matcher = matchers.get(wordVectors);
  if (!matcher) matchers.set(wordVectors, (matcher = createQuestionMatcher(wordVectors)));
  return matcher;
}

/**
 * The chat turn's curated-answer stage (called after every security door, before retrieval and the model):
 * the bot's matching correction, or undefined when there is none, the parts it needs are not bound, or the
 * lookup fails (the visitor then gets the model's answer as before, never an error).
 */
export async function curatedAnswerFor(env: EdgechatEnv, models: ModelSet, botId: string, question: string): Promise<CuratedMatch | undefined> {
  const { embedding, embeddingDimensions } = models;
  if (!env.DB || !embedding || !embeddingDimensions) return undefined;
  const index = vectorIndexFromEnv(env, embeddingDimensions);
  if (!index) return undefined;
  try {
    const source = embedderSourceOf(models);
    // Offline, the matcher reads the embedder's own word vectors (the same table, kept per isolate).
    const wordVectors = source === "offline" ? wordVectorsFromAssets(env.ASSETS) : undefined;
    return await findCuratedAnswer({ db: env.DB, index, embedding, minScore: correctionMinScore(env, source, wordVectors !== undefined), wordVectors }, botId, question);
  } catch (error) {
    console.error("edgechat: curated answer lookup failed", error instanceof Error ? error.message : error);
    return undefined;
  }
}

/**
 * EDGECHAT_CORRECTION_MIN_SCORE, or the default: the question matcher's threshold when it decides (offline, set
 * on the tuning set with `npm run eval:corrections`, docs/corrections.md), else the embedder's. OpenAI and Workers
 * AI: estimates, not measured here (no account in this project's tests); tune them with the variable and the
 * eval's `--min-score`.
 */
export function correctionMinScore(env: EdgechatEnv, source: ModelSet["source"], matcherDecides = false): number {
  const value = Number(env.EDGECHAT_CORRECTION_MIN_SCORE);
  if (env.EDGECHAT_CORRECTION_MIN_SCORE && Number.isFinite(value)) return value;
  if (matcherDecides) return MATCHER_MIN_SCORE;
  if (source === "openai") return 0.7;
  if (source === "workers-ai") return 0.85;
  return OFFLINE_EMBEDDER_MIN_SCORE;
}

/**
 * The question matcher's threshold (worker/corrections/question-match.ts): no unrelated question of the tuning sets
 * reaches it, with a margin (at 0.5 one did), because a wrong curated answer is stated with authority.
 */
export const MATCHER_MIN_SCORE = 0.6;
/** The offline embedder's own threshold, for a lookup without word vectors. */
export const OFFLINE_EMBEDDER_MIN_SCORE = 0.7;

/** The message metadata of an answer given from a curated answer: no model, no cost, `curated: true`. */
export function curatedMetadata(match: CuratedMatch, now = Date.now()): Record<string, unknown> {
  return { model: "none", source: "curated", curated: true, correctionId: match.correction.id, grounded: true, costUsd: 0, createdAt: now };
}

/**
 * Answers the turn with the curated answer, with no model call: stored in the session's transcript (with
 * its metadata), one `turns` row naming the correction, its use counted, streamed like any answer.
 */
export async function answerWithCorrection(
  session: VisitorSession,
  turn: VisitorTurn,
  match: CuratedMatch,
  prelude: UIMessageChunk[],
  record: { db: D1Database; question: string; waitUntil: (promise: Promise<unknown>) => void },
): Promise<Response> {
  const messageId = crypto.randomUUID();
  const now = Date.now();
  const metadata = curatedMetadata(match, now);
  const { correction } = match;
  const sources = correction.sources.map((source, i) => ({ sourceId: `doc-${i + 1}`, url: source.url, title: source.title }));
  await session.store.recordAnswer({
    replyTo: turn.userMessageId,
    messageId,
    outcome: { status: "complete", text: correction.answer, sources, files: [], metadata },
    now,
  });
  // The correction is the source this answer was found in (so bot stats never list it as unanswered), plus its links.
  const sourcesFound = 1 + sources.length;
  record.waitUntil(
    Promise.all([
      markCorrectionUsed(record.db, session.botId, correction.id, now),
      record.db
        .prepare(
          `INSERT OR IGNORE INTO turns (id, bot_id, session_id, user_message_id, status, tier, grounded, sources_found, question, correction_id, created_at)
           VALUES (?, ?, ?, ?, 'complete', 'none', 1, ?, ?, ?, ?)`,
        )
        .bind(messageId, session.botId, session.sessionId, turn.userMessageId, sourcesFound, record.question.slice(0, 2000), correction.id, now)
        .run(),
    ]).catch((error) => console.error("edgechat: recording a curated answer failed", error)),
  );
  return streamStoredAnswer({ messageId, text: correction.answer, sources, metadata }, prelude);
}
