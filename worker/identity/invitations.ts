import { HttpError } from "../http/http-error";
import { getMember, upsertInvitedMember, type Member } from "./members";
import type { BotScope, Role } from "./principal";
import { hashToken, newSecretToken } from "./secret-token";

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 24 * 60 * 60 * 1000;

export interface Invitation {
  /** `<origin>/admin/invite#<token>`: the token is in the fragment, so it never reaches logs or Referer headers. */
  url: string;
  expiresAt: number;
}

/**
 * Invites `name` with a role and scope: creates the (invited) member and a one-time token, stored hashed.
 * An earlier, unused invitation of the same person stops working.
 *
 * @example
 * const { invitation } = await inviteMember(env.DB, { name: "ana", role: "editor", bots: ["demo"] }, url.origin);
 */
export async function inviteMember(
  db: D1Database,
  fields: { name: string; role: Role; bots: BotScope },
  origin: string,
  now = Date.now(),
): Promise<{ member: Member; invitation: Invitation }> {
  const member = await upsertInvitedMember(db, fields, now);
  const token = newSecretToken();
  const expiresAt = now + INVITATION_TTL_MS;
  await db.batch([
    db.prepare("DELETE FROM console_invitations WHERE member_id = ?").bind(member.id),
    db.prepare("INSERT INTO console_invitations (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(await hashToken(token), member.id, now, expiresAt),
  ]);
  return { member, invitation: { url: `${origin}/admin/invite#${token}`, expiresAt } };
}

/** The member an unused, unexpired invitation is for; 404 `invitation_not_found` otherwise (used, expired or unknown alike). */
export async function openInvitation(db: D1Database, token: unknown, now = Date.now()): Promise<{ member: Member; expiresAt: number }> {
  if (typeof token !== "string" || token.length < 20 || token.length > 200) throw invitationNotFound();
  const row = await db
    .prepare("SELECT member_id, expires_at FROM console_invitations WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")
    .bind(await hashToken(token), now)
    .first<{ member_id: string; expires_at: number }>();
  const member = row ? await getMember(db, row.member_id) : undefined;
  if (!row || !member) throw invitationNotFound();
  return { member, expiresAt: row.expires_at };
}

/**
 * Marks an invitation used, exactly once: of two concurrent acceptances only one wins, the other gets 404.
 * Returns the member it was for.
 */
export async function consumeInvitation(db: D1Database, token: unknown, now = Date.now()): Promise<Member> {
  const { member } = await openInvitation(db, token, now);
  const result = await db
    .prepare("UPDATE console_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")
    .bind(now, await hashToken(token as string), now)
    .run();
  if (result.meta.changes !== 1) throw invitationNotFound();
  return member;
}

function invitationNotFound(): HttpError {
  return new HttpError(404, "invitation_not_found", "This invitation link is not valid: it was used already, has expired, or was replaced by a newer one.");
}
