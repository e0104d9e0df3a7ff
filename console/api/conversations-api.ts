import { consoleApi } from "./console-api";
import type { Member } from "./console-types";

// The conversations, takeover and handoff endpoints of the console API (docs: the issue 13 contract), the URLs
// the pages link to, and the one place that reads their answers: a field of the wrong type is dropped or given
// a safe default, so a page never renders something it did not expect.

export const CONVERSATION_FLAGS = ["needsPerson", "thumbsDown", "noSources", "escalated", "failed"] as const;
export type ConversationFlag = (typeof CONVERSATION_FLAGS)[number];
export type ConversationFlags = Record<ConversationFlag, boolean>;

export type HandoffStateName = "none" | "requested" | "human" | "timed_out";
export interface HandoffState {
  state: HandoffStateName;
  agentName?: string;
  requestedAt?: number;
  since?: number;
}

export interface ConversationSummary {
  sessionId: string;
  botId: string;
  startedAt: number;
  lastActivityAt: number;
  firstQuestion: string | null;
  turns: number;
  costUsd: number;
  flags: ConversationFlags;
  handoff: HandoffState;
}

export type MessageAuthor = { kind: "visitor" } | { kind: "ai" } | { kind: "human"; name: string };

export interface AnswerSource {
  title?: string;
  url?: string;
  score?: number;
}

export interface AnswerMetadata {
  tier?: "small" | "large" | "none";
  model?: string;
  escalated?: boolean;
  routeReasons?: string[];
  failoverReasons?: string[];
  costUsd?: number;
  sources?: AnswerSource[];
  curated?: boolean;
  correctionId?: string;
  feedback?: "up" | "down";
  author?: MessageAuthor;
}

/** A stored part of a message that the transcript shows: its citations and its images. */
export type TranscriptPart = { type: "text"; text: string } | { type: "source-url"; url: string; title?: string } | { type: "file"; url: string; mediaType: string };

export interface TranscriptMessage {
  id: string;
  role: "user" | "assistant";
  author: MessageAuthor;
  createdAt: number;
  status: string;
  text: string;
  parts: TranscriptPart[];
  metadata: AnswerMetadata;
}

export interface HandoffRequest {
  botId: string;
  sessionId: string;
  requestedAt: number;
  firstQuestion: string | null;
}

/** The inbox's filters, as the page keeps them in its URL and the API takes them. Dates are YYYY-MM-DD (local days). */
export interface ConversationFilters {
  flags: ConversationFlag[];
  from?: string;
  to?: string;
  q?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the inbox filters from a page's query string; unknown flags and malformed dates are dropped.
 *
 * @example
 * filtersFromSearch("?flags=needsPerson,bogus&q=refund") // { flags: ["needsPerson"], q: "refund" }
 */
export function filtersFromSearch(search: string): ConversationFilters {
  const params = new URLSearchParams(search);
  const flags = (params.get("flags") ?? "")
    .split(",")
    .filter((flag): flag is ConversationFlag => (CONVERSATION_FLAGS as readonly string[]).includes(flag));
  const filters: ConversationFilters = { flags: CONVERSATION_FLAGS.filter((flag) => flags.includes(flag)) };
  const from = params.get("from");
  const to = params.get("to");
  const q = params.get("q")?.trim();
  if (from && DAY.test(from)) filters.from = from;
  if (to && DAY.test(to)) filters.to = to;
  if (q) filters.q = q;
  return filters;
}

/**
 * The console page's query string for some filters ("" when none), the inverse of filtersFromSearch.
 *
 * @example
 * searchFromFilters({ flags: ["failed"], q: "refund" }) // "?flags=failed&q=refund"
 */
export function searchFromFilters(filters: ConversationFilters): string {
  const params = new URLSearchParams();
  if (filters.flags.length) params.set("flags", filters.flags.join(","));
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.q) params.set("q", filters.q);
  const query = params.toString().replace(/%2C/g, ",");
  return query ? `?${query}` : "";
}

/** Milliseconds of the start of a local day (YYYY-MM-DD), or of the day after it with `endOfDay` (exclusive end minus 1 ms). */
function localDayMs(day: string, endOfDay: boolean): number {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date).getTime();
  return endOfDay ? new Date(year, month - 1, date + 1).getTime() - 1 : start;
}

/** The API's query parameters for some filters: dates become unix ms of the reader's local day (whole days, `to` inclusive). */
function apiParams(filters: ConversationFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.flags.length) params.set("flags", filters.flags.join(","));
  if (filters.from) params.set("from", String(localDayMs(filters.from, false)));
  if (filters.to) params.set("to", String(localDayMs(filters.to, true)));
  if (filters.q) params.set("q", filters.q);
  return params;
}

const botConversations = (botId: string) => `/v1/console/bots/${encodeURIComponent(botId)}/conversations`;
const sessionPath = (sessionId: string) => `/v1/console/sessions/${encodeURIComponent(sessionId)}`;

/**
 * The inbox's API URL for a page of conversations.
 *
 * @example
 * conversationsUrl("demo", { flags: ["failed"] }, "c2") // "/v1/console/bots/demo/conversations?flags=failed&limit=25&cursor=c2"
 */
export function conversationsUrl(botId: string, filters: ConversationFilters, cursor?: string | null, limit = 25): string {
  const params = apiParams(filters);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `${botConversations(botId)}?${params.toString().replace(/%2C/g, ",")}`;
}

/**
 * The export link for the inbox's current filters (the browser downloads it with the session cookie).
 *
 * @example
 * exportUrl("demo", "csv", { flags: ["thumbsDown"] }) // "/v1/console/bots/demo/conversations/export?format=csv&flags=thumbsDown"
 */
export function exportUrl(botId: string, format: "jsonl" | "csv", filters: ConversationFilters): string {
  const query = apiParams(filters).toString().replace(/%2C/g, ",");
  return `${botConversations(botId)}/export?format=${format}${query ? `&${query}` : ""}`;
}

export const conversationUrl = (botId: string, sessionId: string) => `${botConversations(botId)}/${encodeURIComponent(sessionId)}`;
/** The agent's live view of a session (server-sent events: `message`, `handoff`). */
export const sessionEventsUrl = (sessionId: string) => `${sessionPath(sessionId)}/events`;

// Reading answers.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const texts = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined);
const HANDOFF_STATES: readonly HandoffStateName[] = ["none", "requested", "human", "timed_out"];

export function readHandoff(value: unknown): HandoffState {
  if (!isObject(value)) return { state: "none" };
  const state = HANDOFF_STATES.includes(value.state as HandoffStateName) ? (value.state as HandoffStateName) : "none";
  const handoff: HandoffState = { state };
  const agentName = text(value.agentName);
  if (agentName) handoff.agentName = agentName;
  if (finite(value.requestedAt) !== undefined) handoff.requestedAt = value.requestedAt as number;
  if (finite(value.since) !== undefined) handoff.since = value.since as number;
  return handoff;
}

export function readSummary(value: unknown): ConversationSummary {
  const row = isObject(value) ? value : {};
  const flags = isObject(row.flags) ? row.flags : {};
  return {
    sessionId: text(row.sessionId) ?? "",
    botId: text(row.botId) ?? "",
    startedAt: finite(row.startedAt) ?? 0,
    lastActivityAt: finite(row.lastActivityAt) ?? finite(row.startedAt) ?? 0,
    firstQuestion: text(row.firstQuestion) ?? null,
    turns: finite(row.turns) ?? 0,
    costUsd: finite(row.costUsd) ?? 0,
    flags: Object.fromEntries(CONVERSATION_FLAGS.map((flag) => [flag, flags[flag] === true])) as ConversationFlags,
    handoff: readHandoff(row.handoff),
  };
}

function readAuthor(value: unknown, role: "user" | "assistant"): MessageAuthor {
  if (isObject(value)) {
    if (value.kind === "human") return { kind: "human", name: text(value.name)?.trim() || "A person" };
    if (value.kind === "visitor" || value.kind === "ai") return { kind: value.kind };
  }
  return role === "user" ? { kind: "visitor" } : { kind: "ai" };
}

function readMetadata(value: unknown): AnswerMetadata {
  if (!isObject(value)) return {};
  const metadata: AnswerMetadata = {};
  if (value.tier === "small" || value.tier === "large" || value.tier === "none") metadata.tier = value.tier;
  if (text(value.model)) metadata.model = value.model as string;
  if (typeof value.escalated === "boolean") metadata.escalated = value.escalated;
  const routeReasons = texts(value.routeReasons);
  const failoverReasons = texts(value.failoverReasons);
  if (routeReasons?.length) metadata.routeReasons = routeReasons;
  if (failoverReasons?.length) metadata.failoverReasons = failoverReasons;
  if (finite(value.costUsd) !== undefined) metadata.costUsd = value.costUsd as number;
  if (Array.isArray(value.sources)) {
    metadata.sources = value.sources.filter(isObject).map((source) => ({
      ...(text(source.title) ? { title: source.title as string } : {}),
      ...(text(source.url) ? { url: source.url as string } : {}),
      ...(finite(source.score) !== undefined ? { score: source.score as number } : {}),
    }));
  }
  if (typeof value.curated === "boolean") metadata.curated = value.curated;
  if (text(value.correctionId)) metadata.correctionId = value.correctionId as string;
  if (value.feedback === "up" || value.feedback === "down") metadata.feedback = value.feedback;
  if (isObject(value.author)) metadata.author = readAuthor(value.author, "assistant");
  return metadata;
}

function readParts(value: unknown): TranscriptPart[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((part): TranscriptPart[] => {
    if (part.type === "text" && typeof part.text === "string") return [{ type: "text", text: part.text }];
    if (part.type === "source-url" && typeof part.url === "string") return [{ type: "source-url", url: part.url, ...(text(part.title) ? { title: part.title as string } : {}) }];
    if (part.type === "file" && typeof part.url === "string" && typeof part.mediaType === "string") return [{ type: "file", url: part.url, mediaType: part.mediaType }];
    return [];
  });
}

export function readMessage(value: unknown): TranscriptMessage {
  const row = isObject(value) ? value : {};
  const role = row.role === "user" ? "user" : "assistant";
  const metadata = readMetadata(row.metadata);
  const parts = readParts(row.parts);
  return {
    id: text(row.id) ?? "",
    role,
    author: readAuthor(row.author ?? metadata.author, role),
    createdAt: finite(row.createdAt) ?? 0,
    status: text(row.status) ?? "complete",
    text: text(row.text) ?? parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n\n"),
    parts,
    metadata,
  };
}

/**
 * Adds messages (from the transcript or the live events) to a list: one entry per id (a later copy replaces the
 * earlier one, e.g. an answer that completed), in the order of their time, arrival breaking ties.
 *
 * @example
 * mergeMessages(list, [readMessage(JSON.parse(event.data))])
 */
export function mergeMessages(list: readonly TranscriptMessage[], incoming: readonly TranscriptMessage[]): TranscriptMessage[] {
  const merged = [...list];
  for (const message of incoming) {
    if (!message.id) continue;
    const index = merged.findIndex((existing) => existing.id === message.id);
    if (index >= 0) merged[index] = message;
    else merged.push(message);
  }
  return merged.map((message, index) => ({ message, index })).sort((a, b) => a.message.createdAt - b.message.createdAt || a.index - b.index).map(({ message }) => message);
}

/** Whether the member's role may take over conversations (worker/identity/authorize.ts: admins and agents). */
export const mayTakeOver = (member: Member) => member.role === "admin" || member.role === "agent";

// Calls.
export async function listConversations(botId: string, filters: ConversationFilters, cursor?: string | null) {
  const body = await consoleApi<{ conversations?: unknown; nextCursor?: unknown }>("GET", conversationsUrl(botId, filters, cursor));
  return {
    conversations: Array.isArray(body.conversations) ? body.conversations.map(readSummary) : [],
    nextCursor: typeof body.nextCursor === "string" && body.nextCursor ? body.nextCursor : null,
  };
}

export async function getConversation(botId: string, sessionId: string) {
  const body = await consoleApi<{ conversation?: unknown; messages?: unknown }>("GET", conversationUrl(botId, sessionId));
  return { conversation: readSummary(body.conversation), messages: mergeMessages([], Array.isArray(body.messages) ? body.messages.map(readMessage) : []) };
}

export async function eraseConversation(botId: string, sessionId: string) {
  const body = await consoleApi<{ erased?: Record<string, unknown> }>("DELETE", conversationUrl(botId, sessionId));
  return body?.erased ?? {};
}

export async function takeOver(sessionId: string): Promise<HandoffState> {
  return readHandoff((await consoleApi<{ handoff?: unknown }>("POST", `${sessionPath(sessionId)}/takeover`)).handoff);
}

export async function handBack(sessionId: string): Promise<HandoffState> {
  return readHandoff((await consoleApi<{ handoff?: unknown }>("POST", `${sessionPath(sessionId)}/release`)).handoff);
}

export async function sendAgentMessage(sessionId: string, messageText: string): Promise<TranscriptMessage> {
  return readMessage((await consoleApi<{ message?: unknown }>("POST", `${sessionPath(sessionId)}/messages`, { text: messageText })).message);
}

export async function listHandoffs(): Promise<HandoffRequest[]> {
  const body = await consoleApi<{ handoffs?: unknown }>("GET", "/v1/console/handoffs", undefined, { quiet401: true });
  if (!Array.isArray(body.handoffs)) return [];
  return body.handoffs.filter(isObject).flatMap((row) =>
    typeof row.botId === "string" && typeof row.sessionId === "string"
      ? [{ botId: row.botId, sessionId: row.sessionId, requestedAt: finite(row.requestedAt) ?? 0, firstQuestion: text(row.firstQuestion) ?? null }]
      : [],
  );
}
