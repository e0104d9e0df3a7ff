// The load bench's workerd, started through workerd-defer-accept.py: its entry socket listens with TCP_DEFER_ACCEPT,
// so workerd is handed a connection only once the request is on it (the .py file says why this matters).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const WRAPPER = fileURLToPath(new URL("./workerd-defer-accept.py", import.meta.url));

/**
 * Runs `start` (which starts Miniflare, and so workerd) with Miniflare told to launch workerd through the
 * wrapper, if python3 is there to run it; the environment is as before once `start` has settled.
 * `deferred` says whether the wrapper was used.
 *
 * @example
 * const { result: worker, deferred } = await withDeferredAccept(() => startRagHarness({ entry }));
 *
 * @template T
 * @param {() => Promise<T>} start
 * @returns {Promise<{ result: T, deferred: boolean }>}
 */
export async function withDeferredAccept(start) {
  try {
    execFileSync("python3", ["-c", "import socket; socket.TCP_DEFER_ACCEPT"], { stdio: "ignore" });
  } catch {
    return { result: await start(), deferred: false };
  }
  const saved = { wrapper: process.env.MINIFLARE_WORKERD_PATH, real: process.env.EDGECHAT_REAL_WORKERD };
  // The binary Miniflare would run otherwise (its own default: the workerd package's path).
  process.env.EDGECHAT_REAL_WORKERD = saved.wrapper ?? createRequire(import.meta.url)("workerd").default;
  process.env.MINIFLARE_WORKERD_PATH = WRAPPER;
  try {
    return { result: await start(), deferred: true };
  } finally {
    restore("MINIFLARE_WORKERD_PATH", saved.wrapper);
    restore("EDGECHAT_REAL_WORKERD", saved.real);
  }
}

function restore(name, value) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
