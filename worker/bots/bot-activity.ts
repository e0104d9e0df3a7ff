/**
 * The one query layer over a bot's activity (tables `sessions`, `turns`, `feedback`): the stats endpoint
 * (worker/bots/bot-stats.ts) sums it over the period, the console's analytics (worker/console/bot-analytics.ts)
 * spreads it over days. Days are UTC (`YYYY-MM-DD`).
 */
export interface BotActivity {
  /** Conversations started, per day. */
  conversations: { day: string; count: number }[];
  /** Turns per day, status, tier and escalation, with their cost and how many were grounded on sources. */
  turns: { day: string; status: string; tier: string; escalated: boolean; count: number; costUsd: number; grounded: number }[];
  /** Visitor ratings per day. */
  feedback: { day: string; rating: string; count: number }[];
  /** The most frequent questions answered without any source: what to document next. */
  unansweredQuestions: { question: string; count: number }[];
}

const DAY = "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";

/**
 * Reads a bot's activity since `since` (unix ms) in one D1 batch.
 *
 * @example
 * const activity = await loadBotActivity(env.DB, "demo", Date.now() - 7 * 86_400_000);
 */
export async function loadBotActivity(db: D1Database, botId: string, since: number): Promise<BotActivity> {
  const [conversations, turns, feedback, unanswered] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT ${DAY} AS day, COUNT(*) AS n FROM sessions WHERE bot_id = ? AND created_at >= ? GROUP BY day ORDER BY day`).bind(botId, since),
    db
      .prepare(
        `SELECT ${DAY} AS day, status, tier, escalated, COUNT(*) AS n, COALESCE(SUM(cost_usd), 0) AS cost,
           COALESCE(SUM(CASE WHEN grounded = 1 THEN 1 ELSE 0 END), 0) AS grounded
         FROM turns WHERE bot_id = ? AND created_at >= ? GROUP BY day, status, tier, escalated ORDER BY day`,
      )
      .bind(botId, since),
    db.prepare(`SELECT ${DAY} AS day, rating, COUNT(*) AS n FROM feedback WHERE bot_id = ? AND created_at >= ? GROUP BY day, rating ORDER BY day`).bind(botId, since),
    db
      .prepare(
        `SELECT MIN(question) AS question, COUNT(*) AS n FROM turns
         WHERE bot_id = ? AND created_at >= ? AND sources_found = 0 AND status != 'refused' AND question IS NOT NULL AND TRIM(question) != ''
         GROUP BY LOWER(TRIM(question)) ORDER BY n DESC, MIN(created_at) ASC LIMIT 10`,
      )
      .bind(botId, since),
  ]);
  return {
    conversations: conversations!.results.map((row) => ({ day: String(row.day), count: Number(row.n) })),
    turns: turns!.results.map((row) => ({
      day: String(row.day),
      status: String(row.status),
      tier: String(row.tier),
      escalated: Number(row.escalated) === 1,
      count: Number(row.n),
      costUsd: Number(row.cost),
      grounded: Number(row.grounded),
    })),
    feedback: feedback!.results.map((row) => ({ day: String(row.day), rating: String(row.rating), count: Number(row.n) })),
    unansweredQuestions: unanswered!.results.map((row) => ({ question: String(row.question).trim(), count: Number(row.n) })),
  };
}

/**
 * Conversations and cost of every bot since `since` (e.g. the start of today), for the bots list.
 *
 * @example
 * const today = await botsActivitySince(env.DB, startOfUtcDay(Date.now()));
 * today.get("demo") // { conversations: 3, costUsd: 0.0012 }
 */
export async function botsActivitySince(db: D1Database, since: number): Promise<Map<string, { conversations: number; costUsd: number }>> {
  const [sessions, turns] = await db.batch<{ bot_id: string; n: number }>([
    db.prepare("SELECT bot_id, COUNT(*) AS n FROM sessions WHERE created_at >= ? GROUP BY bot_id").bind(since),
    db.prepare("SELECT bot_id, COALESCE(SUM(cost_usd), 0) AS n FROM turns WHERE created_at >= ? GROUP BY bot_id").bind(since),
  ]);
  const totals = new Map<string, { conversations: number; costUsd: number }>();
  const entry = (botId: string) => totals.get(botId) ?? totals.set(botId, { conversations: 0, costUsd: 0 }).get(botId)!;
  for (const row of sessions!.results) entry(row.bot_id).conversations = row.n;
  for (const row of turns!.results) entry(row.bot_id).costUsd = roundUsd(row.n);
  return totals;
}

/** Rounds dollars to a millionth (sums of floats otherwise show as 0.30000000000000004). */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Midnight UTC of the day `time` (unix ms) falls in. */
export function startOfUtcDay(time: number): number {
  return time - (time % 86_400_000);
}
