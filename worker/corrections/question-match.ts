import { isStopword, stem, words } from "../rag/text-tokens";
import type { WordVectors } from "../models/word-vectors";

/** What a visitor's question is compared with: a correction's question, its phrasings and its answer. */
export interface MatchTarget {
  question: string;
  phrasings: readonly string[];
  answer: string;
}

/** How a question compares with one correction: `score` 0…1, and why it was refused when it was. */
export interface QuestionMatch {
  score: number;
  /** Set when a veto refused the match whatever its score: "number" (different numbers), "contrast" (a rare word swapped for an alternative). */
  veto?: "number" | "contrast";
}

/**
 * The constants of the matcher, all in one place, set on examples/eval-sets/corrections-tuning, then (second and
 * third rounds) also on corrections-held-out and corrections-held-out-2 once each had been run; never on the shipped
 * set or corrections-held-out-3 (docs/corrections.md).
 */
export const MATCH_TUNING = {
  /** Word vectors' centred cosine below `low` counts as unrelated, above `high` as the same word. */
  low: 0.3,
  high: 0.8,
  /** A different word counts at most this much (word vectors put "cat" as close to "dog" as "bag" to "luggage"). */
  substituteShare: 0.75,
  /**
   * Two different words this close (centred cosine) are taken as alternatives, not synonyms: "cat" and "dog",
   * "first" and "second", "breakfast" and "lunch" (GloVe puts co-hyponyms closer than synonyms such as
   * "suitcase" and "luggage"). A rare word of the question swapped for such a word vetoes the match.
   */
  contrastAbove: 0.75,
  /** Words of at least this weight (every content word but the ~90 most frequent) are the ones a swap or an absence matters for. */
  rareWeight: 0.5,
  /** Every word counts at least this much (frequent words such as "home" still say something). */
  weightFloor: 0.4,
  /**
   * Each content word left unaligned on either side multiplies the score by this. Aligned means the same stem, one
   * word inside the other, or a similarity of at least `alignedAbove` (0.45 = centred cosine 0.6: with
   * `contrastAbove`, only words between 0.6 and 0.75 stand in for each other, e.g. "tuition" for "fees").
   */
  unalignedFactor: 0.6,
  alignedAbove: 0.45,
  /** A word that contains the other (at least this long) counts this much. */
  partMinLength: 4,
  partShare: 0.8,
  /** A negation on one side only ("not", "without") multiplies the score by this. */
  negationFactor: 0.8,
  /** A word found only in the correction's answer counts this much of a match in the question or a phrasing. */
  answerShare: 0.85,
  /** Frequency rank around which words start to carry meaning (log scale up to `rareRank`). */
  commonRank: 50,
  rareRank: 20_000,
  /** Words that frame a question rather than say what it is about: they count this much. */
  framingWeight: 0.15,
} as const;

/** Words that frame a question in any domain ("is it possible", "how much", "tell me"), counted little. */
const FRAMING = new Set(
  "possible way allowed able allow please tell know like help hi hello thanks thank anything something someone go going happen happens make take much many long often give find see kind sort".split(" "),
);
const NEGATIONS = new Set(["not", "no", "never", "without", "cannot", "cant", "dont", "doesnt", "isnt", "arent", "wont", "didnt", "nor"]);

interface Word {
  /** Stem, for exact matches. */
  key: string;
  weight: number;
  /** Centred unit vector, when the word is in the table. */
  vector?: Float32Array;
  number: boolean;
}

interface Text {
  words: Word[];
  numbers: Set<string>;
  negated: boolean;
}

/**
 * The second stage of the curated-answer lookup: how well a visitor's question and a correction's question (or
 * one of its phrasings) say the same thing, word by word, with the offline word vectors.
 * - Each content word of one side is aligned with its best match on the other: the same stem 1, one word inside
 *   the other 0.8, else the similarity of their word vectors (centred cosine, scaled to at most 0.75). Words are
 *   weighted by rarity (log frequency rank), framing words ("possible", "much") count little.
 * - Both directions, combined as F1: a question that adds or drops content matches less. Words of the answer
 *   help the visitor's side (visitors ask in the answer's words) but never count as aligned.
 * - Each content word left unaligned on either side (no word of the other side within a centred cosine of 0.6)
 *   multiplies the score by 0.6; a negation on one side only by 0.8.
 * - Vetoes: different numbers; a content word swapped for a close alternative (GloVe's co-hyponyms: "cat"/"dog").
 * It cannot tell a synonym from a neighbour that word vectors put as close (docs/corrections.md: how it fails).
 *
 * @example
 * const matcher = createQuestionMatcher(wordVectors);
 * matcher.score("What's the fee for checking a suitcase?", { question: "How much does a checked bag cost?", phrasings: [], answer: "…" });
 */
export function createQuestionMatcher(wordVectors: WordVectors) {
  const cache = new Map<string, Word>();
  const center = Float32Array.from(wordVectors.commonVector);

  function wordOf(raw: string): Word {
    const cached = cache.get(raw);
    if (cached) return cached;
    const number = /\d/.test(raw);
    const entry = number ? undefined : (wordVectors.lookup(raw) ?? wordVectors.lookup(stem(raw)));
    let vector: Float32Array | undefined;
    // How rare the word is, 0…1 on a log scale of its frequency rank; a word missing from the table is rare.
    let rarity = 1;
    if (entry) {
      vector = new Float32Array(wordVectors.dimensions);
      let norm = 0;
      for (let d = 0; d < vector.length; d++) {
        vector[d] = entry.vector[d]! * entry.scale - center[d]!;
        norm += vector[d]! * vector[d]!;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < vector.length; d++) vector[d]! *= scale;
      rarity = Math.min(1, Math.log(1 + entry.rank / MATCH_TUNING.commonRank) / Math.log(1 + MATCH_TUNING.rareRank / MATCH_TUNING.commonRank));
    }
    const weight = FRAMING.has(raw) ? Math.min(rarity, MATCH_TUNING.framingWeight) : MATCH_TUNING.weightFloor + (1 - MATCH_TUNING.weightFloor) * rarity;
    const word: Word = { key: keyOf(raw), weight: Math.max(weight, 0.02), vector, number };
    if (cache.size > 5000) cache.clear();
    cache.set(raw, word);
    return word;
  }

  function textOf(text: string): Text {
    const all = words(text.replace(/(\w)-(\w)/g, "$1$2"));
    const content = all.filter((word) => !isStopword(word) && !NEGATIONS.has(word)).map(wordOf);
    return { words: content, numbers: new Set(content.filter((word) => word.number).map((word) => word.key)), negated: all.some((word) => NEGATIONS.has(word)) };
  }

  function cosine(a: Word, b: Word): number {
    if (a.key === b.key) return 1;
    if (a.number || b.number || !a.vector || !b.vector) return 0;
    let dot = 0;
    for (let d = 0; d < a.vector.length; d++) dot += a.vector[d]! * b.vector[d]!;
    return dot;
  }

  function similarity(a: Word, b: Word): number {
    if (a.key === b.key) return 1;
    // One word inside the other: "microchip" and "chipped", "checkin" and "check", "vaccination" and "vaccinated".
    if (!a.number && !b.number && Math.min(a.key.length, b.key.length) >= MATCH_TUNING.partMinLength && (a.key.includes(b.key) || b.key.includes(a.key))) return MATCH_TUNING.partShare;
    const c = cosine(a, b);
    if (c >= MATCH_TUNING.contrastAbove) return 0;
    return MATCH_TUNING.substituteShare * Math.min(1, Math.max(0, (c - MATCH_TUNING.low) / (MATCH_TUNING.high - MATCH_TUNING.low)));
  }

  /** Whether a rare word of one side is swapped for a close alternative on the other ("cat" asked, "dog" stored). */
  function swapped(asked: Word[], stored: Word[], answer: Word[]): boolean {
    const has = (list: Word[], word: Word) => list.some((other) => other.key === word.key);
    for (const word of asked) {
      if (word.weight < MATCH_TUNING.rareWeight || has(stored, word) || has(answer, word)) continue;
      for (const other of stored) {
        if (other.key !== word.key && !has(asked, other) && cosine(word, other) >= MATCH_TUNING.contrastAbove) return true;
      }
    }
    return false;
  }

  /** The weighted share of `from`'s words found in `to` (and, at a discount, in `extra`), and how many rare ones were not. */
  function coverage(from: Word[], to: Word[], extra: Word[] = []): { share: number; unaligned: number } {
    let total = 0;
    let found = 0;
    let unaligned = 0;
    for (const word of from) {
      let inText = 0;
      for (const other of to) inText = Math.max(inText, similarity(word, other));
      let best = inText;
      for (const other of extra) best = Math.max(best, MATCH_TUNING.answerShare * similarity(word, other));
      total += word.weight;
      found += word.weight * best;
      // The answer lends words to the score, never an alibi: a rare word the question and phrasings lack stays unaligned.
      if (word.weight >= MATCH_TUNING.rareWeight && inText < MATCH_TUNING.alignedAbove) unaligned++;
    }
    return { share: total > 0 ? found / total : 0, unaligned };
  }

  return {
    /** How well `question` matches `target` (its question or its best phrasing), 0…1, with any veto. */
    score(question: string, target: MatchTarget): QuestionMatch {
      const asked = textOf(question);
      if (asked.words.length === 0) return { score: 0 };
      const answer = textOf(target.answer).words;
      let best: QuestionMatch = { score: 0 };
      for (const stored of [target.question, ...target.phrasings].map(textOf)) {
        if (stored.words.length === 0) continue;
        const forward = coverage(asked.words, stored.words, answer);
        const backward = coverage(stored.words, asked.words);
        const f1 = forward.share + backward.share > 0 ? (2 * forward.share * backward.share) / (forward.share + backward.share) : 0;
        let score = f1 * MATCH_TUNING.unalignedFactor ** (forward.unaligned + backward.unaligned);
        let veto: QuestionMatch["veto"];
        if (differentNumbers(asked.numbers, stored.numbers)) veto = "number";
        else if (swapped(asked.words, stored.words, answer)) veto = "contrast";
        if (veto) score = 0;
        else if (asked.negated !== stored.negated) score *= MATCH_TUNING.negationFactor;
        if (score > best.score || (best.score === 0 && veto)) best = veto ? { score, veto } : { score };
      }
      return best;
    },
  };
}

/**
 * Whether a question and a correction's question (or every phrasing) name different numbers ("plan 2" and
 * "plan 3"): the matcher's veto, also applied with a real embedder, which needs no word vectors for it.
 *
 * @example
 * numbersDiffer("Is the 2 year plan cheaper?", { question: "Is the 1 year plan cheaper?", phrasings: [] }) // true
 */
export function numbersDiffer(question: string, target: Pick<MatchTarget, "question" | "phrasings">): boolean {
  const asked = numbersOf(question);
  return asked.size > 0 && [target.question, ...target.phrasings].every((text) => differentNumbers(asked, numbersOf(text)));
}

function numbersOf(text: string): Set<string> {
  return new Set(words(text).filter((word) => /\d/.test(word)));
}

function differentNumbers(asked: Set<string>, stored: Set<string>): boolean {
  return asked.size > 0 && stored.size > 0 && ![...asked].some((number) => stored.has(number));
}

/** Stems that meet across spelling variants ("rotate", "rotating"). */
function keyOf(word: string): string {
  const root = stem(word);
  return root.length > 4 && root.endsWith("e") ? root.slice(0, -1) : root;
}
