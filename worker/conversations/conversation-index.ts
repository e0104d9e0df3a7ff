import { encodeCursor, ftsQueryFor, type ConversationFilters, type ConversationQuery } from "./conversation-query";
import type { ConversationFlag, ConversationSummary, HandoffState } from "./conversation-types";

// The inbox index: a conversation's `sessions` row (migration 0009). Turns and ratings move it through triggers
// in D1 (so every path that writes a `turns` row keeps it right, after the answer); what only the worker knows
// (a person offered or asked for, activity without a turn) is written here.

/** The `sessions` column of each flag; each has a partial index (bot_id, last_activity_at, id) WHERE column = 1. */
const FLAG_COLUMNS: Record<ConversationFlag, string> = {
  needsPerson: "needs_person",
  thumbsDown: "thumbs_down",
  noSources: "no_sources",
  escalated: "escalated",
  failed: "failed",
};

const SUMMARY_COLUMNS =
  "s.id, s.bot_id, s.created_at, s.last_activity_at, s.turn_count, s.cost_usd, s.first_question, s.needs_person, s.handoff_requested_at, s.thumbs_down, s.no_sources, s.escalated, s.failed, " +
  "h.state AS handoff_state, h.agent_name AS handoff_agent, h.requested_at AS handoff_asked_at, h.since AS handoff_since";

/** Who has each conversation comes from the takeover index (migration 0010), when it has a row. */
const SUMMARY_FROM = "sessions s LEFT JOIN session_handoffs h ON h.session_id = s.id";

interface SummaryRow {
  id: string;
  bot_id: string;
  created_at: number;
  last_activity_at: number;
  turn_count: number;
  cost_usd: number;
  first_question: string | null;
  needs_person: number;
  handoff_requested_at: number | null;
  thumbs_down: number;
  no_sources: number;
  escalated: number;
  failed: number;
  handoff_state: HandoffState["state"] | null;
  handoff_agent: string | null;
  handoff_asked_at: number | null;
  handoff_since: number | null;
}

/**
 * One page of a bot's conversations, newest last activity first, with every filter applied (AND), and the
 * cursor of the next page (null on the last). Reads the `sessions_inbox*` indexes; the text search reads
 * the FTS5 index of the visitor's questions.
 *
 * @example
 * const { conversations, nextCursor } = await listConversations(env.DB, "demo", { flags: ["thumbsDown"], limit: 25 });
 */
export async function listConversations(
  db: D1Database,
  botId: string,
  query: ConversationQuery,
): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }> {
  const { sql, values } = conversationListQuery(botId, query);
  const rows = await db
    .prepare(sql)
    .bind(...values)
    .all<SummaryRow>();
  const page = rows.results.slice(0, query.limit).map(toSummary);
  const last = page.at(-1);
  return {
    conversations: page,
    nextCursor: rows.results.length > query.limit && last ? encodeCursor({ lastActivityAt: last.lastActivityAt, sessionId: last.sessionId }) : null,
  };
}

/**
 * The list's SQL and its values: one page (plus one row, to know whether another page follows). Exported for
 * the bench, which shows its EXPLAIN QUERY PLAN.
 */
export function conversationListQuery(botId: string, query: ConversationQuery): { sql: string; values: (string | number)[] } {
  const where = filterClauses(botId, query);
  if (query.cursor) {
    where.sql.push("(s.last_activity_at, s.id) < (?, ?)");
    where.values.push(query.cursor.lastActivityAt, query.cursor.sessionId);
  }
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE ${where.sql.join(" AND ")} ORDER BY s.last_activity_at DESC, s.id DESC LIMIT ?`,
    values: [...where.values, query.limit + 1],
  };
}

/**
 * The WHERE terms of the filters (the same for the list and the export). Flags are written as literal
 * `column = 1` terms so SQLite can pick the flag's partial index.
 */
export function filterClauses(botId: string, filters: ConversationFilters): { sql: string[]; values: (string | number)[] } {
  const sql = ["s.bot_id = ?"];
  const values: (string | number)[] = [botId];
  for (const flag of filters.flags) sql.push(`s.${FLAG_COLUMNS[flag]} = 1`);
  if (filters.from !== undefined) {
    sql.push("s.last_activity_at >= ?");
    values.push(filters.from);
  }
  if (filters.to !== undefined) {
    sql.push("s.last_activity_at < ?");
    values.push(filters.to);
  }
  if (filters.q !== undefined) {
    // The FTS5 match drives (CROSS JOIN keeps it the outer loop): it reads the matching questions only, never
    // every question of the bot.
    sql.push(
      "s.id IN (SELECT q.session_id FROM conversation_questions_fts f CROSS JOIN conversation_questions q ON q.rowid = f.rowid " +
        "WHERE conversation_questions_fts MATCH ? AND q.bot_id = ?)",
    );
    values.push(ftsQueryFor(filters.q), botId);
  }
  return { sql, values };
}

/** The inbox row of one conversation of this bot, or undefined (unknown, or another bot's). */
export async function findConversation(db: D1Database, botId: string, sessionId: string): Promise<ConversationSummary | undefined> {
  const row = await db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE s.id = ? AND s.bot_id = ?`).bind(sessionId, botId).first<SummaryRow>();
  return row ? toSummary(row) : undefined;
}

/**
 * Activity in a conversation that writes no `turns` row (e.g. a visitor's message while a person has the
 * conversation): moves its last activity and makes the visitor's question searchable. Turns need no call:
 * the `turns` triggers of migration 0009 do it.
 *
 * @example
 * await recordConversationActivity(env.DB, { botId, sessionId, at: Date.now(), question: text });
 */
export async function recordConversationActivity(
  db: D1Database,
  activity: { botId: string; sessionId: string; at: number; question?: string },
): Promise<void> {
  const question = activity.question?.trim().slice(0, 2000);
  const statements = [
    db
      .prepare(
        `INSERT INTO sessions (id, bot_id, created_at, last_activity_at, first_question) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_activity_at = max(last_activity_at, excluded.last_activity_at),
           first_question = coalesce(first_question, excluded.first_question)
         WHERE bot_id = excluded.bot_id`,
      )
      .bind(activity.sessionId, activity.botId, activity.at, activity.at, question ? question.slice(0, 300) : null),
  ];
  if (question) {
    statements.push(
      db
        // Only into this bot's conversation (the upsert above changes nothing for a session of another bot).
        .prepare(
          "INSERT INTO conversation_questions (bot_id, session_id, question, created_at) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ?2 AND bot_id = ?1)",
        )
        .bind(activity.botId, activity.sessionId, question, activity.at),
    );
  }
  await db.batch(statements);
}

/**
 * Flags a conversation as needing a person: "offered" when the bot offered the visitor a person,
 * "requested" when the visitor asked for one (also sets the handoff's `requestedAt`, kept from the first ask).
 *
 * @example
 * await markNeedsPerson(env.DB, botId, sessionId, Date.now());
 */
export async function markNeedsPerson(
  db: D1Database,
  botId: string,
  sessionId: string,
  at: number,
  how: "offered" | "requested" = "requested",
): Promise<void> {
  const requestedAt = how === "requested" ? at : null;
  await db
    .prepare(
      `INSERT INTO sessions (id, bot_id, created_at, last_activity_at, needs_person, handoff_requested_at) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT (id) DO UPDATE SET needs_person = 1, handoff_requested_at = coalesce(handoff_requested_at, excluded.handoff_requested_at),
         last_activity_at = max(last_activity_at, excluded.last_activity_at)
       WHERE bot_id = excluded.bot_id`,
    )
    .bind(sessionId, botId, at, at, requestedAt)
    .run();
}

function toSummary(row: SummaryRow): ConversationSummary {
  return {
    sessionId: row.id,
    botId: row.bot_id,
    startedAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    firstQuestion: row.first_question,
    turns: row.turn_count,
    costUsd: row.cost_usd,
    flags: {
      needsPerson: row.needs_person === 1,
      thumbsDown: row.thumbs_down === 1,
      noSources: row.no_sources === 1,
      escalated: row.escalated === 1,
      failed: row.failed === 1,
    },
    handoff: handoffOf(row),
  };
}

/** The conversation's handoff: the takeover index's state when there is one, else whether a person was asked for. */
function handoffOf(row: SummaryRow): HandoffState {
  if (row.handoff_state !== null) {
    return {
      state: row.handoff_state,
      ...(row.handoff_agent !== null ? { agentName: row.handoff_agent } : {}),
      ...(row.handoff_asked_at !== null ? { requestedAt: row.handoff_asked_at } : {}),
      ...(row.handoff_since !== null ? { since: row.handoff_since } : {}),
    };
  }
  return row.handoff_requested_at !== null ? { state: "requested", requestedAt: row.handoff_requested_at } : { state: "none" };
}
