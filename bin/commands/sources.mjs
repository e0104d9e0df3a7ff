// `edgechat sources add|list|sync|cancel|remove`: a bot's knowledge sources (websites, sitemaps, crawls) through
// the admin API, with a progress display while a sync runs.
import { parseArgs } from "node:util";
import { adminConnection, adminFetch } from "./admin-connection.mjs";

export const usage = `Usage:
  edgechat sources add <url> --bot <id> [--kind url|sitemap|crawl] [--schedule manual|daily|weekly]
                       [--max-pages <n>] [--max-depth <n>] [--path-prefix </docs/>] [--no-wait]
  edgechat sources list --bot <id> [--json]
  edgechat sources sync <source id> --bot <id> [--no-wait]
  edgechat sources cancel <source id> --bot <id>
  edgechat sources remove <source id> --bot <id>

--kind defaults to "sitemap" for URLs ending in .xml, else "url" (one page); "crawl" follows links on the same
host under the start URL's folder. add and sync wait for the sync and show its progress unless --no-wait.

Connection: --url (or EDGECHAT_URL, default http://127.0.0.1:8787) and --token (or EDGECHAT_ADMIN_TOKEN,
or ADMIN_TOKEN from .dev.vars).`;

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  bot: { type: "string" },
  kind: { type: "string" },
  schedule: { type: "string" },
  "max-pages": { type: "string" },
  "max-depth": { type: "string" },
  "path-prefix": { type: "string" },
  "no-wait": { type: "boolean" },
  interval: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean" },
};

/**
 * @param {string[]} args
 * @param {{ out: (line: string) => void, err: (line: string) => void, env: Record<string, string | undefined> }} io
 */
export async function run(args, io) {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, target] = positionals;
  if (values.help || !action) {
    io.out(usage);
    return values.help ? 0 : 1;
  }
  if (!values.bot) throw new Error("Name the bot: --bot <id>.");
  const connection = adminConnection(values, io.env);
  const base = `/v1/admin/bots/${encodeURIComponent(values.bot)}/sources`;
  const interval = Number(values.interval ?? 1000);
  switch (action) {
    case "add": {
      if (!target) throw new Error("Name the URL: edgechat sources add <url> --bot <id>.");
      const limits = {};
      if (values["max-pages"] !== undefined) limits.maxPages = wholeNumber(values["max-pages"], "--max-pages");
      if (values["max-depth"] !== undefined) limits.maxDepth = wholeNumber(values["max-depth"], "--max-depth");
      if (values["path-prefix"] !== undefined) limits.pathPrefix = values["path-prefix"];
      const kind = values.kind ?? (/\.xml(\?|$)/.test(target) ? "sitemap" : "url");
      const { source, sync } = await adminFetch(connection, "POST", base, { kind, url: target, schedule: values.schedule ?? "manual", limits });
      io.out(`Added ${source.kind} source ${source.id} (${source.schedule}) for ${source.url}.`);
      return values["no-wait"] || !sync ? 0 : follow(connection, `${base}/${source.id}`, io, interval);
    }
    case "list": {
      const { sources } = await adminFetch(connection, "GET", base);
      if (values.json) io.out(JSON.stringify(sources, null, 2));
      else if (sources.length === 0) io.out(`Bot "${values.bot}" has no sources yet. Add one with: edgechat sources add <url> --bot ${values.bot}`);
      else for (const source of sources) io.out(`${source.id}  ${source.kind.padEnd(7)} ${source.schedule.padEnd(7)} ${source.url}  ${source.sync ? summary(source.sync) : "never synced"}`);
      return 0;
    }
    case "sync": {
      requireSource(target);
      await adminFetch(connection, "POST", `${base}/${encodeURIComponent(target)}/sync`);
      io.out(`Syncing ${target}.`);
      return values["no-wait"] ? 0 : follow(connection, `${base}/${encodeURIComponent(target)}`, io, interval);
    }
    case "cancel": {
      requireSource(target);
      const { cancelled } = await adminFetch(connection, "POST", `${base}/${encodeURIComponent(target)}/cancel`);
      io.out(cancelled ? `Cancelled sync ${cancelled}.` : `Source ${target} was not syncing.`);
      return 0;
    }
    case "remove": {
      requireSource(target);
      const { documents } = await adminFetch(connection, "DELETE", `${base}/${encodeURIComponent(target)}`);
      io.out(`Removed source ${target} and its ${documents} documents.`);
      return 0;
    }
    default:
      io.err(`Unknown action "${action}".\n\n${usage}`);
      return 1;
  }
}

/** Polls the source until its sync ends, printing a progress line whenever the counts change. */
async function follow(connection, path, io, interval) {
  let last = "";
  for (;;) {
    const { sync } = await adminFetch(connection, "GET", path);
    if (!sync) return 0;
    const line = `${sync.status === "running" ? "syncing" : sync.status}: ${summary(sync)}`;
    if (line !== last) io.out(line);
    last = line;
    if (sync.status !== "running") {
      for (const problem of sync.problems.slice(0, 20)) io.out(`  ${problem.outcome.padEnd(9)} ${problem.url}  ${problem.reason}`);
      if (sync.problems.length > 20) io.out(`  … ${sync.problems.length - 20} more (edgechat sources list --json)`);
      return sync.status === "completed" ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function summary(sync) {
  const parts = [`${sync.found} found`, `${sync.indexed} indexed`, `${sync.unchanged} unchanged`];
  for (const key of ["duplicate", "skipped", "failed", "removed", "queued"]) if (sync[key]) parts.push(`${sync[key]} ${key}`);
  return parts.join(", ");
}

function wholeNumber(value, name) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name} must be a whole number.`);
  return number;
}

function requireSource(id) {
  if (!id) throw new Error("Name the source: edgechat sources <action> <source id> --bot <id> (ids from `edgechat sources list`).");
}
