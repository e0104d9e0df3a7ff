#!/usr/bin/env node
// The edgechat command line: one table of commands, each in bin/commands/<name>.mjs exporting
// `run(args, io)` and `usage`. `npx edgechat <command> --help` for a command's options.

const COMMANDS = {
  bots: { summary: "create, list, show or delete the bots of a worker", load: () => import("./commands/bots.mjs") },
  deploy: { summary: "create what is missing on Cloudflare and deploy (--dry-run to see the plan)", load: () => import("./commands/deploy.mjs") },
  members: { summary: "invite, list or remove the people who sign in to the console (/admin)", load: () => import("./commands/members.mjs") },
  ingest: { summary: "load docs (md, mdx, html, txt) into a bot's knowledge", load: () => import("./commands/ingest.mjs") },
  sources: { summary: "add, list, sync or remove a bot's websites, sitemaps and crawls", load: () => import("./commands/sources.mjs") },
  conversations: { summary: "list a bot's conversations (with the inbox's filters) or erase one", load: () => import("./commands/conversations.mjs") },
  export: { summary: "stream a bot's conversations as JSONL or CSV to stdout", load: () => import("./commands/export.mjs") },
};

export async function main(argv = process.argv.slice(2), io = { out: console.log, err: console.error, env: process.env }) {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`Usage: edgechat <command> [options]\n\nCommands:\n${Object.entries(COMMANDS).map(([key, value]) => `  ${key.padEnd(10)} ${value.summary}`).join("\n")}`);
    return name && name !== "--help" ? 1 : 0;
  }
  const module = await command.load();
  return module.run(args, io);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/edgechat")) {
  main().then(
    (code) => process.exit(code ?? 0),
    (error) => {
      console.error(`edgechat: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
