import { HttpError } from "../http/http-error";
import type { Bot } from "./bot";
import { BOT_ID_PATTERN, type BotFields } from "./bot-config";
import { forgetCachedBot } from "./bot-gate";

/** A bot as the admin API shows it: the bot plus its webhook signing secret and timestamps. */
export interface BotRecord {
  bot: Bot;
  handoffSecret: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * The bot registry in D1. Bots are read on every chat turn; the allowed origins are mirrored into
 * `bot_origins` for CORS preflights.
 *
 * @example
 * const bot = await loadBot(env.DB, "demo"); // undefined when there is no such bot
 */
export async function loadBot(db: D1Database | undefined, botId: string): Promise<Bot | undefined> {
  return (await loadBotRecord(db, botId))?.bot;
}

/** Loads a bot or answers 404 (the same answer for a malformed id: nothing to probe). */
export async function requireBot(db: D1Database | undefined, botId: string | undefined): Promise<Bot> {
  const bot = botId !== undefined && BOT_ID_PATTERN.test(botId) ? await loadBot(db, botId) : undefined;
  if (!bot) throw new HttpError(404, "bot_not_found", "There is no bot with this id.");
  return bot;
}

export async function loadBotRecord(db: D1Database | undefined, botId: string): Promise<BotRecord | undefined> {
  const row = await requireDb(db)
    .prepare("SELECT id, config, handoff_secret, created_at, updated_at FROM bots WHERE id = ?")
    .bind(botId)
    .first<BotRow>();
  return row ? toRecord(row) : undefined;
}

export async function listBotRecords(db: D1Database | undefined): Promise<BotRecord[]> {
  const { results } = await requireDb(db).prepare("SELECT id, config, handoff_secret, created_at, updated_at FROM bots ORDER BY id").all<BotRow>();
  return results.map(toRecord);
}

/** Creates a bot; 409 when the id is taken. */
export async function createBot(db: D1Database | undefined, id: string, fields: BotFields, now = Date.now()): Promise<BotRecord> {
  const database = requireDb(db);
  const handoffSecret = randomSecret();
  try {
    await database.batch([
      database
        .prepare("INSERT INTO bots (id, config, handoff_secret, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(id, JSON.stringify(fields), handoffSecret, now, now, crypto.randomUUID()),
      ...originRows(database, id, fields.allowedOrigins),
    ]);
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw new HttpError(409, "bot_exists", `A bot with id "${id}" already exists.`);
    throw error;
  }
  forgetCachedBot(database, id);
  return { bot: { id, ...fields }, handoffSecret, createdAt: now, updatedAt: now };
}

/** Replaces a bot's configuration; 404 when there is no such bot. */
export async function updateBot(db: D1Database | undefined, id: string, fields: BotFields, now = Date.now()): Promise<BotRecord> {
  const database = requireDb(db);
  const existing = await loadBotRecord(database, id);
  if (!existing) throw new HttpError(404, "bot_not_found", "There is no bot with this id.");
  await database.batch([
    // A new version: every isolate that cached this bot reloads it on its next turn (worker/bots/bot-gate.ts).
    database.prepare("UPDATE bots SET config = ?, updated_at = ?, version = ? WHERE id = ?").bind(JSON.stringify(fields), now, crypto.randomUUID(), id),
    database.prepare("DELETE FROM bot_origins WHERE bot_id = ?").bind(id),
    ...originRows(database, id, fields.allowedOrigins),
  ]);
  forgetCachedBot(database, id);
  return { ...existing, bot: { id, ...fields }, updatedAt: now };
}

/** Deletes a bot and its origins; returns whether it existed. Its conversations can no longer be reached. */
export async function deleteBot(db: D1Database | undefined, id: string): Promise<boolean> {
  const database = requireDb(db);
  const [, deleted] = await database.batch([
    database.prepare("DELETE FROM bot_origins WHERE bot_id = ?").bind(id),
    database.prepare("DELETE FROM bots WHERE id = ?").bind(id),
  ]);
  forgetCachedBot(database, id);
  return (deleted?.meta.changes ?? 0) > 0;
}

function originRows(db: D1Database, botId: string, origins: string[]): D1PreparedStatement[] {
  return [...new Set(origins)].map((origin) => db.prepare("INSERT INTO bot_origins (origin, bot_id) VALUES (?, ?)").bind(origin, botId));
}

function requireDb(db: D1Database | undefined): D1Database {
  if (!db) throw new HttpError(503, "registry_unavailable", "The bot registry is not configured: bind the DB (D1) database.");
  return db;
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${[...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

interface BotRow {
  id: string;
  config: string;
  handoff_secret: string;
  created_at: number;
  updated_at: number;
}

function toRecord(row: BotRow): BotRecord {
  return {
    bot: { id: row.id, ...(JSON.parse(row.config) as BotFields) },
    handoffSecret: row.handoff_secret,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
