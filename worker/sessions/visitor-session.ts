import type { UIMessageChunk } from "ai";
import type { Bot } from "../bots/bot";
import type { EdgechatEnv } from "../env";
import { HttpError } from "../http/http-error";
import { isRecord } from "../chat/chat-request";
import {
  SESSION_TOKEN_TTL_MS,
  mintSessionToken,
  newSessionId,
  requireSessionSecret,
  verifySessionToken,
} from "../security/session-token";
import { sessionStub, type SessionStore } from "./session-store";

/** The conversation a chat request belongs to, with a fresh token for the visitor to continue it. */
export interface VisitorSession {
  botId: string;
  sessionId: string;
  /** True when this request started the conversation. */
  isNew: boolean;
  token: string;
  expiresAt: number;
  store: SessionStore;
  /** Where the conversation is counted (for stats) once its first message is stored. */
  db?: D1Database;
}

/** The session fields edgechat reads from a chat request body besides the AI SDK's own. */
export interface SessionFields {
  sessionToken?: string;
  turnstileToken?: string;
}

/** Reads `sessionToken` and `turnstileToken` from a chat body (both optional strings of bounded length). */
export function parseSessionFields(body: unknown): SessionFields {
  const fields: SessionFields = {};
  if (!isRecord(body)) return fields;
  for (const name of ["sessionToken", "turnstileToken"] as const) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || value.length > 2048) {
      throw new HttpError(400, "invalid_request", `\`${name}\` must be a string of at most 2048 characters.`);
    }
    fields[name] = value;
  }
  return fields;
}

/**
 * The conversation a request names by its session token, or a new one with an unguessable id when the
 * request has no token, with a fresh token for the visitor. A forged or expired token is a 401, a token
 * for another bot or another conversation a 404. The client's own chat id is never trusted to name a
 * conversation. Only local work (the token's HMAC): the session object is first called, and a new one
 * created, by `openVisitorTurn`, after the doors that must come first (rate limits, human check).
 *
 * @example
 * const session = await resolveVisitorSession(env, bot, { chatId: body.id, sessionToken: body.sessionToken });
 */
export async function resolveVisitorSession(
  env: EdgechatEnv,
  bot: Bot,
  request: { chatId?: string; sessionToken?: string },
  now = Date.now(),
): Promise<VisitorSession> {
  const secret = requireSessionSecret(env);
  let sessionId: string;
  let isNew = false;
  if (request.sessionToken !== undefined) {
    const claims = await verifySessionToken(secret, request.sessionToken, { botId: bot.id, sessionId: request.chatId }, now);
    sessionId = claims.sessionId;
  } else {
    sessionId = newSessionId();
    isNew = true;
  }
  const store = sessionStub(env, bot.id, sessionId);
  const expiresAt = now + SESSION_TOKEN_TTL_MS;
  const token = await mintSessionToken(secret, { botId: bot.id, sessionId, expiresAt });
  return { botId: bot.id, sessionId, isNew, token, expiresAt, store, db: env.DB };
}

/** The transient `data-session` part that opens every chat stream (see ARCHITECTURE.md). */
export function sessionChunk(session: VisitorSession): UIMessageChunk {
  return {
    type: "data-session",
    data: { sessionId: session.sessionId, token: session.token, expiresAt: session.expiresAt },
    transient: true,
  };
}

/**
 * Reads the session a request names by id and bearer token (`Authorization: Bearer <token>`), for the
 * history, feedback and handoff endpoints. The token must be genuine and for exactly this session.
 */
export async function authorizeSessionRequest(
  env: EdgechatEnv,
  request: Request,
  sessionId: string,
  token: string | undefined = bearerToken(request),
): Promise<{ botId: string; sessionId: string }> {
  const claims = await verifySessionToken(requireSessionSecret(env), token, { sessionId });
  return { botId: claims.botId, sessionId: claims.sessionId };
}

function bearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}
