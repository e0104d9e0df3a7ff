import { consoleApi } from "./console-api";
import { botUrl } from "./bots-api";

// The knowledge-source endpoints of the console API (worker/routes/console-sources-route.ts), and their answers.

export type SourceKind = "url" | "sitemap" | "crawl";
export type SourceSchedule = "manual" | "daily" | "weekly";

export interface SourceLimits {
  maxPages: number;
  maxDepth: number;
  pathPrefix?: string;
  timeoutMs: number;
  maxBytes: number;
}

/** A sync's report: counts by outcome, live while it runs, and why pages failed or were skipped. */
export interface SyncReport {
  id: string;
  status: "running" | "completed" | "cancelled" | "failed";
  trigger: string;
  startedAt: number;
  finishedAt: number | null;
  found: number;
  queued: number;
  indexed: number;
  unchanged: number;
  duplicate: number;
  skipped: number;
  failed: number;
  removed: number;
  problems: { url: string; outcome: string; reason: string }[];
  error: string | null;
}

export interface Source {
  id: string;
  kind: SourceKind | "file";
  url: string;
  schedule: SourceSchedule;
  limits: SourceLimits;
  currentSyncId: string | null;
  lastSyncId: string | null;
  nextSyncAt: number | null;
  createdAt: number;
  /** The running sync's report, else the last one's; null before the first. */
  sync: SyncReport | null;
}

/** What the add form sends: `{ kind, url, schedule, limits? }`. */
export interface NewSource {
  kind: SourceKind;
  url: string;
  schedule: SourceSchedule;
  limits?: Partial<Pick<SourceLimits, "maxPages" | "maxDepth" | "pathPrefix">>;
}

const sourcesUrl = (botId: string) => `${botUrl(botId)}/sources`;
const sourceUrl = (botId: string, sourceId: string) => `${sourcesUrl(botId)}/${encodeURIComponent(sourceId)}`;

export async function listSources(botId: string): Promise<Source[]> {
  return (await consoleApi<{ sources: Source[] }>("GET", sourcesUrl(botId))).sources;
}

/** Adds a source; its first sync starts at once. */
export async function addSource(botId: string, source: NewSource): Promise<Source> {
  const body = await consoleApi<{ source: Omit<Source, "sync">; sync: SyncReport | null }>("POST", sourcesUrl(botId), source);
  return { ...body.source, sync: body.sync };
}

export async function syncSource(botId: string, sourceId: string): Promise<void> {
  await consoleApi("POST", `${sourceUrl(botId, sourceId)}/sync`);
}

export async function cancelSourceSync(botId: string, sourceId: string): Promise<void> {
  await consoleApi("POST", `${sourceUrl(botId, sourceId)}/cancel`);
}

/** Removes the source with its documents and vectors; answers how many documents went. */
export async function removeSource(botId: string, sourceId: string): Promise<number> {
  return (await consoleApi<{ documents: number }>("DELETE", sourceUrl(botId, sourceId))).documents;
}
