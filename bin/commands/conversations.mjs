// `edgechat conversations list|erase`: a bot's conversations inbox through the admin API.
import { parseArgs } from "node:util";
import { adminConnection, adminFetch, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./admin-connection.mjs";
import { FILTER_OPTIONS, FILTER_USAGE, filterQuery } from "./conversation-filters.mjs";

export const usage = `Usage:
  edgechat conversations list --bot <id> [filters] [--limit <1-100>] [--all] [--json]
      newest activity first; --all follows the pages to the end
  edgechat conversations erase <session id> --bot <id>
      deletes the conversation everywhere: transcript, session state, generated images, inbox entry, ratings
      (usage rows stay for billing, without the question text)

${FILTER_USAGE}

${CONNECTION_USAGE}`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  bot: { type: "string" },
  limit: { type: "string" },
  all: { type: "boolean" },
  json: { type: "boolean" },
  ...FILTER_OPTIONS,
  help: { type: "boolean" },
};

const FLAG_LETTERS = { needsPerson: "P", thumbsDown: "D", noSources: "S", escalated: "E", failed: "F" };

/**
 * @param {string[]} args
 * @param {{ out: (line: string) => void, err: (line: string) => void, env: Record<string, string | undefined> }} io
 */
export async function run(args, io) {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, sessionId] = positionals;
  if (values.help || !action) {
    io.out(usage);
    return values.help ? 0 : 1;
  }
  if (!values.bot) throw new Error("Name the bot: --bot <id>.");
  const base = `/v1/admin/bots/${encodeURIComponent(values.bot)}/conversations`;
  switch (action) {
    case "list": {
      const connection = adminConnection(values, io.env);
      const query = filterQuery(values);
      if (values.limit !== undefined) query.set("limit", values.limit);
      const rows = [];
      let cursor = null;
      do {
        if (cursor) query.set("cursor", cursor);
        const page = await adminFetch(connection, "GET", `${base}?${query}`);
        rows.push(...page.conversations);
        cursor = page.nextCursor;
        if (!values.json) for (const row of page.conversations) io.out(summaryLine(row));
      } while (values.all && cursor);
      if (values.json) io.out(JSON.stringify({ conversations: rows, nextCursor: cursor }, null, 2));
      else if (rows.length === 0) io.out("No conversations match.");
      else if (cursor) io.err(`More conversations: add --all, or --limit up to 100.`);
      return 0;
    }
    case "erase": {
      if (!sessionId) throw new Error("Name the conversation: edgechat conversations erase <session id> --bot <id>.");
      const { erased } = await adminFetch(adminConnection(values, io.env), "DELETE", `${base}/${encodeURIComponent(sessionId)}`);
      io.out(`Erased conversation ${sessionId}: ${erased.messages} messages, ${erased.feedback} ratings, ${erased.images} images; text removed from ${erased.turns} usage rows.`);
      return 0;
    }
    default:
      io.err(`Unknown action "${action}".\n\n${usage}`);
      return 1;
  }
}

/** One conversation as a line: last activity, session id, turns, cost, flags (P D S E F), first question. */
function summaryLine(row) {
  const flags = Object.entries(FLAG_LETTERS)
    .map(([flag, letter]) => (row.flags[flag] ? letter : "."))
    .join("");
  const question = (row.firstQuestion ?? "").replace(/\s+/g, " ").slice(0, 80);
  return `${new Date(row.lastActivityAt).toISOString()}  ${row.sessionId}  ${String(row.turns).padStart(3)} turns  $${row.costUsd.toFixed(4)}  ${flags}  ${question}`;
}
