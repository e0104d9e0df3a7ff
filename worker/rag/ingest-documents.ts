import { embedMany } from "ai";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { chunkDocument, type ChunkOptions, type DocumentChunk, type DocumentFormat } from "./chunk-document";
import { chunkVectorId, documentKey, sha256Hex } from "./document-ids";
import { DocumentRegistry, type DocumentRecord } from "./document-registry";
import { assertIndexDimensions } from "./embedding-dimensions";
import { KeywordIndex } from "./keyword-index";
import { namespaceForBot } from "../bots/bot-namespace";
import { VECTORIZE_LIMITS } from "../vector/vectorize-limits";

/** Bump when chunking or keyword terms change, so unchanged documents are re-indexed once. */
export const INGEST_VERSION = "1";

export interface DocumentInput {
  /** Stable id chosen by the owner, e.g. the file's path ("guides:setup.md"). */
  id: string;
  title: string;
  /** Where a visitor can read the document; shown as the citation link. */
  url: string;
  format: DocumentFormat;
  content: string;
  /** The knowledge source it came from (worker/sources); absent for documents pushed by API or CLI. */
  sourceId?: string;
}

export interface IngestDependencies {
  db: D1Database;
  index: Vectorize;
  embedding: EmbeddingModelV3;
  chunkOptions?: ChunkOptions;
  now?: () => number;
}

export interface IngestResult {
  id: string;
  /** "indexed" (new or replaced), "unchanged" (same content already indexed) or "failed". */
  status: "indexed" | "unchanged" | "failed";
  chunks: number;
  error?: string;
}

/** What is known of every indexed chunk: its document, position, heading path and text. */
export interface ChunkFields {
  documentId: string;
  chunkIndex: number;
  title: string;
  url: string;
  /** Heading path joined with " > ". */
  heading: string;
  text: string;
}

/** The metadata stored with every chunk vector (and returned with matches). */
export type ChunkMetadata = ChunkFields & Record<string, VectorizeVectorMetadata>;

/**
 * Adds or replaces documents of one bot: chunks them, embeds the chunks, upserts the vectors
 * (deterministic ids, batches of at most 1000, in the bot's own namespace), deletes the vectors of
 * chunks the new version no longer has, rewrites the keyword index and records the documents in
 * the registry. Unchanged documents are skipped. The work is batched across the documents of one
 * call (one embedMany, shared upsert batches, few D1 round trips). On failure the affected
 * documents are recorded as "failed" and reported; the registry keeps the highest chunk count ever
 * written, so a later delete or re-ingest still removes every vector.
 *
 * @example
 * await ingestDocuments({ db: env.DB, index, embedding }, "demo", [{ id: "faq.md", title: "FAQ", url: "https://…", format: "markdown", content }]);
 */
export async function ingestDocuments(deps: IngestDependencies, botId: string, documents: readonly DocumentInput[]): Promise<IngestResult[]> {
  const registry = new DocumentRegistry(deps.db);
  const now = deps.now ?? Date.now;
  const previous = await registry.getMany(botId, documents.map((document) => document.id));
  const results = new Map<string, IngestResult>();
  const work: { document: DocumentInput; chunks: DocumentChunk[]; record: DocumentRecord; previousCount: number; key: string }[] = [];
  for (const document of documents) {
    const contentHash = await sha256Hex(
      JSON.stringify([INGEST_VERSION, deps.embedding.modelId, deps.chunkOptions ?? null, document.format, document.title, document.url, document.content]),
    );
    const before = previous.get(document.id);
    if (before && before.status === "ready" && before.contentHash === contentHash) {
      results.set(document.id, { id: document.id, status: "unchanged", chunks: before.chunkCount });
      continue;
    }
    const chunks = chunkDocument(document.content, document.format, deps.chunkOptions);
    if (chunks.length === 0) {
      results.set(document.id, { id: document.id, status: "failed", chunks: 0, error: "The document has no text to index (empty, or only markup)." });
      continue;
    }
    const previousCount = before?.chunkCount ?? 0;
    const record: DocumentRecord = {
      id: document.id,
      title: document.title,
      url: document.url,
      format: document.format,
      contentHash,
      bytes: new TextEncoder().encode(document.content).byteLength,
      // Until the new version is fully written, vectors of both versions may exist.
      chunkCount: Math.max(chunks.length, previousCount),
      status: "indexing",
      error: null,
      embeddingModel: deps.embedding.modelId,
      sourceId: document.sourceId ?? null,
      createdAt: before?.createdAt ?? now(),
      updatedAt: now(),
    };
    work.push({ document, chunks, record, previousCount, key: await documentKey(botId, document.id) });
  }
  if (work.length > 0) {
    await registry.putMany(botId, work.map((item) => item.record));
    try {
      await writeDocuments(deps, botId, work);
      await registry.putMany(botId, work.map((item) => ({ ...item.record, chunkCount: item.chunks.length, status: "ready", updatedAt: now() })));
      for (const item of work) results.set(item.document.id, { id: item.document.id, status: "indexed", chunks: item.chunks.length });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`edgechat: ingesting ${work.length} documents of bot ${botId} failed`, error);
      await registry.putMany(botId, work.map((item) => ({ ...item.record, status: "failed", error: message.slice(0, 500), updatedAt: now() })));
      for (const item of work) results.set(item.document.id, { id: item.document.id, status: "failed", chunks: 0, error: message });
    }
  }
  return documents.map((document) => results.get(document.id)!);
}

async function writeDocuments(
  deps: IngestDependencies,
  botId: string,
  work: readonly { document: DocumentInput; chunks: DocumentChunk[]; previousCount: number; key: string }[],
): Promise<void> {
  const all = work.flatMap((item) => item.chunks.map((chunk) => ({ item, chunk })));
  const { embeddings } = await embedMany({
    model: deps.embedding,
    values: all.map(({ item, chunk }) => embeddingText(item.document.title, chunk)),
    maxRetries: 1,
    // Tags the call for AI Gateway's metadata (worker/models/ai-gateway.ts); other providers ignore it.
    providerOptions: { edgechat: { bot: botId, tier: "embedding" } },
  });
  await assertIndexDimensions(deps.index, embeddings[0]!.length);
  const namespace = namespaceForBot(botId);
  const vectors: VectorizeVector[] = all.map(({ item, chunk }, i) => ({
    id: `${item.key}-${chunk.index}`,
    values: embeddings[i]!,
    namespace,
    metadata: chunkMetadata(item.document, chunk),
  }));
  for (let start = 0; start < vectors.length; start += VECTORIZE_LIMITS.maxBatchSize) {
    await deps.index.upsert(vectors.slice(start, start + VECTORIZE_LIMITS.maxBatchSize));
  }
  const stale: string[] = [];
  for (const item of work) for (let i = item.chunks.length; i < item.previousCount; i++) stale.push(`${item.key}-${i}`);
  await deleteVectors(deps.index, stale);
  await new KeywordIndex(deps.db).replaceDocuments(
    botId,
    work.map((item) => ({
      documentId: item.document.id,
      chunks: item.chunks.map((chunk) => ({
        documentId: item.document.id,
        chunkIndex: chunk.index,
        title: item.document.title,
        url: item.document.url,
        heading: headingOf(chunk),
        body: chunk.text,
      })),
    })),
  );
}

/**
 * Removes a document: all its vectors (every id it may ever have had), its keyword rows and its
 * registry entry. Returns false when the bot has no such document.
 */
export async function deleteDocument(deps: Pick<IngestDependencies, "db" | "index">, botId: string, documentId: string): Promise<boolean> {
  const registry = new DocumentRegistry(deps.db);
  const record = await registry.get(botId, documentId);
  if (!record) return false;
  const ids: string[] = [];
  for (let i = 0; i < record.chunkCount; i++) ids.push(await chunkVectorId(botId, documentId, i));
  await deleteVectors(deps.index, ids);
  await new KeywordIndex(deps.db).deleteDocument(botId, documentId);
  await registry.delete(botId, documentId);
  return true;
}

/** Deletes vectors by id in Vectorize-sized batches. */
export async function deleteVectors(index: Vectorize, ids: string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += VECTORIZE_LIMITS.maxBatchSize) {
    await index.deleteByIds(ids.slice(start, start + VECTORIZE_LIMITS.maxBatchSize));
  }
}

/** What is embedded for a chunk: the document title and heading path give it context. */
export function embeddingText(title: string, chunk: DocumentChunk): string {
  return [title, chunk.headingPath.join(" > "), chunk.text].filter(Boolean).join("\n");
}

function chunkMetadata(document: DocumentInput, chunk: DocumentChunk): ChunkMetadata {
  return {
    documentId: document.id,
    chunkIndex: chunk.index,
    title: document.title,
    url: document.url,
    heading: headingOf(chunk),
    text: chunk.text,
  };
}

/** The heading path as one line, capped so a chunk's metadata stays within Vectorize's 10 KiB. */
function headingOf(chunk: DocumentChunk): string {
  const heading = chunk.headingPath.join(" > ");
  return heading.length > MAX_HEADING_CHARS ? `${heading.slice(0, MAX_HEADING_CHARS - 1)}…` : heading;
}

const MAX_HEADING_CHARS = 300;
