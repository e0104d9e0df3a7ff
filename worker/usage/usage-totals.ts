/** A bot's usage over a period: what the admin usage endpoint returns. */
export interface BotUsageTotals {
  botId: string;
  /** Inclusive start and exclusive end of the period, unix milliseconds. */
  from: number;
  to: number;
  turns: number;
  byStatus: { complete: number; stopped: number; failed: number; refused: number };
  byTier: { small: number; large: number };
  escalated: number;
  /** Escalated turns divided by turns that reached a model (0 when none). */
  escalationRate: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Turns whose usage is (partly) estimated because the provider reported none. */
  estimatedTurns: number;
  /** Per model: calls, tokens and cost. */
  models: { model: string; calls: number; inputTokens: number; outputTokens: number; costUsd: number }[];
}

/**
 * Totals of one bot's turns between `from` (inclusive) and `to` (exclusive), from the `turns` table.
 * Only rows of this bot are read.
 *
 * @example
 * const totals = await botUsageTotals(env.DB, "demo", Date.now() - 86_400_000, Date.now());
 */
export async function botUsageTotals(db: D1Database, botId: string, from: number, to: number): Promise<BotUsageTotals> {
  const totals = await db
    .prepare(
      `SELECT COUNT(*) AS turns,
        SUM(status = 'complete') AS complete, SUM(status = 'stopped') AS stopped,
        SUM(status = 'failed') AS failed, SUM(status = 'refused') AS refused,
        SUM(tier = 'small') AS small, SUM(tier = 'large') AS large, SUM(escalated) AS escalated,
        SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
        SUM(cost_usd) AS cost_usd, SUM(usage_estimated) AS estimated
       FROM turns WHERE bot_id = ?1 AND created_at >= ?2 AND created_at < ?3`,
    )
    .bind(botId, from, to)
    .first<Record<string, number | null>>();
  const models = await db
    .prepare(
      `SELECT json_extract(m.value, '$.model') AS model, COUNT(*) AS calls,
        SUM(json_extract(m.value, '$.inputTokens')) AS input_tokens,
        SUM(json_extract(m.value, '$.outputTokens')) AS output_tokens,
        SUM(json_extract(m.value, '$.costUsd')) AS cost_usd
       FROM turns, json_each(turns.models) AS m
       WHERE turns.bot_id = ?1 AND turns.created_at >= ?2 AND turns.created_at < ?3
       GROUP BY model ORDER BY cost_usd DESC, model`,
    )
    .bind(botId, from, to)
    .all<{ model: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: number }>();
  const n = (key: string) => Number(totals?.[key] ?? 0);
  const answered = n("small") + n("large");
  return {
    botId,
    from,
    to,
    turns: n("turns"),
    byStatus: { complete: n("complete"), stopped: n("stopped"), failed: n("failed"), refused: n("refused") },
    byTier: { small: n("small"), large: n("large") },
    escalated: n("escalated"),
    escalationRate: answered > 0 ? round(n("escalated") / answered, 4) : 0,
    inputTokens: n("input_tokens"),
    outputTokens: n("output_tokens"),
    costUsd: round(n("cost_usd"), 8),
    estimatedTurns: n("estimated"),
    models: models.results.map((row) => ({
      model: String(row.model),
      calls: Number(row.calls),
      inputTokens: Number(row.input_tokens ?? 0),
      outputTokens: Number(row.output_tokens ?? 0),
      costUsd: round(Number(row.cost_usd ?? 0), 8),
    })),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
