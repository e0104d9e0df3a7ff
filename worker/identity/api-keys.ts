import { HttpError } from "../http/http-error";
import { scopeFromJson, scopeToJson, type BotScope, type Principal, type Role } from "./principal";
import { hashToken, newId, newSecretToken } from "./secret-token";

/** An API key as lists show it: never the secret, which is shown once, when the key is created. */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  bots: BotScope;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  /** The key's first characters, to recognise it ("ec_AbCdEf12…"). */
  prefix: string;
}

/** API keys start with this, so the admin API can tell them from the ADMIN_TOKEN. */
export const API_KEY_PREFIX = "ec_";
const PREFIX_LENGTH = 11;
/** Last use is written at most once a minute per key. */
const TOUCH_EVERY_MS = 60 * 1000;

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  bots: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = "id, name, role, bots, prefix, created_at, last_used_at, revoked_at";

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    bots: scopeFromJson(row.bots),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    prefix: row.prefix,
  };
}

/**
 * Creates a key with a role and scope. The returned `secret` exists only in this answer: D1 keeps its SHA-256.
 *
 * @example
 * const { key, secret } = await createApiKey(env.DB, { name: "CI", role: "editor", bots: ["docs"] }, principal.id);
 */
export async function createApiKey(
  db: D1Database,
  fields: { name: string; role: Role; bots: BotScope },
  createdBy: string,
  now = Date.now(),
): Promise<{ key: ApiKey; secret: string }> {
  const secret = newSecretToken(API_KEY_PREFIX);
  const key: ApiKey = { id: newId("k_"), name: fields.name, role: fields.role, bots: fields.bots, createdAt: now, lastUsedAt: null, revokedAt: null, prefix: secret.slice(0, PREFIX_LENGTH) };
  await db
    .prepare("INSERT INTO api_keys (id, name, role, bots, secret_hash, prefix, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(key.id, key.name, key.role, scopeToJson(key.bots), await hashToken(secret), key.prefix, createdBy, now)
    .run();
  return { key, secret };
}

export async function listApiKeys(db: D1Database): Promise<ApiKey[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC`).all<ApiKeyRow>();
  return results.map(toApiKey);
}

/** Revokes a key (it stays listed, marked revoked); 404 when unknown. Revoking twice is harmless. */
export async function revokeApiKey(db: D1Database, id: string, now = Date.now()): Promise<void> {
  const result = await db.prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?").bind(now, id).run();
  if (result.meta.changes === 0) throw new HttpError(404, "key_not_found", "There is no API key with this id.");
}

/** The principal of a presented key, or undefined when it is unknown or revoked. Records its last use. */
export async function principalOfApiKey(db: D1Database, secret: string, now = Date.now()): Promise<Principal | undefined> {
  if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 100) return undefined;
  const secretHash = await hashToken(secret);
  const row = await db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE secret_hash = ?`).bind(secretHash).first<ApiKeyRow>();
  if (!row || row.revoked_at !== null) return undefined;
  if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) {
    await db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?").bind(now, row.id).run();
  }
  return { kind: "api-key", id: row.id, name: row.name, role: row.role, bots: scopeFromJson(row.bots) };
}
