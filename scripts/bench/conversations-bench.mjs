// The conversations inbox at scale: seeds 100,000 conversations for one bot (and 20,000 for another) in local
// D1 with the product's migrations, then times the list endpoint's query code in workerd, with and without
// filters, and prints SQLite's plan for each query (it must search an index, never scan the table or sort).
import { startRagHarness } from "../support/rag-harness.mjs";
import { figure } from "./stats.mjs";

const CASES = [
  ["newest", "", "first page, no filter"],
  ["deep", "cursor", "page at the middle (cursor), no filter"],
  ["thumbs-down", "flags=thumbsDown", "flags=thumbsDown (2%)"],
  ["escalated-failed", "flags=escalated,failed", "flags=escalated,failed (0.3%)"],
  ["needs-person-range", "flags=needsPerson&from=FROM&to=TO", "flags=needsPerson + 30-day range"],
  ["range", "from=FROM&to=TO", "30-day range"],
  ["search-rare", "q=topic123", "q=topic123 (0.1%)"],
  ["search-common", "q=topic7", "q=topic7 (prefix, 11%)"],
  ["search-and-flag", "q=item3&flags=escalated", "q=item3 + flags=escalated"],
];

/**
 * @param {{ conversations?: number, runs?: number, log?: (line: string) => void }} [options]
 */
export async function conversationsBench({ conversations = 100_000, runs = 30, log = console.error } = {}) {
  const harness = await startRagHarness({ entry: "worker/test-support/conversations-bench-worker.ts", miniflare: { durableObjects: {} } });
  const now = Date.UTC(2026, 10, 30);
  const figures = {};
  try {
    const seeded = performance.now();
    await harness.post("/seed", { botId: "other", count: 20_000, now });
    const { sessions } = await harness.post("/seed", { botId: "bench", count: conversations, now });
    log(`  seeded ${sessions} conversations (+20,000 of another bot) in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    // A cursor in the middle of the bot's conversations, as page 2,000 of 25 would have it.
    const middle = `bench-${String(Math.floor(conversations / 2)).padStart(7, "0")}`;
    const step = Math.max(1, Math.floor((365 * 86_400_000) / conversations));
    const cursor = Buffer.from(JSON.stringify([now - (conversations - Math.floor(conversations / 2)) * step, middle])).toString("base64url");
    const timed = async (path, body) => {
      const started = performance.now();
      const answer = await harness.post(path, body);
      return { ms: performance.now() - started, answer };
    };
    for (const [name, template, label] of CASES) {
      const query = template === "cursor" ? `cursor=${cursor}` : template.replace("FROM", String(now - 60 * 86_400_000)).replace("TO", String(now - 30 * 86_400_000));
      const body = { botId: "bench", query };
      const { plan } = await harness.post("/plan", body);
      for (let i = 0; i < 3; i++) await timed("/list", body); // warm-up
      const samples = [];
      let rows = 0;
      for (let run = 0; run < runs; run++) {
        const noop = (await timed("/noop", {})).ms;
        const { ms, answer } = await timed("/list", body);
        rows = answer.rows;
        samples.push(Math.max(0, ms - noop));
      }
      const result = figure(samples, "ms", { label: `list 25 of ${conversations.toLocaleString("en")}: ${label} → ${rows} rows` });
      log(`  ${label}: median ${result.median.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, ${rows} rows\n    plan: ${plan.join(" | ")}`);
      figures[`conversations.list.${name}`] = result;
    }
  } finally {
    await harness.dispose();
  }
  return figures;
}
