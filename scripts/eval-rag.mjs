// npm run eval:rag [-- --docs <dir> --questions <file.jsonl> --json]
// Measures retrieval quality on a docs folder and its questions ({"question","source"} per line,
// source = the answering file's path relative to the docs folder): recall@1, recall@5 and MRR of
// edgechat's hybrid retrieval (offline embedder + FTS5, fused), of its vector search alone, and of
// a plain BM25 ranking of the same documents. The product code runs in workerd (Miniflare).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { collectDocuments } from "../bin/commands/ingest.mjs";
import { startRagHarness } from "./support/rag-harness.mjs";

const { values } = parseArgs({
  options: {
    docs: { type: "string", default: "examples/support-bot/docs" },
    questions: { type: "string", default: "examples/support-bot/eval/rag-questions.jsonl" },
    json: { type: "boolean", default: false },
    // The offline embedder's dimensions, as EDGECHAT_EMBEDDING_DIMENSIONS configures the worker.
    dimensions: { type: "string", default: process.env.EDGECHAT_EMBEDDING_DIMENSIONS ?? "384" },
    // The vector score threshold, as EDGECHAT_RETRIEVAL_MIN_SCORE configures the worker (default: the offline default).
    "min-score": { type: "string", default: process.env.EDGECHAT_RETRIEVAL_MIN_SCORE },
  },
});

const { documents, skipped } = collectDocuments([values.docs]);
if (documents.length === 0) throw new Error(`No documents (md, mdx, html, txt) found in ${values.docs}.`);
for (const skip of skipped) console.error(`eval: skipped ${skip.path}: ${skip.reason}`);
const questions = readFileSync(values.questions, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line, i) => {
    const parsed = JSON.parse(line);
    if (typeof parsed.question !== "string" || typeof parsed.source !== "string") {
      throw new Error(`${values.questions}:${i + 1}: each line needs "question" and "source" strings.`);
    }
    return { question: parsed.question, source: parsed.source.replace(/^\.\//, "").replace(/\\/g, "/") };
  });
const idOfPath = new Map(documents.map((document) => [document.path, document.id]));
for (const { source } of questions) {
  if (!idOfPath.has(source)) throw new Error(`Question source "${source}" is not a document in ${values.docs}.`);
}

const dimensions = Number(values.dimensions);
const harness = await startRagHarness();
try {
  const started = Date.now();
  const { results } = await harness.post("/ingest", { botId: "eval", documents, dimensions });
  const failed = results.filter((result) => result.status === "failed");
  for (const failure of failed) console.error(`eval: could not index ${failure.id}: ${failure.error}`);
  const ingestSeconds = (Date.now() - started) / 1000;
  const { rankings } = await harness.post("/evaluate", { botId: "eval", documents, dimensions, minScore: values["min-score"] === undefined ? undefined : Number(values["min-score"]), questions: questions.map((q) => q.question) });
  const score = (name) => metrics(rankings.map((ranking, i) => rankOf(ranking[name], idOfPath.get(questions[i].source))));
  const edgechat = score("edgechat");
  const vectorOnly = score("vectorOnly");
  const bm25 = score("bm25");
  const report = { ...edgechat, questions: questions.length, documents: documents.length, chunks: results.reduce((sum, r) => sum + r.chunks, 0), vectorOnly, bm25 };
  if (values.json) {
    console.log(JSON.stringify(report));
  } else {
    const row = (name, m) => `${name.padEnd(34)} ${m.recallAt1.toFixed(3).padStart(9)} ${m.recallAt5.toFixed(3).padStart(9)} ${m.mrr.toFixed(3).padStart(7)}`;
    console.log(`${documents.length} documents, ${report.chunks} chunks (indexed in ${ingestSeconds.toFixed(1)} s), ${questions.length} questions\n`);
    console.log(`${"retrieval".padEnd(34)} ${"recall@1".padStart(9)} ${"recall@5".padStart(9)} ${"MRR".padStart(7)}`);
    console.log(row("edgechat hybrid (vectors + FTS5)", edgechat));
    console.log(row("edgechat vectors only", vectorOnly));
    console.log(row("BM25 baseline (whole documents)", bm25));
    const delta = (a, b) => `${a - b >= 0 ? "+" : ""}${(a - b).toFixed(3)}`;
    console.log(
      `\nedgechat hybrid vs BM25: recall@1 ${delta(edgechat.recallAt1, bm25.recallAt1)}, recall@5 ${delta(edgechat.recallAt5, bm25.recallAt5)}, MRR ${delta(edgechat.mrr, bm25.mrr)}`,
    );
  }
} finally {
  await harness.dispose();
}

function rankOf(ranking, id) {
  const index = ranking.indexOf(id);
  return index < 0 ? Infinity : index + 1;
}

function metrics(ranks) {
  const n = ranks.length;
  return {
    recallAt1: ranks.filter((rank) => rank <= 1).length / n,
    recallAt5: ranks.filter((rank) => rank <= 5).length / n,
    mrr: ranks.reduce((sum, rank) => sum + (Number.isFinite(rank) ? 1 / rank : 0), 0) / n,
  };
}
