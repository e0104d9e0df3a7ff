/** What a support team wants to know about a bot over a period. */
export interface BotStats {
  botId: string;
  since: number;
  conversations: number;
  turns: number;
  turnsByStatus: Record<string, number>;
  escalated: number;
  /** Escalated turns / turns (0 when there are none). */
  escalationRate: number;
  costUsd: number;
  feedback: { up: number; down: number };
  /** The most frequent questions answered without any source: what to document next. */
  unansweredQuestions: { question: string; count: number }[];
}

/**
 * Sums a bot's conversations, turns, escalations, cost and feedback since `since` (unix ms), from D1.
 *
 * @example
 * const stats = await botStats(env.DB, "demo", Date.now() - 30 * 86_400_000);
 */
export async function botStats(db: D1Database, botId: string, since: number): Promise<BotStats> {
  const [conversations, turns, byStatus, feedback, unanswered] = await db.batch<Record<string, unknown>>([
    db.prepare("SELECT COUNT(*) AS n FROM sessions WHERE bot_id = ? AND created_at >= ?").bind(botId, since),
    db
      .prepare(
        "SELECT COUNT(*) AS n, COALESCE(SUM(escalated), 0) AS escalated, COALESCE(SUM(cost_usd), 0) AS cost FROM turns WHERE bot_id = ? AND created_at >= ?",
      )
      .bind(botId, since),
    db.prepare("SELECT status, COUNT(*) AS n FROM turns WHERE bot_id = ? AND created_at >= ? GROUP BY status").bind(botId, since),
    db.prepare("SELECT rating, COUNT(*) AS n FROM feedback WHERE bot_id = ? AND created_at >= ? GROUP BY rating").bind(botId, since),
    db
      .prepare(
        `SELECT MIN(question) AS question, COUNT(*) AS n FROM turns
         WHERE bot_id = ? AND created_at >= ? AND sources_found = 0 AND status != 'refused' AND question IS NOT NULL AND TRIM(question) != ''
         GROUP BY LOWER(TRIM(question)) ORDER BY n DESC, MIN(created_at) ASC LIMIT 10`,
      )
      .bind(botId, since),
  ]);
  const totals = turns!.results[0] as { n: number; escalated: number; cost: number };
  const ratings = Object.fromEntries(feedback!.results.map((row) => [row.rating as string, row.n as number]));
  return {
    botId,
    since,
    conversations: (conversations!.results[0] as { n: number }).n,
    turns: totals.n,
    turnsByStatus: Object.fromEntries(byStatus!.results.map((row) => [row.status as string, row.n as number])),
    escalated: totals.escalated,
    escalationRate: totals.n ? totals.escalated / totals.n : 0,
    costUsd: Math.round(totals.cost * 1e6) / 1e6,
    feedback: { up: ratings.up ?? 0, down: ratings.down ?? 0 },
    unansweredQuestions: unanswered!.results.map((row) => ({ question: String(row.question).trim(), count: row.n as number })),
  };
}
