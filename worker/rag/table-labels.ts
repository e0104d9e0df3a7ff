import { textBlocks } from "../models/split-sentences";

/**
 * Text with each Markdown table replaced by its column headers and row labels (first cells), one
 * line each; everything else unchanged.
 *
 * @example
 * tablesAsLabels("Plans:\n\n| | Free | Pro |\n|---|---|---|\n| Price | $0 | $20 |") // "Plans:\n\nFree, Pro\nPrice"
 */
export function tablesAsLabels(text: string): string {
  if (!text.includes("|")) return text;
  let result = text;
  for (const block of textBlocks(text)) {
    if (block.kind !== "table") continue;
    const labels = [block.header?.filter(Boolean).join(", "), ...block.rows.map((row) => row[0])].filter(Boolean).join("\n");
    result = result.replace(block.source, labels);
  }
  return result;
}
