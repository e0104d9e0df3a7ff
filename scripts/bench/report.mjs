// The bench's two outputs: one table for people, one JSON object for comparing runs.

/** True, false, or undefined (no target) for whether a figure's median meets its target. */
export function meetsTarget(figure) {
  if (!figure.target || !Number.isFinite(figure.median)) return undefined;
  if (figure.target.max !== undefined) return figure.median <= figure.target.max;
  if (figure.target.min !== undefined) return figure.median >= figure.target.min;
  return undefined;
}

function formatNumber(value) {
  if (!Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function formatTarget(figure) {
  if (!figure.target) return "";
  const bound = figure.target.max !== undefined ? `≤ ${formatNumber(figure.target.max)}` : `≥ ${formatNumber(figure.target.min)}`;
  return `${meetsTarget(figure) ? "ok" : "MISSED"} (${bound})`;
}

/**
 * One table of every figure: what it is, median, p95 (the spread), unit, samples and target.
 *
 * @example
 * console.log(formatTable({ "ingest.throughput": figure([1700, 1800], "chunks/s", { label: "ingest" }) }));
 */
export function formatTable(figures) {
  const header = ["figure", "median", "p95", "unit", "n", "target"];
  const rows = Object.entries(figures).map(([key, figure]) => [
    figure.label ? `${figure.label} [${key}]` : key,
    formatNumber(figure.median),
    formatNumber(figure.p95),
    figure.unit,
    String(figure.samples ?? ""),
    formatTarget(figure),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const numeric = new Set([1, 2, 4]);
  const line = (cells) => cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ").trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** The JSON report: one key per figure, each `{ median, p95, unit }`. */
export function toJson(figures) {
  return Object.fromEntries(Object.entries(figures).map(([key, { median, p95, unit }]) => [key, { median, p95, unit }]));
}
