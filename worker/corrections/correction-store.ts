import { embedMany } from "ai";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { HttpError } from "../http/http-error";
import { documentKey } from "../rag/document-ids";
import { assertIndexDimensions } from "../rag/embedding-dimensions";
import { VECTORIZE_LIMITS } from "../vector/vectorize-limits";
import { correctionNamespaceForBot } from "../bots/bot-namespace";
import { deleteVectors } from "../rag/ingest-documents";
import { CORRECTION_LIMITS, type CorrectionInput } from "./correction-input";

/** A curated answer as the API returns it (and as JSONL export writes it, one per line). */
export interface Correction extends CorrectionInput {
  id: string;
  usedCount: number;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What writing corrections needs: D1, the vector index and the bot's embedding model (all passed in). */
export interface CorrectionDependencies {
  db: D1Database;
  index: Vectorize;
  embedding: EmbeddingModelV3;
}

interface CorrectionRow {
  id: string;
  question: string;
  phrasings: string;
  answer: string;
  sources: string;
  text_count: number;
  used_count: number;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = "id, question, phrasings, answer, sources, text_count, used_count, last_used_at, created_at, updated_at";

/**
 * The texts a correction is found by (vector k is text k): its question, each phrasing, and the question with
 * its answer, since visitors often ask in the answer's words ("Toronto" for "Canada", "refund" for "money back").
 */
export function matchTexts(correction: CorrectionInput): string[] {
  return [correction.question, ...correction.phrasings, `${correction.question}\n${correction.answer}`];
}

/** A bot's corrections, most recently changed first. */
export async function listCorrections(db: D1Database, botId: string): Promise<Correction[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM corrections WHERE bot_id = ? ORDER BY updated_at DESC, id`).bind(botId).all<CorrectionRow>();
  return results.map(fromRow);
}

/** One correction of this bot, or undefined (another bot's id is not found, never shown). */
export async function getCorrection(db: D1Database, botId: string, id: string): Promise<Correction | undefined> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM corrections WHERE bot_id = ? AND id = ?`).bind(botId, id).first<CorrectionRow>();
  return row ? fromRow(row) : undefined;
}

/** Some corrections of this bot by id, in the order of `ids` (unknown ids and other bots' are left out). */
export async function getCorrections(db: D1Database, botId: string, ids: readonly string[]): Promise<Correction[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM corrections WHERE bot_id = ? AND id IN (${ids.map(() => "?").join(", ")})`)
    .bind(botId, ...ids)
    .all<CorrectionRow>();
  const byId = new Map(results.map((row) => [row.id, fromRow(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Adds corrections (one from the API, many from an import): all or none. Vectors are written first; the
 * D1 rows follow in one batch (a transaction), and if that fails the new vectors are removed again.
 *
 * @example
 * const [created] = await createCorrections(deps, "demo", [{ question, phrasings: [], answer, sources: [] }]);
 */
export async function createCorrections(deps: CorrectionDependencies, botId: string, inputs: readonly CorrectionInput[], now = Date.now()): Promise<Correction[]> {
  const { count } = (await deps.db.prepare("SELECT COUNT(*) AS count FROM corrections WHERE bot_id = ?").bind(botId).first<{ count: number }>())!;
  if (count + inputs.length > CORRECTION_LIMITS.maxCorrectionsPerBot) {
    throw new HttpError(409, "too_many_corrections", `A bot holds at most ${CORRECTION_LIMITS.maxCorrectionsPerBot} corrections (this one has ${count}).`);
  }
  const created: Correction[] = inputs.map((input) => ({ ...input, id: `cor_${crypto.randomUUID()}`, usedCount: 0, lastUsedAt: null, createdAt: now, updatedAt: now }));
  const written = await writeVectors(deps, botId, created);
  try {
    await deps.db.batch(
      created.map((correction) =>
        deps.db
          .prepare(
            `INSERT INTO corrections (bot_id, id, question, phrasings, answer, sources, text_count, embedding_model, used_count, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
          )
          .bind(botId, correction.id, correction.question, JSON.stringify(correction.phrasings), correction.answer, JSON.stringify(correction.sources), matchTexts(correction).length, deps.embedding.modelId, now, now),
      ),
    );
  } catch (error) {
    await deleteVectors(deps.index, written);
    throw error;
  }
  return created;
}

/** Replaces a correction's question, phrasings, answer and sources (its use count stays); undefined when not found. */
export async function updateCorrection(deps: CorrectionDependencies, botId: string, id: string, input: CorrectionInput, now = Date.now()): Promise<Correction | undefined> {
  const previous = await getCorrection(deps.db, botId, id);
  if (!previous) return undefined;
  const updated: Correction = { ...previous, ...input, updatedAt: now };
  await writeVectors(deps, botId, [updated]);
  const previousCount = matchTexts(previous).length;
  const stale: string[] = [];
  for (let k = matchTexts(updated).length; k < previousCount; k++) stale.push(await correctionVectorId(botId, id, k));
  await deleteVectors(deps.index, stale);
  await deps.db
    .prepare("UPDATE corrections SET question = ?, phrasings = ?, answer = ?, sources = ?, text_count = ?, embedding_model = ?, updated_at = ? WHERE bot_id = ? AND id = ?")
    .bind(updated.question, JSON.stringify(updated.phrasings), updated.answer, JSON.stringify(updated.sources), matchTexts(updated).length, deps.embedding.modelId, now, botId, id)
    .run();
  return updated;
}

/** Removes a correction and its vectors; false when this bot has no such correction. */
export async function deleteCorrection(deps: Pick<CorrectionDependencies, "db" | "index">, botId: string, id: string): Promise<boolean> {
  const row = await deps.db.prepare("SELECT text_count FROM corrections WHERE bot_id = ? AND id = ?").bind(botId, id).first<{ text_count: number }>();
  if (!row) return false;
  const ids: string[] = [];
  for (let k = 0; k < row.text_count; k++) ids.push(await correctionVectorId(botId, id, k));
  await deleteVectors(deps.index, ids);
  await deps.db.prepare("DELETE FROM corrections WHERE bot_id = ? AND id = ?").bind(botId, id).run();
  return true;
}

/** Counts one use of a correction (an answer given with it). */
export async function markCorrectionUsed(db: D1Database, botId: string, id: string, now = Date.now()): Promise<void> {
  await db.prepare("UPDATE corrections SET used_count = used_count + 1, last_used_at = ? WHERE bot_id = ? AND id = ?").bind(now, botId, id).run();
}

/**
 * Vector id of text k of a correction: the document-id scheme (sha256 of bot NUL key), so bots never collide;
 * the key is marked as a correction's, so it can never equal a document's key (ids are unique per index).
 */
export async function correctionVectorId(botId: string, id: string, k: number): Promise<string> {
  return `${await documentKey(botId, `correction\u0000${id}`)}-${k}`;
}

async function writeVectors(deps: CorrectionDependencies, botId: string, corrections: readonly Correction[]): Promise<string[]> {
  const texts = corrections.flatMap((correction) => matchTexts(correction).map((text, k) => ({ correction, text, k })));
  const { embeddings } = await embedMany({
    model: deps.embedding,
    values: texts.map(({ text }) => text),
    maxRetries: 1,
    // Tags the call for AI Gateway's metadata (worker/models/ai-gateway.ts); other providers ignore it.
    providerOptions: { edgechat: { bot: botId, tier: "embedding" } },
  });
  await assertIndexDimensions(deps.index, embeddings[0]!.length);
  const namespace = correctionNamespaceForBot(botId);
  const vectors: VectorizeVector[] = [];
  for (const [i, { correction, k }] of texts.entries()) {
    vectors.push({ id: await correctionVectorId(botId, correction.id, k), values: embeddings[i]!, namespace, metadata: { correctionId: correction.id, text: k } });
  }
  for (let start = 0; start < vectors.length; start += VECTORIZE_LIMITS.maxBatchSize) {
    await deps.index.upsert(vectors.slice(start, start + VECTORIZE_LIMITS.maxBatchSize));
  }
  return vectors.map((vector) => vector.id);
}

function fromRow(row: CorrectionRow): Correction {
  return {
    id: row.id,
    question: row.question,
    phrasings: JSON.parse(row.phrasings) as string[],
    answer: row.answer,
    sources: JSON.parse(row.sources) as { title: string; url: string }[],
    usedCount: row.used_count,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
