// Small statistics helpers shared by the bench sections.

/** The q-quantile (0..1) of numbers, by linear interpolation. */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** A figure as the bench reports it: median, p95 and unit (plus the sample count). */
export function figure(values, unit) {
  const list = Array.isArray(values) ? values : [values];
  return { median: quantile(list, 0.5), p95: quantile(list, 0.95), unit, samples: list.length };
}
