/** Relative luminance of a #rgb or #rrggbb colour (WCAG 2), or undefined for other syntaxes. */
export function luminance(color: string): number | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The text colour with the better contrast on a primary colour: white or near-black.
 *
 * @example
 * textColorOn("#ffd400") // "#111"
 */
export function textColorOn(color: string): string {
  const l = luminance(color);
  if (l === undefined) return "#fff";
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? "#111" : "#fff";
}
