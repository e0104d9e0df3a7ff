// `edgechat members invite|list|remove`: manage who may sign in to a worker's console (/admin).
import { parseArgs } from "node:util";
import { adminConnection, adminFetch } from "./admin-connection.mjs";

export const usage = `Usage:
  edgechat members invite <name> --role admin|editor|agent [--bot <id>]...
      prints a one-time link (valid 24 hours) where the person chooses a password;
      without --bot the member may work on every bot
  edgechat members list
  edgechat members remove <name>

Connection: --url (or EDGECHAT_URL, default http://127.0.0.1:8787) and --token (or EDGECHAT_ADMIN_TOKEN, or an
admin API key ec_... in EDGECHAT_API_KEY, or ADMIN_TOKEN from .dev.vars).`;

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  role: { type: "string" },
  bot: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean" },
};

const ROLES = ["admin", "editor", "agent"];

/**
 * @param {string[]} args
 * @param {{ out: (line: string) => void, err: (line: string) => void, env: Record<string, string | undefined> }} io
 */
export async function run(args, io) {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, name] = positionals;
  if (values.help || !action) {
    io.out(usage);
    return values.help ? 0 : 1;
  }
  switch (action) {
    case "invite": {
      requireName(name);
      if (!ROLES.includes(values.role)) throw new Error(`--role must be one of ${ROLES.join(", ")}.`);
      const bots = values.bot?.length ? values.bot : "all";
      const connection = adminConnection(values, io.env);
      const { invitation, member } = await adminFetch(connection, "POST", "/v1/admin/members/invitations", { name, role: values.role, bots });
      io.out(`Invited "${member.name}" as ${member.role} (${scopeText(member.bots)}).`);
      io.out(`Send them this one-time link (valid until ${new Date(invitation.expiresAt).toISOString()}):`);
      io.out(`  ${invitation.url}`);
      return 0;
    }
    case "list": {
      const { members } = await adminFetch(adminConnection(values, io.env), "GET", "/v1/admin/members");
      if (values.json) io.out(JSON.stringify(members, null, 2));
      else if (members.length === 0) io.out("No members yet. Invite one with: edgechat members invite <name> --role admin");
      else for (const member of members) io.out(`${member.name.padEnd(32)} ${member.role.padEnd(7)} ${member.status.padEnd(8)} ${scopeText(member.bots)}`);
      return 0;
    }
    case "remove": {
      requireName(name);
      const connection = adminConnection(values, io.env);
      const { members } = await adminFetch(connection, "GET", "/v1/admin/members");
      const member = members.find((entry) => entry.name === name.trim().toLowerCase());
      if (!member) throw new Error(`There is no member named "${name}" (see: edgechat members list).`);
      await adminFetch(connection, "DELETE", `/v1/admin/members/${encodeURIComponent(member.id)}`);
      io.out(`Removed "${member.name}"; their console sessions ended.`);
      return 0;
    }
    default:
      io.err(`Unknown action "${action}".\n\n${usage}`);
      return 1;
  }
}

function requireName(name) {
  if (!name) throw new Error("Name the member: edgechat members <action> <name>.");
}

function scopeText(bots) {
  return bots === "all" ? "all bots" : `bots: ${bots.join(", ")}`;
}
