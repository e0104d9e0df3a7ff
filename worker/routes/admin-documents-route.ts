import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { isRecord } from "../chat/chat-request";
import { DocumentRegistry } from "../rag/document-registry";
import type { DocumentInput, IngestDependencies } from "../rag/ingest-documents";
import { authorize } from "../identity/authorize";
import { requireAdminPrincipal } from "../identity/request-principal";
import { documentNotFound, indexDocuments, removeDocument } from "../console/bot-documents";
import type { DocumentFormat } from "../rag/chunk-document";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import type { RouteContext } from "./route-context";

export const DOCUMENT_LIMITS = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxDocumentsPerRequest: 100,
  maxContentBytes: 2 * 1024 * 1024,
  maxTitleLength: 300,
  maxUrlLength: 2048,
} as const;

const BOT_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
const DOCUMENT_ID = /^[\w.:-]{1,128}$/;
const FORMATS: readonly DocumentFormat[] = ["markdown", "html", "text"];

/**
 * POST /v1/admin/bots/:botId/documents — add or replace documents:
 * `{ "documents": [{ "id", "title", "url", "format": "markdown" | "html" | "text", "content" }] }`.
 * Answers `{ results: [{ id, status: "indexed" | "unchanged" | "failed", chunks, error? }] }`.
 */
export async function handleIngestDocuments(context: RouteContext): Promise<Response> {
  const principal = await requireAdminPrincipal(context.request, context.env);
  const botId = botIdFrom(context.params);
  authorize(principal, "documents:write", botId);
  const deps = ragDependencies(context);
  const body = await readJsonBody(context.request, { maxBytes: DOCUMENT_LIMITS.maxBodyBytes, maxDepth: 8 });
  const documents = parseDocuments(body);
  const results = await indexDocuments(deps, botId, documents);
  return Response.json({ results }, { headers: { "cache-control": "no-store" } });
}

/** GET /v1/admin/bots/:botId/documents — the bot's documents as the registry records them. */
export async function handleListDocuments(context: RouteContext): Promise<Response> {
  const principal = await requireAdminPrincipal(context.request, context.env);
  const botId = botIdFrom(context.params);
  authorize(principal, "documents:read", botId);
  const db = requireDb(context);
  const documents = await new DocumentRegistry(db).list(botId);
  return Response.json({ documents }, { headers: { "cache-control": "no-store" } });
}

/** DELETE /v1/admin/bots/:botId/documents/:documentId — removes the document and all its vectors. */
export async function handleDeleteDocument(context: RouteContext): Promise<Response> {
  const principal = await requireAdminPrincipal(context.request, context.env);
  const botId = botIdFrom(context.params);
  authorize(principal, "documents:write", botId);
  const documentId = documentIdFrom(context.params.documentId);
  const deps = ragDependencies(context);
  if (!(await removeDocument(deps, botId, documentId))) throw documentNotFound(botId, documentId);
  return Response.json({ deleted: documentId }, { headers: { "cache-control": "no-store" } });
}

export function documentIdFrom(value: string | undefined): string {
  if (value === undefined || !DOCUMENT_ID.test(value)) throw new HttpError(400, "invalid_document_id", "Document ids are 1 to 128 letters, digits, '_', '-', '.' or ':'.");
  return value;
}

export function botIdFrom(params: Record<string, string>): string {
  const botId = params.botId ?? "";
  if (!BOT_ID.test(botId)) throw new HttpError(400, "invalid_bot_id", "Bot ids are 1 to 32 lower-case letters, digits or '-', starting with a letter or digit.");
  return botId;
}

export function requireDb({ env }: RouteContext): D1Database {
  if (!env.DB) throw new HttpError(503, "documents_unavailable", "Documents need the D1 binding DB (see wrangler.jsonc).");
  return env.DB;
}

export function ragDependencies(context: RouteContext): IngestDependencies {
  const db = requireDb(context);
  const { embedding, embeddingDimensions } = context.models;
  if (!embedding || !embeddingDimensions) throw new HttpError(503, "documents_unavailable", "No embedding model is configured.");
  const index = vectorIndexFromEnv(context.env, embeddingDimensions);
  if (!index) throw new HttpError(503, "documents_unavailable", "No vector index is bound: configure VECTORIZE (production) or VECTOR_INDEX (local).");
  return { db, index, embedding };
}

function parseDocuments(body: unknown): DocumentInput[] {
  if (!isRecord(body) || !Array.isArray(body.documents)) {
    throw invalid('The body must be { "documents": [{ "id", "title", "url", "format", "content" }, …] }.');
  }
  const list = body.documents;
  if (list.length === 0) throw invalid("`documents` is empty.");
  if (list.length > DOCUMENT_LIMITS.maxDocumentsPerRequest) {
    throw new HttpError(413, "too_many_documents", `Send at most ${DOCUMENT_LIMITS.maxDocumentsPerRequest} documents per request.`);
  }
  const seen = new Set<string>();
  return list.map((item, i) => {
    const where = `documents[${i}]`;
    if (!isRecord(item)) throw invalid(`${where} must be an object.`);
    const { id, title, url, format, content } = item;
    if (typeof id !== "string" || !DOCUMENT_ID.test(id)) throw invalid(`${where}.id must be 1 to 128 letters, digits, '_', '-', '.' or ':'.`);
    if (seen.has(id)) throw invalid(`${where}.id "${id}" appears twice in the request.`);
    seen.add(id);
    if (typeof title !== "string" || title.trim() === "" || title.length > DOCUMENT_LIMITS.maxTitleLength) {
      throw invalid(`${where}.title must be a non-empty string of at most ${DOCUMENT_LIMITS.maxTitleLength} characters.`);
    }
    if (typeof url !== "string" || url.length > DOCUMENT_LIMITS.maxUrlLength || !isSafeLink(url)) {
      throw invalid(`${where}.url must be an http(s) URL or a path starting with "/" (at most ${DOCUMENT_LIMITS.maxUrlLength} characters).`);
    }
    if (typeof format !== "string" || !FORMATS.includes(format as DocumentFormat)) throw invalid(`${where}.format must be "markdown", "html" or "text".`);
    if (typeof content !== "string") throw invalid(`${where}.content must be a string.`);
    if (new TextEncoder().encode(content).byteLength > DOCUMENT_LIMITS.maxContentBytes) {
      throw new HttpError(413, "document_too_large", `${where}.content is larger than ${DOCUMENT_LIMITS.maxContentBytes} bytes.`);
    }
    return { id, title: title.trim(), url, format: format as DocumentFormat, content };
  });
}

/** Citation links a visitor may click: http(s) URLs and site-relative paths only (no javascript:, data:, //host). */
export function isSafeLink(url: string): boolean {
  if (/^\/(?![/\\])/.test(url)) return !/[\s<>"]/.test(url);
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_request", message);
}
