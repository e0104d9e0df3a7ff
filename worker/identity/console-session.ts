import { HttpError } from "../http/http-error";
import { getMember, memberPrincipal, type Member } from "./members";
import type { Principal } from "./principal";
import { hashToken, newSecretToken } from "./secret-token";

/** The console's session cookie. */
export const CONSOLE_COOKIE = "edgechat_console";
/** A session ends after 12 hours without a request (sliding)… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and 7 days after sign-in in any case (absolute). */
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** The sliding expiry is written at most once a minute, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * Opens a console session for a member: a random token for the cookie; only its SHA-256 is stored.
 *
 * @example
 * const token = await openConsoleSession(env.DB, member.id);
 * headers.append("set-cookie", sessionCookie(token, url));
 */
export async function openConsoleSession(db: D1Database, memberId: string, now = Date.now()): Promise<string> {
  const token = newSecretToken();
  await db
    .prepare("INSERT INTO console_sessions (token_hash, member_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)")
    .bind(await hashToken(token), memberId, now, now, now + SESSION_MAX_MS)
    .run();
  return token;
}

/**
 * The member whose session the request's cookie carries; 401 `unauthenticated` when there is no cookie,
 * or its session is unknown, revoked, idle for too long or past its absolute end.
 */
export async function requireSessionMember(db: D1Database, request: Request, now = Date.now()): Promise<{ member: Member; principal: Principal }> {
  const token = sessionTokenOf(request);
  if (!token) throw unauthenticated();
  const tokenHash = await hashToken(token);
  const row = await db
    .prepare("SELECT member_id, last_seen_at, expires_at FROM console_sessions WHERE token_hash = ?")
    .bind(tokenHash)
    .first<{ member_id: string; last_seen_at: number; expires_at: number }>();
  if (!row || now >= row.expires_at || now >= row.last_seen_at + SESSION_IDLE_MS) throw unauthenticated();
  const member = await getMember(db, row.member_id);
  if (!member || member.status !== "active") throw unauthenticated();
  if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
    await db.prepare("UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?").bind(now, tokenHash).run();
  }
  return { member, principal: memberPrincipal(member) };
}

/** Revokes the session of the request's cookie (if any): the token stops working at once. */
export async function closeConsoleSession(db: D1Database, request: Request): Promise<void> {
  const token = sessionTokenOf(request);
  if (token) await db.prepare("DELETE FROM console_sessions WHERE token_hash = ?").bind(await hashToken(token)).run();
}

/**
 * The Set-Cookie value for a session: HttpOnly, SameSite=Strict, Path=/, and Secure except on plain-http
 * 127.0.0.1 / localhost (where a browser would drop a Secure cookie).
 */
export function sessionCookie(token: string, url: URL): string {
  return `${CONSOLE_COOKIE}=${token}; HttpOnly;${secureAttribute(url)} SameSite=Strict; Path=/; Max-Age=${SESSION_MAX_MS / 1000}`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(url: URL): string {
  return `${CONSOLE_COOKIE}=; HttpOnly;${secureAttribute(url)} SameSite=Strict; Path=/; Max-Age=0`;
}

function secureAttribute(url: URL): string {
  const local = url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
  return local ? "" : " Secure;";
}

function sessionTokenOf(request: Request): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CONSOLE_COOKIE) {
      const token = value.join("=");
      return /^[\w-]{20,100}$/.test(token) ? token : undefined;
    }
  }
  return undefined;
}

function unauthenticated(): HttpError {
  return new HttpError(401, "unauthenticated", "Sign in to the console first (your session is missing or has ended).");
}
