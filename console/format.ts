/** US dollars for people: cents above a dollar, four decimals below a cent. */
export function formatUsd(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  if (value === 0) return "$0.00";
  if (Math.abs(value) < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

/** A date and time, from an ISO string or milliseconds, in the reader's locale; "—" when absent. */
export function formatDate(value: string | number | null | undefined): string {
  if (value === undefined || value === null || value === "") return "—";
  const date = new Date(typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A share (0..1) as a whole percentage; "—" when there were no answers. */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : `${Math.round(value * 100)}%`;
}

/** The bots a member or key may use, for people. */
export function formatScope(bots: "all" | string[]): string {
  return bots === "all" ? "All bots" : bots.length ? bots.join(", ") : "No bots";
}
