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

/**
 * A figure as the bench reports it: median and p95 over the samples, the unit, the sample count, and
 * optionally what it is (`label`) and the target it is held to (`target`: `{ max }` or `{ min }`).
 *
 * @example
 * figure([9.1, 8.7, 9.4], "ms", { label: "query, 10k vectors", target: { max: 10 } })
 * // { median: 9.1, p95: 9.37, unit: "ms", samples: 3, label: "query, 10k vectors", target: { max: 10 } }
 */
export function figure(values, unit, extra = {}) {
  const list = (Array.isArray(values) ? values : [values]).filter((value) => Number.isFinite(value));
  return { median: quantile(list, 0.5), p95: quantile(list, 0.95), unit, samples: list.length, ...extra };
}

/** Ratios of paired samples (a[i] / b[i]), measured in the same run so machine noise hits both alike. */
export function pairedRatios(numerators, denominators) {
  const ratios = [];
  for (let i = 0; i < Math.min(numerators.length, denominators.length); i++) {
    if (denominators[i] > 0) ratios.push(numerators[i] / denominators[i]);
  }
  return ratios;
}
