// npm run eval:corrections [-- --questions <file.jsonl>] [--unrelated <file>] [--min-score <n>] [--phrasings <n>] [--no-matcher] [--json]
// Measures curated answers (issue 13): each correction is stored with its question only, then asked again
// in other phrasings (it should be used) and unrelated questions are asked (nothing should be used). The
// product's own code runs in workerd (Miniflare): the correction store, the offline embedder, the vector
// index and the lookup a chat turn makes (worker/corrections/curated-answer.ts), with its second stage, the
// question matcher (worker/corrections/question-match.ts); `--no-matcher` measures the embedder's similarity alone.
//
// Questions file: JSONL, one `{ "question", "answer", "paraphrases": [..] }` per correction; lines
// `{ "unrelated": "...", "sameDomain"?: true }` add unrelated questions (sameDomain: a near miss from the bot's own
// domain, reported apart). --unrelated: a text file (one question a line) or JSONL of such lines. Without either,
// the unrelated questions of the shipped set are used.
// Sets: examples/eval-sets/corrections (shipped), corrections-tuning (the matcher was tuned on it only) and
// corrections-held-out (written before the matcher, run once it was frozen).
import { readFileSync } from "node:fs";
import { startRagHarness } from "./support/rag-harness.mjs";
import { exitWithUsage, parseCommandLine } from "./support/command-line.mjs";
import { containsFact } from "./support/answer-checks.mjs";

const USAGE =
  "usage: npm run eval:corrections -- [--questions <corrections.jsonl>] [--unrelated <file>] [--min-score <n>] [--dimensions <n>] [--semantic-weight <0…1>] [--phrasings <n>] [--no-matcher] [--json]";
const SHIPPED = "examples/eval-sets/corrections/corrections.jsonl";
const SHIPPED_UNRELATED = "examples/eval-sets/corrections/unrelated.txt";

const values = parseCommandLine(USAGE, {
  questions: { type: "string", default: SHIPPED },
  unrelated: { type: "string" },
  // The threshold to report at, as EDGECHAT_CORRECTION_MIN_SCORE sets it (default: the product's offline default).
  "min-score": { type: "string", default: process.env.EDGECHAT_CORRECTION_MIN_SCORE },
  dimensions: { type: "string", default: process.env.EDGECHAT_EMBEDDING_DIMENSIONS ?? "384" },
  // Store each correction's first N paraphrases as editor-added phrasings and ask only the rest (default 0).
  phrasings: { type: "string", default: "0" },
  // The offline embedder's share of word meaning, instead of the product's default (for experiments).
  "semantic-weight": { type: "string" },
  // Decide with the embedder's similarity alone, as with a real embedder (no word vectors, no second stage).
  "no-matcher": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
});

function readLines(file) {
  try {
    return readFileSync(file, "utf8").split(/\r?\n/).filter((line) => line.trim() !== "");
  } catch (error) {
    exitWithUsage(`Cannot read ${file}: ${error.message}`, USAGE);
  }
}

function readSet() {
  const corrections = [];
  const unrelated = [];
  readLines(values.questions).forEach((line, i) => {
    let item;
    try {
      item = JSON.parse(line);
    } catch {
      exitWithUsage(`${values.questions} line ${i + 1} is not JSON.`, USAGE);
    }
    if (typeof item.unrelated === "string") unrelated.push({ question: item.unrelated, sameDomain: item.sameDomain === true });
    else if (typeof item.question === "string" && typeof item.answer === "string" && Array.isArray(item.paraphrases)) corrections.push(item);
    else exitWithUsage(`${values.questions} line ${i + 1} needs { question, answer, paraphrases } or { unrelated }.`, USAGE);
  });
  const unrelatedFile = values.unrelated ?? (unrelated.length === 0 ? SHIPPED_UNRELATED : undefined);
  if (unrelatedFile) {
    for (const line of readLines(unrelatedFile)) {
      const item = line.trim().startsWith("{") ? JSON.parse(line) : { unrelated: line.trim() };
      unrelated.push({ question: item.unrelated, sameDomain: item.sameDomain === true });
    }
  }
  if (corrections.length === 0) exitWithUsage("The questions file has no corrections.", USAGE);
  return { corrections, unrelated, unrelatedFile };
}

const rate = (count, total) => (total === 0 ? 0 : count / total);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** Use rates at one threshold: right correction for a paraphrase, any correction for an unrelated question. */
function ratesAt(threshold, paraphraseLookups, unrelatedLookups) {
  const used = paraphraseLookups.filter((l) => l.score !== null && l.score >= threshold);
  const sameDomain = unrelatedLookups.filter((l) => l.sameDomain);
  const usedFor = (lookups) => rate(lookups.filter((l) => l.score !== null && l.score >= threshold).length, lookups.length);
  return {
    minScore: threshold,
    paraphraseUsed: rate(used.filter((l) => l.correctionId === l.expected).length, paraphraseLookups.length),
    paraphraseWrongCorrection: rate(used.filter((l) => l.correctionId !== l.expected).length, paraphraseLookups.length),
    unrelatedUsed: usedFor(unrelatedLookups),
    sameDomainUnrelatedUsed: sameDomain.length ? usedFor(sameDomain) : null,
  };
}

/** The sentences of a curated answer (its facts), for checking what a model kept of it. */
function sentencesOf(text) {
  return text.split(/(?<=[.!?;])\s+/).map((s) => s.replace(/[.;]$/, "").trim()).filter((s) => s.length > 0);
}

const set = readSet();
const harness = await startRagHarness();
try {
  const stored = Number(values.phrasings);
  if (!Number.isInteger(stored) || stored < 0) exitWithUsage("--phrasings must be a whole number.", USAGE);
  const paraphrases = set.corrections.flatMap((correction, index) => correction.paraphrases.slice(stored).map((question) => ({ question, index })));
  const originals = set.corrections.map((correction, index) => ({ question: correction.question, index }));
  const questions = [...originals, ...paraphrases].map((item) => item.question).concat(set.unrelated.map((item) => item.question));
  const result = await harness.post("/corrections", {
    botId: "eval-corrections",
    dimensions: Number(values.dimensions),
    semanticWeight: values["semantic-weight"] === undefined ? undefined : Number(values["semantic-weight"]),
    minScore: values["min-score"] === undefined ? undefined : Number(values["min-score"]),
    matcher: !values["no-matcher"],
    corrections: set.corrections.map(({ question, answer, paraphrases }) => ({ question, phrasings: paraphrases.slice(0, stored), answer, sources: [] })),
    questions,
  });
  const threshold = result.defaultMinScore;
  const withExpected = (items, offset) => items.map((item, i) => ({ ...result.lookups[offset + i], expected: result.ids[item.index], question: item.question }));
  const originalLookups = withExpected(originals, 0);
  const paraphraseLookups = withExpected(paraphrases, originals.length);
  const unrelatedLookups = set.unrelated.map((item, i) => ({ ...result.lookups[originals.length + paraphrases.length + i], ...item }));
  const at = ratesAt(threshold, paraphraseLookups, unrelatedLookups);
  const sweep = [];
  for (let t = 30; t <= 95; t += 5) sweep.push(ratesAt(t / 100, paraphraseLookups, unrelatedLookups));

  // Design (b): the offline model given the curated answer as its top source, for every paraphrase it matched.
  const matched = paraphraseLookups.filter((l) => l.score !== null && l.score >= threshold && l.correctionId === l.expected);
  const items = matched.map((l) => {
    const correction = set.corrections[result.ids.indexOf(l.expected)];
    return { question: l.question, curatedQuestion: correction.question, answer: correction.answer };
  });
  const { answers } = items.length ? await harness.post("/corrections/model-answers", { items }) : { answers: [] };
  const kept = (text, answer) => rate(sentencesOf(answer).filter((s) => containsFact(text, s)).length, sentencesOf(answer).length);
  const complete = (field) => rate(answers.filter((a, i) => kept(a[field], items[i].answer) === 1).length, answers.length);
  const meanKept = (field) => rate(answers.reduce((sum, a, i) => sum + kept(a[field], items[i].answer), 0), answers.length);
  const lookupMs = [...result.lookupMs].sort((a, b) => a - b);

  const report = {
    corrections: set.corrections.length,
    paraphrases: paraphraseLookups.length,
    unrelated: unrelatedLookups.length,
    sameDomainUnrelated: unrelatedLookups.filter((l) => l.sameDomain).length,
    matcher: !values["no-matcher"],
    unrelatedFrom: set.unrelatedFile ?? values.questions,
    minScore: threshold,
    storedPhrasings: stored,
    originalUsed: ratesAt(threshold, originalLookups, []).paraphraseUsed,
    paraphraseUsed: at.paraphraseUsed,
    paraphraseWrongCorrection: at.paraphraseWrongCorrection,
    unrelatedUsed: at.unrelatedUsed,
    sameDomainUnrelatedUsed: at.sameDomainUnrelatedUsed,
    goals: { paraphraseUsed: 0.9, unrelatedUsed: 0.02, met: at.paraphraseUsed >= 0.9 && at.unrelatedUsed <= 0.02 },
    lookupMs: { p50: percentile(lookupMs, 0.5), p95: percentile(lookupMs, 0.95) },
    designs: {
      direct: { modelCalls: 0, answersWithWholeCuratedAnswer: 1 },
      modelWithCuratedSource: {
        modelCalls: answers.length,
        answersWithWholeCuratedAnswer: complete("text"),
        smallTierAnswersWithWholeCuratedAnswer: complete("small"),
        meanShareOfCuratedSentencesKept: meanKept("text"),
        meanPromptCharacters: Math.round(rate(answers.reduce((sum, a) => sum + a.promptCharacters, 0), answers.length)),
      },
    },
    sweep,
    misses: paraphraseLookups.filter((l) => !(l.score !== null && l.score >= threshold && l.correctionId === l.expected)).map((l) => ({ question: l.question, score: l.score, wrong: l.correctionId !== l.expected })),
    falseUses: unrelatedLookups.filter((l) => l.score !== null && l.score >= threshold).map((l) => ({ question: l.question, score: l.score, sameDomain: l.sameDomain })),
  };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    const pct = (x) => `${(x * 100).toFixed(1)}%`;
    const decider = report.matcher ? "offline embedder + question matcher" : "offline embedder alone";
    console.log(`curated answers: ${report.corrections} corrections, ${report.paraphrases} paraphrases, ${report.unrelated} unrelated questions (${report.sameDomainUnrelated} from the same domains) (${decider}, min score ${threshold}, ${stored} phrasing(s) stored per correction)`);
    console.log(`  used for the original question: ${pct(report.originalUsed)}`);
    console.log(`  used for a paraphrase:          ${pct(report.paraphraseUsed)} (goal >= 90%); wrong correction ${pct(report.paraphraseWrongCorrection)}`);
    console.log(`  used for an unrelated question: ${pct(report.unrelatedUsed)} (goal <= 2%)${report.sameDomainUnrelatedUsed === null ? "" : `; same-domain near misses ${pct(report.sameDomainUnrelatedUsed)}`}`);
    console.log(`  lookup in workerd: p50 ${report.lookupMs.p50.toFixed(2)} ms, p95 ${report.lookupMs.p95.toFixed(2)} ms`);
    const b = report.designs.modelWithCuratedSource;
    console.log(`design (a) direct: 0 model calls, 100% of answers are the whole curated answer`);
    console.log(`design (b) model with the curated answer as top source (offline model): ${b.modelCalls} calls, whole curated answer in ${pct(b.answersWithWholeCuratedAnswer)} (small tier ${pct(b.smallTierAnswersWithWholeCuratedAnswer)}), ${pct(b.meanShareOfCuratedSentencesKept)} of its sentences kept on average, ~${b.meanPromptCharacters} prompt characters`);
    console.log("threshold sweep (min score: paraphrase used / wrong / unrelated used):");
    for (const row of sweep) console.log(`  ${row.minScore.toFixed(2)}: ${pct(row.paraphraseUsed)} / ${pct(row.paraphraseWrongCorrection)} / ${pct(row.unrelatedUsed)}`);
    for (const miss of report.misses) console.log(`  miss: ${miss.question} (${miss.score?.toFixed(3)}${miss.wrong ? ", wrong correction" : ""})`);
    for (const use of report.falseUses) console.log(`  false use: ${use.question} (${use.score.toFixed(3)})`);
  }
} finally {
  await harness.dispose();
}
