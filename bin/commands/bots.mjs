// `edgechat bots create|list|show|delete`: manage a worker's bots through its admin API.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { adminConnection, adminFetch } from "./admin-connection.mjs";

export const usage = `Usage:
  edgechat bots list
  edgechat bots show <id>
  edgechat bots create <id> --name <name> [--origin <https://site>]... [--prompt <text>] [--greeting <text>]
                        [--budget <usd per day>] [--webhook <url>] [--turnstile-site-key <key>] [--config <bot.json>]
  edgechat bots delete <id>

Connection: --url (or EDGECHAT_URL, default http://127.0.0.1:8787) and --token (or EDGECHAT_ADMIN_TOKEN,
or ADMIN_TOKEN from .dev.vars).`;

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  name: { type: "string" },
  origin: { type: "string", multiple: true },
  prompt: { type: "string" },
  greeting: { type: "string" },
  budget: { type: "string" },
  webhook: { type: "string" },
  "turnstile-site-key": { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean" },
};

/**
 * @param {string[]} args
 * @param {{ out: (line: string) => void, err: (line: string) => void, env: Record<string, string | undefined> }} io
 */
export async function run(args, io) {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, id] = positionals;
  if (values.help || !action) {
    io.out(usage);
    return values.help ? 0 : 1;
  }
  const connection = adminConnection(values, io.env);
  switch (action) {
    case "list": {
      const { bots } = await adminFetch(connection, "GET", "/v1/admin/bots");
      if (values.json) io.out(JSON.stringify(bots.map((entry) => entry.bot), null, 2));
      else if (bots.length === 0) io.out("No bots yet. Create one with: edgechat bots create <id> --name <name> --origin <https://your.site>");
      else for (const { bot } of bots) io.out(`${bot.id.padEnd(24)} ${bot.name}  [${bot.allowedOrigins.join(", ") || "hosted page only"}]`);
      return 0;
    }
    case "show": {
      requireId(id);
      io.out(JSON.stringify(await adminFetch(connection, "GET", `/v1/admin/bots/${encodeURIComponent(id)}`), null, 2));
      return 0;
    }
    case "create": {
      requireId(id);
      const bot = { ...(values.config ? JSON.parse(readFileSync(values.config, "utf8")) : {}), id };
      if (values.name !== undefined) bot.name = values.name;
      if (values.origin) bot.allowedOrigins = values.origin;
      if (values.prompt !== undefined) bot.systemPrompt = values.prompt;
      if (values.greeting !== undefined) bot.greeting = values.greeting;
      if (values.webhook !== undefined) bot.handoffWebhookUrl = values.webhook;
      if (values["turnstile-site-key"] !== undefined) bot.turnstileSiteKey = values["turnstile-site-key"];
      if (values.budget !== undefined) {
        const budget = Number(values.budget);
        if (!Number.isFinite(budget) || budget < 0) throw new Error("--budget must be a number of US dollars per day, 0 or more.");
        bot.limits = { ...bot.limits, dailyBudgetUsd: budget };
      }
      if (!bot.name) throw new Error("A bot needs a name: --name \"Docs helper\".");
      const record = await adminFetch(connection, "POST", "/v1/admin/bots", bot);
      io.out(`Created bot "${record.bot.id}".`);
      io.out(`  Script tag: <script src="${connection.url}/widget.js" data-bot="${record.bot.id}" async></script>`);
      io.out(`  Hosted page: ${connection.url}/b/${record.bot.id}`);
      io.out(`  Handoff webhook signing secret: ${record.handoffSecret}`);
      return 0;
    }
    case "delete": {
      requireId(id);
      await adminFetch(connection, "DELETE", `/v1/admin/bots/${encodeURIComponent(id)}`);
      io.out(`Deleted bot "${id}".`);
      return 0;
    }
    default:
      io.err(`Unknown action "${action}".\n\n${usage}`);
      return 1;
  }
}

function requireId(id) {
  if (!id) throw new Error("Name the bot: edgechat bots <action> <id>.");
}
