// npm start: build, then run the offline demo (worker, widget and demo page) on 127.0.0.1:8787.
import { execFileSync } from "node:child_process";
import { startWranglerDev } from "./wrangler-dev.mjs";

const port = Number(process.env.PORT ?? 8787);
execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
console.log("edgechat: starting the worker (wrangler dev)…");
const worker = await startWranglerDev({ port, stdio: "inherit" });
const mode = process.env.OPENAI_API_KEY ? "OpenAI" : "offline models (no OPENAI_API_KEY set)";
console.log(`\nedgechat is running with ${mode}.\n  Demo page: ${worker.url}/\n  Stop with Ctrl+C.\n`);
const shutdown = async () => {
  await worker.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
worker.child.on("exit", (code) => process.exit(code ?? 0));
