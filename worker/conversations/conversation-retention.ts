import { DEFAULT_RETENTION_DAYS, type Bot } from "../bots/bot";
import { listBotRecords } from "../bots/bot-registry";
import type { EdgechatEnv } from "../env";
import { SESSION_TOKEN_TTL_MS } from "../security/session-token";
import { eraseConversation } from "./conversation-erasure";

const DAY_MS = 86_400_000;

/** Removes the question text of a bot's turns before a time (reads the partial index `turns_with_question`). */
export const STRIP_OLD_QUESTIONS = "UPDATE turns SET question = NULL WHERE bot_id = ? AND created_at < ? AND question IS NOT NULL";

/** Bounds of one run: the Cron Trigger runs every 15 minutes, so a large backlog is worked off over several runs. */
export const RETENTION_LIMITS = { maxConversationsPerRun: 500, concurrency: 10 } as const;

export interface RetentionReport {
  /** Conversations erased (session object, images, inbox row, questions, ratings). */
  conversations: number;
  /** `turns` rows older than their bot's retention whose question text was removed (the billing rows stay). */
  turnsStripped: number;
  /** True when the run stopped at its limit with more to do. */
  more: boolean;
}

/**
 * The time before which a bot's conversations are deleted: `retentionDays` (default 90) before `now`, or for
 * 0 ("no transcript beyond the live session") the lifetime of a session token, after which the session
 * cannot continue.
 *
 * @example
 * retentionCutoff({ retentionDays: 30 }, Date.parse("2026-11-30")) // Date.parse("2026-10-31")
 */
export function retentionCutoff(bot: Pick<Bot, "retentionDays">, now: number): number {
  const days = bot.retentionDays ?? DEFAULT_RETENTION_DAYS;
  return days === 0 ? now - SESSION_TOKEN_TTL_MS : now - days * DAY_MS;
}

/**
 * The retention job (called by the worker's `scheduled` handler): for every bot, erases the conversations
 * whose last activity is older than its retention, everywhere (`eraseConversation`), and removes the question
 * text of older `turns` rows, whose costs stay untouched so billing totals do not change.
 *
 * @example
 * await runRetention(env, Date.now());
 */
export async function runRetention(env: EdgechatEnv, now: number, limits: { maxConversationsPerRun: number; concurrency: number } = RETENTION_LIMITS): Promise<RetentionReport> {
  const db = env.DB!;
  const report: RetentionReport = { conversations: 0, turnsStripped: 0, more: false };
  for (const { bot } of await listBotRecords(db)) {
    const cutoff = retentionCutoff(bot, now);
    const budget = limits.maxConversationsPerRun - report.conversations;
    if (budget <= 0) {
      report.more = true;
      break;
    }
    const expired = await db
      .prepare("SELECT id FROM sessions WHERE bot_id = ? AND last_activity_at < ? ORDER BY last_activity_at LIMIT ?")
      .bind(bot.id, cutoff, budget + 1)
      .all<{ id: string }>();
    const ids = expired.results.slice(0, budget).map((row) => row.id);
    if (expired.results.length > budget) report.more = true;
    for (let i = 0; i < ids.length; i += limits.concurrency) {
      const erased = await Promise.all(ids.slice(i, i + limits.concurrency).map((id) => eraseConversation(env, bot.id, id)));
      report.conversations += erased.filter(Boolean).length;
    }
    const stripped = await db.prepare(STRIP_OLD_QUESTIONS).bind(bot.id, cutoff).run();
    report.turnsStripped += stripped.meta.changes;
  }
  return report;
}
