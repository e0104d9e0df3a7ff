// A plain, honest keyword retriever (BM25) over a folder of documents, standing in for the worker's
// retrieval in `npm run eval:routing` until that retrieval can be run from Node. It returns the same
// RetrievalSignals the worker passes to the router. Scores are normalised to [0, 1]: the share of the
// question's informative (IDF-weighted) words a passage covers, each word's weight saturating with
// BM25's term-frequency and length rule.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";

const STOPWORDS = new Set(
  `a an and are as at be but by can could did do does doing for from had has have how i if in into is it its
  me my of on or our please should so than that the their them then there these they this to us was we were
  what when where which who why will with would you your yours i'm it's i've don't can't cannot ok hi hello
  thanks thank just also any some get got need want know tell about more much many very really still`
    .split(/\s+/)
    .filter(Boolean),
);
const K1 = 1.2;
const B = 0.75;
/** A passage covering this share of the question's informative weight counts as relevant. */
export const KEYWORD_RELEVANCE_THRESHOLD = 0.4;
const MAX_PASSAGE_CHARS = 1200;

export function tokenize(text) {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9'_-]*/g) ?? [])
    .map((word) => word.replace(/'s$/, ""))
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map(stem);
}

/** A very light stemmer: plural and -ing/-ed endings, so "domains" meets "domain". */
function stem(word) {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Splits documents into passages of at most ~1200 characters along blank lines. */
export function passagesOf(text) {
  const passages = [];
  let current = "";
  for (const block of text.split(/\n\s*\n/)) {
    if (current && current.length + block.length > MAX_PASSAGE_CHARS) {
      passages.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${block}` : block;
  }
  if (current.trim()) passages.push(current);
  return passages;
}

function readDocuments(dir) {
  const files = [];
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if ([".md", ".mdx", ".txt", ".html"].includes(extname(name).toLowerCase())) files.push(full);
    }
  };
  walk(dir);
  return files.sort().map((file) => {
    const raw = readFileSync(file, "utf8");
    return extname(file) === ".html" ? raw.replace(/<[^>]+>/g, " ") : raw;
  });
}

/**
 * A retriever over `dir`: `(question) => { signals, passages }`, where `signals` are RetrievalSignals
 * and `passages` the texts above the threshold (best first, at most `topK`), as they would go into the prompt.
 */
export function createKeywordRetriever(dir, { threshold = KEYWORD_RELEVANCE_THRESHOLD, topK = 4 } = {}) {
  const passages = readDocuments(dir).flatMap(passagesOf);
  const docs = passages.map((text) => {
    const terms = tokenize(text);
    const tf = new Map();
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    return { text, tf, length: terms.length };
  });
  const n = docs.length;
  const avgLength = docs.reduce((sum, doc) => sum + doc.length, 0) / Math.max(n, 1);
  const df = new Map();
  for (const doc of docs) for (const term of doc.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = (term) => Math.log(1 + (n - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
  // A word the docs never use is weak evidence either way (a paraphrase, a typo, or a gap): it weighs
  // as much as the average known word of the question instead of the most.
  const weightsOf = (terms) => {
    const known = terms.filter((term) => df.has(term));
    const fallback = known.length ? known.reduce((sum, term) => sum + idf(term), 0) / known.length : idf("\u0000");
    return new Map(terms.map((term) => [term, df.has(term) ? idf(term) : fallback]));
  };

  return function retrieve(question) {
    const terms = [...new Set(tokenize(question))];
    const weights = weightsOf(terms);
    const total = terms.reduce((sum, term) => sum + weights.get(term), 0);
    if (n === 0 || total === 0) return { signals: { searched: true, topScore: 0, secondScore: 0, passagesAboveThreshold: 0 }, passages: [] };
    const scored = docs.map((doc) => {
      let covered = 0;
      for (const term of terms) {
        const tf = doc.tf.get(term) ?? 0;
        if (tf === 0) continue;
        const saturation = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / avgLength)) / (K1 + 1);
        covered += weights.get(term) * Math.min(1, saturation * 2); // one clear mention of a word counts fully
      }
      return { text: doc.text, score: covered / total };
    });
    scored.sort((a, b) => b.score - a.score);
    const above = scored.filter((entry) => entry.score >= threshold);
    return {
      signals: {
        searched: true,
        topScore: scored[0]?.score ?? 0,
        secondScore: scored[1]?.score ?? 0,
        passagesAboveThreshold: above.length,
      },
      passages: above.slice(0, topK).map((entry) => entry.text),
    };
  };
}
