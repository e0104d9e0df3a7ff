import type { Bot } from "../bots/bot";

/** Midnight UTC of the day `now` falls in, in unix milliseconds. */
export function startOfUtcDay(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** The UTC day number of `now` (days since 1970-01-01): the `day` of `bot_daily_spend` (migration 0007). */
export function utcDayNumber(now: number): number {
  return Math.floor(now / 86_400_000);
}

/**
 * Whether the bot has reached its daily spending cap; checked before any model call. A cap of 0 means
 * the bot answers nothing. `spentTodayUsd` is the running total of today's `turns` (`bot_daily_spend`,
 * kept by triggers on `turns`), read with the bot itself in one query (worker/bots/bot-gate.ts).
 *
 * @example
 * if (isOverSpendingCap(gate.bot, gate.spentTodayUsd)) return politeRefusal(bot);
 */
export function isOverSpendingCap(bot: Bot, spentTodayUsd: number): boolean {
  return spentTodayUsd >= bot.limits.dailyBudgetUsd;
}
