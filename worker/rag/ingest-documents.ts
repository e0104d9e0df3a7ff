import { embedMany } from "ai";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { chunkDocument, type ChunkOptions, type DocumentChunk, type DocumentFormat } from "./chunk-document";
import { chunkVectorId, sha256Hex } from "./document-ids";
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

/** The metadata stored with every chunk vector (and returned with matches). */
export interface ChunkMetadata extends Record<string, VectorizeVectorMetadata> {
  documentId: string;
  chunkIndex: number;
  title: string;
  url: string;
  heading: string;
  text: string;
}

/**
 * Adds or replaces documents of one bot: chunks them, embeds the chunks, upserts the vectors
 * (deterministic ids, batches of at most 1000, in the bot's own namespace), deletes the vectors of
 * chunks the new version no longer has, rewrites the keyword index and records the document in
 * the registry. A document whose content is unchanged is skipped. A failure is recorded on the
 * document (status "failed") and reported; the registry keeps the highest chunk count ever
 * written, so a later delete or re-ingest still removes every vector.
 *
 * @example
 * await ingestDocuments({ db: env.DB, index, embedding }, "demo", [{ id: "faq.md", title: "FAQ", url: "https://…", format: "markdown", content }]);
 */
export async function ingestDocuments(deps: IngestDependencies, botId: string, documents: readonly DocumentInput[]): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const document of documents) results.push(await ingestOne(deps, botId, document));
  return results;
}

async function ingestOne(deps: IngestDependencies, botId: string, document: DocumentInput): Promise<IngestResult> {
  const registry = new DocumentRegistry(deps.db);
  const now = deps.now ?? Date.now;
  const contentHash = await sha256Hex(
    JSON.stringify([INGEST_VERSION, deps.embedding.modelId, deps.chunkOptions ?? null, document.format, document.title, document.url, document.content]),
  );
  const previous = await registry.get(botId, document.id);
  if (previous && previous.status === "ready" && previous.contentHash === contentHash) {
    return { id: document.id, status: "unchanged", chunks: previous.chunkCount };
  }
  const chunks = chunkDocument(document.content, document.format, deps.chunkOptions);
  if (chunks.length === 0) {
    return { id: document.id, status: "failed", chunks: 0, error: "The document has no text to index (empty, or only markup)." };
  }
  const record: DocumentRecord = {
    id: document.id,
    title: document.title,
    url: document.url,
    format: document.format,
    contentHash,
    bytes: new TextEncoder().encode(document.content).byteLength,
    // Until the new version is fully written, vectors of both versions may exist.
    chunkCount: Math.max(chunks.length, previous?.chunkCount ?? 0),
    status: "indexing",
    error: null,
    embeddingModel: deps.embedding.modelId,
    createdAt: previous?.createdAt ?? now(),
    updatedAt: now(),
  };
  await registry.put(botId, record);
  try {
    const { embeddings } = await embedMany({
      model: deps.embedding,
      values: chunks.map((chunk) => embeddingText(document.title, chunk)),
      maxRetries: 1,
    });
    await assertIndexDimensions(deps.index, embeddings[0]!.length);
    const namespace = namespaceForBot(botId);
    const vectors: VectorizeVector[] = await Promise.all(
      chunks.map(async (chunk, i) => ({
        id: await chunkVectorId(botId, document.id, chunk.index),
        values: embeddings[i]!,
        namespace,
        metadata: chunkMetadata(document, chunk),
      })),
    );
    for (let start = 0; start < vectors.length; start += VECTORIZE_LIMITS.maxBatchSize) {
      await deps.index.upsert(vectors.slice(start, start + VECTORIZE_LIMITS.maxBatchSize));
    }
    const stale: string[] = [];
    for (let i = chunks.length; i < (previous?.chunkCount ?? 0); i++) stale.push(await chunkVectorId(botId, document.id, i));
    await deleteVectors(deps.index, stale);
    await new KeywordIndex(deps.db).replaceDocument(
      botId,
      document.id,
      chunks.map((chunk) => ({
        documentId: document.id,
        chunkIndex: chunk.index,
        title: document.title,
        url: document.url,
        heading: chunk.headingPath.join(" > "),
        body: chunk.text,
      })),
    );
    await registry.put(botId, { ...record, chunkCount: chunks.length, status: "ready", updatedAt: now() });
    return { id: document.id, status: "indexed", chunks: chunks.length };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`edgechat: ingesting document ${JSON.stringify(document.id)} of bot ${botId} failed`, error);
    await registry.put(botId, { ...record, status: "failed", error: message.slice(0, 500), updatedAt: now() });
    return { id: document.id, status: "failed", chunks: 0, error: message };
  }
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

async function deleteVectors(index: Vectorize, ids: string[]): Promise<void> {
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
    heading: chunk.headingPath.join(" > "),
    text: chunk.text,
  };
}
