// Load: N concurrent chat streams against one local worker (real workerd, driven through Miniflare's API)
// whose offline model streams at a realistic pace. Counts completed streams and lost or reordered chunks,
// and measures time to first byte, workerd's peak memory and its CPU time per stream.
//
// Why Miniflare and not wrangler dev: at 500 streams wrangler dev's own proxy (a Node HTTP proxy in front of
// workerd) dropped requests ("worker restarted mid-request") while workerd itself kept answering; the figure
// should measure edgechat, so the bench talks to workerd's socket directly, with the bindings of
// wrangler.jsonc (D1 with the migrations, the Durable Objects, the rate limits). With `before` (a git ref)
// the same levels run against that commit's worker too, one workerd after the other: before/after in one run.
//
// Two pieces of workerd's local HTTP machinery (kj's), not edgechat's, lost streams here before any response, and
// the bench works around both (docs/edge-latency.md, "Load", has the evidence): every stream comes on a connection of
// its own (fresh-connection-fetch.mjs: kj closes a kept-alive connection idle for 5 s), and workerd's entry socket
// listens with TCP_DEFER_ACCEPT (deferred-accept-workerd.mjs: kj closes a connection whose request it has not read
// within 15 s, and a starved workerd reads late a request that came after the accept).
//
// Rate limits stay as in production (wrangler.jsonc): each simulated visitor comes from its own address
// (CF-Connecting-IP, which local workerd passes through and Cloudflare's edge sets itself) and its own
// session, as real visitors do, so the bench measures answering rather than the limiter's 429s.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { startRagHarness } from "../support/rag-harness.mjs";
import { workerTreeAt } from "../support/worker-tree-at.mjs";
import { collectDocuments } from "../../bin/commands/ingest.mjs";
import { readChatStream } from "./read-chat-stream.mjs";
import { fetchOnFreshConnection } from "./fresh-connection-fetch.mjs";
import { withDeferredAccept } from "./deferred-accept-workerd.mjs";
import { writeWordVectorsAsset } from "../support/word-vectors-asset.mjs";
import { quantile, figure } from "./stats.mjs";

const QUESTION = "How do I rotate my API keys?";
const ADMIN_TOKEN = "bench-admin-token";
const BOT_ID = "load-bench";
const STREAM_TIMEOUT_MS = 600_000;

/**
 * @param {{ levels?: number[], delayMs?: number, before?: string, log?: (line: string) => void }} options
 *   `delayMs`: pause between the offline model's words (a realistic pace is 20-30 ms).
 */
export async function loadBench({ levels = [50, 200, 500], delayMs = 20, before, log = console.error } = {}) {
  const figures = {};
  if (before) {
    const tree = workerTreeAt(before);
    try {
      Object.assign(figures, await loadRun({ entry: tree.entry("worker/main.ts"), esbuild: tree.esbuild, levels, delayMs, log, prefix: "load.before", name: `${before}: ` }));
    } finally {
      rmSync(tree.dir, { recursive: true, force: true });
    }
  }
  Object.assign(figures, await loadRun({ entry: "worker/main.ts", esbuild: {}, levels, delayMs, log, prefix: "load", name: "" }));
  return figures;
}

async function loadRun({ entry, esbuild, levels, delayMs, log, prefix, name }) {
  // The offline models read their word vectors through ASSETS, as in production (wrangler.jsonc's assets).
  writeWordVectorsAsset("dist/public");
  const { result: worker, deferred } = await withDeferredAccept(() => startRagHarness({
    entry,
    esbuild,
    miniflare: {
      durableObjects: {
        CHAT_SESSIONS: { className: "ChatSession", useSQLite: true },
        VECTOR_INDEX: { className: "LocalVectorIndex", useSQLite: true },
      },
      r2Buckets: ["IMAGES"],
      assets: { directory: "dist/public", binding: "ASSETS", routerConfig: { has_user_worker: true } },
      ratelimits: {
        RATE_LIMIT_SESSION: { simple: { limit: 20, period: 60 } },
        RATE_LIMIT_IP: { simple: { limit: 60, period: 60 } },
      },
      bindings: { OFFLINE_MODEL_DELAY_MS: String(delayMs), ADMIN_TOKEN, SESSION_SECRET: "bench-session-secret-of-enough-length" },
    },
  }));
  const figures = {};
  try {
    const extraBody = await prepareBot(worker.url);
    // The expected answer: one stream alone, to compare every concurrent stream against.
    const reference = await oneStream(worker.url, extraBody, 0);
    if (!reference.ok) throw new Error(`the reference stream failed: ${reference.error}`);
    if (!deferred) log("  load: no python3, so workerd's entry socket lacks TCP_DEFER_ACCEPT: on a loaded machine streams can fail to kj's header timeout");
    const sampler = startMemorySampler(process.pid);
    for (const level of levels) {
      log(`  load${name ? ` (${name.slice(0, -2)})` : ""}: ${level} concurrent streams, machine load average ${loadavg()[0].toFixed(1)}…`);
      const cpuBefore = workerdCpuMs(process.pid);
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: level }, (_, i) => oneStream(worker.url, extraBody, i + 1)));
      const wall = performance.now() - started;
      const cpuPerStream = (workerdCpuMs(process.pid) - cpuBefore) / level;
      const completed = results.filter((r) => r.ok);
      const damaged = completed.filter((r) => r.text !== reference.text || r.deltas !== reference.deltas).length;
      const ttfb = completed.map((r) => r.ttfb);
      const once = (value, unit, extra) => ({ median: value, p95: value, unit, samples: 1, ...extra });
      const key = `${prefix}.${level}`;
      figures[`${key}.completed`] = once(completed.length, "streams", { label: `${name}load ${level}: completed streams`, target: { min: level } });
      figures[`${key}.damaged`] = once(damaged, "streams", { label: `${name}load ${level}: streams with lost or reordered chunks`, target: { max: 0 } });
      figures[`${key}.ttfb`] = figure(ttfb, "ms", { label: `${name}load ${level}: time to first byte (median = p50 over streams)` });
      figures[`${key}.ttfbP99`] = once(quantile(ttfb, 0.99), "ms", { label: `${name}load ${level}: time to first byte, p99 over streams` });
      figures[`${key}.wall`] = once(wall, "ms", { label: `${name}load ${level}: until the last stream ended` });
      figures[`${key}.cpuPerStream`] = once(cpuPerStream, "ms", { label: `${name}load ${level}: workerd CPU time per stream (turn)` });
      const failures = results.filter((r) => !r.ok);
      if (failures.length) {
        const causes = new Map();
        for (const failure of failures) {
          const cause = failure.error.replace(/, after \d+ ms$/, "") + (headerTimeoutLikely(failure.error) ? " (15 s or more before any response: probably workerd's header timeout, its thread did not read the request in time)" : "");
          causes.set(cause, (causes.get(cause) ?? 0) + 1);
        }
        log(`    ${failures.length} failed: ${[...causes].map(([cause, n]) => `${n} × ${cause}`).join("; ")}; e.g. ${failures[0].error}`);
      }
    }
    const peak = sampler.stop();
    figures[`${prefix}.workerPeakMemory`] = { median: peak / 1024, p95: peak / 1024, unit: "MiB", samples: 1, label: `${name}load: workerd peak resident memory` };
  } finally {
    await worker.dispose();
  }
  return figures;
}

/** Registers the bench bot and loads the example docs, so every turn retrieves and cites as in the demo. */
async function prepareBot(url) {
  const admin = async (path, body) => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  // The worker's own origin (the bench sends it) is always allowed; no other origin is needed.
  await admin("/v1/admin/bots", { id: BOT_ID, name: "Load bench bot" });
  await admin(`/v1/admin/bots/${BOT_ID}/documents`, { documents: collectDocuments(["examples/support-bot/docs"]).documents });
  return { botId: BOT_ID };
}

async function oneStream(baseUrl, extraBody, index) {
  const started = performance.now();
  let phase = "before the response";
  try {
    // Each visitor on a connection of its own, as real visitors come: reusing the previous level's kept-alive
    // connections lost streams to workerd's idle-connection timeout (fresh-connection-fetch.mjs says how).
    const response = await fetchOnFreshConnection(`${baseUrl}/v1/chat`, {
      method: "POST",
      // A stream that never ends counts as failed instead of hanging the bench.
      signal: AbortSignal.timeout(STREAM_TIMEOUT_MS),
      headers: { "content-type": "application/json", origin: baseUrl, "cf-connecting-ip": visitorAddress(index) },
      body: JSON.stringify({
        messages: [{ id: `u-${index}`, role: "user", parts: [{ type: "text", text: QUESTION }] }],
        ...extraBody,
      }),
    });
    phase = "while streaming";
    return await readChatStream(response, started);
  } catch (error) {
    // The error's code (e.g. ECONNRESET: workerd reset the connection) and when it came are what tell why.
    const cause = error?.code ? `${error.code}: ${error.message}` : String(error);
    return { ok: false, error: `${cause} ${phase}, after ${Math.round(performance.now() - started)} ms` };
  }
}

let visitors = 0;
/** A distinct address for every simulated visitor (10.0.0.0/8, never routed). */
function visitorAddress() {
  const n = ++visitors;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The workerd processes Miniflare started (children of this Node process): pid and /proc/<pid>/stat fields. */
function workerdProcesses(parentPid) {
  const processes = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== parentPid) continue; // parent pid
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("workerd")) continue;
      processes.push({ pid: entry, fields });
    } catch {}
  }
  return processes;
}

/** A stream that failed before its response, 15 s or more after its request: kj's header timeout closed it. */
function headerTimeoutLikely(error) {
  const match = /before the response, after (\d+) ms$/.exec(error);
  return match !== null && Number(match[1]) >= 15_000;
}

/** CPU time (user + system, ms) that workerd has used so far. */
function workerdCpuMs(parentPid) {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
  return workerdProcesses(parentPid).reduce((sum, { fields }) => sum + (Number(fields[11]) + Number(fields[12])) * 10, 0);
}

/** Samples the resident memory of workerd (it does the work) every 100 ms; `stop()` returns the peak in KiB. */
function startMemorySampler(parentPid) {
  let peakKiB = 0;
  const sample = () => {
    let total = 0;
    for (const { pid } of workerdProcesses(parentPid)) {
      try {
        const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        if (rss) total += Number(rss[1]);
      } catch {}
    }
    peakKiB = Math.max(peakKiB, total);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peakKiB;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const levels = process.argv.slice(2).map(Number).filter(Boolean);
  const figures = await loadBench({ levels: levels.length ? levels : undefined });
  console.log(JSON.stringify(figures, null, 2));
}
