import { describe, expect, it } from "vitest";
import { parseSitemap } from "./sitemap";

describe("parseSitemap", () => {
  it("reads a urlset with lastmod, entities and CDATA", () => {
    const xml = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://a.example/x?a=1&amp;b=2</loc><lastmod>2026-11-01</lastmod></url>
      <url><loc><![CDATA[https://a.example/y]]></loc></url><url><lastmod>2026</lastmod></url></urlset>`;
    expect(parseSitemap(xml)).toEqual({
      kind: "urlset",
      entries: [{ url: "https://a.example/x?a=1&b=2", lastmod: "2026-11-01" }, { url: "https://a.example/y" }],
    });
  });

  it("recognises a sitemap index, namespace prefixes included", () => {
    const xml = `<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://a.example/s1.xml</sm:loc></sm:sitemap></sm:sitemapindex>`;
    expect(parseSitemap(xml)).toEqual({ kind: "sitemapindex", entries: [{ url: "https://a.example/s1.xml" }] });
  });
});
