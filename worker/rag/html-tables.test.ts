import { describe, expect, it } from "vitest";
import { htmlTablesToMarkdown } from "./html-tables";
import { htmlToMarkdown } from "./html-to-markdown";

describe("HTML tables", () => {
  it("become Markdown tables with a header row when the first row has <th> cells", () => {
    const html = "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td><b>$20</b> a month</td></tr><tr><td>A|B</td></tr></table>";
    expect(htmlTablesToMarkdown(html)).toBe("\n\n| Plan | Price |\n|---|---|\n| Pro | $20 a month |\n| A\\|B | |\n\n");
  });

  it("keep a table without header cells as plain rows", () => {
    expect(htmlTablesToMarkdown("<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>")).toBe("\n\n| a | b |\n\n");
  });

  it("survive the page conversion as one block between the text around them", () => {
    const page = "<h2>Sizes</h2><p>Pick one.</p><table><thead><tr><td>size</td><td>memory</td></tr></thead><tr><td>large</td><td>4 GB</td></tr></table><p>Done.</p>";
    expect(htmlToMarkdown(page)).toBe("## Sizes\n\nPick one.\n\n| size | memory |\n|---|---|\n| large | 4 GB |\n\nDone.");
  });
});
