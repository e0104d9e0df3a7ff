#!/usr/bin/env node
// edgechat's command-line tool: `edgechat <command> [options]`. Each command is a module in
// ./commands exporting `description` and `run(args)`; add a command by adding a line to COMMANDS.
const COMMANDS = {
  ingest: () => import("./commands/ingest.mjs"),
};

const [name, ...args] = process.argv.slice(2);

if (!name || name === "help" || name === "--help" || name === "-h") {
  console.log("Usage: edgechat <command> [options]\n\nCommands:");
  for (const [command, load] of Object.entries(COMMANDS)) console.log(`  ${command.padEnd(10)} ${(await load()).description}`);
  console.log("\nRun `edgechat <command> --help` for a command's options.");
  process.exit(name ? 0 : 1);
}
const load = COMMANDS[name];
if (!load) {
  console.error(`edgechat: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}.`);
  process.exit(1);
}
try {
  process.exitCode = (await (await load()).run(args)) ?? 0;
} catch (error) {
  console.error(`edgechat ${name}: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
