import { requireBot } from "../bots/bot-registry";
import { requireAdmin } from "../http/admin-auth";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { deleteDocument } from "../rag/ingest-documents";
import { parseSourceSettings, SOURCE_LIMITS } from "../sources/source-settings";
import { documentIdsOfSource, SourceStore } from "../sources/source-store";
import { cancelSync, nextSyncAt, startSync } from "../sources/source-sync";
import type { SourceRecord } from "../sources/source-types";
import { syncDependenciesFromEnv } from "../sources/sync-dependencies-from-env";
import type { RouteContext, RouteHandler } from "./route-context";

const SOURCE_ID = /^src_[0-9a-f]{20}$/;
const NO_STORE = { "cache-control": "no-store" };

/**
 * Who may touch a bot's sources, and which bot: the bot's id once the caller may do `action` to it (it exists),
 * else throws (401/403/404). The admin API checks ADMIN_TOKEN; the console API a member's role and scope.
 */
export type SourceAccess = (context: RouteContext, action: "documents:read" | "documents:write") => Promise<string>;

/** The six source endpoints, for one API: `access` says who may, `sourceParam` names the path's source id. */
export interface SourceHandlers {
  create: RouteHandler;
  list: RouteHandler;
  get: RouteHandler;
  sync: RouteHandler;
  cancel: RouteHandler;
  remove: RouteHandler;
}

/**
 * The handlers of `…/sources` for an API: the admin API (`/v1/admin/bots/:botId/sources…`, below) and the
 * console's (`/v1/console/bots/:id/sources…`, console-sources-route.ts) answer the same, only the access differs.
 *
 * - POST `…/sources` `{ kind: "url" | "sitemap" | "crawl", url, schedule?, limits? }`: adds a web source and starts
 *   its first sync → 201 `{ source, sync }`.
 * - GET `…/sources` → `{ sources: [{ ...source, sync }] }` (sync: the running or last sync's report).
 * - GET `…/sources/:id` → `{ source, sync }`.
 * - POST `…/sources/:id/sync` → 202 `{ source, sync }`; 409 `sync_running` while one runs.
 * - POST `…/sources/:id/cancel` → `{ cancelled: syncId | null }`.
 * - DELETE `…/sources/:id`: cancels its sync, removes its documents and vectors, then the source →
 *   `{ deleted, documents }`.
 */
export function sourceHandlers(access: SourceAccess, sourceParam: string): SourceHandlers {
  const writable = async (context: RouteContext) => {
    const botId = await access(context, "documents:write");
    const deps = syncDependenciesFromEnv(context.env, context.models);
    if ("missing" in deps) throw new HttpError(503, "sources_unavailable", `Knowledge sources need ${deps.missing}.`);
    return { botId, deps, store: new SourceStore(deps.db) };
  };
  const readable = async (context: RouteContext) => {
    const botId = await access(context, "documents:read");
    return { botId, store: new SourceStore(context.env.DB!) };
  };
  return {
    async create(context) {
      const { botId, deps, store } = await writable(context);
      const body = await readJsonBody(context.request, { maxBytes: 16 * 1024, maxDepth: 4 });
      const settings = parseSourceSettings(body, deps.policy);
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
    },
    async list(context) {
      const { botId, store } = await readable(context);
      const sources = await store.list(botId);
      const described = await Promise.all(sources.map(async (source) => ({ ...source, sync: await store.report(source.currentSyncId ?? source.lastSyncId ?? "") })));
      return Response.json({ sources: described }, { headers: NO_STORE });
    },
    async get(context) {
      const { botId, store } = await readable(context);
      const source = await requireSource(store, botId, context.params[sourceParam]);
      return Response.json(await describe(store, botId, source.id, source.currentSyncId ?? source.lastSyncId), { headers: NO_STORE });
    },
    async sync(context) {
      const { botId, deps, store } = await writable(context);
      const source = await requireSource(store, botId, context.params[sourceParam]);
      const syncId = await startSync(deps, source, "manual");
      if (!syncId) throw new HttpError(409, "sync_running", `Source ${source.id} is already syncing (${source.currentSyncId}); wait for it or cancel it.`);
      return Response.json(await describe(store, botId, source.id, syncId), { status: 202, headers: NO_STORE });
    },
    async cancel(context) {
      const botId = await access(context, "documents:write");
      const db = context.env.DB!;
      const source = await requireSource(new SourceStore(db), botId, context.params[sourceParam]);
      return Response.json({ cancelled: await cancelSync({ db }, source) }, { headers: NO_STORE });
    },
    async remove(context) {
      const { botId, deps, store } = await writable(context);
      const source = await requireSource(store, botId, context.params[sourceParam]);
      await cancelSync(deps, source);
      const ids = await documentIdsOfSource(deps.db, botId, source.id);
      for (const id of ids) await deleteDocument(deps, botId, id);
      await store.delete(botId, source.id);
      return Response.json({ deleted: source.id, documents: ids.length }, { headers: NO_STORE });
    },
  };
}

/** The admin API's access: ADMIN_TOKEN, and the path's bot must exist. */
const adminAccess: SourceAccess = async (context) => {
  await requireAdmin(context.request, context.env);
  return (await requireBot(context.env.DB, context.params.botId ?? "")).id;
};

/** `/v1/admin/bots/:botId/sources…` (ADMIN_TOKEN). */
export const adminSourceHandlers = sourceHandlers(adminAccess, "id");

async function describe(store: SourceStore, botId: string, sourceId: string, syncId: string | null) {
  const source = await store.get(botId, sourceId);
  return { source, sync: syncId ? await store.report(syncId) : null };
}

async function requireSource(store: SourceStore, botId: string, id: string | undefined): Promise<SourceRecord> {
  const source = id && SOURCE_ID.test(id) ? await store.get(botId, id) : null;
  if (!source) throw new HttpError(404, "source_not_found", `Bot "${botId}" has no source "${id ?? ""}".`);
  return source;
}
