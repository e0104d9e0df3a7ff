import { isStopword, termsOf, words } from "../rag/text-tokens";
import { meaningEmbedding } from "./offline-embedding-model";
import { markdownTable, textBlocks } from "./split-sentences";
import type { WordVectors } from "./word-vectors";

/** A documentation source as the grounded prompt numbers it. */
export interface OfflineSource {
  number: number;
  title: string;
  text: string;
}

interface Table {
  number: number;
  context: string;
  header: string[];
  rows: string[][];
}

interface Candidate {
  number: number;
  position: number;
  /** A sentence of prose, or a whole table. */
  sentence?: string;
  table?: Table;
  terms: Set<string>;
  context: Set<string>;
  meaning: number;
  score: number;
  /** Share of the question's topic weight found in the candidate's words or its headings. */
  coverage: number;
}

const MAX_ANSWER_SENTENCES = 3;
const MAX_TABLE_ROWS = 6;
/** A row label at least this close in meaning to the question ("Price" for "what do they cost?") picks its row. */
const ROW_LABEL_MEANING_FLOOR = 0.45;
/** Rows scoring under this share of the best row are left out ("small" is close to "large" in meaning, but not the row asked for). */
const ROW_RELATIVE_BAR = 0.6;
/**
 * How much a sentence's meaning similarity to the question counts next to its shared rare words, and
 * the similarity below which it counts nothing (so a loosely related sentence never fills a slot).
 * Measured with `npm run eval:rag -- --answers`: weights 2–4 with floors 0–0.3 were alike and better
 * than none; 6 and more lost on acme-paraphrased.
 */
const MEANING_WEIGHT = 3;
const MEANING_FLOOR = 0.3;
/**
 * The relevance bar: a sentence is quoted only when it is about the question. It must hold at
 * least this share of the question's topic words (weighted by rarity, as BM25 weighs them) or say
 * the same in other words (meaning similarity at least MEANING_BAR), and score at least
 * RELATIVE_BAR of the best sentence. Chosen with `npm run eval:rag -- --answers` (answers that hold
 * the expected fact, and questions of other sets that must find nothing).
 */
const RELEVANCE_BAR = 0.65;
const RELATIVE_BAR = 0.35;

/**
 * The offline model's answer from documentation sources: the sentences (and table rows) that are
 * about the question, each followed by its source's [n] citation; a table is shown as a compact
 * Markdown table of its relevant rows and columns. Undefined when no sentence passes the relevance
 * bar, so the caller can say plainly that it found nothing.
 *
 * @example
 * extractiveAnswer("How long are logs kept?", [{ number: 1, title: "Logs", text: "Logs are kept for 7 days." }])
 * // "From the documentation: Logs are kept for 7 days. [1]"
 */
export function extractiveAnswer(question: string, sources: readonly OfflineSource[], wordVectors?: WordVectors): string | undefined {
  const questionTerms = [...new Set(termsOf(question))];
  const candidates = candidatesOf(sources);
  if (candidates.length === 0 || questionTerms.length === 0 && question.trim() === "") return undefined;

  // Words of the question that few sentences share say more about which sentence answers it (the
  // inverse document frequency BM25 uses); a word found only in the sentence's heading counts half.
  const weights = new Map<string, number>();
  for (const term of questionTerms) {
    const holders = candidates.filter((candidate) => candidate.terms.has(term) || candidate.context.has(term)).length;
    weights.set(term, Math.log(1 + candidates.length / Math.max(1, holders)));
  }
  const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  // Without the word vectors (not loaded) meaning counts nothing and shared words decide alone.
  const meaningOf = (text: string) => (wordVectors ? meaningEmbedding(text, wordVectors, wordVectors.dimensions) : []);
  const questionMeaning = meaningOf(question);
  for (const candidate of candidates) {
    // What the sentence is about (its words and its headings) decides whether it is relevant; its
    // own words rank it first among relevant ones (a heading word counts half there, except in a
    // table, whose heading is its caption).
    const contextShare = candidate.table ? 1 : 0.5;
    let own = 0;
    let fromContext = 0;
    for (const [term, weight] of weights) {
      if (candidate.terms.has(term)) own += weight;
      else if (candidate.context.has(term)) fromContext += weight;
    }
    candidate.score += own + contextShare * fromContext;
    candidate.coverage = totalWeight > 0 ? (own + fromContext) / totalWeight : 0;
    const meaning = meaningOf(candidateText(candidate));
    for (let d = 0; d < meaning.length; d++) candidate.meaning += meaning[d]! * questionMeaning[d]!;
    candidate.score += MEANING_WEIGHT * Math.max(0, candidate.meaning - MEANING_FLOOR);
    // Sources ranked higher by retrieval count more; a fragment without a full stop counts less.
    candidate.score /= 1 + 0.25 * (candidate.number - 1);
    if (candidate.sentence !== undefined && !/[.!?…]["'”’)\]]*$/.test(candidate.sentence)) candidate.score *= 0.5;
  }
  const best = Math.max(...candidates.map((candidate) => candidate.score));
  const relevant = candidates
    .filter((candidate) => candidate.score > 0 && candidate.score >= RELATIVE_BAR * best)
    .filter((candidate) => candidate.coverage + candidate.meaning >= RELEVANCE_BAR)
    .sort((a, b) => b.score - a.score || a.position - b.position);
  if (relevant.length === 0) return undefined;

  // At most three quotes: sentences, or a table shown as its relevant rows and the columns the
  // question names.
  const chosen = relevant.slice(0, MAX_ANSWER_SENTENCES).sort((a, b) => a.position - b.position);
  const parts: string[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    if (prose.length > 0) parts.push(`${parts.length === 0 ? "From the documentation: " : ""}${prose.join(" ")}`);
    prose = [];
  };
  for (const candidate of chosen) {
    if (candidate.sentence !== undefined) {
      prose.push(`${/[.!?…]["'”’)\]]*$/.test(candidate.sentence) ? candidate.sentence : `${candidate.sentence}.`} [${candidate.number}]`);
      continue;
    }
    flushProse();
    const shown = candidate.table!;
    const caption = `${shown.context || "Table"} [${shown.number}]:`;
    parts.push(`${parts.length === 0 ? `From the documentation, ${caption}` : caption}\n\n${compactTable(shown, rowsAbout(shown, question, weights, meaningOf), new Set(questionTerms))}`);
  }
  flushProse();
  return parts.join("\n\n");
}

/**
 * The rows of a table that the question is about: rows sharing its words, or whose label means
 * the same as one of them ("Price" for "cost"). Words the table's caption already holds ("plans"
 * for a "Plans and pricing" table) say which table, not which row. Every row (up to
 * MAX_TABLE_ROWS) when no row is singled out.
 */
function rowsAbout(table: Table, question: string, weights: ReadonlyMap<string, number>, meaningOf: (text: string) => number[]): number[] {
  const caption = new Set(termsOf(table.context));
  const questionWords = words(question).filter((word) => !isStopword(word) && !termsOf(word).some((term) => caption.has(term)));
  const wordMeanings = questionWords.map(meaningOf);
  const scored = table.rows.map((cells, row) => {
    const terms = new Set(termsOf(cells.join(" ")));
    let score = 0;
    for (const [term, weight] of weights) if (terms.has(term) && !caption.has(term)) score += weight;
    const label = meaningOf(cells[0] ?? "");
    const meaning = Math.max(0, ...wordMeanings.map((word) => word.reduce((sum, value, d) => sum + value * label[d]!, 0)));
    return { row, score: score + MEANING_WEIGHT * Math.max(0, meaning - ROW_LABEL_MEANING_FLOOR) };
  });
  const best = Math.max(0, ...scored.map((entry) => entry.score));
  const matching = scored.filter((entry) => entry.score > 0 && entry.score >= ROW_RELATIVE_BAR * best).sort((a, b) => b.score - a.score).slice(0, MAX_TABLE_ROWS);
  const rows = matching.length > 0 ? matching.map((entry) => entry.row) : table.rows.slice(0, MAX_TABLE_ROWS).map((_, row) => row);
  return rows.sort((a, b) => a - b);
}

function candidatesOf(sources: readonly OfflineSource[]): Candidate[] {
  const candidates: Candidate[] = [];
  const add = (candidate: Omit<Candidate, "position" | "meaning" | "score" | "coverage">) =>
    candidates.push({ ...candidate, position: candidates.length, meaning: 0, score: 0, coverage: 0 });
  for (const source of sources) {
    for (const passage of source.text.split("\n…\n")) {
      // The document's title and the passage's "# heading path" line (and any heading inside it) are
      // context: what a sentence is about, not an answer.
      let heading = "";
      for (const block of textBlocks(passage)) {
        if (block.kind === "heading") heading = block.text;
        if (block.kind === "paragraph") {
          for (const sentence of block.sentences) {
            if (sentence.length < 12) continue;
            add({ number: source.number, sentence, terms: new Set(termsOf(sentence)), context: new Set(termsOf(`${source.title} ${heading}`)) });
          }
        }
        if (block.kind === "table") {
          // A table without a separator line (as HTML pages give them) has its header as its first row.
          const [header, ...body] = block.header ? [block.header, ...block.rows] : block.rows;
          if (!header || body.length === 0) continue;
          const table: Table = { number: source.number, context: lastHeading(heading) || source.title, header, rows: body };
          const cells = [...header, ...body.flat()].join(" ");
          add({ number: source.number, table, terms: new Set(termsOf(cells)), context: new Set(termsOf(`${source.title} ${heading}`)) });
        }
      }
    }
  }
  return candidates;
}

function candidateText(candidate: Candidate): string {
  if (candidate.sentence !== undefined) return candidate.sentence;
  // A table means what its caption, column headers and row labels say.
  const { context, header, rows } = candidate.table!;
  return [context, ...header, ...rows.map((cells) => cells[0] ?? "")].join(" ");
}

/** "Account > Plans and pricing" -> "Plans and pricing". */
function lastHeading(headingPath: string): string {
  return headingPath.split(/\s+[>›]\s+/).at(-1)?.trim() ?? "";
}

/**
 * The rows asked about, and only the columns the question names (with the first, the row's label)
 * when it names any; otherwise every column.
 */
function compactTable(table: Table, rows: number[], questionTerms: Set<string>): string {
  const named = table.header.map((cell, i) => i > 0 && termsOf(cell).some((term) => questionTerms.has(term)));
  const columns = named.some(Boolean) ? table.header.map((_, i) => i === 0 || named[i]!) : table.header.map(() => true);
  const pick = (cells: readonly string[]) => cells.filter((_, i) => columns[i]);
  return markdownTable(pick(table.header), rows.map((row) => pick(table.rows[row]!)));
}
