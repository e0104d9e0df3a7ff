// Checks of the offline model's answers for `npm run eval:rag -- --answers`: does an answer hold the
// question's expected fact, and does it quote a sentence cut short? Written apart from the worker's
// sentence splitter on purpose, so the eval does not grade the splitter with itself.

/** Lower case, Markdown emphasis and code marks dropped, white space folded. */
function normalised(text) {
  return text.toLowerCase().replace(/[*_`]/g, "").replace(/\s+/g, " ").trim();
}

/**
 * Whether an answer holds the expected fact (case, emphasis and white space do not matter).
 *
 * @example
 * containsFact("Pro costs **$20 per member**. [1]", "$20 per member") // true
 */
export function containsFact(answer, fact) {
  return normalised(answer).includes(normalised(fact));
}

/**
 * The cut sentences of an answer: a quote that ends in a number and a period where the documents
 * go on with a digit (`… cost $0.` of `$0.005`), or a sentence whose brackets or parentheses do
 * not close. `[n]` citations are not brackets of the text.
 *
 * @example
 * cutSentences("Extra minutes cost $0. [1]", ["Extra minutes cost $0.005 per minute."]) // ["Extra minutes cost $0."]
 */
export function cutSentences(answer, documents) {
  const cut = [];
  const text = answer.replace(/\s*\[\d+\]/g, "");
  for (const match of text.matchAll(/\d\.(?=\s|$)/g)) {
    const end = match.index + 2;
    const window = text.slice(Math.max(0, end - 40), end);
    if (!documents.some((document) => document.replace(/\s+/g, " ").includes(`${window}`) && new RegExp(`${escapeRegExp(window)}\\d`).test(document.replace(/\s+/g, " ")))) continue;
    // Report the whole sentence: from the end of the one before (or a colon) to the cut.
    const before = text.slice(0, match.index);
    const start = [...before.matchAll(/[.!?:\n]\s+/g)].reduce((last, boundary) => boundary.index + boundary[0].length, 0);
    cut.push(text.slice(start, end).trim());
  }
  for (const line of text.split(/\n+/)) {
    if (/^\s*\|/.test(line)) continue; // table rows hold pipes, not sentences
    for (const sentence of line.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      if (count(sentence, "(") !== count(sentence, ")") || count(sentence, "[") !== count(sentence, "]")) cut.push(sentence.trim());
    }
  }
  return cut;
}

function count(text, character) {
  return text.split(character).length - 1;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
