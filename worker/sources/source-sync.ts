import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { FetchRefusedError, type FetchPolicy } from "../fetch/address-policy";
import { FetchFailedError, guardedFetch, type GuardedResponse } from "../fetch/guarded-fetch";
import { sha256Hex } from "../rag/document-ids";
import { deleteDocument, ingestDocuments, type DocumentInput } from "../rag/ingest-documents";
import { BinaryContentError, decodeText } from "./decode-text";
import { extractHtmlPage } from "./html-main-content";
import { PdfUnreadableError, type PdfTextExtractor } from "./pdf-text-types";
import { PDF_NOT_ENABLED, pdfPageDocuments } from "./pdf-documents";
import { parseRobotsTxt } from "./robots-txt";
import { parseSitemap } from "./sitemap";
import { enqueuePages, SourceStore, type PageClaim, type PageRow, type SyncRow } from "./source-store";
import type { PageOutcome, SourceRecord, SyncMessage, SyncQueue } from "./source-types";

export interface SyncDependencies {
  db: D1Database;
  queue: SyncQueue;
  index: Vectorize;
  embedding: EmbeddingModelV3;
  policy: FetchPolicy;
  /** The User-Agent of every request: names edgechat and the deployment. */
  userAgent: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Reads PDFs (`extractPdfText`); without it a PDF page fails with a reason that says how to turn PDFs on. */
  pdfText?: PdfTextExtractor;
}

/** The crawler's name in robots.txt. */
export const CRAWLER_AGENT = "edgechat";
/** Attempts of a page answered 429/5xx (or timing out) before it counts as failed. */
export const MAX_PAGE_ATTEMPTS = 4;
const MAX_ROBOTS_BYTES = 512 * 1024;
const MAX_SITEMAP_BYTES = 10 * 1024 * 1024;
const PAGE_TYPES = ["text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown", "application/pdf"];
const SITEMAP_TYPES = ["application/xml", "text/xml", "application/rss+xml", "text/plain"];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Thrown for answers worth trying again later (429, 5xx, timeouts): the queue redelivers after `delaySeconds`. */
export class RetryLaterError extends Error {
  constructor(
    readonly delaySeconds: number,
    message: string,
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** When a source's next scheduled sync is due, from the end of the last one. */
export function nextSyncAt(schedule: SourceRecord["schedule"], from: number): number | null {
  return schedule === "daily" ? from + DAY_MS : schedule === "weekly" ? from + 7 * DAY_MS : null;
}

/**
 * Starts a sync of a web source: claims its first URL and enqueues it. Returns the sync id, or null when a
 * sync of this source is already running (one at a time).
 */
export async function startSync(deps: SyncDependencies, source: SourceRecord, trigger: "manual" | "schedule" | "create"): Promise<string | null> {
  if (source.kind === "file") return null;
  const store = new SourceStore(deps.db);
  const now = (deps.now ?? Date.now)();
  const syncId = `sync_${randomId()}`;
  if (!(await store.beginSync(source, syncId, trigger, now))) return null;
  const claimed = await store.claim(source.id, syncId, [{ url: source.url, role: source.kind === "sitemap" ? "sitemap" : "page", depth: 0 }], now);
  await enqueuePages(deps.queue, { botId: source.botId, sourceId: source.id, syncId }, claimed);
  return syncId;
}

/** Cancels the running sync of a source; its remaining messages are dropped when they arrive. */
export async function cancelSync(deps: Pick<SyncDependencies, "db" | "now">, source: SourceRecord): Promise<string | null> {
  if (!source.currentSyncId) return null;
  const ended = await new SourceStore(deps.db).endSync(source, source.currentSyncId, "cancelled", { nextSyncAt: nextSyncAt(source.schedule, (deps.now ?? Date.now)()) }, (deps.now ?? Date.now)());
  return ended ? source.currentSyncId : null;
}

/**
 * The queue consumer's work for one message: fetch the URL of a sync (once: a page already done by this sync,
 * or a message of a cancelled sync, is acknowledged without work), index or skip it, claim the URLs it leads to,
 * and end the sync when nothing is left. Throws RetryLaterError for 429/5xx/timeouts below MAX_PAGE_ATTEMPTS.
 */
export async function processSyncMessage(deps: SyncDependencies, message: SyncMessage): Promise<void> {
  const store = new SourceStore(deps.db);
  const now = deps.now ?? Date.now;
  const [sync, source, page] = await Promise.all([store.getSync(message.syncId), new SourceStore(deps.db).get(message.botId, message.sourceId), store.page(message.sourceId, message.url)]);
  if (!sync || sync.status !== "running" || !source || !page || page.sync_id !== message.syncId || page.state === "done") return;
  let result: PageResult;
  try {
    result = page.role === "sitemap" ? await readSitemap(deps, source, sync, page) : await readPage(deps, source, sync, page);
  } catch (error) {
    if (error instanceof RetryLaterError) {
      const attempts = await store.countAttempt(source.id, page.url);
      if (attempts < MAX_PAGE_ATTEMPTS) throw error;
      result = { outcome: "failed", reason: `${error.message} (after ${attempts} attempts)` };
    } else if (isPageProblem(error)) {
      result = { outcome: "failed", reason: describeFailure(error) };
    } else {
      // Our side failed (embedding, index, D1): the queue redelivers; a page that keeps failing is reported.
      const attempts = await store.countAttempt(source.id, page.url);
      if (attempts < MAX_PAGE_ATTEMPTS) throw error;
      result = { outcome: "failed", reason: `${describeFailure(error)} (after ${attempts} attempts)` };
    }
  }
  const { claims = [], ...fields } = result;
  const claimed = await store.claim(source.id, sync.id, claims, now(), source.limits.maxPages);
  await store.finishPage(source.id, sync.id, page.url, fields, now());
  await enqueuePages(deps.queue, { botId: source.botId, sourceId: source.id, syncId: sync.id }, claimed);
  if ((await store.queuedCount(source.id, sync.id)) === 0) await finishSync(deps, source, sync.id);
}

/** Ends a sync whose pages are all done: removes the documents of pages gone from the site, then marks it completed. */
export async function finishSync(deps: SyncDependencies, source: SourceRecord, syncId: string): Promise<void> {
  const store = new SourceStore(deps.db);
  const gone = await store.pagesToRemove(source.id, syncId);
  let removed = 0;
  for (const page of gone) {
    const ids = page.document_ids ? (JSON.parse(page.document_ids) as string[]) : [];
    for (const id of ids) await deleteDocument(deps, source.botId, id);
    if (ids.length > 0) removed++;
  }
  await store.forgetPages(source.id, syncId, gone.map((page) => page.url));
  const now = (deps.now ?? Date.now)();
  await store.endSync(source, syncId, "completed", { removed, nextSyncAt: nextSyncAt(source.schedule, now) }, now);
}

type PageResult = Parameters<SourceStore["finishPage"]>[3] & { claims?: PageClaim[] };

async function readSitemap(deps: SyncDependencies, source: SourceRecord, sync: SyncRow, page: PageRow): Promise<PageResult> {
  const response = await fetchChecked(deps, source, page.url, { contentTypes: SITEMAP_TYPES, maxBytes: MAX_SITEMAP_BYTES });
  if (response.status !== 200) return httpFailure(response.status);
  const sitemap = parseSitemap(decodeText(response.bytes, response.headers.get("content-type")));
  const host = new URL(source.url).host;
  const claims: PageClaim[] = [];
  for (const entry of sitemap.entries) {
    const url = normalizeUrl(entry.url, response.url);
    if (!url || new URL(url).host !== host) continue;
    if (sitemap.kind === "sitemapindex") {
      if (page.depth + 1 <= source.limits.maxDepth) claims.push({ url, role: "sitemap", depth: page.depth + 1 });
    } else claims.push({ url, role: "page", depth: page.depth + 1, ...(entry.lastmod ? { sitemapLastmod: entry.lastmod } : {}) });
  }
  void sync;
  return { outcome: "indexed", reason: `${sitemap.kind}: ${sitemap.entries.length} entries`, claims };
}

async function readPage(deps: SyncDependencies, source: SourceRecord, sync: SyncRow, page: PageRow): Promise<PageResult> {
  const target = new URL(page.url);
  const robots = parseRobotsTxt(await robotsOf(deps, source, sync, target), CRAWLER_AGENT);
  if (!robots.allows(`${target.pathname}${target.search}`)) return { outcome: "skipped", reason: "disallowed by robots.txt" };
  const known = page.document_ids !== null && page.content_hash !== null;
  const storedLinks = page.links ? (JSON.parse(page.links) as string[]) : [];
  // The sitemap says the page has not changed since we indexed it: no request at all.
  if (known && page.sitemap_lastmod && page.sitemap_lastmod === page.indexed_lastmod) {
    return { outcome: "unchanged", reason: "sitemap lastmod", claims: linkClaims(source, page, storedLinks) };
  }
  const headers: Record<string, string> = {};
  if (known && page.etag) headers["if-none-match"] = page.etag;
  if (known && page.last_modified) headers["if-modified-since"] = page.last_modified;
  const response = await fetchChecked(deps, source, page.url, { contentTypes: PAGE_TYPES, maxBytes: source.limits.maxBytes, headers });
  if (response.status === 304 && known) {
    return { outcome: "unchanged", reason: "not modified (304)", indexedLastmod: page.sitemap_lastmod, claims: linkClaims(source, page, storedLinks) };
  }
  if (response.status !== 200) return httpFailure(response.status);
  const validators = { etag: response.headers.get("etag"), lastModified: response.headers.get("last-modified") };
  const documents: DocumentInput[] = [];
  let links: string[] = [];
  const documentBase = `src:${source.id}:${(await sha256Hex(page.url)).slice(0, 24)}`;
  if (response.mediaType === "application/pdf") {
    if (!deps.pdfText) throw new PdfUnreadableError("unsupported", PDF_NOT_ENABLED);
    const { pages } = await deps.pdfText(response.bytes);
    documents.push(...pdfPageDocuments(pages, { id: documentBase, title: fileNameOf(response.url), url: response.url, sourceId: source.id }));
  } else {
    const text = decodeText(response.bytes, response.headers.get("content-type"));
    if (response.mediaType === "text/html" || response.mediaType === "application/xhtml+xml") {
      const extracted = extractHtmlPage(text, response.url);
      links = extracted.links;
      if (extracted.canonical && extracted.canonical !== response.url && extracted.canonical !== page.url) {
        return { outcome: "duplicate", reason: `canonical URL is ${extracted.canonical}`, links, ...validators, claims: [...linkClaims(source, page, [extracted.canonical]), ...linkClaims(source, page, links)] };
      }
      if (extracted.markdown) documents.push({ id: documentBase, title: extracted.title, url: response.url, format: "markdown", content: extracted.markdown, sourceId: source.id });
    } else if (text.trim()) {
      documents.push({ id: documentBase, title: new URL(response.url).pathname, url: response.url, format: response.mediaType === "text/plain" ? "text" : "markdown", content: text, sourceId: source.id });
    }
  }
  const claims = linkClaims(source, page, links);
  if (documents.length === 0) return { outcome: "failed", reason: "no text to index", links, claims };
  const contentHash = await sha256Hex(JSON.stringify(documents.map((document) => [document.title, document.content])));
  const duplicate = await new SourceStore(deps.db).duplicateOf(source.id, page.sync_id, page.url, contentHash);
  if (duplicate) return { outcome: "duplicate", reason: `same content as ${duplicate}`, contentHash, links, ...validators, claims };
  const previousIds = page.document_ids ? (JSON.parse(page.document_ids) as string[]) : [];
  const results = await ingestDocuments(deps, source.botId, documents);
  const failure = results.find((result) => result.status === "failed");
  if (failure) throw new Error(`indexing failed: ${failure.error ?? "unknown error"}`);
  for (const id of previousIds) if (!documents.some((document) => document.id === id)) await deleteDocument(deps, source.botId, id);
  const changed = results.some((result) => result.status === "indexed") || previousIds.length !== documents.length;
  return {
    outcome: changed ? "indexed" : "unchanged",
    reason: changed ? undefined : "same content",
    ...validators,
    contentHash,
    documentIds: documents.map((document) => document.id),
    links,
    indexedLastmod: page.sitemap_lastmod,
    claims,
  };
}

/** robots.txt of the sync's site, fetched once per sync and kept on the sync row ('' when there is none). */
async function robotsOf(deps: SyncDependencies, source: SourceRecord, sync: SyncRow, target: URL): Promise<string> {
  if (sync.robots !== null) return sync.robots;
  let text = "";
  try {
    const response = await fetchChecked(deps, source, `${target.origin}/robots.txt`, { contentTypes: ["text/plain"], maxBytes: MAX_ROBOTS_BYTES });
    if (response.status === 200) text = decodeText(response.bytes, response.headers.get("content-type"));
    else if (response.status === 429 || response.status >= 500) throw new RetryLaterError(retryDelay(response), `robots.txt answered HTTP ${response.status}`);
  } catch (error) {
    if (error instanceof RetryLaterError || error instanceof FetchRefusedError) throw error;
    text = "";
  }
  await new SourceStore(deps.db).setRobots(sync.id, text);
  return text;
}

async function fetchChecked(
  deps: SyncDependencies,
  source: SourceRecord,
  url: string,
  options: { contentTypes: string[]; maxBytes: number; headers?: Record<string, string> },
): Promise<GuardedResponse> {
  let response: GuardedResponse;
  try {
    response = await guardedFetch(url, {
      policy: deps.policy,
      headers: { "user-agent": deps.userAgent, accept: "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf,text/plain;q=0.8", ...options.headers },
      timeoutMs: source.limits.timeoutMs,
      maxBytes: options.maxBytes,
      contentTypes: options.contentTypes,
      fetch: deps.fetch,
    });
  } catch (error) {
    if (error instanceof FetchFailedError && (error.code === "timeout" || error.code === "network_error")) throw new RetryLaterError(5, error.message);
    throw error;
  }
  if (response.status === 429 || response.status >= 500) throw new RetryLaterError(retryDelay(response), `HTTP ${response.status}`);
  return response;
}

/** Retry-After (seconds or a date), bounded to 1 s … 10 min; else 30 s. */
function retryDelay(response: GuardedResponse): number {
  const header = response.headers.get("retry-after");
  const seconds = header === null ? NaN : /^\d+$/.test(header) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.min(600, Math.max(1, Math.ceil(seconds))) : 30;
}

function httpFailure(status: number): PageResult {
  return { outcome: "failed", reason: status === 404 || status === 410 ? `gone: HTTP ${status}` : `HTTP ${status}` };
}

/** Errors that say something about the page itself (retrying the same bytes cannot help). */
function isPageProblem(error: unknown): boolean {
  return error instanceof FetchRefusedError || error instanceof FetchFailedError || error instanceof PdfUnreadableError || error instanceof BinaryContentError;
}

function describeFailure(error: unknown): string {
  if (error instanceof FetchRefusedError) return `refused (${error.code}): ${error.message}`;
  if (error instanceof FetchFailedError) return `${error.code}: ${error.message}`;
  if (error instanceof PdfUnreadableError) return `pdf ${error.reason}: ${error.message}`;
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}

/** Links a crawl follows from a page: same host, inside the path prefix, within the depth limit. */
function linkClaims(source: SourceRecord, page: PageRow, links: readonly string[]): PageClaim[] {
  if (source.kind !== "crawl" || page.depth + 1 > source.limits.maxDepth) return [];
  const start = new URL(source.url);
  const prefix = source.limits.pathPrefix ?? start.pathname.replace(/[^/]*$/, "");
  const claims: PageClaim[] = [];
  for (const link of links) {
    const url = normalizeUrl(link, page.url);
    if (!url) continue;
    const parsed = new URL(url);
    if (parsed.host !== start.host || !parsed.pathname.startsWith(prefix)) continue;
    claims.push({ url, role: "page", depth: page.depth + 1 });
  }
  return claims;
}

/** The last path segment of a URL, decoded when it can be ("manual%20v2.pdf" → "manual v2.pdf"). */
function fileNameOf(url: string): string {
  const name = new URL(url).pathname.split("/").pop() || "document.pdf";
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function normalizeUrl(href: string, base: string): string | null {
  try {
    const url = new URL(href, base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    url.hash = "";
    return url.href;
  } catch {
    return null;
  }
}

function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(10))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export type { PageOutcome };
