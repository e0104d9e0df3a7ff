import { describe, expect, it } from "vitest";
import type { ComponentChildren, VNode } from "preact";
import { inline, markdownBlocks, type MarkdownContext } from "./markdown";
import { newChunkCache, splitMarkdownChunks } from "./markdown-chunks";
import { safeLinkUrl, workerImageUrl } from "./safe-url";

const context: MarkdownContext = {
  sources: [{ url: "https://docs.test/reset", title: "Reset guide" }],
  workerOrigin: "https://chat.test",
  labels: { copy: "Copy", copied: "Copied", source: "Source" },
};

/** Serialises virtual nodes to an HTML-like string (text escaped) so tests can compare structure. */
function show(children: ComponentChildren): string {
  if (children === null || children === undefined || typeof children === "boolean") return "";
  if (Array.isArray(children)) return children.map(show).join("");
  if (typeof children === "string" || typeof children === "number") return String(children).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const node = children as VNode<Record<string, unknown>>;
  const props = node.props;
  if (typeof node.type === "function") {
    const name = (node.type as { name: string }).name;
    if (name === "CodeBlock") return `<pre lang="${props.language}">${show(props.code as string)}</pre>`;
    if (name === "ExternalLink") return `<a href="${props.href}"${props.label ? ` label="${props.label}"` : ""}>${show(props.children as ComponentChildren)}</a>`;
    return show(props.children as ComponentChildren);
  }
  const attributes = Object.entries(props)
    .filter(([key, value]) => key !== "children" && value !== undefined)
    .map(([key, value]) => ` ${key}="${value}"`)
    .join("");
  return `<${node.type}${attributes}>${show(props.children as ComponentChildren)}</${node.type}>`;
}

const md = (source: string) => show(markdownBlocks(source, context));

describe("markdownBlocks", () => {
  it("renders paragraphs, emphasis, code, headings, rules and quotes", () => {
    expect(md("# Title\nSome **bold**, *it*, _em_, ~~gone~~ and `a<b`.\n\n---\n> quoted *text*")).toBe(
      "<h3>Title</h3><p>Some <strong>bold</strong>, <em>it</em>, <em>em</em>, <s>gone</s> and <code>a&lt;b</code>.</p><hr></hr><blockquote><p>quoted <em>text</em></p></blockquote>",
    );
  });

  it("keeps snake_case words and escaped characters as text", () => {
    expect(md("use snake_case_name and \\*not em\\*")).toBe("<p>use snake_case_name and *not em*</p>");
  });

  it("renders nested and ordered lists", () => {
    expect(md("- one\n- two\n  - deep\n\n3. three\n4. four")).toBe(
      "<ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul><ol start=\"3\"><li>three</li><li>four</li></ol>",
    );
  });

  it("renders fenced code verbatim, even Markdown and HTML inside it, and an unclosed fence while streaming", () => {
    expect(md("```js\nconst a = '<b>**x**</b>';\n```")).toBe(`<pre lang="js">const a = '&lt;b>**x**&lt;/b>';</pre>`);
    expect(md("```\npartial")).toBe(`<pre lang="">partial</pre>`);
  });

  it("renders tables with alignment", () => {
    expect(md("| a | b |\n|:--|--:|\n| 1 | **2** |")).toBe(
      '<div class="table"><table><thead><tr><th align="left">a</th><th align="right">b</th></tr></thead><tbody><tr><td align="left">1</td><td align="right"><strong>2</strong></td></tr></tbody></table></div>',
    );
  });

  it("shows raw HTML as text", () => {
    expect(md('<img src=x onerror="alert(1)"><script>alert(1)</script>')).toBe(
      '<p>&lt;img src=x onerror="alert(1)">&lt;script>alert(1)&lt;/script></p>',
    );
  });
});

describe("links, images and citations", () => {
  it("links http, https and mailto only; anything else becomes plain text", () => {
    expect(show(inline("[ok](https://a.test/x) [mail](mailto:a@b.test)", context))).toBe(
      '<a href="https://a.test/x">ok</a> <a href="mailto:a@b.test">mail</a>',
    );
    for (const url of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "/relative", "javascript&#58;alert(1)"]) {
      const shown = show(inline(`[click](${url})`, context));
      expect(shown).not.toContain("<a");
      expect(shown).toContain("click");
    }
  });

  it("turns bare and angle-bracket URLs into links without trailing punctuation", () => {
    expect(show(inline("see https://a.test/x. or <https://b.test>", context))).toBe(
      'see <a href="https://a.test/x">https://a.test/x</a>. or <a href="https://b.test/">https://b.test</a>',
    );
  });

  it("loads images only from the worker's /v1/images/, other images become links and are never fetched", () => {
    expect(show(inline("![cat](/v1/images/abc)", context))).toBe('<img class="md-img" src="https://chat.test/v1/images/abc" alt="cat" loading="lazy"></img>');
    expect(show(inline("![cat](https://evil.test/v1/images/abc)", context))).toBe('<a href="https://evil.test/v1/images/abc">cat</a>');
    expect(show(inline("![cat](//evil.test/x.png)", context))).toBe("cat");
    expect(show(inline("![x](data:image/svg+xml,<svg onload=alert(1)>)", context))).not.toContain("<img");
  });

  it("links [n] to the n-th source and leaves unknown numbers as text", () => {
    expect(show(inline("Reset it [1]. See [2].", context))).toBe(
      'Reset it <sup class="cite"><a href="https://docs.test/reset" label="Source 1: Reset guide">1</a></sup>. See [2].',
    );
  });
});

describe("safe URLs", () => {
  it("normalises and rejects script URLs in their encodings", () => {
    expect(safeLinkUrl(" https://a.test ")).toBe("https://a.test/");
    expect(safeLinkUrl("\u0001javascript:alert(1)")).toBeUndefined();
    expect(safeLinkUrl("%6Aavascript:alert(1)")).toBeUndefined();
    expect(workerImageUrl("/v1/images/a", "https://w.test")).toBe("https://w.test/v1/images/a");
    expect(workerImageUrl("/v1/other", "https://w.test")).toBeUndefined();
  });
});

describe("splitMarkdownChunks", () => {
  it("keeps closed chunks identical as the text grows and only reopens the last one", () => {
    const cache = newChunkCache();
    expect(splitMarkdownChunks("# A\n\npara", cache)).toEqual(["# A", "para"]);
    const first = splitMarkdownChunks("# A\n\npara one\n\n- x", cache);
    expect(first).toEqual(["# A", "para one", "- x"]);
    const second = splitMarkdownChunks("# A\n\npara one\n\n- x\n\n- y\n\n```\na\n\nb", cache);
    expect(second).toEqual(["# A", "para one", "- x\n\n- y", "```\na\n\nb"]);
    expect(cache.closed[0]).toBe(first[0]);
  });

  it("starts over when the text is replaced rather than extended", () => {
    const cache = newChunkCache();
    splitMarkdownChunks("one\n\ntwo\n\nthree", cache);
    expect(splitMarkdownChunks("other\n\ntext", cache)).toEqual(["other", "text"]);
  });

  it("scans only the open chunk per delta: 5,000 deltas of a 20 KB answer stay linear", () => {
    const paragraph = "A sentence with **bold** and a [link](https://a.test) in it. ".repeat(6) + "\n\n";
    const answer = paragraph.repeat(Math.ceil(20_000 / paragraph.length));
    // Work is counted, not timed (timings belong in the bench): the characters parsed again per delta.
    const parsedCharacters = (text: string, deltas: number) => {
      const cache = newChunkCache();
      const step = Math.ceil(text.length / deltas);
      let parsed = 0;
      let previous: string[] = [];
      for (let end = step; end < text.length + step; end += step) {
        const chunks = splitMarkdownChunks(text.slice(0, end), cache);
        // Closed chunks come back as the very same strings, so a memoised renderer skips them.
        for (let i = 0; i < Math.min(previous.length, chunks.length) - 1; i++) expect(chunks[i]).toBe(previous[i]);
        for (const chunk of chunks.slice(-1)) {
          markdownBlocks(chunk, context);
          parsed += chunk.length;
        }
        previous = chunks;
      }
      return parsed;
    };
    const small = parsedCharacters(answer.slice(0, 2000), 500);
    const large = parsedCharacters(answer, 5000);
    // Linear: ten times the text in ten times the deltas costs about ten times the work (quadratic would be ~100×).
    expect(large / small).toBeLessThan(12);
    expect(large).toBeLessThan(5000 * paragraph.length);
  });
});
