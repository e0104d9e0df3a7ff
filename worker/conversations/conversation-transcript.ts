import type { StoredMessage } from "../sessions/chat-session";
import { authorOf } from "../takeover/conversation-message";
import { toTranscript } from "../sessions/session-store";
import type { MessageAuthor, TranscriptAnswerMetadata, TranscriptMessage } from "./conversation-types";

/** What D1 knows about one answer: its `turns` row (cost and routing) and its rating. */
export interface AnswerRecord {
  tier?: "small" | "large" | "none";
  escalated?: boolean;
  reasons?: string[];
  costUsd?: number;
  correctionId?: string | null;
  feedback?: "up" | "down";
}

interface TurnRecordRow {
  id: string;
  tier: "small" | "large" | "none";
  escalated: number;
  route_reasons: string;
  cost_usd: number;
  correction_id: string | null;
}

/**
 * The per-answer records of one conversation from D1, by assistant message id: its `turns` rows (through the
 * `turns_by_session` index) and its ratings, read together.
 *
 * @example
 * const records = await answerRecords(env.DB, "demo", sessionId);
 */
export async function answerRecords(db: D1Database, botId: string, sessionIds: string[]): Promise<Map<string, AnswerRecord>> {
  const records = new Map<string, AnswerRecord>();
  if (sessionIds.length === 0) return records;
  const marks = sessionIds.map(() => "?").join(", ");
  const [turns, feedback] = await db.batch<unknown>([
    db
      .prepare(`SELECT id, tier, escalated, route_reasons, cost_usd, correction_id FROM turns WHERE session_id IN (${marks}) AND bot_id = ?`)
      .bind(...sessionIds, botId),
    db.prepare(`SELECT message_id, rating FROM feedback WHERE bot_id = ? AND session_id IN (${marks})`).bind(botId, ...sessionIds),
  ]);
  for (const row of turns!.results as TurnRecordRow[]) {
    records.set(row.id, {
      tier: row.tier,
      escalated: row.escalated === 1,
      reasons: parseStrings(row.route_reasons),
      costUsd: row.cost_usd,
      correctionId: row.correction_id,
    });
  }
  for (const row of feedback!.results as { message_id: string; rating: "up" | "down" }[]) {
    records.set(row.message_id, { ...records.get(row.message_id), feedback: row.rating });
  }
  return records;
}

/**
 * The transcript as the console shows it: every stored message as the visitor saw it (Markdown text, its
 * UI message parts), and for each answer what is known of it: tier, model, escalation, route and failover
 * reasons, cost, sources, curated answer, rating, author (the AI, or a person who took over).
 *
 * @example
 * const messages = transcriptMessages(await sessionStub(env, botId, sessionId).messages(), records);
 */
export function transcriptMessages(stored: StoredMessage[], records: Map<string, AnswerRecord>): TranscriptMessage[] {
  const parts = toTranscript(stored);
  return stored.map((message, i) => {
    const base = {
      id: message.id,
      role: message.role,
      createdAt: numberOr(message.metadata.createdAt, message.createdAt),
      status: message.status,
      text: message.text,
      parts: parts[i]!.parts,
    };
    const author = authorOf(message);
    if (message.role === "user") return { ...base, author };
    return { ...base, author, metadata: answerMetadata(message, records.get(message.id), author) };
  });
}

function answerMetadata(message: StoredMessage, record: AnswerRecord | undefined, author: MessageAuthor): TranscriptAnswerMetadata {
  const meta = message.metadata;
  const reasons = record?.reasons ?? (Array.isArray(meta.reasons) ? meta.reasons.filter((reason): reason is string => typeof reason === "string") : undefined);
  const tier = record?.tier ?? (meta.tier === "small" || meta.tier === "large" || meta.tier === "none" ? meta.tier : undefined);
  const costUsd = record?.costUsd ?? (typeof meta.costUsd === "number" ? meta.costUsd : undefined);
  const correctionId = record?.correctionId ?? (typeof meta.correctionId === "string" ? meta.correctionId : undefined);
  const escalated = record?.escalated ?? (typeof meta.escalated === "boolean" ? meta.escalated : undefined);
  return {
    author,
    ...(tier ? { tier } : {}),
    ...(typeof meta.model === "string" ? { model: meta.model } : {}),
    ...(escalated !== undefined ? { escalated } : {}),
    ...(reasons ? { routeReasons: reasons.filter((reason) => !reason.startsWith("failover")) } : {}),
    ...(reasons ? { failoverReasons: reasons.filter((reason) => reason.startsWith("failover")) } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    sources: message.sources.map((source) => ({ ...(source.title ? { title: source.title } : {}), url: source.url })),
    ...(meta.curated === true || correctionId ? { curated: true } : {}),
    ...(correctionId ? { correctionId } : {}),
    ...(record?.feedback ? { feedback: record.feedback } : {}),
  };
}

function parseStrings(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
