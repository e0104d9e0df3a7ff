import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module
import { collectDocuments, ingestPaths } from "./ingest.mjs";

function docsFolder() {
  const root = mkdtempSync(join(tmpdir(), "edgechat-ingest-"));
  mkdirSync(join(root, "guides"));
  writeFileSync(join(root, "guides", "setup.md"), "---\ntitle: Setting up\n---\n# Ignored heading\n\nText.");
  writeFileSync(join(root, "faq.mdx"), "# FAQ\n\nAnswers.");
  writeFileSync(join(root, "page.html"), "<html><head><title>Status page</title></head><body>x</body></html>");
  writeFileSync(join(root, "notes.txt"), "plain notes");
  writeFileSync(join(root, "image.png"), "not text");
  mkdirSync(join(root, ".git"));
  writeFileSync(join(root, ".git", "config.md"), "# hidden");
  return root;
}

describe("edgechat ingest", () => {
  it("collects md, mdx, html and txt files with ids, titles, formats and links", () => {
    const { documents, skipped } = collectDocuments([docsFolder()], { baseUrl: "https://docs.example.com/" });
    expect(documents.map((d: { id: string; title: string; format: string; url: string }) => [d.id, d.title, d.format, d.url])).toEqual([
      ["faq.mdx", "FAQ", "markdown", "https://docs.example.com/faq"],
      ["guides:setup.md", "Setting up", "markdown", "https://docs.example.com/guides/setup"],
      ["notes.txt", "Notes", "text", "https://docs.example.com/notes"],
      ["page.html", "Status page", "html", "https://docs.example.com/page"],
    ]);
    expect(skipped).toEqual([]);
    expect(collectDocuments(["/no/such/folder"]).skipped).toEqual([{ path: "/no/such/folder", reason: "no such file or folder" }]);
  });

  it("sends documents in batches to the admin API and sums up results and failures", async () => {
    const requests: { url: string; auth: string | null; ids: string[] }[] = [];
    const fakeFetch = async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { documents: { id: string }[] };
      requests.push({ url, auth: new Headers(init.headers).get("authorization"), ids: body.documents.map((d) => d.id) });
      const results = body.documents.map((d) =>
        d.id === "notes.txt" ? { id: d.id, status: "failed", chunks: 0, error: "The document has no text to index." } : { id: d.id, status: "indexed", chunks: 2 },
      );
      return new Response(JSON.stringify({ results }), { status: 200 });
    };
    const progress: number[] = [];
    const summary = await ingestPaths({
      paths: [docsFolder()],
      bot: "demo",
      url: "http://worker.test/",
      token: "t0ken",
      fetchImpl: fakeFetch,
      progress: (done: number) => progress.push(done),
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ url: "http://worker.test/v1/admin/bots/demo/documents", auth: "Bearer t0ken" });
    expect(summary).toMatchObject({ documents: 4, indexed: 3, unchanged: 0, chunks: 6 });
    expect(summary.failures).toEqual([{ path: "notes.txt", reason: "The document has no text to index." }]);
    expect(progress).toEqual([0, 4]);
  });

  it("uploads PDFs as files (the worker reads them page by page) and reports a worker that reads none", async () => {
    const root = docsFolder();
    writeFileSync(join(root, "guides", "manual.pdf"), "%PDF-1.7 fake bytes");
    expect(collectDocuments([root]).uploads).toEqual([{ path: "guides/manual.pdf", file: join(root, "guides", "manual.pdf") }]);
    for (const readsPdf of [true, false]) {
      const uploads: { url: string; name: string; type: string; bytes: string; baseUrl: unknown }[] = [];
      const fakeFetch = async (url: string, init: RequestInit) => {
        if (!(init.body instanceof FormData)) {
          const body = JSON.parse(String(init.body)) as { documents: { id: string }[] };
          return Response.json({ results: body.documents.map((d) => ({ id: d.id, status: "indexed", chunks: 1 })) });
        }
        const file = init.body.get("file") as File;
        uploads.push({ url, name: file.name, type: file.type, bytes: await file.text(), baseUrl: init.body.get("baseUrl") });
        return readsPdf
          ? Response.json({ results: [{ file: file.name, id: file.name, status: "indexed", chunks: 3 }] })
          : Response.json({ error: { code: "unsupported_type", message: '"manual.pdf" is a PDF. This worker reads no PDFs: pass { pdfText: extractPdfText }.' } }, { status: 415 });
      };
      const summary = await ingestPaths({ paths: [root], bot: "demo", url: "http://worker.test", token: "t", baseUrl: "/manuals/", fetchImpl: fakeFetch });
      expect(uploads).toEqual([{ url: "http://worker.test/v1/admin/bots/demo/files", name: "manual.pdf", type: "application/pdf", bytes: "%PDF-1.7 fake bytes", baseUrl: "/manuals/" }]);
      expect(summary).toMatchObject({ documents: 5, indexed: readsPdf ? 5 : 4, chunks: readsPdf ? 7 : 4 });
      expect(summary.failures).toEqual(readsPdf ? [] : [{ path: "guides/manual.pdf", reason: '"manual.pdf" is a PDF. This worker reads no PDFs: pass { pdfText: extractPdfText }.' }]);
    }
  });

  it("stops with the server's message when the token is refused", async () => {
    const refuse = async () => new Response(JSON.stringify({ error: { code: "unauthorized", message: "A valid admin token is required." } }), { status: 401 });
    await expect(ingestPaths({ paths: [docsFolder()], bot: "demo", url: "http://w.test", token: "bad", fetchImpl: refuse })).rejects.toThrow(
      "A valid admin token is required.",
    );
  });
});
