import { requireAdmin } from "../http/admin-auth";
import { HttpError } from "../http/http-error";
import { readAtMost, readJsonBody } from "../http/read-json-body";
import { CORRECTION_ID, CORRECTION_LIMITS, parseCorrection, parseCorrectionLines } from "../corrections/correction-input";
import { createCorrections, deleteCorrection, listCorrections, updateCorrection, type CorrectionDependencies } from "../corrections/correction-store";
import { requireBot } from "../bots/bot-registry";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import type { RouteContext } from "./route-context";

// Thin handlers: the admin bearer check, then worker/corrections/*. A console twin swaps only the auth line.
const NO_STORE = { "cache-control": "no-store" };

/** POST /v1/admin/bots/:botId/corrections `{ question, phrasings?, answer, sources? }` → 201 the correction. */
export async function handleCreateCorrection(context: RouteContext): Promise<Response> {
  await requireAdmin(context.request, context.env);
  const { deps, botId } = await correctionContext(context);
  const input = parseCorrection(await readJsonBody(context.request, { maxBytes: 64 * 1024, maxDepth: 4 }));
  const [correction] = await createCorrections(deps, botId, [input]);
  return Response.json({ correction }, { status: 201, headers: NO_STORE });
}

/** GET /v1/admin/bots/:botId/corrections → `{ corrections }`; `?format=jsonl` → one correction per line. */
export async function handleListCorrections(context: RouteContext): Promise<Response> {
  await requireAdmin(context.request, context.env);
  const { deps, botId } = await correctionContext(context, false);
  const corrections = await listCorrections(deps.db, botId);
  const format = context.url.searchParams.get("format") ?? "json";
  if (format === "jsonl") {
    const body = corrections.map((correction) => `${JSON.stringify(correction)}\n`).join("");
    return new Response(body, {
      headers: { ...NO_STORE, "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${botId}-corrections.jsonl"` },
    });
  }
  if (format !== "json") throw new HttpError(400, "invalid_format", 'format must be "json" or "jsonl".');
  return Response.json({ corrections }, { headers: NO_STORE });
}

/** PUT /v1/admin/bots/:botId/corrections/:id — replaces question, phrasings, answer and sources. */
export async function handleUpdateCorrection(context: RouteContext): Promise<Response> {
  await requireAdmin(context.request, context.env);
  const { deps, botId } = await correctionContext(context);
  const id = correctionIdFrom(context.params);
  const input = parseCorrection(await readJsonBody(context.request, { maxBytes: 64 * 1024, maxDepth: 4 }));
  const correction = await updateCorrection(deps, botId, id, input);
  if (!correction) throw notFound(botId, id);
  return Response.json({ correction }, { headers: NO_STORE });
}

/** DELETE /v1/admin/bots/:botId/corrections/:id */
export async function handleDeleteCorrection(context: RouteContext): Promise<Response> {
  await requireAdmin(context.request, context.env);
  const { deps, botId } = await correctionContext(context);
  const id = correctionIdFrom(context.params);
  if (!(await deleteCorrection(deps, botId, id))) throw notFound(botId, id);
  return Response.json({ deleted: id }, { headers: NO_STORE });
}

/**
 * POST /v1/admin/bots/:botId/corrections/import with a JSONL body (one `{ question, phrasings?, answer, sources? }`
 * per line, e.g. an export): every line is checked first; any bad line → 400 with `error.lines` and nothing written.
 * Imported corrections are added (new ids), never merged into existing ones.
 */
export async function handleImportCorrections(context: RouteContext): Promise<Response> {
  await requireAdmin(context.request, context.env);
  const { deps, botId } = await correctionContext(context);
  const corrections = parseCorrectionLines(await readTextBody(context.request));
  const created = await createCorrections(deps, botId, corrections);
  return Response.json({ imported: created.length, ids: created.map((correction) => correction.id) }, { status: 201, headers: NO_STORE });
}

async function correctionContext(context: RouteContext, needsVectors = true): Promise<{ deps: CorrectionDependencies; botId: string }> {
  const { env, models } = context;
  if (!env.DB) throw new HttpError(503, "corrections_unavailable", "Corrections need the D1 binding DB (see wrangler.jsonc).");
  // requireBot validates the id and answers 404 for an unknown bot.
  const bot = await requireBot(env.DB, context.params.botId ?? "");
  const { embedding, embeddingDimensions } = models;
  const index = embeddingDimensions ? vectorIndexFromEnv(env, embeddingDimensions) : undefined;
  if (needsVectors && (!embedding || !index)) {
    throw new HttpError(503, "corrections_unavailable", "Corrections need an embedding model and a vector index (VECTORIZE or VECTOR_INDEX).");
  }
  return { deps: { db: env.DB, index: index!, embedding: embedding! }, botId: bot.id };
}

function correctionIdFrom(params: Record<string, string>): string {
  const id = params.id ?? "";
  if (!CORRECTION_ID.test(id)) throw new HttpError(404, "correction_not_found", "No such correction.");
  return id;
}

function notFound(botId: string, id: string): HttpError {
  return new HttpError(404, "correction_not_found", `Bot "${botId}" has no correction "${id}".`);
}

async function readTextBody(request: Request): Promise<string> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/(x-)?(ndjson|jsonl|json-seq|json)|text\/plain)\s*(;|$)/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "Send the import as JSONL with content-type: application/x-ndjson.");
  }
  const bytes = await readAtMost(request, CORRECTION_LIMITS.maxBodyBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new HttpError(400, "invalid_utf8", "The import is not valid UTF-8.");
  }
}
