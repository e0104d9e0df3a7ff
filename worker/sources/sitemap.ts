/** What a sitemap lists: pages (urlset) or further sitemaps (sitemapindex). */
export interface SitemapContents {
  kind: "urlset" | "sitemapindex";
  entries: { url: string; lastmod?: string }[];
}

/**
 * Reads a sitemap or sitemap index (sitemaps.org protocol). A small tolerant reader: it looks only at
 * `<loc>` and `<lastmod>` inside `<url>` / `<sitemap>` elements, decodes XML entities and CDATA, and
 * ignores everything else (namespaces, images, news extensions).
 *
 * @example
 * parseSitemap("<urlset><url><loc>https://a.example/x</loc></url></urlset>").entries // [{ url: "https://a.example/x" }]
 */
export function parseSitemap(xml: string): SitemapContents {
  const kind = /<(?:[\w-]+:)?sitemapindex[\s>]/i.test(xml) ? "sitemapindex" : "urlset";
  const element = kind === "sitemapindex" ? "sitemap" : "url";
  const entries: SitemapContents["entries"] = [];
  const pattern = new RegExp(`<(?:[\\w-]+:)?${element}[\\s>]([\\s\\S]*?)</(?:[\\w-]+:)?${element}\\s*>`, "gi");
  for (const match of xml.matchAll(pattern)) {
    const loc = field(match[1]!, "loc");
    if (!loc) continue;
    const lastmod = field(match[1]!, "lastmod");
    entries.push(lastmod ? { url: loc, lastmod } : { url: loc });
  }
  return { kind, entries };
}

function field(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[\\w-]+:)?${name}\\s*>([\\s\\S]*?)</(?:[\\w-]+:)?${name}\\s*>`, "i").exec(xml);
  if (!match) return undefined;
  const text = match[1]!.replace(/^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/, "$1").trim();
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&") || undefined;
}
