/**
 * Word tokens for retrieval, shared by the offline embedder, the keyword index and the BM25
 * baseline so they all see text the same way: NFKC, lower case, letters and digits, light
 * English suffix stripping, common function words dropped.
 */

const STOPWORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it its " +
    "me my of on or our so than that the their them then there these they this those to too was we were what when where " +
    "which while who whom why will with would you your yours can't cannot don't does not no nor only own same some such " +
    "should about above after again against all am any because before below between both during each few further here " +
    "more most other out over under until up very just also get got need needs want wants i'm it's let us use using used"
  ).split(" "),
);

/** Splits text into lower-case words of letters and digits (apostrophes dropped). */
export function words(text: string): string[] {
  return text.normalize("NFKC").toLowerCase().replace(/['’]/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether a lower-case word is a function word that carries no topic. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * A light, deterministic English stemmer (plural, -ing, -ed, -ly): enough to match "limits" with
 * "limit" and "rotating" with "rotate" without a dictionary.
 *
 * @example
 * stem("policies") // "policy"
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) return word;
  if (word.endsWith("ing") && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith("ed") && word.length > 4) return undouble(word.endsWith("ied") ? `${word.slice(0, -3)}y` : word.slice(0, -2));
  if (word.endsWith("ly") && word.length > 5) return word.slice(0, -2);
  if (word.endsWith("es") && /(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

function undouble(root: string): string {
  // running -> runn -> run; rotating -> rotat (matches rotate -> rotat below via "e" strip)
  if (/([b-df-hj-np-tv-z])\1$/.test(root) && !/(ll|ss|zz)$/.test(root)) return root.slice(0, -1);
  return root;
}

/** Stems of the topic words of a text, in order: what keyword search and BM25 index. */
export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    if (isStopword(word)) continue;
    terms.push(normaliseStem(stem(word)));
  }
  return terms;
}

/** Folds a trailing "e" so "rotate" and "rotating" meet at "rotat". */
function normaliseStem(term: string): string {
  return term.length > 4 && term.endsWith("e") ? term.slice(0, -1) : term;
}
