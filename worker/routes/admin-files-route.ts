import { requireBot } from "../bots/bot-registry";
import { uploadDocumentFiles } from "../console/document-upload";
import { authorize } from "../identity/authorize";
import { requireAdminPrincipal } from "../identity/request-principal";
import { botIdFrom, ragDependencies } from "./admin-documents-route";
import type { RouteContext } from "./route-context";

/**
 * POST /v1/admin/bots/:botId/files — the console's upload for ADMIN_TOKEN and API keys: multipart/form-data,
 * field `file` repeated → `{ results: [{ file, id, status, chunks, error? }] }` (see worker/console/document-upload.ts).
 */
export async function handleAdminUploadFiles(context: RouteContext): Promise<Response> {
  const principal = await requireAdminPrincipal(context.request, context.env);
  const botId = botIdFrom(context.params);
  authorize(principal, "documents:write", botId);
  await requireBot(context.env.DB, botId);
  const results = await uploadDocumentFiles(ragDependencies(context), botId, context.request, { pdfText: context.pdfText });
  return Response.json({ results }, { headers: { "cache-control": "no-store" } });
}
