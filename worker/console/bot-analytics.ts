import type { Bot } from "../bots/bot";
import { loadBotActivity, roundUsd, startOfUtcDay } from "../bots/bot-activity";

/** One day of a bot's analytics (UTC). */
export interface AnalyticsDay {
  date: string;
  conversations: number;
  /** Answers by the tier that gave them; an escalated answer counts as escalated only. */
  answers: { small: number; large: number; escalated: number };
  costUsd: number;
  /** Answers grounded on the bot's documents / answers (0 when there were none). */
  groundedShare: number;
  feedback: { up: number; down: number };
}

export interface BotAnalytics {
  days: AnalyticsDay[];
  dailySpendingCapUsd: number;
  unansweredQuestions: { question: string; count: number }[];
}

/** The ranges the console offers. */
export const ANALYTICS_RANGES = [7, 30, 90] as const;

const DAY_MS = 86_400_000;

/**
 * A bot's activity over the last `dayCount` UTC days (today included), one entry per day, zeros included,
 * from the same query layer as the stats endpoint.
 *
 * @example
 * const analytics = await botAnalytics(env.DB, bot, 7);
 */
export async function botAnalytics(db: D1Database, bot: Bot, dayCount: number, now = Date.now()): Promise<BotAnalytics> {
  const since = startOfUtcDay(now) - (dayCount - 1) * DAY_MS;
  const activity = await loadBotActivity(db, bot.id, since);
  const days = new Map<string, AnalyticsDay & { grounded: number }>();
  for (let time = since; time <= now; time += DAY_MS) {
    const date = new Date(time).toISOString().slice(0, 10);
    days.set(date, { date, conversations: 0, answers: { small: 0, large: 0, escalated: 0 }, costUsd: 0, groundedShare: 0, grounded: 0, feedback: { up: 0, down: 0 } });
  }
  for (const row of activity.conversations) {
    const day = days.get(row.day);
    if (day) day.conversations += row.count;
  }
  for (const group of activity.turns) {
    const day = days.get(group.day);
    if (!day) continue;
    day.costUsd += group.costUsd;
    if (group.status === "refused" || (group.tier !== "small" && group.tier !== "large")) continue;
    day.answers[group.escalated ? "escalated" : group.tier] += group.count;
    day.grounded += group.grounded;
  }
  for (const row of activity.feedback) {
    const day = days.get(row.day);
    if (day && (row.rating === "up" || row.rating === "down")) day.feedback[row.rating] += row.count;
  }
  return {
    days: [...days.values()].map(({ grounded, ...day }) => {
      const answers = day.answers.small + day.answers.large + day.answers.escalated;
      return { ...day, costUsd: roundUsd(day.costUsd), groundedShare: answers ? grounded / answers : 0 };
    }),
    dailySpendingCapUsd: bot.limits.dailyBudgetUsd,
    unansweredQuestions: activity.unansweredQuestions,
  };
}
