import type { PageOutcome, SourceRecord, SyncQueue, SyncReport, SyncStatus } from "./source-types";

interface SourceRow {
  id: string;
  bot_id: string;
  kind: SourceRecord["kind"];
  url: string;
  schedule: SourceRecord["schedule"];
  limits: string;
  current_sync_id: string | null;
  last_sync_id: string | null;
  next_sync_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A row of source_pages: one URL a source knows. */
export interface PageRow {
  source_id: string;
  url: string;
  role: "page" | "sitemap";
  depth: number;
  sync_id: string;
  state: "queued" | "done";
  outcome: PageOutcome | null;
  reason: string | null;
  attempts: number;
  etag: string | null;
  last_modified: string | null;
  sitemap_lastmod: string | null;
  indexed_lastmod: string | null;
  content_hash: string | null;
  document_ids: string | null;
  links: string | null;
}

export interface SyncRow {
  id: string;
  source_id: string;
  bot_id: string;
  status: SyncStatus;
  trigger: string;
  robots: string | null;
  removed: number;
  error: string | null;
  started_at: number;
  finished_at: number | null;
}

/** A URL to claim for a sync, with what the claimer knows of it. */
export interface PageClaim {
  url: string;
  role: "page" | "sitemap";
  depth: number;
  sitemapLastmod?: string;
}

function toSource(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    botId: row.bot_id,
    kind: row.kind,
    url: row.url,
    schedule: row.schedule,
    limits: JSON.parse(row.limits) as SourceRecord["limits"],
    currentSyncId: row.current_sync_id,
    lastSyncId: row.last_sync_id,
    nextSyncAt: row.next_sync_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** D1 access for sources, their syncs and their pages (migrations/0006_sources.sql). Every query names the bot. */
export class SourceStore {
  constructor(private readonly db: D1Database) {}

  async create(source: SourceRecord): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO sources (id, bot_id, kind, url, schedule, limits, current_sync_id, last_sync_id, next_sync_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, ?7, ?8, ?8)`,
      )
      .bind(source.id, source.botId, source.kind, source.url, source.schedule, JSON.stringify(source.limits), source.nextSyncAt, source.createdAt)
      .run();
  }

  async get(botId: string, sourceId: string): Promise<SourceRecord | null> {
    const row = await this.db.prepare(`SELECT * FROM sources WHERE bot_id = ?1 AND id = ?2`).bind(botId, sourceId).first<SourceRow>();
    return row ? toSource(row) : null;
  }

  async list(botId: string): Promise<SourceRecord[]> {
    const { results } = await this.db.prepare(`SELECT * FROM sources WHERE bot_id = ?1 ORDER BY created_at, id`).bind(botId).all<SourceRow>();
    return results.map(toSource);
  }

  /** Sources whose scheduled sync is due and that are not syncing. */
  async due(now: number, limit = 50): Promise<SourceRecord[]> {
    const { results } = await this.db
      .prepare(`SELECT * FROM sources WHERE next_sync_at IS NOT NULL AND next_sync_at <= ?1 AND current_sync_id IS NULL ORDER BY next_sync_at LIMIT ?2`)
      .bind(now, limit)
      .all<SourceRow>();
    return results.map(toSource);
  }

  async delete(botId: string, sourceId: string): Promise<void> {
    await this.db.batch([
      this.db.prepare(`DELETE FROM source_pages WHERE source_id = ?1 AND EXISTS (SELECT 1 FROM sources WHERE id = ?1 AND bot_id = ?2)`).bind(sourceId, botId),
      this.db.prepare(`DELETE FROM source_syncs WHERE source_id = ?1 AND bot_id = ?2`).bind(sourceId, botId),
      this.db.prepare(`DELETE FROM sources WHERE id = ?1 AND bot_id = ?2`).bind(sourceId, botId),
    ]);
  }

  /** Marks a new sync as the source's current one; false when another sync is running (one at a time). */
  async beginSync(source: SourceRecord, syncId: string, trigger: string, now: number): Promise<boolean> {
    const [claimed] = await this.db.batch([
      this.db.prepare(`UPDATE sources SET current_sync_id = ?1, updated_at = ?2 WHERE id = ?3 AND bot_id = ?4 AND current_sync_id IS NULL RETURNING id`).bind(syncId, now, source.id, source.botId),
      this.db
        .prepare(
          `INSERT INTO source_syncs (id, source_id, bot_id, status, trigger, started_at, updated_at)
           SELECT ?1, ?2, ?3, 'running', ?4, ?5, ?5 WHERE (SELECT current_sync_id FROM sources WHERE id = ?2) = ?1`,
        )
        .bind(syncId, source.id, source.botId, trigger, now),
    ]);
    return (claimed?.results.length ?? 0) > 0;
  }

  async getSync(syncId: string): Promise<SyncRow | null> {
    return this.db.prepare(`SELECT * FROM source_syncs WHERE id = ?1`).bind(syncId).first<SyncRow>();
  }

  async setRobots(syncId: string, robots: string): Promise<void> {
    await this.db.prepare(`UPDATE source_syncs SET robots = ?1 WHERE id = ?2 AND robots IS NULL`).bind(robots, syncId).run();
  }

  /**
   * Claims URLs for a sync: a URL not yet claimed by this sync becomes `queued` for it (validators and hashes
   * of earlier syncs stay). Returns the URLs newly claimed, which the caller then enqueues: a URL is claimed
   * (and so processed) at most once per sync, however many pages link to it.
   */
  async claim(sourceId: string, syncId: string, claims: readonly PageClaim[], now: number, maxPages = Number.MAX_SAFE_INTEGER): Promise<string[]> {
    if (claims.length === 0) return [];
    // One transaction: each insert sees the ones before it, so the page limit is exact however many messages run at once.
    const statements = claims.map((claim) =>
      this.db
        .prepare(
          `INSERT INTO source_pages (source_id, url, role, depth, sync_id, state, sitemap_lastmod, attempts, updated_at)
           SELECT ?1, ?2, ?3, ?4, ?5, 'queued', ?6, 0, ?7
           WHERE ?3 = 'sitemap' OR (SELECT COUNT(*) FROM source_pages WHERE source_id = ?1 AND sync_id = ?5 AND role = 'page') < ?8
           ON CONFLICT (source_id, url) DO UPDATE SET role = excluded.role, depth = excluded.depth, sync_id = excluded.sync_id,
             state = 'queued', outcome = NULL, reason = NULL, attempts = 0, sitemap_lastmod = excluded.sitemap_lastmod, updated_at = excluded.updated_at
           WHERE source_pages.sync_id != excluded.sync_id
           RETURNING url`,
        )
        .bind(sourceId, claim.url, claim.role, claim.depth, syncId, claim.sitemapLastmod ?? null, now, maxPages),
    );
    const results = await this.db.batch<{ url: string }>(statements);
    return results.flatMap((result) => result.results.map((row) => row.url));
  }

  async page(sourceId: string, url: string): Promise<PageRow | null> {
    return this.db.prepare(`SELECT * FROM source_pages WHERE source_id = ?1 AND url = ?2`).bind(sourceId, url).first<PageRow>();
  }

  async countAttempt(sourceId: string, url: string): Promise<number> {
    const row = await this.db
      .prepare(`UPDATE source_pages SET attempts = attempts + 1 WHERE source_id = ?1 AND url = ?2 RETURNING attempts`)
      .bind(sourceId, url)
      .first<{ attempts: number }>();
    return row?.attempts ?? 1;
  }

  /** Records the content hash before indexing, then answers whether another page of this sync has the same content. */
  async duplicateOf(sourceId: string, syncId: string, url: string, contentHash: string): Promise<string | null> {
    await this.db.prepare(`UPDATE source_pages SET content_hash = ?1 WHERE source_id = ?2 AND url = ?3`).bind(contentHash, sourceId, url).run();
    const row = await this.db
      .prepare(
        `SELECT url FROM source_pages WHERE source_id = ?1 AND sync_id = ?2 AND content_hash = ?3 AND url != ?4 AND role = 'page'
           AND (outcome IN ('indexed', 'unchanged') OR (url < ?4 AND (outcome IS NULL OR outcome IN ('indexed', 'unchanged'))))
         ORDER BY url LIMIT 1`,
      )
      .bind(sourceId, syncId, contentHash, url)
      .first<{ url: string }>();
    return row?.url ?? null;
  }

  /** Records a page's outcome for the sync that claimed it (only that sync's claim is touched). */
  async finishPage(
    sourceId: string,
    syncId: string,
    url: string,
    fields: { outcome: PageOutcome; reason?: string; etag?: string | null; lastModified?: string | null; contentHash?: string | null; documentIds?: string[] | null; links?: string[] | null; indexedLastmod?: string | null },
    now: number,
  ): Promise<void> {
    const keep = (value: unknown) => (value === undefined ? 1 : 0);
    await this.db
      .prepare(
        `UPDATE source_pages SET state = 'done', outcome = ?1, reason = ?2,
           etag = CASE WHEN ?3 THEN etag ELSE ?4 END,
           last_modified = CASE WHEN ?5 THEN last_modified ELSE ?6 END,
           content_hash = CASE WHEN ?7 THEN content_hash ELSE ?8 END,
           document_ids = CASE WHEN ?9 THEN document_ids ELSE ?10 END,
           links = CASE WHEN ?11 THEN links ELSE ?12 END,
           indexed_lastmod = CASE WHEN ?13 THEN indexed_lastmod ELSE ?14 END,
           updated_at = ?15
         WHERE source_id = ?16 AND url = ?17 AND sync_id = ?18`,
      )
      .bind(
        fields.outcome,
        fields.reason ?? null,
        keep(fields.etag), fields.etag ?? null,
        keep(fields.lastModified), fields.lastModified ?? null,
        keep(fields.contentHash), fields.contentHash ?? null,
        keep(fields.documentIds), fields.documentIds ? JSON.stringify(fields.documentIds) : null,
        keep(fields.links), fields.links ? JSON.stringify(fields.links) : null,
        keep(fields.indexedLastmod), fields.indexedLastmod ?? null,
        now,
        sourceId,
        url,
        syncId,
      )
      .run();
  }

  async queuedCount(sourceId: string, syncId: string): Promise<number> {
    const row = await this.db.prepare(`SELECT COUNT(*) AS n FROM source_pages WHERE source_id = ?1 AND sync_id = ?2 AND state = 'queued'`).bind(sourceId, syncId).first<{ n: number }>();
    return row?.n ?? 0;
  }

  /**
   * Pages whose documents must go at the end of a sync: not reached by it (gone from the site), or reached but
   * now duplicates, disallowed, or answered 404/410.
   */
  async pagesToRemove(sourceId: string, syncId: string): Promise<PageRow[]> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM source_pages WHERE source_id = ?1 AND (sync_id != ?2 OR outcome IN ('duplicate', 'skipped') OR (outcome = 'failed' AND reason LIKE 'gone:%'))`,
      )
      .bind(sourceId, syncId)
      .all<PageRow>();
    return results;
  }

  async forgetPages(sourceId: string, syncId: string, urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return;
    await this.db.batch([
      this.db.prepare(`DELETE FROM source_pages WHERE source_id = ?1 AND sync_id != ?2 AND url IN (SELECT value FROM json_each(?3))`).bind(sourceId, syncId, JSON.stringify(urls)),
      this.db.prepare(`UPDATE source_pages SET document_ids = NULL, content_hash = NULL, etag = NULL, last_modified = NULL WHERE source_id = ?1 AND url IN (SELECT value FROM json_each(?2))`).bind(sourceId, JSON.stringify(urls)),
    ]);
  }

  /** Ends a running sync (once: false when it had already ended) and frees the source for the next one. */
  async endSync(source: Pick<SourceRecord, "id" | "botId">, syncId: string, status: Exclude<SyncStatus, "running">, fields: { removed?: number; error?: string; nextSyncAt: number | null }, now: number): Promise<boolean> {
    const [ended] = await this.db.batch([
      this.db
        .prepare(`UPDATE source_syncs SET status = ?1, removed = removed + ?2, error = ?3, finished_at = ?4, updated_at = ?4 WHERE id = ?5 AND status = 'running' RETURNING id`)
        .bind(status, fields.removed ?? 0, fields.error ?? null, now, syncId),
      this.db
        .prepare(`UPDATE sources SET current_sync_id = NULL, last_sync_id = ?1, next_sync_at = ?2, updated_at = ?3 WHERE id = ?4 AND bot_id = ?5 AND current_sync_id = ?1`)
        .bind(syncId, fields.nextSyncAt, now, source.id, source.botId),
    ]);
    return (ended?.results.length ?? 0) > 0;
  }

  async report(syncId: string): Promise<SyncReport | null> {
    const sync = await this.getSync(syncId);
    if (!sync) return null;
    const [counts, problems] = await this.db.batch([
      this.db
        .prepare(
          `SELECT COUNT(*) AS found, SUM(state = 'queued') AS queued, SUM(outcome = 'indexed') AS indexed, SUM(outcome = 'unchanged') AS unchanged,
             SUM(outcome = 'duplicate') AS duplicate, SUM(outcome = 'skipped') AS skipped, SUM(outcome = 'failed') AS failed
           FROM source_pages WHERE source_id = ?1 AND sync_id = ?2 AND role = 'page'`,
        )
        .bind(sync.source_id, syncId),
      this.db
        .prepare(`SELECT url, outcome, reason FROM source_pages WHERE source_id = ?1 AND sync_id = ?2 AND outcome IN ('failed', 'skipped', 'duplicate') ORDER BY url LIMIT 100`)
        .bind(sync.source_id, syncId),
    ]);
    const row = (counts!.results[0] ?? {}) as Record<string, number | null>;
    const n = (key: string) => Number(row[key] ?? 0);
    return {
      id: sync.id,
      status: sync.status,
      trigger: sync.trigger,
      startedAt: sync.started_at,
      finishedAt: sync.finished_at,
      found: n("found"),
      queued: n("queued"),
      indexed: n("indexed"),
      unchanged: n("unchanged"),
      duplicate: n("duplicate"),
      skipped: n("skipped"),
      failed: n("failed"),
      removed: sync.removed,
      problems: (problems!.results as { url: string; outcome: PageOutcome; reason: string | null }[]).map((p) => ({ url: p.url, outcome: p.outcome, reason: p.reason ?? "" })),
      error: sync.error,
    };
  }

  /** Queued pages of running syncs untouched since `before`: their messages were lost (a restart) and are sent again. */
  async stalledPages(before: number, limit = 500): Promise<{ bot_id: string; source_id: string; sync_id: string; url: string }[]> {
    const { results } = await this.db
      .prepare(
        `SELECT s.bot_id, p.source_id, p.sync_id, p.url FROM source_pages p JOIN source_syncs s ON s.id = p.sync_id
         WHERE s.status = 'running' AND p.state = 'queued' AND p.updated_at < ?1 LIMIT ?2`,
      )
      .bind(before, limit)
      .all<{ bot_id: string; source_id: string; sync_id: string; url: string }>();
    return results;
  }

  async touch(sourceId: string, urls: readonly string[], now: number): Promise<void> {
    if (urls.length === 0) return;
    await this.db.prepare(`UPDATE source_pages SET updated_at = ?1 WHERE source_id = ?2 AND url IN (SELECT value FROM json_each(?3))`).bind(now, sourceId, JSON.stringify(urls)).run();
  }
}

/** Sends one message per claimed URL (in batches of 100, the Queues limit). */
export async function enqueuePages(queue: SyncQueue, base: { botId: string; sourceId: string; syncId: string }, urls: readonly string[]): Promise<void> {
  for (let start = 0; start < urls.length; start += 100) {
    await queue.sendBatch(urls.slice(start, start + 100).map((url) => ({ body: { ...base, url }, contentType: "json" as const })));
  }
}

/** Ids of the documents that came from a source (documents.source_id). */
export async function documentIdsOfSource(db: D1Database, botId: string, sourceId: string): Promise<string[]> {
  const { results } = await db.prepare(`SELECT id FROM documents WHERE bot_id = ?1 AND source_id = ?2`).bind(botId, sourceId).all<{ id: string }>();
  return results.map((row) => row.id);
}
