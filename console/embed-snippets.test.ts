import { describe, expect, it } from "vitest";
import { embedSnippets } from "./embed-snippets";

describe("embedSnippets", () => {
  it("fills the script tag, npm and React snippets with the deployment's origin and the bot id", () => {
    const [tag, npm, react] = embedSnippets("https://chat.example.com", "docs-bot");
    expect(tag!.code).toBe('<script src="https://chat.example.com/widget.js" data-bot="docs-bot" async></script>');
    expect(npm!.code).toContain('import { mount } from "edgechat";');
    expect(npm!.code).toContain('mount(document.getElementById("chat")!, { endpoint: "https://chat.example.com", bot: "docs-bot" });');
    expect(react!.code).toContain('mount(ref.current!, { endpoint: "https://chat.example.com", bot: "docs-bot" })');
    expect(react!.code).toContain("return () => widget.destroy();");
  });

  it("quotes what it embeds, so no value can break out of its string or attribute", () => {
    const [tag, npm] = embedSnippets('https://x.test"><script>', 'a"b');
    expect(tag!.code).toBe('<script src="https://x.test&quot;>&lt;script>/widget.js" data-bot="a&quot;b" async></script>');
    expect(npm!.code).toContain('endpoint: "https://x.test\\"><script>", bot: "a\\"b"');
  });
});
