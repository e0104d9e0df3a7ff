import { HttpError } from "../http/http-error";
import { MEMBER_NAME_PATTERN, normalizeMemberName } from "./members";
import { isRole, parseScope, ROLES, type BotScope, type Role } from "./principal";

/**
 * Validates what an admin grants (an invitation, a member change, an API key): `name`, `role` and `bots`,
 * answering 400 `invalid_request` with a message per field. `partial` allows leaving role and bots out.
 *
 * @example
 * const grant = parseGrant(body, { name: "member" }); // { name: "ana", role: "editor", bots: ["demo"] }
 */
export function parseGrant(
  body: Record<string, unknown>,
  options: { name?: "member" | "key"; partial?: boolean },
): { name: string; role?: Role; bots?: BotScope } {
  const problems: Record<string, string> = {};
  let name = "";
  if (options.name === "member") {
    name = typeof body.name === "string" ? normalizeMemberName(body.name) : "";
    if (!MEMBER_NAME_PATTERN.test(name)) problems.name = "must be 1 to 100 of a-z, 0-9, '.', '_', '@', '+', '-' (an e-mail address works)";
  } else if (options.name === "key") {
    name = typeof body.name === "string" ? body.name.trim() : "";
    if (name === "" || name.length > 100) problems.name = "must be 1 to 100 characters";
  }
  let role: Role | undefined;
  if (body.role !== undefined || !options.partial) {
    if (isRole(body.role)) role = body.role;
    else problems.role = `must be one of ${ROLES.join(", ")}`;
  }
  let bots: BotScope | undefined;
  if (body.bots !== undefined || !options.partial) {
    const parsed = parseScope(body.bots);
    if ("error" in parsed) problems.bots = parsed.error;
    else bots = parsed.scope;
  }
  if (Object.keys(problems).length > 0) {
    const [field, message] = Object.entries(problems)[0]!;
    throw new HttpError(400, "invalid_request", `\`${field}\` ${message}.`, {}, problems);
  }
  return { name, role, bots };
}
