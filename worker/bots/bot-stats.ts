import { loadBotActivity, roundUsd } from "./bot-activity";

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
 * Sums a bot's conversations, turns, escalations, cost and feedback since `since` (unix ms), from D1
 * (through `loadBotActivity`, the query layer the console's analytics share).
 *
 * @example
 * const stats = await botStats(env.DB, "demo", Date.now() - 30 * 86_400_000);
 */
export async function botStats(db: D1Database, botId: string, since: number): Promise<BotStats> {
  const activity = await loadBotActivity(db, botId, since);
  const turnsByStatus: Record<string, number> = {};
  let turns = 0;
  let escalated = 0;
  let cost = 0;
  for (const group of activity.turns) {
    turns += group.count;
    turnsByStatus[group.status] = (turnsByStatus[group.status] ?? 0) + group.count;
    if (group.escalated) escalated += group.count;
    cost += group.costUsd;
  }
  const feedback = { up: 0, down: 0 };
  for (const row of activity.feedback) if (row.rating === "up" || row.rating === "down") feedback[row.rating] += row.count;
  return {
    botId,
    since,
    conversations: activity.conversations.reduce((sum, row) => sum + row.count, 0),
    turns,
    turnsByStatus,
    escalated,
    escalationRate: turns ? escalated / turns : 0,
    costUsd: roundUsd(cost),
    feedback,
    unansweredQuestions: activity.unansweredQuestions,
  };
}
