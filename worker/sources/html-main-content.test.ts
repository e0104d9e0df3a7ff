import { describe, expect, it } from "vitest";
import { decodeText, BinaryContentError } from "./decode-text";
import { extractHtmlPage } from "./html-main-content";

describe("extractHtmlPage", () => {
  it("takes <main> when there is one, keeps headings, resolves every link and reads the canonical", () => {
    const page = extractHtmlPage(
      `<html><head><title>Setup &amp; install</title><link rel="canonical" href="/guide/setup"></head><body>
       <nav><a href="/">Home</a></nav><main><h1>Setup</h1><p>Run <a href="../cli#flags">the CLI</a>.</p><h2>Next</h2><p>Done.</p></main>
       <footer>© Corp</footer><a href="javascript:alert(1)">x</a><a href="mailto:a@b.c">mail</a></body></html>`,
      "https://docs.example/guide/intro/",
    );
    expect(page.title).toBe("Setup & install");
    expect(page.markdown).toBe("# Setup\n\nRun the CLI.\n\n## Next\n\nDone.");
    expect(page.links.sort()).toEqual(["https://docs.example/", "https://docs.example/guide/cli"]);
    expect(page.canonical).toBe("https://docs.example/guide/setup");
  });

  it("without landmarks, drops navigation, header, footer, asides and cookie banners (nested ones too)", () => {
    const page = extractHtmlPage(
      `<body><header><div><h1>Brand</h1></div></header><div id="cookie-consent"><div><p>We use cookies</p></div></div>
       <div class="content"><h1>Pricing</h1><p>Plans start at 5 euros.</p></div>
       <aside>Related</aside><div class="site-footer-links">Links</div><footer><footer>inner</footer>outer</footer></body>`,
      "https://a.example/pricing",
    );
    expect(page.markdown).toBe("# Pricing\n\nPlans start at 5 euros.");
    expect(page.title).toBe("Pricing");
  });
});

describe("decodeText", () => {
  it("decodes by the declared charset (header, then meta), UTF-8 otherwise", () => {
    expect(decodeText(Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x93]), "text/html; charset=windows-1252")).toBe("Café €“");
    const meta = new TextEncoder().encode('<meta charset="iso-8859-1"><p>x</p>');
    expect(decodeText(Uint8Array.from([...meta, 0xe9]), "text/html")).toBe('<meta charset="iso-8859-1"><p>x</p>é');
    expect(decodeText(new TextEncoder().encode("Грузия"), null)).toBe("Грузия");
  });

  it("refuses binary bodies whatever their declared type", () => {
    expect(() => decodeText(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), "text/html")).toThrow(BinaryContentError);
  });
});
