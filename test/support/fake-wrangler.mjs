#!/usr/bin/env node
// A stand-in for the `wrangler` executable, for testing `edgechat deploy` without a Cloudflare account.
// It records every call (arguments and stdin) as a JSON line in $FAKE_WRANGLER_LOG, keeps an account's
// state in $FAKE_WRANGLER_STATE (JSON), and answers in wrangler 4.86's formats: the read commands print
// what test/fixtures/wrangler-4.86 records, the creating commands change the state.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const args = process.argv.slice(2);
const input = process.stdin.isTTY ? "" : readFileSync(0, "utf8");
appendFileSync(process.env.FAKE_WRANGLER_LOG, `${JSON.stringify({ args, stdin: input })}\n`);
const statePath = process.env.FAKE_WRANGLER_STATE;
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : {};
state.d1 ??= [];
state.r2 ??= [];
state.vectorize ??= [];
state.queues ??= [];
state.secrets ??= {};
state.appliedMigrations ??= [];
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const banner = "\n ⛅️ wrangler 4.86.0\n───────────────────";
const out = (text) => process.stdout.write(`${text}\n`);
const fail = (message, code = 1) => {
  process.stderr.write(`\n✘ [ERROR] ${message}\n\n`);
  process.exit(code);
};
const command = args.filter((arg) => !arg.startsWith("-")).slice(0, 3).join(" ");
const option = (name) => args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];

if (!state.loggedIn && command !== "whoami") fail("Not logged in. Run `wrangler login`.");
if (args.includes("--update-config")) fail("--update-config needs a value here: the fake expects --update-config=false");

if (command === "whoami" && state.whoamiFails) {
  fail("A request to the Cloudflare API (/user) failed. getaddrinfo ENOTFOUND api.cloudflare.com");
} else if (command === "whoami") {
  if (!state.loggedIn) {
    out(JSON.stringify({ loggedIn: false }, null, 2));
    process.exit(1);
  }
  out(JSON.stringify({ loggedIn: true, authType: "OAuth Token", email: "dev@example.com", accounts: [{ id: "4f1c0a9e8b7d6c5e4f3a2b1c0d9e8f7a", name: "dev@example.com's Account" }] }, null, 2));
} else if (command === "d1 list") {
  out(JSON.stringify(state.d1.map(({ uuid, name }) => ({ uuid, name, created_at: "2026-11-30T05:01:12.512Z", version: "production", num_tables: 0, file_size: 12288, jurisdiction: null })), null, 2));
} else if (command.startsWith("d1 create")) {
  const name = args[2];
  if (state.d1.some((database) => database.name === name)) fail(`A database with that name already exists [code: 7502]`);
  const uuid = randomUUID();
  state.d1.push({ uuid, name });
  save();
  out(`${banner}\n✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n`);
  out(`To access your new D1 Database in your Worker, add the following snippet to your configuration file:`);
  out(JSON.stringify({ d1_databases: [{ binding: name, database_name: name, database_id: uuid }] }, null, 2));
} else if (command === "r2 bucket list") {
  out(`${banner}\nListing buckets...\n${state.r2.map((name) => `name:           ${name}\ncreation_date:  2026-11-30T05:01:20.101Z`).join("\n\n")}`);
} else if (command.startsWith("r2 bucket create")) {
  if (state.r2.includes(args[3])) fail(`The bucket you tried to create already exists, and you own it. [code: 10004]`);
  state.r2.push(args[3]);
  save();
  out(`${banner}\nCreating bucket '${args[3]}'...\n✅ Created bucket '${args[3]}' with default storage class of Standard.`);
} else if (command === "queues list") {
  const width = 24;
  const rule = (left, middle, right) => `${left}${"─".repeat(width)}${middle}${"─".repeat(width)}${right}`;
  const row = (a, b) => `│ ${a.padEnd(width - 2)} │ ${b.padEnd(width - 2)} │`;
  out(`${banner}\n${[rule("┌", "┬", "┐"), row("id", "name"), rule("├", "┼", "┤"), ...state.queues.map((name) => row(name.slice(0, 8), name)), rule("└", "┴", "┘")].join("\n")}`);
} else if (command.startsWith("queues create")) {
  if (state.queues.includes(args[2])) fail(`A queue with this name already exists [code: 11009]`);
  state.queues.push(args[2]);
  save();
  out(`${banner}\n🌀 Creating queue '${args[2]}'\n✅ Created queue '${args[2]}'`);
} else if (command === "vectorize list") {
  out(JSON.stringify(state.vectorize.map(({ name, dimensions, metric }) => ({ created_on: "2026-11-30T05:01:25.402941Z", modified_on: "2026-11-30T05:01:25.402941Z", name, description: "", config: { dimensions, metric } })), null, 2));
} else if (command.startsWith("vectorize create ") || command === "vectorize create") {
  const name = args[2];
  if (state.vectorize.some((index) => index.name === name)) fail(`A Vectorize index with that name already exists [code: 3002]`);
  state.vectorize.push({ name, dimensions: Number(option("dimensions")), metric: option("metric"), metadataIndexes: [] });
  save();
  out(`${banner}\n🚧 Creating index: '${name}'\n✅ Successfully created a new Vectorize index: '${name}'`);
} else if (command.startsWith("vectorize list-metadata-index")) {
  const index = state.vectorize.find((entry) => entry.name === args[2]) ?? fail("index not found");
  out(JSON.stringify(index.metadataIndexes, null, 2));
} else if (command.startsWith("vectorize create-metadata-index")) {
  const index = state.vectorize.find((entry) => entry.name === args[2]) ?? fail("index not found");
  index.metadataIndexes.push({ propertyName: option("propertyName"), indexType: option("type") });
  save();
  out(`${banner}\n📋 Creating metadata index...\n✅ Successfully enqueued metadata index creation request. Mutation changeset identifier: ${randomUUID()}.`);
} else if (command.startsWith("secret list")) {
  if (!state.workerExists) fail(`Worker "edgechat" not found.\n\n  If this is a new Worker, run \`wrangler deploy\` first to create it.`);
  out(JSON.stringify(Object.keys(state.secrets).map((name) => ({ name, type: "secret_text" })), null, "  "));
} else if (command.startsWith("secret put")) {
  state.secrets[args[2]] = input.trim();
  state.workerExists = true;
  save();
  out(`${banner}\n🌀 Creating the secret for the Worker "edgechat" \n✨ Success! Uploaded secret ${args[2]}`);
} else if (command.startsWith("d1 migrations")) {
  const config = readFileSync(existsSync("wrangler.jsonc") ? "wrangler.jsonc" : "wrangler.json", "utf8");
  const id = /"database_id":\s*"([^"]+)"/.exec(config)?.[1];
  if (!state.d1.some((database) => database.uuid === id)) fail(`Couldn't find DB with name or binding '${args[3]}' [code: 7404]`);
  const pending = state.migrations.filter((name) => !state.appliedMigrations.includes(name));
  if (pending.length === 0) out(`${banner}\nResource location: remote\n✅ No migrations to apply!`);
  else if (args[2] === "list") out(`${banner}\nResource location: remote\nMigrations to be applied:\n${pending.map((name) => `│ ${name} │`).join("\n")}`);
  else {
    state.appliedMigrations.push(...pending);
    save();
    out(`${banner}\nMigrations to be applied:\n${pending.map((name) => `│ ${name} │`).join("\n")}\n${pending.map((name) => `│ ${name} │ ✅ │`).join("\n")}`);
  }
} else if (command === "deploy") {
  state.workerExists = true;
  state.deploys = (state.deploys ?? 0) + 1;
  save();
  out(readFileSync(new URL("../fixtures/wrangler-4.86/deploy.txt", import.meta.url), "utf8"));
} else {
  fail(`the fake wrangler does not know \`${args.join(" ")}\``);
}
