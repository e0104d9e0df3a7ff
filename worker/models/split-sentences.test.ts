import { describe, expect, it } from "vitest";
import { firstSentences, markdownTable, splitSentences, tableCells, textBlocks } from "./split-sentences";

describe("splitSentences", () => {
  // [text, the sentences it holds]
  const cases: [string, string[]][] = [
    ["Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute. Object storage is billed separately.", ["Extra bandwidth costs $0.08 per GB and extra build minutes cost $0.005 per minute.", "Object storage is billed separately."]],
    ["Each volume holds 1.5 GB. Backups are daily.", ["Each volume holds 1.5 GB.", "Backups are daily."]],
    ["Upgrade to v4.2.1 first. Then restart.", ["Upgrade to v4.2.1 first.", "Then restart."]],
    ["Use a strong key, e.g. a 32-byte random value. Rotate it yearly.", ["Use a strong key, e.g. a 32-byte random value.", "Rotate it yearly."]],
    ["Pick one, i.e. the closest region. Done.", ["Pick one, i.e. the closest region.", "Done."]],
    ["Logs, metrics, traces etc. are kept. They expire later.", ["Logs, metrics, traces etc. are kept.", "They expire later."]],
    ["We support logs, metrics etc. The rest is planned.", ["We support logs, metrics etc.", "The rest is planned."]],
    ["Data stays in the U.S. unless you choose otherwise. U.S. customers pay in dollars.", ["Data stays in the U.S. unless you choose otherwise.", "U.S. customers pay in dollars."]],
    ["Ask Dr. Smith. She knows.", ["Ask Dr. Smith.", "She knows."]],
    ["Open example.com/a.b in a browser. It loads.", ["Open example.com/a.b in a browser.", "It loads."]],
    ["Edit wrangler.jsonc. Then deploy.", ["Edit wrangler.jsonc.", "Then deploy."]],
    ["Wait... then try again. It works… Mostly.", ["Wait... then try again.", "It works…", "Mostly."]],
    ["Is it free? Yes! Really.", ["Is it free?", "Yes!", "Really."]],
    ['One. You asked: "Why?". Three.', ["One.", 'You asked: "Why?".', "Three."]],
    ["See No. 5 for details. Fig. 2 shows it.", ["See No. 5 for details.", "Fig. 2 shows it."]],
    ["The answer is no. Then we stop.", ["The answer is no.", "Then we stop."]],
    ["Builds take 5 min. Then they stop.", ["Builds take 5 min.", "Then they stop."]],
    ["Logs are kept 7 days. [1] Drains are instant. [2]", ["Logs are kept 7 days. [1]", "Drains are instant. [2]"]],
    ["A sentence\nwrapped over lines. Next.", ["A sentence wrapped over lines.", "Next."]],
    ["No terminator at the end", ["No terminator at the end"]],
    ["", []],
  ];
  for (const [text, sentences] of cases) {
    it(`splits ${JSON.stringify(text.slice(0, 50))}`, () => expect(splitSentences(text)).toEqual(sentences));
  }
});

describe("textBlocks", () => {
  it("reads headings, list items, tables and code apart from the prose", () => {
    const blocks = textBlocks(
      [
        "# Plans and pricing",
        "",
        "Acme has three plans. Prices are monthly.",
        "",
        "| | Free | Pro |",
        "|---|---|---|",
        "| Price | $0 | $20 per member |",
        "| Projects | 2 | unlimited |",
        "",
        "1. Open settings.",
        "2. Pick a plan.",
        "- A bullet that wraps",
        "  over two lines.",
        "",
        "```sh",
        "npx edgechat deploy. Not a sentence",
        "```",
        "> Quoted advice. Second.",
      ].join("\n"),
    );
    expect(blocks).toEqual([
      { kind: "heading", text: "Plans and pricing" },
      { kind: "paragraph", sentences: ["Acme has three plans.", "Prices are monthly."], listItem: false },
      { kind: "table", header: ["", "Free", "Pro"], rows: [["Price", "$0", "$20 per member"], ["Projects", "2", "unlimited"]], source: "| | Free | Pro |\n|---|---|---|\n| Price | $0 | $20 per member |\n| Projects | 2 | unlimited |" },
      { kind: "paragraph", sentences: ["Open settings."], listItem: true },
      { kind: "paragraph", sentences: ["Pick a plan."], listItem: true },
      { kind: "paragraph", sentences: ["A bullet that wraps over two lines."], listItem: true },
      { kind: "code", text: "npx edgechat deploy. Not a sentence" },
      { kind: "paragraph", sentences: ["Quoted advice.", "Second."], listItem: false },
    ]);
  });

  it("reads a table without a header separator (as HTML pages give them) as rows only", () => {
    expect(textBlocks("| Plan | Price |\n| Pro | $20 |")).toEqual([{ kind: "table", header: undefined, rows: [["Plan", "Price"], ["Pro", "$20"]], source: "| Plan | Price |\n| Pro | $20 |" }]);
  });

  it("keeps escaped pipes in their cell", () => {
    expect(tableCells("| a \\| b | c |")).toEqual(["a | b", "c"]);
  });
});

describe("markdownTable", () => {
  it("renders header, separator and rows, escaping pipes", () => {
    expect(markdownTable(["", "Free", "Pro"], [["Price", "$0", "a|b"]])).toBe("| | Free | Pro |\n|---|---|---|\n| Price | $0 | a\\|b |");
  });
});

describe("firstSentences", () => {
  it("never cuts a price at its decimal point", () => {
    expect(firstSentences("From the docs: extra minutes cost $0.005 per minute. [1] Storage is $0.02 per GB. [1] More.", 2)).toBe(
      "From the docs: extra minutes cost $0.005 per minute. [1] Storage is $0.02 per GB. [1]",
    );
  });

  it("keeps a Markdown table whole as one sentence", () => {
    const text = "Plans [1]:\n\n| | Free |\n|---|---|\n| Price | $0 |\n\nAfter the table. And more.";
    expect(firstSentences(text, 1)).toBe("Plans [1]:\n\n| | Free |\n|---|---|\n| Price | $0 |");
    expect(firstSentences(text, 2)).toBe("Plans [1]:\n\n| | Free |\n|---|---|\n| Price | $0 |\n\nAfter the table.");
    expect(firstSentences("| a |\n|---|\n| b |\n\nOne. Two.", 2)).toBe("| a |\n|---|\n| b |\n\nOne.");
  });

  it("keeps a table's caption and the table together as one sentence", () => {
    const text = "From the docs: extra minutes cost $0.005. [1]\n\nPlans [1]:\n\n| | Free |\n|---|---|\n| Price | $0 |\n\nMore.";
    expect(firstSentences(text, 2)).toBe("From the docs: extra minutes cost $0.005. [1]\n\nPlans [1]:\n\n| | Free |\n|---|---|\n| Price | $0 |");
    expect(firstSentences(text, 1)).toBe("From the docs: extra minutes cost $0.005. [1]");
  });
});
