import { htmlToMarkdown } from "../rag/html-to-markdown";

/** What a page gives the index and the crawler. */
export interface ExtractedPage {
  title: string;
  /** The main content as Markdown-like text (headings kept for chunking). */
  markdown: string;
  /** Absolute http(s) links of the whole page (navigation included), without fragments. */
  links: string[];
  /** The page's `<link rel="canonical">`, absolute, if it names one. */
  canonical?: string;
}

// Elements that are page furniture, not content, and attribute words that mark furniture.
const FURNITURE_TAGS = new Set(["nav", "header", "footer", "aside", "form", "dialog", "menu"]);
const FURNITURE_WORDS = /(^|[\s_-])(cookie|cookies|consent|banner|gdpr|navbar|nav|menu|sidebar|breadcrumbs?|footer|header|skip-link|share|social|newsletter)([\s_-]|$)/i;
const VOID_TAGS = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

/**
 * A small readability-style extractor: the content of `<main>` (or `[role=main]`, or the first `<article>`), else
 * the `<body>` without navigation, headers, footers, asides, forms, dialogs and elements whose id or class names
 * cookie banners, menus, sidebars or breadcrumbs. Then the project's HTML-to-Markdown turns what is left into
 * text with its headings. How it fails: a site that puts content inside a `<header>`/`<aside>`, or whose
 * boilerplate has neutral class names and no landmark elements, keeps that boilerplate (each page's repeated
 * text is then indexed with it); there is no text-density scoring as Mozilla Readability has.
 *
 * @example
 * extractHtmlPage("<nav>Home</nav><main><h1>Setup</h1><p>Run it.</p></main>", "https://a.example/").markdown // "# Setup\n\nRun it."
 */
export function extractHtmlPage(html: string, pageUrl: string): ExtractedPage {
  const withoutComments = html.replace(/<!--[\s\S]*?(-->|$)/g, " ");
  const base = safeUrl(attribute(/<base\b[^>]*>/i.exec(withoutComments)?.[0] ?? "", "href") ?? "", pageUrl) ?? pageUrl;
  const links = new Set<string>();
  for (const match of withoutComments.matchAll(/<a\b[^>]*>/gi)) {
    const href = attribute(match[0], "href");
    const url = href ? safeUrl(href, base) : undefined;
    if (url) links.add(url);
  }
  let canonical: string | undefined;
  for (const match of withoutComments.matchAll(/<link\b[^>]*>/gi)) {
    if ((attribute(match[0], "rel") ?? "").toLowerCase().split(/\s+/).includes("canonical")) canonical = safeUrl(attribute(match[0], "href") ?? "", base);
  }
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(withoutComments)?.[1];
  const main =
    innerOf(withoutComments, (tag, attrs) => tag === "main" || /\brole\s*=\s*["']?main\b/i.test(attrs)) ??
    innerOf(withoutComments, (tag) => tag === "article") ??
    removeElements(innerOf(withoutComments, (tag) => tag === "body") ?? withoutComments, (tag, attrs) => {
      if (FURNITURE_TAGS.has(tag)) return true;
      const names = `${attribute(attrs, "id") ?? ""} ${attribute(attrs, "class") ?? ""} ${attribute(attrs, "role") ?? ""}`;
      return /\brole\s*=\s*["']?(navigation|banner|contentinfo|complementary)\b/i.test(attrs) || FURNITURE_WORDS.test(names);
    });
  const markdown = htmlToMarkdown(main);
  const heading = /^#\s+(.+)$/m.exec(markdown)?.[1];
  const title = plain(titleTag ?? "") || heading || new URL(pageUrl).pathname;
  return { title: title.slice(0, 300), markdown, links: [...links], ...(canonical ? { canonical } : {}) };
}

function plain(html: string): string {
  return htmlToMarkdown(`<p>${html}</p>`).replace(/\s+/g, " ").trim();
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3] ?? "").replace(/&amp;/g, "&") : undefined;
}

function safeUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

const TAG = /<(\/?)([a-zA-Z][\w-]*)\b([^>]*)>/g;

/** The inner HTML of the first element the predicate picks (nesting of the same tag respected). */
function innerOf(html: string, pick: (tag: string, attrs: string) => boolean): string | undefined {
  for (const match of html.matchAll(TAG)) {
    const tag = match[2]!.toLowerCase();
    if (match[1] || !pick(tag, match[3]!)) continue;
    const start = match.index! + match[0].length;
    const end = closingIndex(html, tag, start);
    return html.slice(start, end.contentEnd);
  }
  return undefined;
}

/** The HTML without the elements the predicate picks (and everything inside them). */
function removeElements(html: string, pick: (tag: string, attrs: string) => boolean): string {
  let out = "";
  let cursor = 0;
  const pattern = new RegExp(TAG.source, "g");
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    const tag = match[2]!.toLowerCase();
    if (match[1] || VOID_TAGS.has(tag) || match[3]!.endsWith("/") || !pick(tag, match[3]!)) continue;
    out += html.slice(cursor, match.index);
    const end = closingIndex(html, tag, match.index + match[0].length);
    cursor = end.elementEnd;
    pattern.lastIndex = end.elementEnd;
  }
  return out + html.slice(cursor);
}

function closingIndex(html: string, tag: string, from: number): { contentEnd: number; elementEnd: number } {
  const pattern = new RegExp(`<(/?)${tag}\\b[^>]*>`, "gi");
  pattern.lastIndex = from;
  let depth = 1;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    depth += match[1] ? -1 : 1;
    if (depth === 0) return { contentEnd: match.index, elementEnd: match.index + match[0].length };
  }
  return { contentEnd: html.length, elementEnd: html.length };
}
