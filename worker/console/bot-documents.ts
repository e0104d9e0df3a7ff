import { HttpError } from "../http/http-error";
import { DocumentRegistry, type DocumentRecord } from "../rag/document-registry";
import { deleteDocument, ingestDocuments, type DocumentInput, type IngestDependencies, type IngestResult } from "../rag/ingest-documents";
import { deleteDocumentContent, loadDocumentContent, saveDocumentContents } from "./document-contents";

/** A document as the console's table shows it. */
export interface DocumentRow {
  id: string;
  title: string;
  url: string;
  format: string;
  status: DocumentRecord["status"];
  chunks: number;
  updatedAt: number;
  error?: string;
  /** The knowledge source the document came from (worker/sources), null for uploads and the documents API. */
  sourceId: string | null;
}

/**
 * Indexes documents (worker/rag/ingest-documents.ts) and keeps their text for a later re-index. The one
 * way documents enter a bot, for the admin JSON API, file uploads and the console alike.
 *
 * @example
 * const results = await indexDocuments(deps, "demo", [{ id: "faq.md", title: "FAQ", url: "/docs/faq", format: "markdown", content }]);
 */
export async function indexDocuments(deps: IngestDependencies, botId: string, documents: readonly DocumentInput[]): Promise<IngestResult[]> {
  const results = await ingestDocuments(deps, botId, documents);
  await saveDocumentContents(deps.db, botId, documents);
  return results;
}

/** Removes a document, its vectors, keyword rows and stored text; false when the bot has no such document. */
export async function removeDocument(deps: Pick<IngestDependencies, "db" | "index">, botId: string, documentId: string): Promise<boolean> {
  const deleted = await deleteDocument(deps, botId, documentId);
  if (deleted) await deleteDocumentContent(deps.db, botId, documentId);
  return deleted;
}

/**
 * Indexes a document again from its stored text, title, link and format ("unchanged" when the same
 * model already indexed the same text). 404 when unknown, 409 `no_stored_content` when its text was never kept.
 */
export async function reindexDocument(deps: IngestDependencies, botId: string, documentId: string): Promise<IngestResult> {
  const record = await new DocumentRegistry(deps.db).get(botId, documentId);
  if (!record) throw documentNotFound(botId, documentId);
  const content = await loadDocumentContent(deps.db, botId, documentId);
  if (content === undefined) {
    throw new HttpError(409, "no_stored_content", "This document's text was not kept (it was indexed before re-indexing existed): upload it again.");
  }
  const [result] = await ingestDocuments(deps, botId, [{ id: record.id, title: record.title, url: record.url, format: record.format, content }]);
  return result!;
}

/** The bot's documents as table rows. */
export async function listDocumentRows(db: D1Database, botId: string): Promise<DocumentRow[]> {
  const records = await new DocumentRegistry(db).list(botId);
  return records.map((record) => ({
    id: record.id,
    title: record.title,
    url: record.url,
    format: record.format,
    status: record.status,
    chunks: record.chunkCount,
    updatedAt: record.updatedAt,
    sourceId: record.sourceId,
    ...(record.error ? { error: record.error } : {}),
  }));
}

export function documentNotFound(botId: string, documentId: string): HttpError {
  return new HttpError(404, "document_not_found", `Bot "${botId}" has no document "${documentId}".`);
}
