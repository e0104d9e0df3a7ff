/**
 * Turns each HTML `<table>` into a Markdown table (a header row when the first row has `<th>` cells
 * or sits in `<thead>`), so tables from HTML pages are chunked, retrieved and quoted like Markdown
 * tables. Cell text is stripped of tags; pipes in cells are escaped. Nested tables are flattened
 * into their cell's text.
 *
 * @example
 * htmlTablesToMarkdown("<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>$20</td></tr></table>")
 * // "\n\n| Plan | Price |\n|---|---|\n| Pro | $20 |\n\n"
 */
export function htmlTablesToMarkdown(html: string): string {
  return html.replace(/<table\b[^>]*>([\s\S]*?)<\/table\s*>/gi, (_match, inner: string) => {
    const rows: { cells: string[]; header: boolean }[] = [];
    for (const row of inner.matchAll(/<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/tbody|<\/thead|<\/tfoot|$)/gi)) {
      const cells = [...row[1]!.matchAll(/<(t[hd])\b[^>]*>([\s\S]*?)(?=<t[hd]\b|<\/tr|$)/gi)].map((cell) => ({
        header: cell[1]!.toLowerCase() === "th",
        text: cell[2]!.replace(/<\/?[a-zA-Z][^>]*>/g, " ").replace(/\s+/g, " ").trim().replace(/\|/g, "\\|"),
      }));
      if (cells.length > 0) rows.push({ cells: cells.map((cell) => cell.text), header: cells.every((cell) => cell.header) });
    }
    if (rows.length === 0) return "\n\n";
    const width = Math.max(...rows.map((row) => row.cells.length));
    const line = (cells: string[]) => `|${Array.from({ length: width }, (_, i) => (cells[i] ? ` ${cells[i]} ` : " ")).join("|")}|`;
    const [first, ...rest] = rows;
    const header = first!.header || /<thead\b/i.test(inner) ? [line(first!.cells), `|${Array(width).fill("---").join("|")}|`] : [line(first!.cells)];
    return `\n\n${[...header, ...rest.map((row) => line(row.cells))].join("\n")}\n\n`;
  });
}
