import { requireBot } from "../bots/bot-registry";
import { documentNotFound, listDocumentRows, reindexDocument, removeDocument } from "../console/bot-documents";
import { consoleJson } from "../console/console-request";
import { uploadDocumentFiles } from "../console/document-upload";
import { authorize, type Action } from "../identity/authorize";
import { requireConsoleMember } from "../identity/request-principal";
import { documentIdFrom, ragDependencies, requireDb } from "./admin-documents-route";
import type { RouteContext } from "./route-context";

/** GET /v1/console/bots/:id/documents → `{ documents: [{ id, title, url, format, status, chunks, updatedAt, error? }] }`. */
export async function handleConsoleListDocuments(context: RouteContext): Promise<Response> {
  const botId = await consoleBot(context, "documents:read");
  return consoleJson({ documents: await listDocumentRows(requireDb(context), botId) });
}

/** POST /v1/console/bots/:id/files (multipart, field `file` repeated) → `{ results: [{ file, id, status, chunks, error? }] }`. */
export async function handleConsoleUploadFiles(context: RouteContext): Promise<Response> {
  const botId = await consoleBot(context, "documents:write");
  return consoleJson({ results: await uploadDocumentFiles(ragDependencies(context), botId, context.request, { pdfText: context.pdfText }) });
}

/** DELETE /v1/console/bots/:id/documents/:docId → 204. */
export async function handleConsoleDeleteDocument(context: RouteContext): Promise<Response> {
  const botId = await consoleBot(context, "documents:write");
  const documentId = documentIdFrom(context.params.docId);
  if (!(await removeDocument(ragDependencies(context), botId, documentId))) throw documentNotFound(botId, documentId);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

/** POST /v1/console/bots/:id/documents/:docId/reindex → `{ result: { id, status, chunks, error? } }`. */
export async function handleConsoleReindexDocument(context: RouteContext): Promise<Response> {
  const botId = await consoleBot(context, "documents:write");
  const documentId = documentIdFrom(context.params.docId);
  return consoleJson({ result: await reindexDocument(ragDependencies(context), botId, documentId) });
}

/** The signed-in member may do `action` to the path's bot, which exists: its id (404 otherwise, in or out of scope alike). */
export async function consoleBot({ request, env, url, params }: RouteContext, action: Action): Promise<string> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, action, params.id);
  return (await requireBot(env.DB, params.id)).id;
}
