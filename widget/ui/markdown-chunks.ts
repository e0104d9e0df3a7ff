/**
 * Splits Markdown into top-level chunks (runs of blocks separated by blank lines outside code
 * fences) incrementally: while an answer streams in, only the text from the start of the last,
 * still open chunk is scanned again, and the closed chunks keep their identity so their
 * rendered nodes are reused. The cost per delta is the size of the last chunk, not of the answer.
 */
export interface ChunkCache {
  /** The text the closed chunks were cut from (up to `tail`). */
  prefix: string;
  closed: string[];
  /** Offset where the open chunk starts. */
  tail: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])(\s|$)/;

/** A fresh cache for `splitMarkdownChunks`. */
export function newChunkCache(): ChunkCache {
  return { prefix: "", closed: [], tail: 0 };
}

/**
 * Returns the chunks of `text`: every closed chunk (the same strings as last time when the
 * text only grew) and the open one last.
 *
 * @example
 * const cache = newChunkCache();
 * splitMarkdownChunks("# Title\n\nSome te", cache); // ["# Title", "Some te"]
 */
export function splitMarkdownChunks(text: string, cache: ChunkCache): string[] {
  if (cache.tail > text.length || !text.startsWith(cache.prefix)) {
    cache.prefix = "";
    cache.closed = [];
    cache.tail = 0;
  }
  let start = cache.tail;
  let fence = "";
  let sawBlank = false;
  let isList = false;
  let lineStart = start;
  let first = true;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (fence) {
      if (line.trimStart().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "") fence = "";
    } else if (line.trim() === "") {
      sawBlank = !first;
    } else {
      if (sawBlank && !(isList && (/^\s{2,}/.test(line) || LIST_ITEM.test(line)))) {
        cache.closed.push(text.slice(start, lineStart).trim());
        start = lineStart;
      }
      if (first || start === lineStart) isList = LIST_ITEM.test(line);
      first = false;
      sawBlank = false;
      const open = FENCE.exec(line);
      if (open) fence = open[1]!;
    }
    lineStart = lineEnd + 1;
  }
  cache.tail = start;
  cache.prefix = text.slice(0, start);
  const open = text.slice(start).trim();
  return open ? [...cache.closed, open] : [...cache.closed];
}
