import { requireBot } from "../bots/bot-registry";
import { requireAdmin } from "../http/admin-auth";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { deleteDocument } from "../rag/ingest-documents";
import { parseSourceSettings, SOURCE_LIMITS } from "../sources/source-settings";
import { documentIdsOfSource, SourceStore } from "../sources/source-store";
import { cancelSync, nextSyncAt, startSync, type SyncDependencies } from "../sources/source-sync";
import type { SourceRecord } from "../sources/source-types";
import { syncDependenciesFromEnv } from "../sources/sync-dependencies-from-env";
import type { RouteContext } from "./route-context";

const SOURCE_ID = /^src_[0-9a-f]{20}$/;
const NO_STORE = { "cache-control": "no-store" };

/**
 * POST /v1/admin/bots/:botId/sources `{ kind: "url" | "sitemap" | "crawl", url, schedule?, limits? }`: adds a web
 * source and starts its first sync. Answers 201 `{ source, sync }`.
 */
export async function handleCreateSource(context: RouteContext): Promise<Response> {
  const { botId, deps } = await prepare(context);
  const body = await readJsonBody(context.request, { maxBytes: 16 * 1024, maxDepth: 4 });
  const settings = parseSourceSettings(body, deps.policy);
  const store = new SourceStore(deps.db);
  if ((await store.list(botId)).length >= SOURCE_LIMITS.maxSourcesPerBot) {
    throw new HttpError(409, "too_many_sources", `A bot has at most ${SOURCE_LIMITS.maxSourcesPerBot} sources.`);
  }
  const now = Date.now();
  const source: SourceRecord = {
    id: `src_${[...crypto.getRandomValues(new Uint8Array(10))].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`,
    botId,
    ...settings,
    currentSyncId: null,
    lastSyncId: null,
    nextSyncAt: nextSyncAt(settings.schedule, now),
    createdAt: now,
    updatedAt: now,
  };
  await store.create(source);
  const syncId = await startSync(deps, source, "create");
  return Response.json(await describe(store, botId, source.id, syncId), { status: 201, headers: NO_STORE });
}

/** GET /v1/admin/bots/:botId/sources → `{ sources: [{ ...source, sync }] }` (sync: the running or last sync's report). */
export async function handleListSources(context: RouteContext): Promise<Response> {
  const { botId, store } = await prepareRead(context);
  const sources = await store.list(botId);
  const described = await Promise.all(sources.map(async (source) => ({ ...source, sync: await store.report(source.currentSyncId ?? source.lastSyncId ?? "") })));
  return Response.json({ sources: described }, { headers: NO_STORE });
}

/** GET /v1/admin/bots/:botId/sources/:id → `{ source, sync }`: status and the running (or last) sync's report. */
export async function handleGetSource(context: RouteContext): Promise<Response> {
  const { botId, store } = await prepareRead(context);
  const source = await requireSource(store, botId, context.params.id);
  return Response.json(await describe(store, botId, source.id, source.currentSyncId ?? source.lastSyncId), { headers: NO_STORE });
}

/** POST /v1/admin/bots/:botId/sources/:id/sync → 202 `{ source, sync }`; 409 `sync_running` while one runs. */
export async function handleSyncSource(context: RouteContext): Promise<Response> {
  const { botId, deps } = await prepare(context);
  const store = new SourceStore(deps.db);
  const source = await requireSource(store, botId, context.params.id);
  const syncId = await startSync(deps, source, "manual");
  if (!syncId) throw new HttpError(409, "sync_running", `Source ${source.id} is already syncing (${source.currentSyncId}); wait for it or cancel it.`);
  return Response.json(await describe(store, botId, source.id, syncId), { status: 202, headers: NO_STORE });
}

/** POST /v1/admin/bots/:botId/sources/:id/cancel → `{ cancelled: syncId | null }`. */
export async function handleCancelSync(context: RouteContext): Promise<Response> {
  const { botId, store, db } = await prepareRead(context);
  const source = await requireSource(store, botId, context.params.id);
  return Response.json({ cancelled: await cancelSync({ db }, source) }, { headers: NO_STORE });
}

/** DELETE /v1/admin/bots/:botId/sources/:id: cancels its sync, removes its documents and vectors, then the source. */
export async function handleDeleteSource(context: RouteContext): Promise<Response> {
  const { botId, deps } = await prepare(context);
  const store = new SourceStore(deps.db);
  const source = await requireSource(store, botId, context.params.id);
  await cancelSync(deps, source);
  const ids = await documentIdsOfSource(deps.db, botId, source.id);
  for (const id of ids) await deleteDocument(deps, botId, id);
  await store.delete(botId, source.id);
  return Response.json({ deleted: source.id, documents: ids.length }, { headers: NO_STORE });
}

async function describe(store: SourceStore, botId: string, sourceId: string, syncId: string | null) {
  const source = await store.get(botId, sourceId);
  return { source, sync: syncId ? await store.report(syncId) : null };
}

async function prepareRead(context: RouteContext): Promise<{ botId: string; store: SourceStore; db: D1Database }> {
  await requireAdmin(context.request, context.env);
  const botId = context.params.botId ?? "";
  await requireBot(context.env.DB, botId);
  const db = context.env.DB!;
  return { botId, store: new SourceStore(db), db };
}

async function prepare(context: RouteContext): Promise<{ botId: string; deps: SyncDependencies }> {
  const { botId } = await prepareRead(context);
  const deps = syncDependenciesFromEnv(context.env, context.models);
  if ("missing" in deps) throw new HttpError(503, "sources_unavailable", `Knowledge sources need ${deps.missing}.`);
  return { botId, deps };
}

async function requireSource(store: SourceStore, botId: string, id: string | undefined): Promise<SourceRecord> {
  const source = id && SOURCE_ID.test(id) ? await store.get(botId, id) : null;
  if (!source) throw new HttpError(404, "source_not_found", `Bot "${botId}" has no source "${id ?? ""}".`);
  return source;
}

