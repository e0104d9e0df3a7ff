import { HttpError } from "../http/http-error";
import { scopeFromJson, scopeToJson, type BotScope, type Principal, type Role } from "./principal";
import { newId } from "./secret-token";

/** A member as the console shows it: never the password hash. */
export interface Member {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  bots: BotScope;
  createdAt: number;
  /** "invited" until the member has chosen a password through their invitation. */
  status: "active" | "invited";
}

/** Sign-in names: 1–100 of a-z 0-9 . _ @ + -, starting with a letter or digit (an e-mail address fits). */
export const MEMBER_NAME_PATTERN = /^[a-z0-9][a-z0-9._@+-]{0,99}$/;

/** The form in which names are stored and compared: trimmed, lower case. */
export function normalizeMemberName(value: string): string {
  return value.trim().toLowerCase();
}

interface MemberRow {
  id: string;
  name: string;
  display_name: string | null;
  role: Role;
  bots: string;
  password_hash: string | null;
  created_at: number;
}

const COLUMNS = "id, name, display_name, role, bots, password_hash, created_at";

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name ?? row.name,
    role: row.role,
    bots: scopeFromJson(row.bots),
    createdAt: row.created_at,
    status: row.password_hash ? "active" : "invited",
  };
}

/** The principal a member's session stands for. */
export function memberPrincipal(member: Member): Principal {
  return { kind: "member", id: member.id, name: member.name, role: member.role, bots: member.bots };
}

/** Every member, invited ones included, by name. */
export async function listMembers(db: D1Database): Promise<Member[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM members ORDER BY name`).all<MemberRow>();
  return results.map(toMember);
}

export async function getMember(db: D1Database, id: string): Promise<Member | undefined> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM members WHERE id = ?`).bind(id).first<MemberRow>();
  return row ? toMember(row) : undefined;
}

/** A member and their stored password hash, by sign-in name (for sign-in only; the hash never leaves the worker). */
export async function findMemberForSignIn(db: D1Database, name: string): Promise<{ member: Member; passwordHash: string | null } | undefined> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM members WHERE name = ?`).bind(normalizeMemberName(name)).first<MemberRow>();
  return row ? { member: toMember(row), passwordHash: row.password_hash } : undefined;
}

/**
 * Creates an invited member (no password yet), or updates the role and scope of one still invited.
 * 409 `member_exists` when the name belongs to an active member.
 */
export async function upsertInvitedMember(db: D1Database, fields: { name: string; role: Role; bots: BotScope }, now = Date.now()): Promise<Member> {
  const existing = await findMemberForSignIn(db, fields.name);
  if (existing?.passwordHash) throw new HttpError(409, "member_exists", `"${existing.member.name}" is already a member.`, {}, { name: "is already a member" });
  if (existing) {
    await db.prepare("UPDATE members SET role = ?, bots = ?, updated_at = ? WHERE id = ?").bind(fields.role, scopeToJson(fields.bots), now, existing.member.id).run();
    return { ...existing.member, role: fields.role, bots: fields.bots };
  }
  const id = newId("m_");
  const name = normalizeMemberName(fields.name);
  await db
    .prepare("INSERT INTO members (id, name, role, bots, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(id, name, fields.role, scopeToJson(fields.bots), now, now)
    .run();
  return { id, name, displayName: name, role: fields.role, bots: fields.bots, createdAt: now, status: "invited" };
}

/** Changes a member's role and/or scope; their sessions see it on the next request. 404 when unknown. */
export async function updateMember(db: D1Database, id: string, changes: { role?: Role; bots?: BotScope }, now = Date.now()): Promise<Member> {
  const member = await getMember(db, id);
  if (!member) throw memberNotFound();
  const role = changes.role ?? member.role;
  const bots = changes.bots ?? member.bots;
  await db.prepare("UPDATE members SET role = ?, bots = ?, updated_at = ? WHERE id = ?").bind(role, scopeToJson(bots), now, id).run();
  return { ...member, role, bots };
}

/** Sets a member's password hash and display name (accepting an invitation). */
export async function activateMember(db: D1Database, id: string, passwordHash: string, displayName: string | undefined, now = Date.now()): Promise<void> {
  await db
    .prepare("UPDATE members SET password_hash = ?, display_name = COALESCE(?, display_name), updated_at = ? WHERE id = ?")
    .bind(passwordHash, displayName ?? null, now, id)
    .run();
}

/** Removes a member with their sessions and invitations; false when unknown. */
export async function deleteMember(db: D1Database, id: string): Promise<boolean> {
  const [, , deleted] = await db.batch([
    db.prepare("DELETE FROM console_sessions WHERE member_id = ?").bind(id),
    db.prepare("DELETE FROM console_invitations WHERE member_id = ?").bind(id),
    db.prepare("DELETE FROM members WHERE id = ?").bind(id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

export function memberNotFound(): HttpError {
  return new HttpError(404, "member_not_found", "There is no member with this id.");
}
