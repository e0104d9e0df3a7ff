import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunk-document";

describe("chunkDocument", () => {
  it("keeps the Markdown heading path with each chunk", () => {
    const markdown = [
      "# Billing",
      "",
      "Acme bills monthly for every workspace on a paid plan.",
      "",
      "## Refunds",
      "",
      "Refunds are issued within five business days of a request.",
      "",
      "### Partial months",
      "",
      "Partial months are prorated to the day when you downgrade.",
      "",
      "## Invoices",
      "",
      "Invoices are emailed to the billing contact on the first day of the month.",
    ].join("\n");
    const chunks = chunkDocument(markdown, "markdown");
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([
      ["Billing"],
      ["Billing", "Refunds"],
      ["Billing", "Refunds", "Partial months"],
      ["Billing", "Invoices"],
    ]);
    expect(chunks[2]!.text).toBe("Partial months are prorated to the day when you downgrade.");
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1, 2, 3]);
  });

  it("understands setext headings and skips front matter", () => {
    const chunks = chunkDocument("---\ntitle: x\n---\nGuide\n=====\n\nIntro text that is long enough.\n\nDetails\n-------\n\nDetail text that is long enough.", "markdown");
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([["Guide"], ["Guide", "Details"]]);
    expect(chunks.map((chunk) => chunk.text).join(" ")).not.toContain("title: x");
  });

  it("keeps a fenced code block whole and never reads a # line inside it as a heading", () => {
    const code = ["```sh", "# install the CLI", "npm install -g acme-cli", "acme login --token $ACME_TOKEN", "```"].join("\n");
    const chunks = chunkDocument(`# CLI\n\nInstall it like this:\n\n${code}\n\nThen log in.`, "markdown");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toEqual(["CLI"]);
    expect(chunks[0]!.text).toContain(code);
  });

  it("reduces HTML to text: headings kept, scripts, styles and comments dropped, entities decoded", () => {
    const html = `<!doctype html><html><head><title>T</title><style>body{color:red}</style><script>var secret = "x";</script></head>
      <body><h1>Status page</h1><p>Check <a href="/status">status.acme.dev</a> &amp; subscribe for incident updates.</p>
      <script type="module">alert("no")</script><!-- hidden note -->
      <h2>Maintenance</h2><ul><li>Windows are announced 7&nbsp;days ahead.</li><li>They last at most 2 hours.</li></ul>
      <pre><code>curl https://status.acme.dev/api</code></pre></body></html>`;
    const chunks = chunkDocument(html, "html");
    const all = chunks.map((chunk) => chunk.text).join("\n");
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([["Status page"], ["Status page", "Maintenance"]]);
    expect(all).toContain("status.acme.dev & subscribe");
    expect(all).toContain("announced 7 days ahead");
    expect(all).toContain("curl https://status.acme.dev/api");
    expect(all).not.toMatch(/secret|alert|color:red|hidden note|<\/?[a-z]/);
  });

  it("splits plain text on blank lines and packs paragraphs up to maxChars", () => {
    const paragraph = "This sentence is about ninety characters long so that a few of them fill a chunk nicely. ";
    const text = Array.from({ length: 12 }, () => paragraph.repeat(2)).join("\n\n");
    const chunks = chunkDocument(text, "text", { maxChars: 500, overlapChars: 100 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(500);
      expect(chunk.headingPath).toEqual([]);
    }
  });

  it("overlaps consecutive chunks of a section by whole sentences", () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} explains one more detail.`).join(" ");
    const chunks = chunkDocument(`# Long\n\n${sentences}`, "markdown", { maxChars: 300, overlapChars: 100 });
    expect(chunks.length).toBeGreaterThan(3);
    for (let i = 1; i < chunks.length; i++) {
      const firstSentence = chunks[i]!.text.split(". ")[0]!;
      expect(chunks[i - 1]!.text).toContain(firstSentence);
    }
  });

  it("returns nothing for empty, blank or tiny input", () => {
    expect(chunkDocument("", "markdown")).toEqual([]);
    expect(chunkDocument("   \n\n\t\n", "text")).toEqual([]);
    expect(chunkDocument("<html><script>x()</script></html>", "html")).toEqual([]);
    expect(chunkDocument("# Title only\n\nok", "markdown")).toEqual([]);
  });

  it("drops tiny chunks but keeps their neighbours", () => {
    const chunks = chunkDocument("# A\n\nx\n\n# B\n\nThis section has enough words to be kept as a chunk.", "markdown");
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([["B"]]);
  });

  it("removes control and bidi-override characters and normalises to NFC", () => {
    const [chunk] = chunkDocument("Cafe\u0301 opens at nine\u202E in the morning\u0007 every weekday.\r\nReally.", "text");
    expect(chunk!.text).toBe("Café opens at nine in the morning every weekday.\nReally.");
  });

  it("chunks huge input quickly, with every chunk within bounds", () => {
    const word = "lorem ipsum dolor sit amet consectetur ";
    const huge = `# Huge\n\n${word.repeat(30_000)}\n\n${"x".repeat(50_000)}`; // ~1.2 MB, including a 50 kB "word"
    const started = Date.now();
    const chunks = chunkDocument(huge, "markdown");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(chunks.length).toBeGreaterThan(1000);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(1000);
  });

  it("refuses nonsensical options", () => {
    expect(() => chunkDocument("text", "text", { maxChars: 10 })).toThrow(RangeError);
    expect(() => chunkDocument("text", "text", { maxChars: 200, overlapChars: 150 })).toThrow(RangeError);
  });
});
