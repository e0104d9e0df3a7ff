import type { Bot } from "./bot";
import type { BotFields } from "./bot-config";
import { utcDayNumber } from "../limits/spending-cap";

/** What a chat turn needs from D1 before its model call: the bot, and what it has spent today (UTC). */
export interface BotGate {
  bot: Bot;
  /** Today's spending from the running total (`bot_daily_spend`, migration 0007). */
  spentTodayUsd: number;
  /** Changes on every write of the bot (create, update); '' for bots not written since migration 0007. */
  version: string;
}

/**
 * How long this isolate trusts a bot it read without reading it again first. Each turn of a cached bot
 * still reads it beside the rest of the turn (`readBotGate`) and its model waits for that read, so an
 * edit or a deletion is seen before the next model call; the lifetime only bounds how long the checks
 * done before that read (origin, spending cap) may rest on an older copy.
 */
export const BOT_CACHE_TTL_MS = 30_000;

interface CachedBot extends BotGate {
  readAt: number;
  day: number;
}

/** Bots read by this isolate, per D1 database (tests run several databases in one isolate). */
const cachedBots = new WeakMap<D1Database, Map<string, CachedBot>>();

/**
 * The bot and today's spending in one D1 query. The bot's config is sent (and parsed) only when its
 * version differs from the cached one. Undefined when there is no such bot (then it is forgotten here).
 *
 * @example
 * const gate = await readBotGate(env.DB, "demo", Date.now());
 * if (gate && gate.spentTodayUsd >= gate.bot.limits.dailyBudgetUsd) refuse();
 */
export async function readBotGate(db: D1Database, botId: string, now: number): Promise<BotGate | undefined> {
  const day = utcDayNumber(now);
  const known = cachedBots.get(db)?.get(botId);
  const row = await db
    .prepare(
      `SELECT b.version AS version,
         CASE WHEN b.version != '' AND b.version = ?2 THEN NULL ELSE b.config END AS config,
         COALESCE((SELECT cost_usd FROM bot_daily_spend WHERE bot_id = b.id AND day = ?3), 0) AS spent
       FROM bots b WHERE b.id = ?1`,
    )
    .bind(botId, known?.version ?? "", day)
    .first<{ version: string; config: string | null; spent: number }>();
  if (!row) {
    forgetCachedBot(db, botId);
    return undefined;
  }
  const bot = row.config === null && known ? known.bot : { id: botId, ...(JSON.parse(row.config!) as BotFields) };
  const entry: CachedBot = { bot, version: row.version, spentTodayUsd: row.spent, readAt: now, day };
  let bots = cachedBots.get(db);
  if (!bots) cachedBots.set(db, (bots = new Map()));
  bots.set(botId, entry);
  return { bot, version: row.version, spentTodayUsd: row.spent };
}

/** The bot as this isolate last read it, when that was less than `BOT_CACHE_TTL_MS` ago and today (UTC). */
export function cachedBotGate(db: D1Database, botId: string, now: number): BotGate | undefined {
  const entry = cachedBots.get(db)?.get(botId);
  if (!entry || now - entry.readAt >= BOT_CACHE_TTL_MS || entry.day !== utcDayNumber(now)) return undefined;
  return { bot: entry.bot, version: entry.version, spentTodayUsd: entry.spentTodayUsd };
}

/** Drops a bot from this isolate's cache (the registry calls it on every write, so its own edits show at once). */
export function forgetCachedBot(db: D1Database, botId: string): void {
  cachedBots.get(db)?.delete(botId);
}
