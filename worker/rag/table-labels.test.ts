import { describe, expect, it } from "vitest";
import { embeddingText } from "./ingest-documents";
import { tablesAsLabels } from "./table-labels";

describe("tablesAsLabels", () => {
  it("replaces a table by its column headers and row labels, keeping the text around it", () => {
    const text = "Three plans.\n\n| | Free | Pro |\n|---|---|---|\n| Price | $0 | $20 per member |\n| Projects | 2 | unlimited |\n\nUpgrades are immediate.";
    expect(tablesAsLabels(text)).toBe("Three plans.\n\nFree, Pro\nPrice\nProjects\n\nUpgrades are immediate.");
  });

  it("leaves text without tables alone, and is what a chunk with a table is embedded as", () => {
    expect(tablesAsLabels("a | b is not a table")).toBe("a | b is not a table");
    expect(embeddingText("Plans", { index: 0, headingPath: ["Plans"], text: "| | Free |\n|---|---|\n| Price | $0 |" })).toBe("Plans\nPlans\nFree\nPrice");
  });
});
