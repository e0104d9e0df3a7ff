// npm run eval:rag [-- --set <name>… | --docs <dir> --questions <file.jsonl>] [--json] [--misses] [--weights 0.5,0.6] [--semantic-weight 0.5]
// Measures retrieval quality on docs folders and their questions ({"question","source"} per line,
// source = the answering file's path relative to the docs folder): recall@1, recall@5 and MRR of
// edgechat's hybrid retrieval (offline embedder + FTS5, fused), of its vector search alone, and of
// a plain BM25 ranking of the same documents. The product code runs in workerd (Miniflare).
//
// Without --docs it runs every known set: the shipped one (examples/support-bot) and each folder of
// examples/eval-sets/ that has a questions.jsonl and a set.json naming its docs folder.
import { resolve } from "node:path";
import { collectDocuments } from "../bin/commands/ingest.mjs";
import { startRagHarness } from "./support/rag-harness.mjs";
import { exitWithUsage, parseCommandLine } from "./support/command-line.mjs";
import { knownSets, readQuestions } from "./support/eval-sets.mjs";
import { containsFact, cutSentences } from "./support/answer-checks.mjs";
import { rankOf, retrievalMetrics } from "./support/retrieval-metrics.mjs";

const USAGE =
  "usage: npm run eval:rag -- [--set <name>… | --docs <dir> --questions <file.jsonl>] [--json] [--misses] [--weights <chunkKeywords,vector>] [--semantic-weight <0…1>] [--dimensions <n>] [--min-score <n>] [--answers]";

const values = parseCommandLine(USAGE, {
  docs: { type: "string" },
  questions: { type: "string" },
  set: { type: "string", multiple: true },
  json: { type: "boolean", default: false },
  // Print every question whose document edgechat did not rank first, with both rankings.
  misses: { type: "boolean", default: false },
  // Fusion weights "chunkKeywords,vector" to try instead of the product's defaults.
  weights: { type: "string" },
  // The offline embedder's dimensions, as EDGECHAT_EMBEDDING_DIMENSIONS configures the worker.
  dimensions: { type: "string", default: process.env.EDGECHAT_EMBEDDING_DIMENSIONS ?? "384" },
  // The vector score threshold, as EDGECHAT_RETRIEVAL_MIN_SCORE configures the worker (default: the offline default).
  "min-score": { type: "string", default: process.env.EDGECHAT_RETRIEVAL_MIN_SCORE },
  // The offline embedder's share of word meaning (0: spelling only), instead of its default.
  "semantic-weight": { type: "string" },
  // Also score the offline chat model's extractive answers: does its first citation point at the right document?
  answers: { type: "boolean", default: false },
});

function chosenSets() {
  if (values.docs || values.questions) {
    if (!values.docs || !values.questions) throw new Error("--docs and --questions go together.");
    return [{ name: "custom", docs: values.docs, questions: values.questions }];
  }
  const sets = knownSets();
  if (!values.set) return sets;
  return values.set.map((name) => {
    const found = sets.find((set) => set.name === name);
    if (!found) throw new Error(`No eval set "${name}"; known sets: ${sets.map((set) => set.name).join(", ")}.`);
    return found;
  });
}

const dimensions = Number(values.dimensions);

/** The questions of every known set whose docs are not this set's docs. */
function otherSetsQuestions(set) {
  return knownSets()
    .filter((other) => resolve(other.docs) !== resolve(set.docs))
    .flatMap((other) => readQuestions(other.questions));
}
const fusionWeights = values.weights ? parseWeights(values.weights) : undefined;

function parseWeights(text) {
  const numbers = text.split(",").map(Number);
  if (numbers.length !== 2 || numbers.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`--weights takes two non-negative numbers "chunkKeywords,vector", got "${text}".`);
  return { chunkKeywords: numbers[0], vector: numbers[1] };
}
const semanticWeight = values["semantic-weight"] === undefined ? undefined : Number(values["semantic-weight"]);
if (semanticWeight !== undefined && !(semanticWeight >= 0 && semanticWeight <= 1)) {
  exitWithUsage(`--semantic-weight takes a number from 0 to 1, got "${values["semantic-weight"]}".`, USAGE);
}
const minScore = values["min-score"] === undefined ? undefined : Number(values["min-score"]);
const reports = [];
for (const set of chosenSets()) {
  // A fresh index per set: FTS5's term statistics span the whole table, so sets must not share one.
  const harness = await startRagHarness();
  try {
    const { documents, skipped } = collectDocuments([set.docs]);
    if (documents.length === 0) throw new Error(`No documents (md, mdx, html, txt) found in ${set.docs}.`);
    for (const skip of skipped) console.error(`eval: skipped ${skip.path}: ${skip.reason}`);
    const questions = readQuestions(set.questions);
    const idOfPath = new Map(documents.map((document) => [document.path, document.id]));
    for (const { source } of questions) {
      if (!idOfPath.has(source)) throw new Error(`Question source "${source}" is not a document in ${set.docs}.`);
    }
    const botId = "eval";
    const started = Date.now();
    const { results } = await harness.post("/ingest", { botId, documents, dimensions, semanticWeight });
    for (const failure of results.filter((result) => result.status === "failed")) console.error(`eval: could not index ${failure.id}: ${failure.error}`);
    const ingestSeconds = (Date.now() - started) / 1000;
    const { rankings, retrievalMs } = await harness.post("/evaluate", { botId, documents, dimensions, semanticWeight, minScore, fusionWeights, questions: questions.map((q) => q.question) });
    const ranksOf = (name) => rankings.map((ranking, i) => rankOf(ranking[name], idOfPath.get(questions[i].source)));
    const report = {
      name: set.name,
      ...retrievalMetrics(ranksOf("edgechat")),
      questions: questions.length,
      documents: documents.length,
      chunks: results.reduce((sum, r) => sum + r.chunks, 0),
      ingestSeconds,
      retrievalMsMean: retrievalMs.reduce((sum, ms) => sum + ms, 0) / retrievalMs.length,
      vectorOnly: retrievalMetrics(ranksOf("vectorOnly")),
      bm25: retrievalMetrics(ranksOf("bm25")),
    };
    if (values.answers) {
      const { answers } = await harness.post("/answer", { botId, dimensions, semanticWeight, minScore, questions: questions.map((q) => q.question) });
      const right = (i) => idOfPath.get(questions[i].source);
      const texts = documents.map((document) => document.content);
      const withFact = questions.map((q, i) => i).filter((i) => questions[i].answerContains !== undefined);
      const share = (list, test) => (list.length === 0 ? null : list.filter(test).length / list.length);
      // Questions of the sets over other docs must find nothing here: the answer quotes no sentence.
      const unrelated = otherSetsQuestions(set).map((q) => q.question);
      const { answers: unrelatedAnswers } = unrelated.length > 0 ? await harness.post("/answer", { botId, dimensions, semanticWeight, minScore, questions: unrelated }) : { answers: [] };
      report.answers = {
        firstCitationRight: answers.filter((answer, i) => answer.cited[0] === right(i)).length / questions.length,
        anyCitationRight: answers.filter((answer, i) => answer.cited.includes(right(i))).length / questions.length,
        factQuestions: withFact.length,
        containsFact: share(withFact, (i) => containsFact(answers[i].text, questions[i].answerContains)),
        smallContainsFact: share(withFact, (i) => containsFact(answers[i].small, questions[i].answerContains)),
        cutAnswers: share(answers, (answer) => cutSentences(answer.text, texts).length > 0),
        smallCutAnswers: share(answers, (answer) => cutSentences(answer.small, texts).length > 0),
        unrelatedQuestions: unrelated.length,
        unrelatedQuoted: share(unrelatedAnswers, (answer) => answer.cited.length > 0),
      };
      if (values.misses) {
        answers.forEach((answer, i) => {
          if (answer.cited[0] !== right(i)) console.error(`[${set.name}] answer cites ${answer.cited.join(", ") || "nothing"} for: ${questions[i].question} -> ${questions[i].source}\n   ${answer.text.slice(0, 240)}`);
          const fact = questions[i].answerContains;
          if (fact !== undefined && !containsFact(answer.small, fact)) console.error(`[${set.name}] ${containsFact(answer.text, fact) ? "small tier" : "answer"} lacks "${fact}": ${questions[i].question}\n   ${answer.small.slice(0, 240)}`);
          for (const cut of cutSentences(answer.small, texts)) console.error(`[${set.name}] cut sentence: "${cut}" (${questions[i].question})`);
        });
        unrelatedAnswers.forEach((answer, i) => {
          if (answer.cited.length > 0) console.error(`[${set.name}] unrelated question quoted: ${unrelated[i]}\n   ${answer.text.slice(0, 200)}`);
        });
      }
    }
    reports.push(report);
    if (values.misses) {
      const edgechatRanks = ranksOf("edgechat");
      const bm25Ranks = ranksOf("bm25");
      questions.forEach((q, i) => {
        if (edgechatRanks[i] === 1 && bm25Ranks[i] === 1) return;
        const pathOf = (id) => documents.find((document) => document.id === id)?.path ?? id;
        console.error(`[${set.name}] edgechat ${edgechatRanks[i]}, bm25 ${bm25Ranks[i]}: ${q.question} -> ${q.source}`);
        console.error(`   edgechat: ${rankings[i].edgechat.slice(0, 5).map(pathOf).join(", ")}`);
        console.error(`   bm25:     ${rankings[i].bm25.slice(0, 5).map(pathOf).join(", ")}`);
      });
    }
  } finally {
    await harness.dispose();
  }
}

if (values.json) {
  // The first set's figures at the top level (what a single-set run printed before), every set under "sets".
  console.log(JSON.stringify({ ...reports[0], sets: reports }));
} else {
  const row = (name, m) => `  ${name.padEnd(34)} ${m.recallAt1.toFixed(3).padStart(9)} ${m.recallAt5.toFixed(3).padStart(9)} ${m.mrr.toFixed(3).padStart(7)}`;
  const delta = (a, b) => `${a - b >= 0 ? "+" : ""}${(a - b).toFixed(3)}`;
  for (const report of reports) {
    console.log(`\n${report.name}: ${report.documents} documents, ${report.chunks} chunks (indexed in ${report.ingestSeconds.toFixed(1)} s), ${report.questions} questions (${report.retrievalMsMean.toFixed(1)} ms per edgechat retrieval)`);
    console.log(`  ${"retrieval".padEnd(34)} ${"recall@1".padStart(9)} ${"recall@5".padStart(9)} ${"MRR".padStart(7)}`);
    console.log(row("edgechat hybrid (vectors + FTS5)", report));
    console.log(row("edgechat vectors only", report.vectorOnly));
    console.log(row("BM25 baseline (whole documents)", report.bm25));
    if (report.answers) {
      const a = report.answers;
      const figure = (value) => (value === null ? "n/a" : value.toFixed(3));
      console.log(`  offline answer cites the right document first: ${a.firstCitationRight.toFixed(3)}, at all: ${a.anyCitationRight.toFixed(3)}`);
      console.log(`  holds the expected fact (${a.factQuestions} questions): answer ${figure(a.containsFact)}, small tier ${figure(a.smallContainsFact)}`);
      console.log(`  answers with a cut sentence: answer ${figure(a.cutAnswers)}, small tier ${figure(a.smallCutAnswers)}`);
      console.log(`  unrelated questions (${a.unrelatedQuestions}, from sets over other docs) answered with quotes: ${figure(a.unrelatedQuoted)}`);
    }
    console.log(
      `  edgechat hybrid vs BM25: recall@1 ${delta(report.recallAt1, report.bm25.recallAt1)}, recall@5 ${delta(report.recallAt5, report.bm25.recallAt5)}, MRR ${delta(report.mrr, report.bm25.mrr)}`,
    );
  }
}
