import { BOT_ID_PATTERN } from "../bots/bot-config";

/** What a member (or API key) may do: see `authorize` for the actions of each role. */
export type Role = "admin" | "editor" | "agent";

/** The bots a principal may touch: every bot, or the listed ids. */
export type BotScope = "all" | string[];

/**
 * Who is calling, whatever proved it: the deployment's ADMIN_TOKEN (break-glass: admin of all bots),
 * a console member's session cookie, or an API key (`Authorization: Bearer ec_...`).
 */
export interface Principal {
  kind: "admin-token" | "member" | "api-key";
  id: string;
  name: string;
  role: Role;
  bots: BotScope;
}

export const ROLES: readonly Role[] = ["admin", "editor", "agent"];

/** The break-glass principal of a request that carried the ADMIN_TOKEN. */
export const ADMIN_TOKEN_PRINCIPAL: Principal = { kind: "admin-token", id: "admin-token", name: "ADMIN_TOKEN", role: "admin", bots: "all" };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Checks a scope from a request: "all" or 1–100 distinct bot ids. Returns an error message, or the scope. */
export function parseScope(value: unknown): { scope: BotScope } | { error: string } {
  if (value === "all") return { scope: "all" };
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) {
    return { error: 'must be "all" or a list of 1 to 100 bot ids' };
  }
  for (const id of value) {
    if (typeof id !== "string" || !BOT_ID_PATTERN.test(id)) return { error: "must contain only bot ids (a-z, 0-9, '-')" };
  }
  return { scope: [...new Set(value as string[])] };
}

/** How a scope is stored in D1 (a JSON column). */
export function scopeToJson(scope: BotScope): string {
  return JSON.stringify(scope);
}

export function scopeFromJson(json: string): BotScope {
  const value = JSON.parse(json) as unknown;
  return value === "all" ? "all" : Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
}
