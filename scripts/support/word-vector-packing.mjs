// The file format of edgechat's word-vector table (worker/models/word-vectors-table.ts), written by
// scripts/build-word-vectors.mjs and read by worker/models/word-vectors.ts. Kept apart so a test can
// pack a small table and read it back with the worker's own reader.

/** A word of frequency rank r counts r / (r + RARITY_RANK) in a text's meaning (the reader's rarityWeight). */
export const RARITY_RANK = 100;

/**
 * Packs integer word vectors (components −7…7 for 4 bits, −127…127 for 8 bits), most frequent word
 * first, into the table format:
 * - `index`: one `word<TAB>rank in base 36` record per word, sorted by word, joined by newlines, so
 *   the reader can binary-search the string itself without building anything;
 * - `bytes`: base64 of the components in rank order (4 bits: two a byte, low nibble first, offset by 8;
 *   8 bits: one signed byte each);
 * - `commonVector`: the expected unit word vector of ordinary text: words weighted by Zipf's law
 *   (rank r has frequency ∝ 1 / (r + 1)) times their rarity weight, which the reader subtracts so
 *   unrelated texts do not look alike.
 *
 * @param {{ words: string[], rows: number[][], bits: 4 | 8 }} table
 * @returns {{ index: string, bytes: string, commonVector: number[] }}
 */
export function packWordVectors({ words, rows, bits }) {
  if (words.length !== rows.length || words.length === 0) throw new Error("packWordVectors needs one row per word.");
  const dims = rows[0].length;
  if ((bits !== 4 && bits !== 8) || (bits === 4 && dims % 2 !== 0)) throw new Error(`Unsupported table: ${bits} bits × ${dims} dimensions.`);
  const levels = bits === 8 ? 127 : 7;
  const bytes = new Uint8Array((words.length * dims * bits) / 8);
  const commonVector = new Array(dims).fill(0);
  let total = 0;
  rows.forEach((row, rank) => {
    if (row.length !== dims) throw new Error(`Row ${rank} has ${row.length} components, not ${dims}.`);
    let norm = 0;
    row.forEach((q, d) => {
      if (!Number.isInteger(q) || Math.abs(q) > levels) throw new Error(`Row ${rank} component ${d} is ${q}, outside ±${levels}.`);
      norm += q * q;
      const at = rank * dims + d;
      if (bits === 8) bytes[at] = q & 0xff;
      else bytes[at >> 1] |= (q + 8) << ((at & 1) * 4);
    });
    const weight = (1 / (rank + 1)) * (rank / (rank + RARITY_RANK));
    total += weight;
    if (norm > 0) row.forEach((q, d) => (commonVector[d] += (weight * q) / Math.sqrt(norm)));
  });
  const index = words
    .map((word, rank) => {
      if (!/^[a-z]+$/.test(word)) throw new Error(`Word "${word}" is not lower-case letters only.`);
      return [word, rank];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([word, rank]) => `${word}\t${rank.toString(36)}`)
    .join("\n");
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { index, bytes: btoa(binary), commonVector: commonVector.map((value) => Number((value / total).toFixed(8))) };
}
