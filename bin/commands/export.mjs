// `edgechat export --bot <id> [--format jsonl|csv] [filters] > file`: a bot's conversations, one row per message,
// streamed from the admin API to stdout as it arrives (a year of conversations never sits in memory).
import { parseArgs } from "node:util";
import { adminConnection, CONNECTION_OPTIONS, CONNECTION_USAGE } from "./admin-connection.mjs";
import { FILTER_OPTIONS, FILTER_USAGE, filterQuery } from "./conversation-filters.mjs";

export const usage = `Usage:
  edgechat export --bot <id> [--format jsonl|csv] [filters] > conversations.jsonl

One row per message: sessionId, time, role, author, text, tier, model, costUsd, sources, feedback.
${FILTER_USAGE}

${CONNECTION_USAGE}`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  bot: { type: "string" },
  format: { type: "string" },
  ...FILTER_OPTIONS,
  help: { type: "boolean" },
};

/**
 * @param {string[]} args
 * @param {{ out: (line: string) => void, err: (line: string) => void, env: Record<string, string | undefined>,
 *   write?: (chunk: Uint8Array) => Promise<void> }} io `write` receives the export's bytes (default: stdout)
 */
export async function run(args, io) {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (!values.bot) throw new Error("Name the bot: edgechat export --bot <id>.");
  const format = values.format ?? "jsonl";
  if (format !== "jsonl" && format !== "csv") throw new Error('--format must be "jsonl" or "csv".');
  const { url, token } = adminConnection(values, io.env);
  const query = filterQuery(values);
  query.set("format", format);
  const response = await fetch(`${url}/v1/admin/bots/${encodeURIComponent(values.bot)}/conversations/export?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      message = JSON.parse(text).error?.message ?? text;
    } catch {
      // Not JSON: show it as it came.
    }
    throw new Error(`${response.status} ${message}`);
  }
  const write = io.write ?? writeToStdout;
  for await (const chunk of response.body) await write(chunk);
  return 0;
}

/** Writes to stdout and waits until it took the bytes (so a slow pipe slows the download instead of filling memory). */
function writeToStdout(chunk) {
  return new Promise((resolve, reject) => process.stdout.write(chunk, (error) => (error ? reject(error) : resolve())));
}
