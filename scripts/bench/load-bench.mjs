// Load: N concurrent chat streams against one local worker (wrangler dev, real workerd) whose offline
// model streams at a realistic pace. Counts completed streams and lost or reordered chunks, and measures
// time to first byte and the worker process's peak memory.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { startWranglerDev } from "../wrangler-dev.mjs";
import { quantile, figure } from "./stats.mjs";

const QUESTION = "How do I rotate my API keys?";

/**
 * @param {{ levels?: number[], delayMs?: number, log?: (line: string) => void, prepare?: (url: string) => Promise<Record<string, unknown>> }} options
 *   `prepare` may create a bot or session and returns extra body fields for the chat requests.
 */
export async function loadBench({ levels = [50, 200, 500], delayMs = 20, log = console.error, prepare } = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "edgechat-bench-"));
  const port = await freePort();
  const worker = await startWranglerDev({
    port,
    persistTo,
    vars: { OFFLINE_MODEL_DELAY_MS: String(delayMs), EDGECHAT_BENCH: "1" },
  });
  const figures = {};
  try {
    const extraBody = prepare ? await prepare(worker.url) : {};
    // The expected answer: one stream alone, to compare every concurrent stream against.
    const reference = await oneStream(worker.url, extraBody, 0);
    if (!reference.ok) throw new Error(`the reference stream failed: ${reference.error}`);
    const sampler = startMemorySampler(worker.child.pid);
    for (const level of levels) {
      log(`  load: ${level} concurrent streams…`);
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: level }, (_, i) => oneStream(worker.url, extraBody, i + 1)));
      const wall = performance.now() - started;
      const completed = results.filter((r) => r.ok);
      const damaged = completed.filter((r) => r.text !== reference.text || r.deltas !== reference.deltas).length;
      figures[`load.${level}.completedStreams`] = { median: completed.length, p95: completed.length, unit: `of ${level}`, samples: 1 };
      figures[`load.${level}.lostOrReorderedStreams`] = { median: damaged, p95: damaged, unit: "streams", samples: 1 };
      figures[`load.${level}.timeToFirstByte`] = figure(completed.map((r) => r.ttfb), "ms");
      figures[`load.${level}.timeToFirstByte`].p99 = quantile(completed.map((r) => r.ttfb), 0.99);
      figures[`load.${level}.wallTime`] = { median: wall, p95: wall, unit: "ms", samples: 1 };
      const failures = results.filter((r) => !r.ok);
      if (failures.length) log(`    ${failures.length} failed, e.g. ${failures[0].error}`);
    }
    const peak = sampler.stop();
    figures["load.workerPeakMemory"] = { median: peak / 1024, p95: peak / 1024, unit: "MiB", samples: 1 };
  } finally {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
  return figures;
}

async function oneStream(baseUrl, extraBody, index) {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({
        id: `bench-${index}-${Date.now()}`,
        messages: [{ id: `u-${index}`, role: "user", parts: [{ type: "text", text: QUESTION }] }],
        ...extraBody,
      }),
    });
    if (!response.ok) return { ok: false, error: `status ${response.status}: ${(await response.text()).slice(0, 200)}` };
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let ttfb;
    let buffer = "";
    let text = "";
    let deltas = 0;
    let done = false;
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      ttfb ??= performance.now() - started;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.replace(/^data: /, "");
        if (data === "[DONE]") {
          done = true;
          continue;
        }
        const chunk = JSON.parse(data);
        if (chunk.type === "text-delta") {
          text += chunk.delta;
          deltas++;
        }
        if (chunk.type === "error") return { ok: false, error: chunk.errorText };
      }
    }
    return done ? { ok: true, ttfb, text, deltas } : { ok: false, error: "stream ended without [DONE]" };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** Samples the resident memory of every process in the worker's process group (workerd does the work). */
function startMemorySampler(groupLeaderPid) {
  let peakKiB = 0;
  const sample = () => {
    let total = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[2]) !== groupLeaderPid) continue; // process group id
        if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("workerd")) continue;
        const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
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
  const figures = await loadBench({ levels: process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : undefined });
  console.log(JSON.stringify(figures, null, 2));
}
