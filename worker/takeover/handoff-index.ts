import type { Principal } from "../identity/principal";
import { canSee } from "../identity/authorize";
import type { HandoffState } from "./handoff-state";

/** An open request for a person, as the console's notifications list it. */
export interface OpenHandoff {
  botId: string;
  sessionId: string;
  requestedAt: number;
  firstQuestion: string | null;
}

/**
 * Writes who has a conversation to the D1 index (migration 0010), after the session object changed it.
 * `firstQuestion` is kept from the first write that has one.
 */
export async function recordHandoffState(
  db: D1Database | undefined,
  input: { botId: string; sessionId: string; handoff: HandoffState; firstQuestion?: string | null },
): Promise<void> {
  const { handoff } = input;
  await db
    ?.prepare(
      `INSERT INTO session_handoffs (session_id, bot_id, state, agent_name, requested_at, since, first_question)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, agent_name = excluded.agent_name,
         requested_at = excluded.requested_at, since = excluded.since,
         first_question = COALESCE(session_handoffs.first_question, excluded.first_question)`,
    )
    .bind(
      input.sessionId,
      input.botId,
      handoff.state,
      handoff.agentName ?? null,
      handoff.requestedAt ?? null,
      handoff.since ?? Date.now(),
      input.firstQuestion ? input.firstQuestion.slice(0, 500) : null,
    )
    .run();
}

/** Open requests (state "requested") on the bots where `principal` may take over, oldest request first, at most `limit`. */
export async function listOpenHandoffs(db: D1Database, principal: Principal, limit = 100): Promise<OpenHandoff[]> {
  const scope = principal.bots;
  if (scope !== "all" && scope.length === 0) return [];
  const inScope = scope === "all" ? "" : " AND bot_id IN (SELECT value FROM json_each(?))";
  const { results } = await db
    .prepare(
      `SELECT bot_id, session_id, requested_at, first_question FROM session_handoffs
       WHERE state = 'requested'${inScope} ORDER BY requested_at LIMIT ?`,
    )
    .bind(...(scope === "all" ? [] : [JSON.stringify(scope)]), limit)
    .all<{ bot_id: string; session_id: string; requested_at: number; first_question: string | null }>();
  return results
    .filter((row) => canSee(principal, "conversations:takeover", row.bot_id))
    .map((row) => ({ botId: row.bot_id, sessionId: row.session_id, requestedAt: row.requested_at, firstQuestion: row.first_question }));
}

/** The bot a session belongs to (the D1 `sessions` row written with its first turn), or undefined. */
export async function botOfSession(db: D1Database | undefined, sessionId: string): Promise<string | undefined> {
  const row = await db?.prepare("SELECT bot_id FROM sessions WHERE id = ?").bind(sessionId).first<{ bot_id: string }>();
  return row?.bot_id;
}
