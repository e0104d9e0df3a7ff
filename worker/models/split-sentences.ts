/**
 * The one sentence splitter of the offline models: answers, quotes and the small tier's cut all go
 * through it, so a price like `$0.005`, a version like `v4.2.1`, `e.g.`, `U.S.`, a file name like
 * `wrangler.jsonc` or an ellipsis never ends a sentence early, and Markdown structure (headings,
 * list items, tables, code) is kept apart from the prose.
 */

/** Abbreviations after which a period never ends a sentence (compared in lower case, without the period). */
const NEVER_FINAL = new Set(["e.g", "i.e", "vs", "cf", "approx", "incl", "excl", "esp", "resp", "viz", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "ca"]);
/** Abbreviations that end a sentence unless a number follows (`see No. 5`, `on p. 12`). */
const FINAL_UNLESS_NUMBER_FOLLOWS = new Set(["no", "nos", "fig", "figs", "vol", "p", "pp", "ch", "sec", "art", "para"]);
/** Abbreviations that end a sentence only when a capitalised word follows (`…, tables etc. The next…`). */
const FINAL_IF_CAPITAL_FOLLOWS = new Set(["etc", "inc", "ltd", "co", "corp", "llc", "gmbh", "al"]);

const TERMINATOR = /[.!?…]+["'”’)\]]*[.!?]*/y;
const CITATIONS = /(?:\s*\[\d+\])+/y;

/**
 * Splits a run of prose (one paragraph or list item) into sentences. A sentence ends at `.`, `!`,
 * `?` or `…` followed by white space and a word that can start a sentence; `[n]` citations right
 * after the end stay with their sentence.
 *
 * @example
 * splitSentences("Extra minutes cost $0.005 per minute. Storage is billed e.g. per GB. Done.")
 * // ["Extra minutes cost $0.005 per minute.", "Storage is billed e.g. per GB.", "Done."]
 */
export function splitSentences(prose: string): string[] {
  const text = prose.replace(/\s+/g, " ").trim();
  const sentences: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== "." && char !== "!" && char !== "?" && char !== "…") continue;
    TERMINATOR.lastIndex = i;
    const terminator = TERMINATOR.exec(text);
    if (!terminator) continue;
    let end = i + terminator[0].length;
    CITATIONS.lastIndex = end;
    const citations = CITATIONS.exec(text);
    if (citations) end += citations[0].length;
    if (end >= text.length) break;
    if (text[end] !== " " || !endsSentence(text.slice(start, i), terminator[0], text.slice(end + 1))) {
      i = end - 1;
      continue;
    }
    sentences.push(text.slice(start, end).trim());
    start = end + 1;
    i = end;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function endsSentence(before: string, terminator: string, after: string): boolean {
  const next = after[0] ?? "";
  // A lower-case word continues the sentence ("… e.g. per GB", "Yahoo! is", "wait… then").
  if (/\p{Ll}/u.test(next)) return false;
  if (!/^[.…]/.test(terminator) || terminator.startsWith("..") || terminator.startsWith("…")) {
    return /[\p{Lu}\p{N}"'“‘([*`$€£]/u.test(next) || !/\p{L}/u.test(next);
  }
  const word = /(\S+)$/.exec(before)?.[1] ?? "";
  const bare = word.replace(/^[("'“‘[]+/, "").toLowerCase();
  if (NEVER_FINAL.has(bare) || NEVER_FINAL.has(bare.replace(/\.$/, ""))) return false;
  if (FINAL_UNLESS_NUMBER_FOLLOWS.has(bare)) return !/\p{N}/u.test(next);
  const capital = /\p{Lu}/u.test(next);
  if (FINAL_IF_CAPITAL_FOLLOWS.has(bare)) return capital;
  // Initials and dotted abbreviations: "U.S. customers" goes on, "made in the U.S. Then" ends.
  if (/^(?:\p{L}\.)+\p{L}?$/u.test(bare) || /^\p{Lu}$/u.test(word)) return capital && bare.length > 2;
  return true;
}

/** A unit of Markdown text as the offline models read it. */
export type TextBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; sentences: string[]; listItem: boolean }
  | { kind: "table"; header: string[] | undefined; rows: string[][]; source: string }
  | { kind: "code"; text: string };

const LIST_MARKER = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/**
 * Reads Markdown into headings, paragraphs (split into sentences), list items, tables (header and
 * rows of cells) and code blocks. Lines of one paragraph are joined, so a sentence wrapped over two
 * lines stays whole; a list item, heading, table row or quote starts a new block.
 *
 * @example
 * textBlocks("# Plans\n\n| | Free |\n|---|---|\n| Price | $0 |\n\nPro costs $20. Business costs $45.")
 * // [{ kind: "heading", … }, { kind: "table", header: ["", "Free"], rows: [["Price", "$0"]], … },
 * //  { kind: "paragraph", sentences: ["Pro costs $20.", "Business costs $45."], listItem: false }]
 */
export function textBlocks(markdown: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let paragraph: string[] = [];
  let listItem = false;
  const flush = () => {
    const sentences = splitSentences(paragraph.join(" "));
    if (sentences.length > 0) blocks.push({ kind: "paragraph", sentences, listItem });
    paragraph = [];
    listItem = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) code.push(lines[i]!);
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: "heading", text: heading[1]! });
      continue;
    }
    if (isTableRow(line) && (isTableRow(lines[i + 1] ?? "") || TABLE_SEPARATOR.test(lines[i + 1] ?? "") || TABLE_SEPARATOR.test(lines[i - 1] ?? "") || isTableRow(lines[i - 1] ?? ""))) {
      flush();
      const tableLines: string[] = [];
      while (i < lines.length && (isTableRow(lines[i]!) || TABLE_SEPARATOR.test(lines[i]!))) tableLines.push(lines[i++]!);
      i--;
      blocks.push(parseTable(tableLines));
      continue;
    }
    if (LIST_MARKER.test(line)) {
      flush();
      paragraph.push(line.replace(LIST_MARKER, ""));
      listItem = true;
      continue;
    }
    paragraph.push(line.replace(/^\s*>\s?/, ""));
  }
  flush();
  return blocks;
}

function isTableRow(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith("|") && trimmed.length > 1 && !TABLE_SEPARATOR.test(trimmed);
}

/** Cells of a Markdown table row; escaped pipes stay in their cell. */
export function tableCells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function parseTable(lines: string[]): TextBlock {
  const separator = lines.findIndex((line) => TABLE_SEPARATOR.test(line));
  const rows = lines.filter((line) => !TABLE_SEPARATOR.test(line)).map(tableCells);
  const header = separator === 1 ? rows.shift() : undefined;
  return { kind: "table", header, rows, source: lines.join("\n") };
}

/**
 * Renders a table (header and rows of cells) as compact Markdown. Pipes inside cells are escaped.
 *
 * @example
 * markdownTable(["", "Free"], [["Price", "$0"]]) // "| | Free |\n|---|---|\n| Price | $0 |"
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[]) => `| ${header.map((_, i) => (cells[i] ?? "").replace(/\|/g, "\\|")).join(" | ")} |`.replace(/\|\s{2,}\|/g, "| |");
  return [row(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(row)].join("\n");
}

/**
 * The first `count` sentences of a text: a Markdown table counts as one sentence and is kept whole
 * together with the caption line that introduces it ("Plans and pricing [1]:"), and a paragraph
 * break stays a paragraph break.
 *
 * @example
 * firstSentences("It costs $0.005 per minute. More text. Even more.", 2) // "It costs $0.005 per minute. More text."
 */
export function firstSentences(text: string, count: number): string {
  const isTable = (paragraph: string) => paragraph.split("\n").every((line) => isTableRow(line) || TABLE_SEPARATOR.test(line));
  const paragraphs = text.split(/\n{2,}/);
  const kept: string[] = [];
  let left = count;
  for (let i = 0; i < paragraphs.length && left > 0; i++) {
    const paragraph = paragraphs[i]!;
    if (isTable(paragraph)) {
      kept.push(paragraph);
      left--;
      continue;
    }
    const sentences = splitSentences(paragraph);
    // A caption ending in ":" goes with the table after it: both count as one sentence.
    const captionsTable = /:\s*$/.test(paragraph) && paragraphs[i + 1] !== undefined && isTable(paragraphs[i + 1]!);
    if (captionsTable && sentences.length <= left) {
      kept.push(sentences.join(" "), paragraphs[++i]!);
      left -= sentences.length;
      continue;
    }
    kept.push(sentences.slice(0, left).join(" "));
    left -= Math.min(left, sentences.length);
  }
  return kept.join("\n\n").trim();
}
