/** Kinds of knowledge source (issue 14). `file` sources come from uploads; the web kinds are synced by the worker. */
export type SourceKind = "url" | "sitemap" | "crawl" | "file";
export type SourceSchedule = "manual" | "daily" | "weekly";
export type SyncStatus = "running" | "completed" | "cancelled" | "failed";
export type PageOutcome = "indexed" | "unchanged" | "duplicate" | "skipped" | "failed";

export interface SourceLimits {
  /** Pages a sync claims at most (sitemap entries or crawled links). */
  maxPages: number;
  /** Link hops from the start URL (crawl) or sitemap-index nesting (sitemap). */
  maxDepth: number;
  /** Crawl only URLs whose path starts with this (default: the start URL's directory). */
  pathPrefix?: string;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Per-page size cap, bytes. */
  maxBytes: number;
}

export interface SourceRecord {
  id: string;
  botId: string;
  kind: SourceKind;
  url: string;
  schedule: SourceSchedule;
  limits: SourceLimits;
  currentSyncId: string | null;
  lastSyncId: string | null;
  nextSyncAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A sync's report: counts of the pages it claimed by outcome, live while it runs. */
export interface SyncReport {
  id: string;
  status: SyncStatus;
  trigger: string;
  startedAt: number;
  finishedAt: number | null;
  /** Pages found (listed by sitemaps or reached by links, within the limits). */
  found: number;
  /** Pages still waiting to be fetched. */
  queued: number;
  indexed: number;
  unchanged: number;
  duplicate: number;
  skipped: number;
  failed: number;
  /** Documents of pages gone from the site (or now duplicates or disallowed), removed at the end. */
  removed: number;
  /** Why pages failed or were skipped (at most 100 rows). */
  problems: { url: string; outcome: PageOutcome; reason: string }[];
  error: string | null;
}

/** One queue message: "process this URL of this sync". The row in source_pages is the truth. */
export interface SyncMessage {
  botId: string;
  sourceId: string;
  syncId: string;
  url: string;
}

/** What a sync needs of the queue binding (Cloudflare Queues' producer). */
export interface SyncQueue {
  sendBatch(messages: Iterable<MessageSendRequest<SyncMessage>>, options?: QueueSendBatchOptions): Promise<unknown>;
}
