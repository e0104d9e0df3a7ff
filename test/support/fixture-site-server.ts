import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { imageOnlyPdf, textPdf } from "../../worker/test-support/pdf-fixtures";

/**
 * A website for the knowledge-source tests, generated in memory and served on 127.0.0.1 (and ::1) at a free port:
 *  - `/docs/page-1.html` … `/docs/page-200.html` with header, nav, cookie banner and footer boilerplate around
 *    `<main>`; `/docs/index.html` links pages 1-10, page k links 10k+1 … 10k+10 (so page 157 is 3 hops deep);
 *    the nav links `page-1.html?ref=nav`, whose canonical is page-1.html; ETag and 304 on If-None-Match.
 *  - `/sitemap.xml` (an index) → `/sitemaps/docs-1.xml`, `/sitemaps/nested-index.xml` (an index again) →
 *    `/sitemaps/docs-2.xml`, `/sitemaps/special.xml`; each page entry carries `<lastmod>`.
 *  - `/robots.txt`: edgechat may fetch everything but `/private/`; every other agent nothing.
 *  - The special cases of SPECIAL_PATHS: a redirect chain, a loop, a redirect to a private address, a 5 MB page,
 *    a binary file named .html, a windows-1252 page, a page slower than the test's timeout, two URLs with the
 *    same content, a page that answers 503 twice before it works, a 404, and PDFs (text, scan).
 *  - `POST /__control?change=7,42&remove=199` changes or removes pages; `POST /__control?reset=1` restores all;
 *    `GET /__control/hits?path=/docs/page-1.html` counts requests per path.
 */
export const SPECIAL_PATHS = [
  "/private/secret.html",
  "/redirect/start",
  "/loop/a",
  "/to-private",
  "/big.html",
  "/binary.html",
  "/latin.html",
  "/slow.html",
  "/dup/a.html",
  "/dup/b.html",
  "/flaky.html",
  "/gone.html",
  "/files/manual.pdf",
  "/files/scan.pdf",
] as const;

export const PAGE_COUNT = 200;
/** The fact only the deep page 157 states (three links from the index). */
export const DEEP_FACT = { page: 157, question: "How long is the warranty of the Zephyr kettle?", answer: "seven years" };
export const SLOW_PAGE_MS = 4000;

export interface FixtureSite {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startFixtureSite(listenPort = 0): Promise<FixtureSite> {
  const versions = new Map<number, number>();
  const removed = new Set<number>();
  const hits = new Map<string, number>();
  let flakyFailures = 0;
  let port = 0;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });

  function pageBody(n: number): string {
    const version = versions.get(n) ?? 0;
    const children = n <= 20 ? Array.from({ length: 10 }, (_, i) => 10 * n + i + 1).filter((child) => child <= PAGE_COUNT) : [];
    const fact =
      n === DEEP_FACT.page
        ? "<p>The Zephyr kettle's warranty lasts seven years when it is registered online within thirty days of purchase.</p>"
        : `<p>Article ${n} (revision ${version}) explains feature number ${n} of the Fixture product: its setting ${n * 7 % 97}, the dial position ${n % 12}, and why the ${WORDS[n % WORDS.length]} mode exists.</p>`;
    return `<!doctype html><html><head><meta charset="utf-8"><title>Topic ${n} | Fixture Docs</title>
<link rel="canonical" href="/docs/page-${n}.html"></head><body>
<header class="site-header"><a href="/docs/index.html">Fixture Docs</a> <nav><a href="/docs/page-1.html?ref=nav">Start here</a> <a href="/docs/page-2.html">Install</a> Menu entries for every page</nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><h1>Topic ${n}</h1>${fact}
${children.map((child) => `<a href="page-${child}.html">Topic ${child}</a>`).join(" ")}</main>
<footer>Boilerplate footer: Fixture Corp, 1 Example Road. All rights reserved.</footer></body></html>`;
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://fixture");
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const base = `http://127.0.0.1:${port}`;
    if (url.pathname === "/__control") {
      if (url.searchParams.get("reset")) {
        versions.clear();
        removed.clear();
        hits.clear();
        flakyFailures = 0;
      }
      for (const n of (url.searchParams.get("change") ?? "").split(",").filter(Boolean)) versions.set(Number(n), (versions.get(Number(n)) ?? 0) + 1);
      for (const n of (url.searchParams.get("remove") ?? "").split(",").filter(Boolean)) removed.add(Number(n));
      return send(response, 200, "application/json", JSON.stringify({ ok: true }));
    }
    if (url.pathname === "/__control/hits") return send(response, 200, "application/json", JSON.stringify({ hits: hits.get(url.searchParams.get("path") ?? "") ?? 0 }));
    if (url.pathname === "/robots.txt") return send(response, 200, "text/plain", "User-agent: edgechat\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n");
    if (url.pathname === "/sitemap.xml") return send(response, 200, "application/xml", sitemapIndex([`${base}/sitemaps/docs-1.xml`, `${base}/sitemaps/nested-index.xml`]));
    if (url.pathname === "/sitemaps/nested-index.xml") return send(response, 200, "application/xml", sitemapIndex([`${base}/sitemaps/docs-2.xml`, `${base}/sitemaps/special.xml`]));
    if (url.pathname === "/sitemaps/docs-1.xml" || url.pathname === "/sitemaps/docs-2.xml") {
      const first = url.pathname.endsWith("1.xml") ? 1 : 101;
      const pages = Array.from({ length: 100 }, (_, i) => first + i).filter((n) => !removed.has(n));
      return send(response, 200, "application/xml", urlset(pages.map((n) => ({ loc: `${base}/docs/page-${n}.html`, lastmod: `2026-11-${String(1 + (versions.get(n) ?? 0)).padStart(2, "0")}` }))));
    }
    if (url.pathname === "/sitemaps/special.xml") return send(response, 200, "text/xml; charset=utf-8", urlset(SPECIAL_PATHS.map((path) => ({ loc: `${base}${path}` }))));
    const page = /^\/docs\/page-(\d+)\.html$/.exec(url.pathname);
    if (page && Number(page[1]) >= 1 && Number(page[1]) <= PAGE_COUNT && !removed.has(Number(page[1]))) return sendTagged(request, response, "text/html; charset=utf-8", pageBody(Number(page[1])));
    if (url.pathname === "/docs/index.html") {
      return sendTagged(request, response, "text/html", `<html><head><title>Fixture Docs</title></head><body><main><h1>Fixture Docs</h1>${Array.from({ length: 10 }, (_, i) => `<a href="page-${i + 1}.html">Topic ${i + 1}</a>`).join(" ")}</main></body></html>`);
    }
    switch (url.pathname) {
      case "/private/secret.html":
        return sendTagged(request, response, "text/html", "<main><h1>Secret</h1><p>Internal only.</p></main>");
      case "/redirect/start":
        return redirect(response, 301, "/redirect/two");
      case "/redirect/two":
        return redirect(response, 302, `${base}/redirect/three`);
      case "/redirect/three":
        return redirect(response, 307, "/redirect/target.html");
      case "/redirect/target.html":
        return sendTagged(request, response, "text/html", "<main><h1>Redirect target</h1><p>Reached after three redirects: the moved page.</p></main>");
      case "/loop/a":
        return redirect(response, 302, "/loop/b");
      case "/loop/b":
        return redirect(response, 302, "/loop/a");
      case "/to-private":
        // Same server, but named "localhost": only the exact host:port 127.0.0.1:PORT is allowed.
        return redirect(response, 302, `http://localhost:${port}/docs/page-1.html`);
      case "/big.html": {
        response.writeHead(200, { "content-type": "text/html" });
        const block = `<p>${"filler ".repeat(1000)}</p>`;
        for (let written = 0; written < 5 * 1024 * 1024; written += block.length) {
          if (!response.write(block)) await new Promise((resolve) => response.once("drain", resolve));
          if (response.destroyed) return;
        }
        return response.end();
      }
      case "/binary.html":
        return send(response, 200, "text/html", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]));
      case "/latin.html":
        return sendTagged(request, response, "text/html; charset=windows-1252", Buffer.from(WINDOWS_1252_PAGE, "latin1"));
      case "/slow.html":
        await new Promise((resolve) => setTimeout(resolve, SLOW_PAGE_MS));
        return send(response, 200, "text/html", "<main><p>Too late.</p></main>");
      case "/dup/a.html":
      case "/dup/b.html":
        return sendTagged(request, response, "text/html", "<main><h1>Shipping rates</h1><p>Shipping costs 4 euros within the EU.</p></main>");
      case "/flaky.html":
        if (flakyFailures < 2) {
          flakyFailures++;
          response.writeHead(503, { "retry-after": "1", "content-type": "text/plain" });
          return response.end("busy");
        }
        return sendTagged(request, response, "text/html", "<main><h1>Flaky</h1><p>Answered on the third attempt.</p></main>");
      case "/files/manual.pdf":
        return sendTagged(request, response, "application/pdf", Buffer.from(textPdf([["Kettle manual", "Descaling: use citric acid monthly."], ["Руководство: гарантия семь лет"]])));
      case "/files/scan.pdf":
        return sendTagged(request, response, "application/pdf", Buffer.from(imageOnlyPdf()));
      default:
        return send(response, 404, "text/html", "<h1>Not found</h1>");
    }
  }

  await new Promise<void>((resolve) => server.listen(listenPort, "::", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const WORDS = ["eco", "turbo", "quiet", "night", "boost", "travel", "child-lock", "keep-warm"];
// "Café crème, brûlée – “smart quotes” cost 5 €." in windows-1252 bytes (0x96 en dash, 0x93/0x94 quotes, 0x80 euro).
const WINDOWS_1252_PAGE = "<html><head><title>Caf\u00e9 menu</title></head><body><main><h1>Caf\u00e9 cr\u00e8me</h1><p>Cr\u00e8me br\u00fbl\u00e9e \u0096 \u0093smart quotes\u0094 cost 5 \u0080.</p></main></body></html>";

function sitemapIndex(locs: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((loc) => `<sitemap><loc>${loc}</loc></sitemap>`).join("")}</sitemapindex>`;
}

function urlset(entries: { loc: string; lastmod?: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries
    .map((entry) => `<url><loc>${entry.loc}</loc>${entry.lastmod ? `<lastmod>${entry.lastmod}</lastmod>` : ""}</url>`)
    .join("")}</urlset>`;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer) {
  response.writeHead(status, { "content-type": type });
  response.end(body);
}

function sendTagged(request: IncomingMessage, response: ServerResponse, type: string, body: string | Buffer) {
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
  if (request.headers["if-none-match"] === etag) {
    response.writeHead(304, { etag });
    return response.end();
  }
  response.writeHead(200, { "content-type": type, etag });
  response.end(body);
}

function redirect(response: ServerResponse, status: number, location: string) {
  response.writeHead(status, { location });
  response.end();
}
