import { HttpError } from "../http/http-error";
import { readAtMost, readJsonBody } from "../http/read-json-body";
import { CORRECTION_ID, CORRECTION_LIMITS, parseCorrection, parseCorrectionLines } from "../corrections/correction-input";
import { createCorrections, deleteCorrection, listCorrections, updateCorrection, type CorrectionDependencies } from "../corrections/correction-store";
import { requireBot } from "../bots/bot-registry";
import { authorize, type Action } from "../identity/authorize";
import { requireAdminPrincipal } from "../identity/request-principal";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import type { RouteContext, RouteHandler } from "./route-context";

// One set of handlers serves the admin API (`/v1/admin/bots/:botId/corrections…`, ADMIN_TOKEN or API key) and the
// console API (`/v1/console/bots/:id/corrections…`, member cookie): only `CorrectionsAccess` differs.
const NO_STORE = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

/** Reading corrections is part of seeing a bot (agents too); changing them needs `corrections:write`. */
const READ: Action = "bots:read";
const WRITE: Action = "corrections:write";

/**
 * Who may touch which bot's corrections: resolves the caller, checks `action` on the path's bot with
 * `authorize` (out of scope → 404, role lacks → 403) and returns the id of the bot, which exists.
 */
export type CorrectionsAccess = (context: RouteContext, action: Action) => Promise<string>;

/** The five corrections endpoints for one way of calling them (admin or console). */
export function correctionHandlers(access: CorrectionsAccess) {
  /** POST …/corrections `{ question, phrasings?, answer, sources? }` → 201 `{ correction }`. */
  const create: RouteHandler = async (context) => {
    const { deps, botId } = await correctionContext(context, await access(context, WRITE));
    const input = parseCorrection(await readJsonBody(context.request, { maxBytes: 64 * 1024, maxDepth: 4 }));
    const [correction] = await createCorrections(deps, botId, [input]);
    return Response.json({ correction }, { status: 201, headers: NO_STORE });
  };

  /** GET …/corrections → `{ corrections }`; `?format=jsonl` → one correction per line (an import reads it back). */
  const list: RouteHandler = async (context) => {
    const botId = await access(context, READ);
    const corrections = await listCorrections(requireDb(context), botId);
    const format = context.url.searchParams.get("format") ?? "json";
    if (format === "jsonl") {
      const body = corrections.map((correction) => `${JSON.stringify(correction)}\n`).join("");
      return new Response(body, {
        headers: { ...NO_STORE, "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${botId}-corrections.jsonl"` },
      });
    }
    if (format !== "json") throw new HttpError(400, "invalid_format", 'format must be "json" or "jsonl".');
    return Response.json({ corrections }, { headers: NO_STORE });
  };

  /** PUT …/corrections/:correctionId — replaces question, phrasings, answer and sources (the use count stays). */
  const update: RouteHandler = async (context) => {
    const { deps, botId } = await correctionContext(context, await access(context, WRITE));
    const id = correctionIdFrom(context.params);
    const input = parseCorrection(await readJsonBody(context.request, { maxBytes: 64 * 1024, maxDepth: 4 }));
    const correction = await updateCorrection(deps, botId, id, input);
    if (!correction) throw notFound(botId, id);
    return Response.json({ correction }, { headers: NO_STORE });
  };

  /** DELETE …/corrections/:correctionId → `{ deleted: id }`. */
  const remove: RouteHandler = async (context) => {
    const { deps, botId } = await correctionContext(context, await access(context, WRITE));
    const id = correctionIdFrom(context.params);
    if (!(await deleteCorrection(deps, botId, id))) throw notFound(botId, id);
    return Response.json({ deleted: id }, { headers: NO_STORE });
  };

  /**
   * POST …/corrections/import with a JSONL body (one `{ question, phrasings?, answer, sources? }` per line, e.g. an
   * export): every line is checked first; any bad line → 400 with `error.lines` and nothing written.
   * Imported corrections are added (new ids), never merged into existing ones.
   */
  const importLines: RouteHandler = async (context) => {
    const { deps, botId } = await correctionContext(context, await access(context, WRITE));
    const corrections = parseCorrectionLines(await readTextBody(context.request));
    const created = await createCorrections(deps, botId, corrections);
    return Response.json({ imported: created.length, ids: created.map((correction) => correction.id) }, { status: 201, headers: NO_STORE });
  };

  return { create, list, update, remove, importLines };
}

/** The admin API's caller: `Bearer <ADMIN_TOKEN>` or an API key, on the bot `:botId`. */
const adminAccess: CorrectionsAccess = async (context, action) => {
  const principal = await requireAdminPrincipal(context.request, context.env);
  authorize(principal, action, context.params.botId);
  // requireBot validates the id and answers 404 for an unknown bot.
  return (await requireBot(requireDb(context), context.params.botId)).id;
};

const admin = correctionHandlers(adminAccess);
/** POST /v1/admin/bots/:botId/corrections */
export const handleCreateCorrection = admin.create;
/** GET /v1/admin/bots/:botId/corrections[?format=jsonl] */
export const handleListCorrections = admin.list;
/** PUT /v1/admin/bots/:botId/corrections/:correctionId */
export const handleUpdateCorrection = admin.update;
/** DELETE /v1/admin/bots/:botId/corrections/:correctionId */
export const handleDeleteCorrection = admin.remove;
/** POST /v1/admin/bots/:botId/corrections/import (JSONL) */
export const handleImportCorrections = admin.importLines;

function requireDb({ env }: RouteContext): D1Database {
  if (!env.DB) throw new HttpError(503, "corrections_unavailable", "Corrections need the D1 binding DB (see wrangler.jsonc).");
  return env.DB;
}

async function correctionContext(context: RouteContext, botId: string): Promise<{ deps: CorrectionDependencies; botId: string }> {
  const { env, models } = context;
  const { embedding, embeddingDimensions } = models;
  const index = embeddingDimensions ? vectorIndexFromEnv(env, embeddingDimensions) : undefined;
  if (!embedding || !index) {
    throw new HttpError(503, "corrections_unavailable", "Corrections need an embedding model and a vector index (VECTORIZE or VECTOR_INDEX).");
  }
  return { deps: { db: requireDb(context), index, embedding }, botId };
}

function correctionIdFrom(params: Record<string, string>): string {
  const id = params.correctionId ?? "";
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
