import { HttpError } from "../http/http-error";
import { CONVERSATION_FLAGS, type ConversationFlag } from "./conversation-types";

/** The inbox's filters, validated: all of them combine (AND). */
export interface ConversationFilters {
  /** Conversations with every one of these flags. */
  flags: ConversationFlag[];
  /** Last activity at or after this time (unix ms). */
  from?: number;
  /** Last activity before this time (unix ms, exclusive). */
  to?: number;
  /** Words (and word prefixes) that must all appear in one of the visitor's questions. */
  q?: string;
}

/** Where a page starts: after the conversation with this last activity and id (newest first). */
export interface ConversationCursor {
  lastActivityAt: number;
  sessionId: string;
}

export interface ConversationQuery extends ConversationFilters {
  limit: number;
  cursor?: ConversationCursor;
}

export const CONVERSATION_LIST_LIMITS = { defaultLimit: 25, maxLimit: 100, maxQueryLength: 200, maxQueryWords: 8 } as const;

const SESSION_ID = /^[\w.:-]{1,128}$/;

/**
 * The filters of `GET …/conversations` and `…/conversations/export` from the query string:
 * `flags` (comma list of needsPerson, thumbsDown, noSources, escalated, failed), `from` and `to` (unix ms or an
 * ISO date; a bare date as `to` includes that whole UTC day), `q` (words of the visitor's questions).
 * 400 `invalid_query` with a message naming the parameter for anything else.
 *
 * @example
 * parseConversationFilters(new URLSearchParams("flags=thumbsDown,escalated&from=2026-11-01")).flags // ["thumbsDown", "escalated"]
 */
export function parseConversationFilters(params: URLSearchParams): ConversationFilters {
  const filters: ConversationFilters = { flags: [] };
  const flags = params.get("flags");
  if (flags) {
    for (const flag of flags.split(",").map((part) => part.trim()).filter(Boolean)) {
      if (!(CONVERSATION_FLAGS as readonly string[]).includes(flag)) {
        throw invalidQuery(`\`flags\` may contain ${CONVERSATION_FLAGS.join(", ")}; "${flag.slice(0, 40)}" is not one of them.`);
      }
      if (!filters.flags.includes(flag as ConversationFlag)) filters.flags.push(flag as ConversationFlag);
    }
  }
  const from = params.get("from");
  if (from) filters.from = parseTime(from, "from", false);
  const to = params.get("to");
  if (to) filters.to = parseTime(to, "to", true);
  if (filters.from !== undefined && filters.to !== undefined && filters.from >= filters.to) throw invalidQuery("`from` must be before `to`.");
  const q = params.get("q")?.trim();
  if (q) {
    if (q.length > CONVERSATION_LIST_LIMITS.maxQueryLength) throw invalidQuery(`\`q\` is longer than ${CONVERSATION_LIST_LIMITS.maxQueryLength} characters.`);
    if (searchWords(q).length === 0) throw invalidQuery("`q` must contain at least one letter or digit.");
    filters.q = q;
  }
  return filters;
}

/** The list's query string: the filters plus `limit` (1–100, default 25) and `cursor` (opaque, from `nextCursor`). */
export function parseConversationQuery(params: URLSearchParams): ConversationQuery {
  const query: ConversationQuery = { ...parseConversationFilters(params), limit: CONVERSATION_LIST_LIMITS.defaultLimit };
  const limit = params.get("limit");
  if (limit !== null) {
    const value = Number(limit);
    if (!/^\d+$/.test(limit) || value < 1 || value > CONVERSATION_LIST_LIMITS.maxLimit) {
      throw invalidQuery(`\`limit\` must be a whole number from 1 to ${CONVERSATION_LIST_LIMITS.maxLimit}.`);
    }
    query.limit = value;
  }
  const cursor = params.get("cursor");
  if (cursor) query.cursor = decodeCursor(cursor);
  return query;
}

/** The opaque cursor of the page after `last`: base64url of `[lastActivityAt, sessionId]`. */
export function encodeCursor(last: ConversationCursor): string {
  return btoa(JSON.stringify([last.lastActivityAt, last.sessionId])).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): ConversationCursor {
  try {
    if (cursor.length > 400) throw new Error("too long");
    const value: unknown = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string" && SESSION_ID.test(value[1])) {
      return { lastActivityAt: value[0] as number, sessionId: value[1] };
    }
  } catch {
    // Reported below.
  }
  throw invalidQuery("`cursor` is not a cursor this API returned.");
}

/**
 * The FTS5 query for the words of `q`: each word (letters and digits) as a quoted prefix term, all required.
 * Nothing of the visitor's input reaches FTS5's query syntax unquoted.
 *
 * @example
 * ftsQueryFor('refund "policy"') // '"refund"* "policy"*'
 */
export function ftsQueryFor(q: string): string {
  return searchWords(q).map((word) => `"${word}"*`).join(" ");
}

function searchWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, CONVERSATION_LIST_LIMITS.maxQueryWords);
}

function parseTime(value: string, name: string, endOfDay: boolean): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    if (Number.isFinite(day)) return endOfDay ? day + 86_400_000 : day;
  } else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const time = Date.parse(value);
    if (Number.isFinite(time)) return time;
  }
  throw invalidQuery(`\`${name}\` must be unix milliseconds or an ISO date (2026-11-30 or 2026-11-30T12:00:00Z).`);
}

function invalidQuery(message: string): HttpError {
  return new HttpError(400, "invalid_query", message);
}
