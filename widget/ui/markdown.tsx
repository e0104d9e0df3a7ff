import { Component, type ComponentChildren, type VNode } from "preact";
import { useRef, useState } from "preact/hooks";
import { newChunkCache, splitMarkdownChunks } from "./markdown-chunks";
import { safeLinkUrl, workerImageUrl } from "./safe-url";

/**
 * edgechat's Markdown renderer: a small line-based parser that turns Markdown straight into
 * Preact virtual nodes. No HTML string is ever built or assigned, so raw HTML in the text is
 * shown as text, and every link and image URL passes through safe-url.ts.
 * Supported: paragraphs, emphasis, strong, strikethrough, inline code, fenced code (with a copy
 * button), headings, lists (nested), block quotes, tables, rules, links, autolinks, images from
 * the widget's own worker, and citations `[n]` that link to the message's n-th source.
 *
 * Why our own: measured gzip -9 (esbuild, minified), marked's lexer alone is 15.3 KB before any
 * renderer; streaming-markdown is 3.2 KB but writes DOM nodes itself (outside Preact's diff);
 * this file with its renderer, URL policy and chunk memoisation is 2.7 KB.
 */
export interface MarkdownContext {
  /** The message's sources; `[n]` in the text links to sources[n - 1]. */
  sources: readonly { url: string; title?: string }[];
  /** Origin of the edgechat worker: the only place images are loaded from. */
  workerOrigin: string;
  /** Interface strings used inside Markdown. */
  labels: { copy: string; copied: string; source: string };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?/;
const ITEM = /^( {0,3})([-*+]|(\d{1,9})[.)])(?:\s+|$)/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function startsBlock(line: string, next: string | undefined): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line) || isTableStart(line, next);
}

function isTableStart(line: string, next: string | undefined): boolean {
  return line.includes("|") && next !== undefined && next.includes("-") && TABLE_DELIMITER.test(next);
}

function tableCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  return row
    .replace(/\\\|/g, "\0")
    .split("|")
    .map((cell) => cell.trim().replace(/\0/g, "|"));
}

/**
 * Renders Markdown blocks to virtual nodes.
 *
 * @example
 * render(<div>{markdownBlocks("**Hi** [1]", context)}</div>, element);
 */
export function markdownBlocks(source: string, context: MarkdownContext, tight = false): VNode[] {
  const lines = source.split(/\r?\n/);
  const out: VNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    let match: RegExpExecArray | null;
    if ((match = FENCE.exec(line))) {
      const marker = match[1]!;
      const code: string[] = [];
      for (i++; i < lines.length; i++) {
        const trimmed = lines[i]!.trim();
        if (trimmed.startsWith(marker) && trimmed.replace(/[`~]/g, "") === "") {
          i++;
          break;
        }
        code.push(lines[i]!);
      }
      out.push(<CodeBlock code={code.join("\n")} language={match[2] ?? ""} labels={context.labels} />);
    } else if ((match = HEADING.exec(line))) {
      const Tag = `h${Math.min(match[1]!.length + 2, 6)}` as "h3";
      out.push(<Tag>{inline(match[2] ?? "", context)}</Tag>);
      i++;
    } else if (RULE.test(line)) {
      out.push(<hr />);
      i++;
    } else if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== "" && (QUOTE.test(lines[i]!) || !startsBlock(lines[i]!, lines[i + 1]))) {
        quoted.push(lines[i]!.replace(QUOTE, ""));
        i++;
      }
      out.push(<blockquote>{markdownBlocks(quoted.join("\n"), context)}</blockquote>);
    } else if ((match = ITEM.exec(line))) {
      i = list(lines, i, context, out);
    } else if (isTableStart(line, lines[i + 1])) {
      const head = tableCells(line);
      const align = tableCells(lines[i + 1]!).map((cell) =>
        cell.endsWith(":") ? (cell.startsWith(":") ? "center" : "right") : cell.startsWith(":") ? "left" : undefined,
      );
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.includes("|") && lines[i]!.trim() !== ""; i++) rows.push(tableCells(lines[i]!));
      out.push(
        <div class="table">
          <table>
            <thead>
              <tr>
                {head.map((cell, column) => (
                  <th align={align[column]}>{inline(cell, context)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  {head.map((_, column) => (
                    <td align={align[column]}>{inline(row[column] ?? "", context)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
    } else {
      const paragraph: string[] = [line];
      for (i++; i < lines.length && lines[i]!.trim() !== "" && !startsBlock(lines[i]!, lines[i + 1]); i++) paragraph.push(lines[i]!);
      const content = inline(paragraph.map((l) => l.trim()).join("\n"), context);
      out.push(tight ? <>{content}</> : <p>{content}</p>);
    }
  }
  return out;
}

/** Reads one list starting at `start` into `out`; returns the index of the first line after it. */
function list(lines: string[], start: number, context: MarkdownContext, out: VNode[]): number {
  const first = ITEM.exec(lines[start]!)!;
  const ordered = first[3] !== undefined;
  const items: { lines: string[]; loose: boolean }[] = [];
  let i = start;
  let indent = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const item = ITEM.exec(line);
    if (item && item[1]!.length < Math.max(indent, 1) && (item[3] !== undefined) === ordered) {
      indent = item[0].length;
      items.push({ lines: [line.slice(item[0].length)], loose: false });
      i++;
      continue;
    }
    const current = items[items.length - 1]!;
    if (line.trim() === "") {
      const next = lines[i + 1];
      if (next === undefined || next.trim() === "") break;
      const nextItem = ITEM.exec(next);
      const continues = /^\s{2,}/.test(next) || (nextItem !== null && (nextItem[3] !== undefined) === ordered);
      if (!continues) break;
      current.lines.push("");
      current.loose = true;
      i++;
      continue;
    }
    const leading = /^\s*/.exec(line)![0].length;
    if (leading >= 2) current.lines.push(line.slice(Math.min(leading, indent)));
    else if (!startsBlock(line, lines[i + 1])) current.lines.push(line);
    else break;
    i++;
  }
  const children = items.map((item) => <li>{markdownBlocks(item.lines.join("\n"), context, !item.loose)}</li>);
  out.push(ordered ? <ol start={Number(first[3]) === 1 ? undefined : Number(first[3])}>{children}</ol> : <ul>{children}</ul>);
  return i;
}

// One alternation, tried left to right at each position. Groups:
//  1 escaped char | 2,3 code span | 4 strong ** | 5 strong __ | 6 em * | 7 em _ | 8 strike
//  9,10 image | 11,12 link | 13 citation | 14 <autolink> | 15 bare URL | 16 line break
const INLINE =
  /\\([!-/:-@[-`{-~])|(`+)([^`]|[^`][^]*?[^`])\2(?!`)|\*\*(?=\S)([^]*?\S)\*\*|__(?=\S)([^]*?\S)__(?!\w)|\*(?=[^\s*])([^*]*?[^\s*]|[^\s*])\*|_(?=[^\s_])([^_]*?[^\s_]|[^\s_])_(?!\w)|~~(?=\S)([^]*?\S)~~|!\[([^\]\n]*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+"[^"\n]*")?\s*\)|\[((?:[^[\]\n]|\[[^\]\n]*\])*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+"[^"\n]*")?\s*\)|\[(\d{1,3})\]|<((?:https?|mailto):[^\s<>]+)>|(https?:\/\/[^\s<>]*[^\s<>.,:;"'!?)\]])|(\n)/g;

/**
 * Renders inline Markdown (emphasis, code, links, citations…) to virtual nodes; text stays text.
 *
 * @example
 * inline("see **this** [1]", context)
 */
export function inline(text: string, context: MarkdownContext): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const pattern = new RegExp(INLINE.source, "g");
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    const at = match.index;
    const [whole, escaped, , code, strong1, strong2, em1, em2, strike, imageAlt, imageUrl, linkText, linkUrl, citation, autolink, bareUrl] = match;
    // Intraword underscores (snake_case) are not emphasis.
    if (em2 !== undefined && /\w/.test(text[at - 1] ?? "")) {
      pattern.lastIndex = at + 1;
      continue;
    }
    if (at > last) out.push(text.slice(last, at));
    last = at + whole.length;
    if (escaped !== undefined) out.push(escaped);
    else if (code !== undefined) out.push(<code>{code.length > 2 && code.startsWith(" ") && code.endsWith(" ") ? code.slice(1, -1) : code}</code>);
    else if (strong1 !== undefined || strong2 !== undefined) out.push(<strong>{inline((strong1 ?? strong2)!, context)}</strong>);
    else if (em1 !== undefined || em2 !== undefined) out.push(<em>{inline((em1 ?? em2)!, context)}</em>);
    else if (strike !== undefined) out.push(<s>{inline(strike, context)}</s>);
    else if (imageUrl !== undefined) out.push(image(imageAlt ?? "", imageUrl, context));
    else if (linkUrl !== undefined) {
      const href = safeLinkUrl(linkUrl);
      const children = inline(linkText ?? "", context);
      out.push(href ? <ExternalLink href={href}>{children}</ExternalLink> : <>{children}</>);
    } else if (citation !== undefined) out.push(cite(Number(citation), context) ?? whole);
    else if (autolink !== undefined || bareUrl !== undefined) {
      const raw = (autolink ?? bareUrl)!;
      const href = safeLinkUrl(raw);
      out.push(href ? <ExternalLink href={href}>{raw.replace(/^mailto:/, "")}</ExternalLink> : raw);
    } else out.push(<br />);
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function image(alt: string, raw: string, context: MarkdownContext): ComponentChildren {
  const src = workerImageUrl(raw, context.workerOrigin);
  if (src) return <img class="md-img" src={src} alt={alt} loading="lazy" />;
  // Not from our worker: never fetched, at most a plain link.
  const href = safeLinkUrl(raw);
  return href ? <ExternalLink href={href}>{alt || href}</ExternalLink> : alt;
}

function cite(n: number, context: MarkdownContext): ComponentChildren | undefined {
  const source = context.sources[n - 1];
  const href = source && safeLinkUrl(source.url);
  if (!href) return undefined;
  return (
    <sup class="cite">
      <ExternalLink href={href} label={`${context.labels.source} ${n}: ${source.title || href}`}>
        {n}
      </ExternalLink>
    </sup>
  );
}

function ExternalLink({ href, label, children }: { href: string; label?: string; children: ComponentChildren }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" aria-label={label}>
      {children}
    </a>
  );
}

function CodeBlock({ code, language, labels }: { code: string; language: string; labels: MarkdownContext["labels"] }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(code).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => {},
    );
  return (
    <div class="code">
      <button type="button" class="copy" onClick={copy}>
        {copied ? labels.copied : labels.copy}
      </button>
      <pre>
        <code data-language={language || undefined}>{code}</code>
      </pre>
    </div>
  );
}

/** A chunk's nodes are rebuilt only when its text or the context changes. */
class MarkdownChunk extends Component<{ source: string; context: MarkdownContext }> {
  override shouldComponentUpdate(next: { source: string; context: MarkdownContext }): boolean {
    return next.source !== this.props.source || next.context !== this.props.context;
  }
  override render() {
    return <>{markdownBlocks(this.props.source, this.props.context)}</>;
  }
}

/**
 * Streaming-aware Markdown: closed chunks are memoised, only the last one is parsed again as
 * deltas arrive, so a long answer costs about linear time in its length.
 *
 * @example
 * <Markdown text={message.text} context={context} />
 */
export function Markdown({ text, context }: { text: string; context: MarkdownContext }) {
  const cache = useRef(newChunkCache());
  const chunks = splitMarkdownChunks(text, cache.current);
  return (
    <div class="md">
      {chunks.map((source, index) => (
        <MarkdownChunk key={index} source={source} context={context} />
      ))}
    </div>
  );
}
