import type { Bot } from "../bots/bot";

/** Midnight UTC of the day `now` falls in, in unix milliseconds. */
export function startOfUtcDay(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** What a bot has spent today (UTC), summed from the `turns` table. */
export async function spentTodayUsd(db: D1Database, botId: string, now: number): Promise<number> {
  const row = await db
    .prepare("SELECT COALESCE(SUM(cost_usd), 0) AS spent FROM turns WHERE bot_id = ? AND created_at >= ?")
    .bind(botId, startOfUtcDay(now))
    .first<{ spent: number }>();
  return row?.spent ?? 0;
}

/**
 * Whether the bot has reached its daily spending cap; checked before any model call. A cap of 0 means
 * the bot answers nothing. Without a database there is no usage record, so no cap can be enforced: the
 * bot registry (which needs the database) refuses such a deployment long before this.
 *
 * @example
 * if (await isOverSpendingCap(env.DB, bot, Date.now())) return politeRefusal(bot);
 */
export async function isOverSpendingCap(db: D1Database | undefined, bot: Bot, now: number): Promise<boolean> {
  if (!db) return false;
  return (await spentTodayUsd(db, bot.id, now)) >= bot.limits.dailyBudgetUsd;
}
