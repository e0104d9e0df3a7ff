import { cleanText } from "./clean-text";
import { htmlToMarkdown } from "./html-to-markdown";

export type DocumentFormat = "markdown" | "html" | "text";

export interface ChunkOptions {
  /** Longest chunk body in characters (default 1000). */
  maxChars?: number;
  /** Characters of the previous chunk repeated at the start of the next one in the same section (default 150). */
  overlapChars?: number;
  /** Chunks with fewer letters and digits than this are dropped (default 20). */
  minChars?: number;
}

export interface DocumentChunk {
  /** Position in the document, from 0. */
  index: number;
  /** Headings above the chunk, outermost first (without `#`). */
  headingPath: string[];
  /** The chunk's text, cleaned of Markdown link and emphasis syntax. */
  text: string;
}

export const DEFAULT_CHUNK_OPTIONS: Required<ChunkOptions> = { maxChars: 1000, overlapChars: 150, minChars: 20 };

interface Section {
  headingPath: string[];
  blocks: string[];
}

/**
 * Splits a document into chunks that respect its structure: Markdown (and MDX) headings start new
 * sections and are kept as each chunk's heading path; fenced code blocks stay whole where they fit
 * and never count as headings; HTML is reduced to text (no scripts or styles) and then treated as
 * Markdown; plain text is split on blank lines. Long blocks are split on sentences, then lines,
 * then hard. Text is cleaned (NFC, no control or bidi-override characters) first.
 *
 * @example
 * chunkDocument("# Billing\n\n## Refunds\n\nRefunds take 5 days.", "markdown")
 * // [{ index: 0, headingPath: ["Billing", "Refunds"], text: "Refunds take 5 days." }]
 */
export function chunkDocument(content: string, format: DocumentFormat, options: ChunkOptions = {}): DocumentChunk[] {
  const { maxChars, overlapChars, minChars } = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  if (!Number.isInteger(maxChars) || maxChars < 100) throw new RangeError("maxChars must be an integer of at least 100.");
  if (!Number.isInteger(overlapChars) || overlapChars < 0 || overlapChars >= maxChars / 2) {
    throw new RangeError("overlapChars must be an integer from 0 to half of maxChars.");
  }
  const clean = cleanText(content);
  const markdown = format === "html" ? htmlToMarkdown(clean) : clean;
  const sections = format === "text" ? [{ headingPath: [], blocks: splitBlocks(markdown.split("\n")) }] : markdownSections(markdown);

  const chunks: DocumentChunk[] = [];
  for (const section of sections) {
    const pieces = section.blocks.flatMap((block) => splitLongBlock(block, maxChars - overlapChars - 2));
    let current = "";
    const flush = () => {
      const text = current.trim();
      if (countWordCharacters(text) >= minChars) chunks.push({ index: chunks.length, headingPath: section.headingPath, text });
      current = "";
      return text;
    };
    for (const piece of pieces) {
      if (current && current.length + 2 + piece.length > maxChars) {
        const previous = flush();
        const overlap = tailForOverlap(previous, overlapChars);
        if (overlap && overlap.length + 2 + piece.length <= maxChars) current = overlap;
      }
      current = current ? `${current}\n\n${piece}` : piece;
    }
    if (current) flush();
  }
  return chunks;
}

/** Splits Markdown into sections at headings (ATX `#` and setext), skipping code fences and front matter. */
function markdownSections(markdown: string): Section[] {
  const lines = markdown.split("\n");
  let start = 0;
  if (lines[0]?.trim() === "---") {
    const end = lines.findIndex((line, i) => i > 0 && (line.trim() === "---" || line.trim() === "..."));
    if (end > 0) start = end + 1;
  }
  const sections: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let body: string[] = [];
  let fence: string | undefined;
  const close = () => {
    const blocks = splitBlocks(body);
    if (blocks.length > 0) sections.push({ headingPath: path.map((heading) => heading.text), blocks });
    body = [];
  };
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      body.push(line);
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      body.push(line);
      continue;
    }
    const atx = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const next = lines[i + 1];
    const previousBlank = i === start || lines[i - 1]!.trim() === "";
    const setext =
      !atx && line.trim() !== "" && previousBlank && next !== undefined && /^\s{0,3}(=+|-{2,})\s*$/.test(next) && !/^\s*([-*+]|\d+\.)\s/.test(line);
    if (atx || setext) {
      close();
      const level = atx ? atx[1]!.length : /=/.test(next!) ? 1 : 2;
      const text = inlineText(atx ? atx[2]! : line.trim());
      while (path.length > 0 && path.at(-1)!.level >= level) path.pop();
      if (text) path.push({ level, text });
      if (setext) i++;
      continue;
    }
    if (/^(import|export)\s/.test(line)) continue; // MDX module lines
    body.push(line);
  }
  close();
  return sections;
}

/** Paragraphs and whole fenced code blocks, with inline Markdown reduced to text. */
function splitBlocks(lines: string[]): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  const push = () => {
    const text = current.join("\n").trim();
    if (text) blocks.push(text);
    current = [];
  };
  for (const line of lines) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      current.push(line);
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) {
        fence = undefined;
        push();
      }
      continue;
    }
    if (fenceMatch) {
      push();
      fence = fenceMatch[1]!;
      current.push(line);
      continue;
    }
    if (line.trim() === "") push();
    else current.push(inlineText(line.replace(/<\/?[A-Z][\w.]*[^>]*>/g, "")));
  }
  push();
  return blocks;
}

/** Markdown inline syntax to text: links keep their text, images their alt text, emphasis and code markers go. */
function inlineText(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/<((?:https?|mailto):[^>]+)>/g, "$1");
}

/** A block longer than the limit is cut on sentence ends, then line breaks, then hard. */
function splitLongBlock(block: string, maxChars: number): string[] {
  if (block.length <= maxChars) return [block];
  const sentences = block.match(/[^.!?\n]+(?:[.!?]+["')\]]*\s*|\n+|$)/g) ?? [block];
  const pieces: string[] = [];
  let current = "";
  for (const sentence of sentences) {
    if (sentence.length > maxChars) {
      if (current.trim()) pieces.push(current.trim());
      current = "";
      for (let i = 0; i < sentence.length; i += maxChars) {
        const part = sentence.slice(i, i + maxChars).trim();
        if (part) pieces.push(part);
      }
      continue;
    }
    if (current.length + sentence.length > maxChars) {
      if (current.trim()) pieces.push(current.trim());
      current = "";
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

/** The last whole sentences of a chunk that fit in `limit` characters (for overlap). */
function tailForOverlap(text: string, limit: number): string {
  if (limit === 0 || text.startsWith("```")) return "";
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+["')\]]*\s*|\n+|$)/g) ?? [];
  let tail = "";
  for (let i = sentences.length - 1; i >= 0; i--) {
    const candidate = sentences[i]! + tail;
    if (candidate.trim().length > limit) break;
    tail = candidate;
  }
  return tail.trim();
}

function countWordCharacters(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}
