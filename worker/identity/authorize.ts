import { HttpError } from "../http/http-error";
import type { Principal, Role } from "./principal";

/** Everything a principal may be allowed to do. Actions on one bot are checked with its id. */
export type Action =
  | "bots:read"
  | "bots:write"
  | "bots:create"
  | "bots:delete"
  | "documents:read"
  | "documents:write"
  | "analytics:read"
  | "conversations:read"
  | "conversations:takeover"
  | "conversations:erase"
  | "corrections:write"
  | "members:manage"
  | "keys:manage";

/** The one table of who may do what. Admins may do everything. */
const ROLE_ACTIONS: Record<Role, ReadonlySet<Action>> = {
  admin: new Set<Action>([
    "bots:read",
    "bots:write",
    "bots:create",
    "bots:delete",
    "documents:read",
    "documents:write",
    "analytics:read",
    "conversations:read",
    "conversations:takeover",
    "conversations:erase",
    "corrections:write",
    "members:manage",
    "keys:manage",
  ]),
  editor: new Set<Action>([
    "bots:read",
    "bots:write",
    "bots:create",
    "bots:delete",
    "documents:read",
    "documents:write",
    "analytics:read",
    "conversations:read",
    "conversations:erase",
    "corrections:write",
  ]),
  agent: new Set<Action>(["bots:read", "conversations:read", "conversations:takeover"]),
};

/** Actions that reach beyond single bots: they need a principal whose scope is every bot. */
const DEPLOYMENT_WIDE: ReadonlySet<Action> = new Set<Action>(["bots:create", "members:manage", "keys:manage"]);

export type Decision = "allowed" | "not_found" | "forbidden";

/**
 * Decides whether `principal` may do `action` (to bot `botId`, when the action concerns one):
 * "not_found" when the bot is outside the principal's scope (the answer for a bot that does not exist,
 * so a scope reveals nothing), "forbidden" when the role lacks the action, else "allowed".
 * Deployment-wide actions (creating bots, members, keys) need the scope "all".
 *
 * @example
 * decide({ kind: "member", id: "m_1", name: "ana", role: "agent", bots: ["demo"] }, "bots:write", "demo") // "forbidden"
 */
export function decide(principal: Principal, action: Action, botId?: string): Decision {
  if (botId !== undefined && principal.bots !== "all" && !principal.bots.includes(botId)) return "not_found";
  if (!ROLE_ACTIONS[principal.role].has(action)) return "forbidden";
  if (DEPLOYMENT_WIDE.has(action) && principal.bots !== "all") return "forbidden";
  return "allowed";
}

/**
 * The one authorization check of the console API, the admin API and the CLI: throws 404 `bot_not_found`
 * (out of scope: the same answer as a bot that does not exist) or 403 `forbidden`, else returns.
 *
 * @example
 * authorize(principal, "documents:write", params.id);
 */
export function authorize(principal: Principal, action: Action, botId?: string): void {
  const decision = decide(principal, action, botId);
  if (decision === "not_found") throw botNotFound();
  if (decision === "forbidden") {
    throw new HttpError(403, "forbidden", `Your role (${principal.role}${principal.bots === "all" ? "" : ", some bots"}) may not do this (${action}).`);
  }
}

/** Whether the principal may see `botId` at all: for lists, which show only the bots in scope. */
export function canSee(principal: Principal, action: Action, botId: string): boolean {
  return decide(principal, action, botId) === "allowed";
}

/** The answer for a bot that does not exist or is not the principal's to see. */
export function botNotFound(): HttpError {
  return new HttpError(404, "bot_not_found", "There is no bot with this id.");
}
