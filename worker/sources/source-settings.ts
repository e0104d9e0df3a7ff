import { isRecord } from "../chat/chat-request";
import { FetchRefusedError } from "../fetch/address-policy";
import { checkFetchableUrl, type FetchPolicy } from "../fetch/address-policy";
import { HttpError } from "../http/http-error";
import type { SourceKind, SourceLimits, SourceSchedule } from "./source-types";

export const SOURCE_LIMITS = {
  maxPages: { default: 500, max: 5000 },
  maxDepth: { default: 3, max: 10 },
  timeoutMs: { default: 15_000, min: 1000, max: 30_000 },
  maxBytes: { default: 2 * 1024 * 1024, min: 1024, max: 10 * 1024 * 1024 },
  maxUrlLength: 2048,
  maxSourcesPerBot: 100,
} as const;

const WEB_KINDS: readonly SourceKind[] = ["url", "sitemap", "crawl"];
const SCHEDULES: readonly SourceSchedule[] = ["manual", "daily", "weekly"];

export interface SourceSettings {
  kind: SourceKind;
  url: string;
  schedule: SourceSchedule;
  limits: SourceLimits;
}

/**
 * Validates `POST /v1/admin/bots/:botId/sources` `{ kind, url, schedule, limits? }`. The URL must pass the fetch
 * policy now, so an owner learns at once that `http://10.0.0.1/` will never be fetched.
 */
export function parseSourceSettings(body: unknown, policy: FetchPolicy): SourceSettings {
  if (!isRecord(body)) throw invalid('The body must be { "kind": "url" | "sitemap" | "crawl", "url", "schedule"?, "limits"? }.');
  const { kind, url, schedule = "manual", limits = {} } = body;
  if (kind === "file") throw invalid('"file" sources come from uploaded files; add web sources here ("url", "sitemap" or "crawl").');
  if (typeof kind !== "string" || !WEB_KINDS.includes(kind as SourceKind)) throw invalid('`kind` must be "url", "sitemap" or "crawl".');
  if (typeof url !== "string" || url.length > SOURCE_LIMITS.maxUrlLength) throw invalid(`\`url\` must be an http(s) URL of at most ${SOURCE_LIMITS.maxUrlLength} characters.`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid("`url` is not a valid URL.");
  }
  try {
    checkFetchableUrl(parsed, policy, parsed.port);
  } catch (error) {
    if (error instanceof FetchRefusedError) throw new HttpError(400, "url_not_allowed", `This URL will not be fetched: ${error.message}`);
    throw error;
  }
  if (typeof schedule !== "string" || !SCHEDULES.includes(schedule as SourceSchedule)) throw invalid('`schedule` must be "manual", "daily" or "weekly".');
  if (!isRecord(limits)) throw invalid("`limits` must be an object.");
  parsed.hash = "";
  return {
    kind: kind as SourceKind,
    url: parsed.href,
    schedule: schedule as SourceSchedule,
    limits: {
      maxPages: integer(limits.maxPages, "maxPages", 1, SOURCE_LIMITS.maxPages.max, kind === "url" ? 1 : SOURCE_LIMITS.maxPages.default),
      maxDepth: integer(limits.maxDepth, "maxDepth", 0, SOURCE_LIMITS.maxDepth.max, SOURCE_LIMITS.maxDepth.default),
      timeoutMs: integer(limits.timeoutMs, "timeoutMs", SOURCE_LIMITS.timeoutMs.min, SOURCE_LIMITS.timeoutMs.max, SOURCE_LIMITS.timeoutMs.default),
      maxBytes: integer(limits.maxBytes, "maxBytes", SOURCE_LIMITS.maxBytes.min, SOURCE_LIMITS.maxBytes.max, SOURCE_LIMITS.maxBytes.default),
      ...(limits.pathPrefix === undefined ? {} : { pathPrefix: pathPrefix(limits.pathPrefix) }),
    },
  };
}

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw invalid(`\`limits.${name}\` must be a whole number from ${min} to ${max}.`);
  return value;
}

function pathPrefix(value: unknown): string {
  if (typeof value !== "string" || !/^\/[^\s]{0,500}$/.test(value)) throw invalid("`limits.pathPrefix` must be a path starting with \"/\".");
  return value;
}

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_request", message);
}
