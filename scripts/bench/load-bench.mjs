// Load: N concurrent chat streams against one local worker (wrangler dev, real workerd) whose offline
// model streams at a realistic pace. Counts completed streams and lost or reordered chunks, and measures
// time to first byte and the worker process's peak memory.
//
// Rate limits stay as in production (wrangler.jsonc): each simulated visitor comes from its own address
// (CF-Connecting-IP, which local workerd passes through and Cloudflare's edge sets itself) and its own
// session, as real visitors do, so the bench measures answering rather than the limiter's 429s.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { startWranglerDev } from "../wrangler-dev.mjs";
import { collectDocuments } from "../../bin/commands/ingest.mjs";
import { readChatStream } from "./read-chat-stream.mjs";
import { quantile, figure } from "./stats.mjs";

const QUESTION = "How do I rotate my API keys?";
const ADMIN_TOKEN = "bench-admin-token";
const BOT_ID = "load-bench";

/**
 * @param {{ levels?: number[], delayMs?: number, log?: (line: string) => void }} options
 *   `delayMs`: pause between the offline model's words (a realistic pace is 20-30 ms).
 */
export async function loadBench({ levels = [50, 200, 500], delayMs = 20, log = console.error } = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "edgechat-bench-"));
  const port = await freePort();
  const worker = await startWranglerDev({
    port,
    persistTo,
    vars: { OFFLINE_MODEL_DELAY_MS: String(delayMs), ADMIN_TOKEN, SESSION_SECRET: "bench-session-secret-of-enough-length" },
  });
  const figures = {};
  try {
    const extraBody = await prepareBot(worker.url);
    // The expected answer: one stream alone, to compare every concurrent stream against.
    const reference = await oneStream(worker.url, extraBody, 0);
    if (!reference.ok) throw new Error(`the reference stream failed: ${reference.error}`);
    const sampler = startMemorySampler(worker.child.pid);
    for (const level of levels) {
      log(`  load: ${level} concurrent streams…`);
      const cpuBefore = workerdCpuMs(worker.child.pid);
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: level }, (_, i) => oneStream(worker.url, extraBody, i + 1)));
      const wall = performance.now() - started;
      const cpuPerStream = (workerdCpuMs(worker.child.pid) - cpuBefore) / level;
      const completed = results.filter((r) => r.ok);
      const damaged = completed.filter((r) => r.text !== reference.text || r.deltas !== reference.deltas).length;
      const ttfb = completed.map((r) => r.ttfb);
      const once = (value, unit, extra) => ({ median: value, p95: value, unit, samples: 1, ...extra });
      figures[`load.${level}.completed`] = once(completed.length, "streams", { label: `load ${level}: completed streams`, target: { min: level } });
      figures[`load.${level}.damaged`] = once(damaged, "streams", { label: `load ${level}: streams with lost or reordered chunks`, target: { max: 0 } });
      figures[`load.${level}.ttfb`] = figure(ttfb, "ms", { label: `load ${level}: time to first byte (median = p50 over streams)` });
      figures[`load.${level}.ttfbP99`] = once(quantile(ttfb, 0.99), "ms", { label: `load ${level}: time to first byte, p99 over streams` });
      figures[`load.${level}.wall`] = once(wall, "ms", { label: `load ${level}: until the last stream ended` });
      figures[`load.${level}.cpuPerStream`] = once(cpuPerStream, "ms", { label: `load ${level}: workerd CPU time per stream` });
      const failures = results.filter((r) => !r.ok);
      if (failures.length) {
        log(`    ${failures.length} failed, e.g. ${failures[0].error}`);
        if (process.env.BENCH_VERBOSE) log(worker.output().split("\n").filter((line) => !/\[wrangler:info\] (GET|POST)/.test(line)).slice(-40).join("\n"));
      }
    }
    const peak = sampler.stop();
    figures["load.workerPeakMemory"] = { median: peak / 1024, p95: peak / 1024, unit: "MiB", samples: 1, label: "load: workerd peak resident memory" };
  } finally {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
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
  try {
    const response = await fetch(`${baseUrl}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl, "cf-connecting-ip": visitorAddress(index) },
      body: JSON.stringify({
        messages: [{ id: `u-${index}`, role: "user", parts: [{ type: "text", text: QUESTION }] }],
        ...extraBody,
      }),
    });
    return await readChatStream(response, started);
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

let visitors = 0;
/** A distinct address for every simulated visitor (10.0.0.0/8, never routed). */
function visitorAddress() {
  const n = ++visitors;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The workerd processes of the worker's process group (wrangler dev's children): pid and /proc/<pid>/stat fields. */
function workerdProcesses(groupLeaderPid) {
  const processes = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== groupLeaderPid) continue; // process group id
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("workerd")) continue;
      processes.push({ pid: entry, fields });
    } catch {}
  }
  return processes;
}

/** CPU time (user + system, ms) that workerd has used so far. */
function workerdCpuMs(groupLeaderPid) {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
  return workerdProcesses(groupLeaderPid).reduce((sum, { fields }) => sum + (Number(fields[11]) + Number(fields[12])) * 10, 0);
}

/** Samples the resident memory of workerd (it does the work) every 100 ms; `stop()` returns the peak in KiB. */
function startMemorySampler(groupLeaderPid) {
  let peakKiB = 0;
  const sample = () => {
    let total = 0;
    for (const { pid } of workerdProcesses(groupLeaderPid)) {
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

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const levels = process.argv.slice(2).map(Number).filter(Boolean);
  const figures = await loadBench({ levels: levels.length ? levels : undefined });
  console.log(JSON.stringify(figures, null, 2));
}
