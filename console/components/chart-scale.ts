/**
 * The top of a chart's value axis: the smallest 1, 2, 2.5 or 5 × 10^n at or above `max`
 * (1 for an empty or all-zero chart), so ticks fall on round numbers.
 *
 * @example
 * niceMax(37) // 50
 */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max - 1e-12) return step * power;
  return 10 * power;
}

/**
 * The top of an axis of whole counts: twice a whole 1, 2, 2.5 or 5 × 10^n, so the middle tick is a whole number too.
 *
 * @example
 * niceCountMax(7) // 10 (ticks 0, 5, 10)
 */
export function niceCountMax(max: number): number {
  const half = Math.max(1, Math.ceil((Number.isFinite(max) ? max : 0) / 2));
  const power = 10 ** Math.floor(Math.log10(half));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= half && Number.isInteger(step * power)) return 2 * step * power;
  return 20 * power;
}

/** Which of `count` x labels to print so that at most `room` appear, always the first and last. */
export function labelIndexes(count: number, room: number): Set<number> {
  const indexes = new Set<number>();
  if (count === 0) return indexes;
  const step = Math.max(1, Math.ceil((count - 1) / Math.max(1, room - 1)));
  for (let i = 0; i < count; i += step) indexes.add(i);
  indexes.add(count - 1);
  if (indexes.size > room && count > 1) indexes.delete(count - 1 - ((count - 1) % step || step));
  return indexes;
}
