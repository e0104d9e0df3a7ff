// Runs wrangler as a child process: the project's own (node_modules/.bin/wrangler) when there is one,
// else `wrangler` on PATH. Non-interactive (stdin is a pipe), so wrangler never waits for a prompt.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * @typedef {(args: string[], options?: { input?: string, echo?: (text: string) => void }) => Promise<{ code: number, stdout: string, stderr: string }>} WranglerRunner
 */

/**
 * @param {{ cwd: string, env: Record<string, string | undefined> }} options
 * @returns {WranglerRunner}
 */
export function createWranglerRunner({ cwd, env }) {
  const local = join(cwd, "node_modules", ".bin", "wrangler");
  const command = existsSync(local) ? local : "wrangler";
  return (args, { input, echo } = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd,
        env: { ...env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        echo?.(String(chunk));
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        echo?.(String(chunk));
      });
      child.on("error", (error) => {
        reject(
          /** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT"
            ? new Error("wrangler is not installed here: run `npm install --save-dev wrangler` in your project, then try again.")
            : error,
        );
      });
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.on("error", () => {});
      child.stdin.end(input ?? "");
    });
}
