// Starts `wrangler dev` in its own process group (so stopping it also stops workerd) and
// waits until the worker answers /v1/health. Used by `npm start`, the e2e tests and the bench.
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repo's wrangler, whatever the working directory (the consumer test runs it in scratch projects). */
export const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const QUIET_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };

/** Applies the D1 migrations to the local database (the same state `wrangler dev` uses). */
export function applyLocalMigrations({ persistTo } = {}) {
  const args = [WRANGLER, "d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  execFileSync(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...QUIET_ENV, CI: "true" } });
}

/**
 * @param {{ port: number, vars?: Record<string,string>, persistTo?: string, stdio?: "inherit" | "pipe", cwd?: string, migrate?: boolean, script?: string, testScheduled?: boolean }} options
 *   `cwd`: the project to run (default this one); `migrate: false` leaves the D1 migrations to the caller;
 *   `script`: the Worker entry instead of wrangler.jsonc's `main` (npm start runs worker/demo-main.ts);
 *   `testScheduled`: GET /__scheduled runs the Cron Trigger's handler.
 * @returns {Promise<{ url: string, stop: () => Promise<void>, child: import("node:child_process").ChildProcess, output: () => string }>}
 */
export async function startWranglerDev({ port, vars = {}, persistTo, stdio = "pipe", cwd, migrate = true, script, testScheduled = false }) {
  if (migrate) applyLocalMigrations({ persistTo });
  const args = [WRANGLER, "dev", ...(script ? [script] : []), ...(testScheduled ? ["--test-scheduled"] : []), "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  if (persistTo) args.push("--persist-to", persistTo);
  const child = spawn(process.execPath, args, {
    cwd,
    detached: true,
    stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...QUIET_ENV },
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
        resolve(undefined);
      }, 5000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}:\n${output}`);
    try {
      // A worker that failed to start (say, a Durable Object class not exported) leaves the port open but silent.
      const response = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(3000) });
      if (response.ok) return { url, stop, child, output: () => output };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} within 90 s:\n${output}`);
}
