import { decide, type Action } from "../identity/authorize";
import type { Principal } from "../identity/principal";
import { requireAdminPrincipal, requireConsoleMember } from "../identity/request-principal";
import { HttpError } from "../http/http-error";
import type { RouteContext } from "../routes/route-context";
import { sessionStub, type SessionStore } from "../sessions/session-store";
import { botOfSession } from "./handoff-index";

/** Session ids as the worker mints them (and as clients may name them). */
const SESSION_ID = /^[\w.:-]{1,128}$/;

/** A conversation a member or admin principal may act on, with the name a visitor sees on their messages. */
export interface AgentSession {
  principal: Principal;
  /** The display name shown to the visitor for this person's messages. */
  agentName: string;
  botId: string;
  sessionId: string;
  store: SessionStore;
}

/**
 * The conversation of `/v1/console/sessions/:sessionId/...` (member cookie; writes same-origin only) or
 * `/v1/admin/sessions/:sessionId/...` (ADMIN_TOKEN or API key), checked against the session's bot (its D1
 * `sessions` row): unknown, or out of the principal's scope → 404 `conversation_not_found` (the same answer,
 * so a scope reveals nothing); role lacks `action` → 403 `forbidden`.
 *
 * @example
 * const { store, agentName } = await agentSession(context, "conversations:takeover");
 */
export async function agentSession(context: RouteContext, action: Action): Promise<AgentSession> {
  const { request, env, url, params } = context;
  const console = url.pathname.startsWith("/v1/console/");
  const { principal, displayName } = console
    ? await requireConsoleMember(request, env, url).then(({ member, principal }) => ({ principal, displayName: member.displayName }))
    : { principal: await requireAdminPrincipal(request, env), displayName: undefined };
  const sessionId = params.sessionId ?? "";
  const botId = SESSION_ID.test(sessionId) ? await botOfSession(env.DB, sessionId) : undefined;
  const decision = botId === undefined ? "not_found" : decide(principal, action, botId);
  if (decision === "not_found") throw conversationNotFound();
  if (decision === "forbidden") throw new HttpError(403, "forbidden", `Your role (${principal.role}) may not do this (${action}).`);
  return { principal, agentName: displayName ?? defaultAgentName(principal), botId: botId!, sessionId, store: sessionStub(env, botId!, sessionId) };
}

/** The name visitors see for an admin-API caller: the API key's name, or "Support" for the ADMIN_TOKEN. */
function defaultAgentName(principal: Principal): string {
  return principal.kind === "admin-token" ? "Support" : principal.name;
}

export function conversationNotFound(): HttpError {
  return new HttpError(404, "conversation_not_found", "There is no such conversation.");
}
