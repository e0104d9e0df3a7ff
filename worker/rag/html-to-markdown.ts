import { htmlTablesToMarkdown } from "./html-tables";
const DROPPED_ELEMENTS = ["script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "math", "select"];
const BLOCK_ELEMENTS =
  "p|div|section|article|main|aside|header|footer|nav|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|blockquote|figure|figcaption|form|fieldset|details|summary|hr|address";

/**
 * Turns an HTML page into plain Markdown-like text for chunking: headings become `#` lines (so the
 * heading path is kept), `<pre>` becomes a fenced code block, block elements become line breaks,
 * entities are decoded. Scripts, styles, templates and other non-text elements are dropped with
 * their content. The result is text only: it is never rendered as HTML.
 *
 * @example
 * htmlToMarkdown("<h1>Setup</h1><script>x()</script><p>Run it.</p>") // "# Setup\n\nRun it."
 */
export function htmlToMarkdown(html: string): string {
  let text = html.replace(/<!--[\s\S]*?(-->|$)/g, " ");
  for (const element of DROPPED_ELEMENTS) {
    text = text.replace(new RegExp(`<${element}\\b[^>]*>[\\s\\S]*?(</${element}\\s*>|$)`, "gi"), " ");
    text = text.replace(new RegExp(`<${element}\\b[^>]*/?>`, "gi"), " ");
  }
  text = text.replace(/<title\b[^>]*>([\s\S]*?)<\/title\s*>/gi, " ");
  text = htmlTablesToMarkdown(text);
  text = text.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_match, code: string) => `\n\n\`\`\`\n${stripTags(code).trim()}\n\`\`\`\n\n`);
  text = text.replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_match, level: string, inner: string) => {
    const heading = stripTags(inner).replace(/\s+/g, " ").trim();
    return heading ? `\n\n${"#".repeat(Number(level))} ${heading}\n\n` : "\n\n";
  });
  text = text.replace(/<br\s*\/?>/gi, "\n");
  text = text.replace(/<li\b[^>]*>/gi, "\n- ");
  text = text.replace(/<\/(td|th)\s*>/gi, " | ");
  text = text.replace(new RegExp(`</?(${BLOCK_ELEMENTS})\\b[^>]*>`, "gi"), "\n\n");
  text = stripTags(text);
  return decodeEntities(text)
    .split("\n")
    .map((line) => (line.startsWith("    ") ? line.trimEnd() : line.replace(/[ \t]+/g, " ").trim()))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function stripTags(html: string): string {
  return html.replace(/<\/?[a-zA-Z][^>]*>/g, "").replace(/<[!?][^>]*>/g, "");
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", mdash: "—", ndash: "–", hellip: "…",
  lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", copy: "©", reg: "®", trade: "™", euro: "€", middot: "·", times: "×",
};

/** Decodes HTML character references (numeric and the common named ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (match, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "";
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
  });
}
