// Helpers for conversation tests: turns written as the recorder writes them (the index follows by its triggers).

export interface SeededTurn {
  botId: string;
  sessionId: string;
  at: number;
  question?: string;
  status?: "complete" | "stopped" | "failed" | "refused";
  tier?: "small" | "large" | "none";
  escalated?: boolean;
  grounded?: boolean | null;
  costUsd?: number;
  id?: string;
}

/** The INSERT of one `turns` row (a D1 statement, for batches). */
export function turnInsert(db: D1Database, turn: SeededTurn): D1PreparedStatement {
  return db
    .prepare(
      "INSERT OR IGNORE INTO turns (id, bot_id, session_id, status, tier, escalated, cost_usd, grounded, sources_found, question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      turn.id ?? crypto.randomUUID(),
      turn.botId,
      turn.sessionId,
      turn.status ?? "complete",
      turn.tier ?? "small",
      turn.escalated ? 1 : 0,
      turn.costUsd ?? 0,
      turn.grounded === undefined ? 1 : turn.grounded === null ? null : turn.grounded ? 1 : 0,
      turn.grounded === false ? 0 : 1,
      turn.question ?? "A question",
      turn.at,
    );
}

/** Writes `turns` rows in batches of 50. */
export async function seedTurns(db: D1Database, turns: SeededTurn[]): Promise<void> {
  for (let i = 0; i < turns.length; i += 50) await db.batch(turns.slice(i, i + 50).map((turn) => turnInsert(db, turn)));
}
