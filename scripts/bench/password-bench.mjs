// What one console password hash costs in workerd: PBKDF2-HMAC-SHA256, 100,000 iterations plus the HMAC
// pepper (worker/identity/password-hash.ts), timed per request from outside (a Worker's own clock does not
// advance while it computes), minus a no-op request's time.
import { startRagHarness } from "../support/rag-harness.mjs";
import { figure } from "./stats.mjs";

/**
 * @param {{ runs?: number, log?: (line: string) => void }} [options]
 */
export async function passwordBench({ runs = 30, log = console.error } = {}) {
  const harness = await startRagHarness({ entry: "worker/test-support/password-bench-worker.ts", miniflare: { durableObjects: {} } });
  const timed = async (path) => {
    const started = performance.now();
    const { ok } = await harness.post(path, {});
    if (!ok) throw new Error(`${path} did not hash as expected`);
    return performance.now() - started;
  };
  const hash = [];
  try {
    for (let i = 0; i < 5; i++) await timed("/hash"); // warm-up
    for (let run = 0; run < runs; run++) {
      const noop = await timed("/noop");
      hash.push(Math.max(0, (await timed("/hash")) - noop));
    }
  } finally {
    await harness.dispose();
  }
  log(`  password hash: median ${figure(hash, "ms").median.toFixed(1)} ms over ${runs} runs`);
  return { "password.hash": figure(hash, "ms", { label: "one console password hash (PBKDF2-SHA256 100k + pepper), workerd" }) };
}
