// npm start: build, then run the offline demo (worker, widget and demo page) on 127.0.0.1:8787.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { startWranglerDev } from "./wrangler-dev.mjs";
import { seedDemoBot } from "./seed-demo-bot.mjs";
import { inviteCommand } from "./support/invite-command.mjs";
import { ingestPaths, lineProgress, printSummary } from "../bin/commands/ingest.mjs";
import { modelSourceLines } from "./support/model-sources.mjs";

const port = Number(process.env.PORT ?? 8787);
execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
const adminToken = ensureDevSecret("ADMIN_TOKEN");
ensureDevSecret("SESSION_SECRET");
console.log("edgechat: starting the worker (wrangler dev)…");
// The demo reads PDFs (worker/demo-main.ts): locally nothing is uploaded, so PDF.js costs no budget here.
const worker = await startWranglerDev({ port, stdio: "inherit", script: "worker/demo-main.ts" });
const seeded = await seedDemoBot({ url: worker.url, adminToken });
console.log(`edgechat: demo bot ${seeded === "created" ? "created" : "already there"} (chat page: ${worker.url}/b/demo)`);
// Seed the demo bot with the example docs, through the admin API, exactly as `npx edgechat ingest` does.
try {
  console.log("edgechat: loading examples/support-bot/docs into the demo bot…");
  const summary = await ingestPaths({
    paths: ["examples/support-bot/docs"],
    bot: "demo",
    url: worker.url,
    token: adminToken,
    baseUrl: "/docs/",
    progress: lineProgress(process.stdout),
  });
  printSummary(summary, process.stdout);
} catch (error) {
  console.warn(`edgechat: could not load the example docs (${error instanceof Error ? error.message : error}); the demo answers without them.`);
}
// The worker itself says which models it uses (.dev.vars and wrangler.jsonc count, not just this shell).
const health = await (await fetch(`${worker.url}/v1/health`)).json();
console.log(
  `\nedgechat is running with these models:\n${modelSourceLines(health).join("\n")}\n  Demo page: ${worker.url}/\n` +
    `  Owner console: ${worker.url}/admin\n` +
    `  First time? In another terminal, invite yourself and open the link it prints:\n` +
    `    ${inviteCommand(worker.url)}\n` +
    `  Admin token (in .dev.vars): ${adminToken}\n  Stop with Ctrl+C.\n`,
);
const shutdown = async () => {
  await worker.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
worker.child.on("exit", (code) => process.exit(code ?? 0));

/**
 * Local secrets live in .dev.vars (git-ignored), each made once, at random: ADMIN_TOKEN (the admin API)
 * and SESSION_SECRET (signs session tokens). Returns the secret's value.
 */
function ensureDevSecret(name) {
  const existing = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
  const match = new RegExp(`^${name}=(.+)$`, "m").exec(existing);
  if (match) return match[1].trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(".dev.vars", `${existing}${existing && !existing.endsWith("\n") ? "\n" : ""}${name}=${secret}\n`);
  return secret;
}
