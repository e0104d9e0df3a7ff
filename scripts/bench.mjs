// npm run bench [-- --json] [-- --only <section>[,<section>]] [-- --sizes 1000,10000,100000] [-- --levels 50,200,500] [-- --before <git ref>]
// Measures edgechat the way its users stress it and prints ONE table: each row a figure with its median
// and p95 over repeated runs, all measured in one run so ratios hold on a noisy machine. With --json it
// prints one JSON object instead (one key per figure, each { median, p95, unit }); progress goes to stderr.
// A section is an entry of SECTIONS whose run() returns figures (scripts/bench/stats.mjs `figure`).
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { vectorIndexBench } from "./bench/vector-index-bench.mjs";
import { ingestBench } from "./bench/ingest-bench.mjs";
import { workerBench } from "./bench/worker-bench.mjs";
import { loadBench } from "./bench/load-bench.mjs";
import { widgetBench } from "./bench/widget-bench.mjs";
import { runRoutingBench } from "./bench/routing-bench.mjs";
import { passwordBench } from "./bench/password-bench.mjs";
import { formatTable, toJson } from "./bench/report.mjs";
import { sourcesBench } from "./bench/sources-bench.mjs";
import { conversationsBench } from "./bench/conversations-bench.mjs";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    only: { type: "string" },
    sizes: { type: "string", default: "1000,10000,100000" },
    queries: { type: "string", default: "50" },
    levels: { type: "string", default: "50,200,500" },
    // A git ref (e.g. the merge base) whose worker the worker section runs beside this one: before/after in one run.
    before: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});
// The product as users get it: the load section serves dist/ with wrangler dev, the widget section loads widget.js.
if (!values["no-build"]) execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: ["ignore", "ignore", "inherit"] });

const log = (line) => console.error(line);

const SECTIONS = [
  {
    name: "widget",
    measures: "script-tag bundle bytes; launcher and streamed Markdown rendering in Chromium (canned SSE)",
    run: () => widgetBench({ log }),
  },
  {
    name: "vector-index",
    measures: "LocalVectorIndex query latency (topK 5, 384 dimensions, exact scan) in workerd",
    run: () => vectorIndexBench({ sizes: values.sizes.split(",").map(Number), queries: Number(values.queries), log }),
  },
  {
    name: "ingest",
    measures: "ingest throughput (chunk, offline embed, upsert, FTS5, registry) in workerd",
    run: () => ingestBench({ log }),
  },
  {
    name: "worker",
    measures: "time to first text delta with zero-latency models: edgechat turn with retrieval vs bare streamText",
    run: () => workerBench({ before: values.before, log }),
  },
  {
    name: "routing",
    measures: "router overhead per turn (question shape + decision), the worker's routing code in Node",
    run: async () => {
      const result = await runRoutingBench();
      return {
        "routing.overhead": {
          median: result.p50Micros,
          p95: result.p95Micros,
          unit: "µs",
          samples: result.decisions,
          label: `router overhead per turn (p99 ${result.p99Micros} µs)`,
          target: { max: result.budgetMicros },
        },
      };
    },
  },
  {
    name: "password",
    measures: "one console password hash (PBKDF2-SHA256, 100,000 iterations + HMAC pepper) in workerd",
    run: () => passwordBench({ log }),
  },
  {
    name: "sources",
    measures: "knowledge sources: crawl + index of the 200-page fixture site, embedding calls of an unchanged re-sync, PDF's bundle cost",
    run: () => sourcesBench({ log }),
  },
  {
    name: "conversations",
    measures: "conversations inbox: list latency over 100,000 conversations of a bot in local D1, with and without filters, and each query's plan",
    run: () => conversationsBench({ log }),
  },
  {
    name: "load",
    measures: "N concurrent chat streams against workerd (Miniflare, the bindings of wrangler.jsonc), offline model at a realistic pace",
    run: () => loadBench({ levels: values.levels.split(",").map(Number), before: values.before, log }),
  },
];

const selected = values.only ? values.only.split(",") : SECTIONS.map((section) => section.name);
for (const name of selected) {
  if (!SECTIONS.some((section) => section.name === name)) throw new Error(`Unknown bench section "${name}"; known: ${SECTIONS.map((s) => s.name).join(", ")}.`);
}
const started = Date.now();
const figures = {};
for (const section of SECTIONS.filter((s) => selected.includes(s.name))) {
  log(`▶ ${section.name}: ${section.measures}`);
  Object.assign(figures, await section.run());
}
if (values.json) {
  console.log(JSON.stringify(toJson(figures), null, 2));
} else {
  console.log(`\nedgechat bench, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(formatTable(figures));
}
