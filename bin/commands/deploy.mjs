// `edgechat deploy [--dry-run]`: one command from a wrangler login to a production worker. Looks at what
// exists (read-only wrangler commands), plans what is missing (deploy-plan.mjs, pure), then runs the plan.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeStep, planDeploy, resourceNames } from "./deploy-plan.mjs";
import { embeddingDimensionsFor } from "./embedding-dimensions.mjs";
import { readWranglerConfig, setJsoncValue, writeWranglerConfig } from "./wrangler-config.mjs";
import { createWranglerRunner } from "./wrangler-runner.mjs";
import {
  isWorkerNotFound,
  parseD1Create,
  parseD1List,
  parseDeployUrl,
  parseMetadataIndexList,
  parsePendingMigrations,
  parseR2BucketList,
  parseQueueList,
  parseSecretList,
  parseVectorizeList,
  parseWhoami,
} from "./wrangler-output.mjs";

export const usage = `Usage: edgechat deploy [options]

Creates what is missing on your Cloudflare account (D1, R2, the knowledge-source queue, a Vectorize index sized for the embedding
model and its documentId metadata index), writes ids into the wrangler config, sets ADMIN_TOKEN and
SESSION_SECRET when absent, applies the D1 migrations remotely and deploys. Safe to run again.

Options:
  --dry-run               print the wrangler commands it would run; change nothing
  --provider <name>       offline | openai | workers-ai (default: $EDGECHAT_PROVIDER, vars.EDGECHAT_PROVIDER,
                          openai when the Worker already has OPENAI_API_KEY, else offline)
  --openai-key-from-env   take OPENAI_API_KEY from the environment instead of asking
  --config <path>         the wrangler config (default: wrangler.json or wrangler.jsonc here)
  --help                  show this help

Log in first with \`npx wrangler login\` (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID).`;

/** Where a generated ADMIN_TOKEN is kept for its owner (git-ignored, readable by the owner only). */
export const ADMIN_TOKEN_FILE = ".edgechat-admin-token";

/**
 * @param {string[]} args
 * @param {{ out: (line: string) => void, err: (line: string) => void, env: Record<string, string | undefined>,
 *   cwd?: string, interactive?: boolean, runner?: import("./wrangler-runner.mjs").WranglerRunner, prompt?: (question: string) => Promise<string> }} io
 */
export async function run(args, io) {
  const { values } = parseArgs({
    args,
    options: {
      "dry-run": { type: "boolean", default: false },
      provider: { type: "string" },
      "openai-key-from-env": { type: "boolean", default: false },
      config: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const dryRun = values["dry-run"];
  const cwd = io.cwd ?? process.cwd();
  const env = io.env;
  const interactive = io.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const runner = io.runner ?? createWranglerRunner({ cwd, env });
  if (values["openai-key-from-env"] && !env.OPENAI_API_KEY) throw new Error("--openai-key-from-env: OPENAI_API_KEY is not set in the environment.");

  const file = readWranglerConfig(cwd, values.config && resolve(cwd, values.config));
  const config = summarizeConfig(file);
  const vars = file.config.vars ?? {};
  const found = await discover(runner, config, { dryRun, env });
  const provider =
    values.provider ??
    env.EDGECHAT_PROVIDER ??
    vars.EDGECHAT_PROVIDER ??
    (values["openai-key-from-env"] || found.secrets?.includes("OPENAI_API_KEY") ? "openai" : "offline");
  const embedding = embeddingDimensionsFor({ provider, model: vars.EDGECHAT_EMBEDDING_MODEL, dimensions: vars.EDGECHAT_EMBEDDING_DIMENSIONS });
  const openaiKeySource = values["openai-key-from-env"] ? "env" : interactive || dryRun ? "prompt" : "none";
  const plan = planDeploy({ ...found, config, provider, embedding, openaiKeySource, accountFromEnv: env.CLOUDFLARE_ACCOUNT_ID });

  io.out(`edgechat deploy${dryRun ? " --dry-run" : ""}: Worker "${config.name}", provider ${provider}, embeddings ${embedding.model} (${embedding.dimensions} dimensions)`);
  if (found.loggedIn === false) io.out(`Not logged in to Cloudflare${dryRun ? ": the plan assumes nothing exists yet" : ""}.`);
  io.out(`\n${dryRun ? "Would run" : "Plan"}:`);
  plan.steps.forEach((step, number) => io.out(`  ${number + 1}. ${describeStep(step, relativeName(file.path, cwd))}`));
  if (plan.assumptions.length > 0) io.out(`\nAssumptions:\n${plan.assumptions.map((line) => `  - ${line}`).join("\n")}`);
  if (dryRun && openaiKeySource === "prompt" && !interactive && plan.steps.some((step) => step.secret?.source === "prompt")) {
    io.out("  - OPENAI_API_KEY: a real run asks for it in a terminal; without one pass --openai-key-from-env.");
  }
  if (plan.errors.length > 0) {
    io.err(`\nCannot deploy yet:\n${plan.errors.map((line) => `  - ${line}`).join("\n")}`);
    return 1;
  }
  if (dryRun) {
    io.out("\nDry run: nothing was created, changed or deployed.");
    return 0;
  }
  if (!found.loggedIn) {
    io.err("\nLog in first: `npx wrangler login` (or set CLOUDFLARE_API_TOKEN), then run edgechat deploy again.");
    return 1;
  }

  const outputs = {};
  let text = file.text;
  let url;
  let adminToken;
  io.out("");
  for (const step of plan.steps) {
    io.out(`→ ${step.title}`);
    if (step.kind === "config") {
      text = setJsoncValue(text, step.path, step.valueFrom ? outputs[step.valueFrom] : step.value);
      writeWranglerConfig(file.path, text);
      continue;
    }
    const input = step.secret ? await secretValue(step.secret, { env, prompt: io.prompt ?? promptHidden }) : undefined;
    const loud = step.args[0] === "deploy" || step.args[1] === "migrations";
    const result = await runner(step.args, { input, echo: loud ? (chunk) => io.out(chunk.replace(/\n$/, "")) : undefined });
    if (result.code !== 0) throw new Error(`\`${describeStep({ ...step, secret: undefined }, "")}\` failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`);
    if (step.output === "d1-id") outputs["d1-id"] = parseD1Create(result.stdout + result.stderr);
    if (step.secret?.name === "ADMIN_TOKEN") {
      adminToken = input;
      writeFileSync(join(cwd, ADMIN_TOKEN_FILE), `${input}\n`, { mode: 0o600 });
      io.out(keepOutOfGit(cwd));
    }
    if (step.args[0] === "deploy") url = parseDeployUrl(result.stdout + result.stderr);
  }
  io.out(`\nedgechat is deployed.`);
  if (url) {
    io.out(`  Worker:   ${url}`);
    io.out(`  Console:  ${url}/admin`);
    io.out(`  Embed:    <script src="${url}/widget.js" data-bot="<bot id>" async></script>`);
  } else {
    io.out("  (wrangler printed no workers.dev URL: the Worker is on your routes or custom domain.)");
  }
  if (adminToken) io.out(`  ADMIN_TOKEN: ${adminToken.slice(0, 4)}… (new; the full value is in ${ADMIN_TOKEN_FILE}, readable by you only)`);
  io.out(`\nNext: create a bot with  EDGECHAT_ADMIN_TOKEN=$(cat ${ADMIN_TOKEN_FILE}) npx edgechat bots create <id> --name "<name>" --origin https://your.site${url ? ` --url ${url}` : ""}`);
  return 0;
}

/** The parts of the wrangler config the plan needs. */
export function summarizeConfig({ path, config }) {
  const find = (list, binding) => {
    const index = (list ?? []).findIndex((entry) => entry?.binding === binding);
    return index === -1 ? undefined : { index, ...list[index] };
  };
  return {
    path,
    name: config.name,
    accountId: config.account_id,
    d1: find(config.d1_databases, "DB"),
    r2: find(config.r2_buckets, "IMAGES"),
    vectorize: find(config.vectorize, "VECTORIZE"),
    otherVectorizeBindings: (config.vectorize ?? []).filter((entry) => entry?.binding !== "VECTORIZE"),
    queues: [...new Set([...(config.queues?.producers ?? []), ...(config.queues?.consumers ?? [])].map((entry) => entry?.queue).filter(Boolean))],
    vars: config.vars ?? {},
  };
}

/**
 * What exists, through read-only wrangler commands. Without a login nothing is known. `d1 migrations list`
 * creates wrangler's d1_migrations table when it is missing, so a dry run does not call it.
 */
export async function discover(runner, config, { dryRun, env }) {
  const whoami = await runner(["whoami", "--json"]);
  let who;
  try {
    who = parseWhoami(whoami.stdout);
  } catch {
    // No JSON at all: wrangler could not tell (no network, a broken install), which is not "logged out".
    if (dryRun) return {};
    throw new Error(`\`wrangler whoami --json\` failed (exit ${whoami.code}):\n${tail(whoami.stdout + whoami.stderr)}`);
  }
  if (!who.loggedIn) return { loggedIn: false };
  const state = { loggedIn: true, accounts: who.accounts };
  if (who.accounts.length > 1 && !env.CLOUDFLARE_ACCOUNT_ID && !config.accountId) return state;
  const must = async (args) => {
    const result = await runner(args);
    if (result.code !== 0) throw new Error(`\`wrangler ${args.join(" ")}\` failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`);
    return result.stdout;
  };
  const names = resourceNames(config);
  state.d1Databases = parseD1List(await must(["d1", "list", "--json"]));
  if (config.r2) state.r2Buckets = parseR2BucketList(await must(["r2", "bucket", "list"]));
  if (config.queues?.length) state.queues = parseQueueList(await must(["queues", "list"]));
  state.vectorizeIndexes = parseVectorizeList(await must(["vectorize", "list", "--json"]));
  if (state.vectorizeIndexes.some((index) => index.name === names.vectorize)) {
    state.metadataIndexes = parseMetadataIndexList(await must(["vectorize", "list-metadata-index", names.vectorize, "--json"]));
  }
  const secrets = await runner(["secret", "list", "--format", "json"]);
  if (secrets.code === 0) state.secrets = parseSecretList(secrets.stdout);
  else if (isWorkerNotFound(secrets.stdout + secrets.stderr)) state.secrets = [];
  else throw new Error(`\`wrangler secret list\` failed (exit ${secrets.code}):\n${tail(secrets.stdout + secrets.stderr)}`);
  const database = state.d1Databases.find((entry) => entry.name === names.d1);
  if (!dryRun && config.d1 && database && database.uuid === config.d1.database_id) {
    state.pendingMigrations = parsePendingMigrations(await must(["d1", "migrations", "list", config.d1.binding, "--remote"]));
  }
  return state;
}

async function secretValue(secret, { env, prompt }) {
  if (secret.source === "generated") return randomBytes(32).toString("base64url");
  const value = secret.source === "env" ? env.OPENAI_API_KEY : await prompt(`${secret.name} (input hidden): `);
  if (!value?.trim()) throw new Error(`${secret.name} is empty.`);
  return value.trim();
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question) {
  return new Promise((resolve, reject) => {
    const { stdin, stdout } = process;
    stdout.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    let value = "";
    const onData = (chunk) => {
      for (const char of String(chunk)) {
        if (char === "\r" || char === "\n") {
          done();
          return resolve(value);
        }
        if (char === "\u0003") {
          done();
          return reject(new Error("cancelled"));
        }
        if (char === "\u007f") value = value.slice(0, -1);
        else value += char;
      }
    };
    const done = () => {
      stdin.off("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stdout.write("\n");
    };
    stdin.on("data", onData);
  });
}

/** Adds the admin token's file to the project's .gitignore (once); says so, or says to do it. */
function keepOutOfGit(cwd) {
  const gitignore = join(cwd, ".gitignore");
  if (!existsSync(gitignore)) return `  Keep ${ADMIN_TOKEN_FILE} out of version control (there is no .gitignore here).`;
  const text = readFileSync(gitignore, "utf8");
  if (text.split("\n").some((line) => line.trim() === ADMIN_TOKEN_FILE || line.trim() === `/${ADMIN_TOKEN_FILE}`)) return `  ${ADMIN_TOKEN_FILE} is git-ignored.`;
  appendFileSync(gitignore, `${text === "" || text.endsWith("\n") ? "" : "\n"}${ADMIN_TOKEN_FILE}\n`);
  return `  Added ${ADMIN_TOKEN_FILE} to .gitignore.`;
}

function relativeName(path, cwd) {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}

function tail(text) {
  return text.trim().split("\n").slice(-15).join("\n");
}
