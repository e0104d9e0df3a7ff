import { describe, expect, it } from "vitest";
import { packWordVectors } from "../../scripts/support/word-vector-packing.mjs";
import { openWordVectors, rarityWeight } from "./word-vectors";

function open(words: string[], rows: number[][], bits: 4 | 8) {
  const packed = packWordVectors({ words, rows, bits });
  return { packed, table: openWordVectors({ id: "test", ...packed, count: words.length, dimensions: rows[0]!.length, bits }) };
}

/** A deterministic pseudo-random integer source. */
function random(seed: number) {
  return (below: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % below;
  };
}

describe("word-vector table format (written by the generator, read by the worker)", () => {
  it.each([4, 8] as const)("reads back every word's rank and %i-bit components, and finds nothing else", (bits) => {
    const words = ["the", "zebra", "apple", "mango", "a"];
    const rows = [[1, -2], [-7, 7], [0, 3], [5, 0], [-1, -1]].map((row) => row.map((value) => (bits === 8 ? value * 18 : value)));
    const { table } = open(words, rows, bits);
    words.forEach((word, rank) => {
      const entry = table.lookup(word)!;
      expect(entry.rank).toBe(rank);
      expect(Array.from(entry.vector)).toEqual(rows[rank]);
      expect(entry.scale).toBeCloseTo(1 / Math.hypot(...rows[rank]!), 12);
    });
    for (const missing of ["kiwi", "Apple", "ap", "zebras", "", "the\tzz", "b"]) expect(table.lookup(missing)).toBeUndefined();
  });

  it("finds each of 2,000 words by binary search in the packed index", () => {
    const next = random(7);
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const words = [...new Set(Array.from({ length: 2500 }, () => Array.from({ length: 1 + next(9) }, () => letters[next(26)]).join("")))].slice(0, 2000);
    const rows = words.map(() => Array.from({ length: 8 }, () => next(15) - 7));
    const { table } = open(words, rows, 4);
    words.forEach((word, rank) => expect(table.lookup(word)?.rank).toBe(rank));
    expect(table.lookup("zzzzzzzzzzzz")).toBeUndefined();
  });

  it("writes the common vector the reader's rarity weighting implies", () => {
    const next = random(3);
    // Distinct words: the number in base 26, written with letters.
    const words = Array.from({ length: 300 }, (_, i) => `w${i.toString(26)}`.replace(/[0-9a-p]/g, (c) => "abcdefghijklmnopqrstuvwxyz"[parseInt(c, 26)]!));
    const rows = words.map(() => Array.from({ length: 6 }, () => next(15) - 7 || 1));
    const { packed, table } = open(words, rows, 4);
    const expected = new Array(6).fill(0);
    let total = 0;
    words.forEach((word) => {
      const { rank, vector, scale } = table.lookup(word)!;
      const weight = rarityWeight(rank) / (rank + 1);
      total += weight;
      vector.forEach((value, d) => (expected[d] += weight * value * scale));
    });
    expected.forEach((value, d) => expect(packed.commonVector[d]).toBeCloseTo(value / total, 7));
  });

  it("refuses what the format cannot hold, and a table whose parts disagree", () => {
    expect(() => packWordVectors({ words: ["ok"], rows: [[8, 0]], bits: 4 })).toThrow(/outside ±7/);
    expect(() => packWordVectors({ words: ["Bad"], rows: [[1, 0]], bits: 4 })).toThrow(/lower-case letters/);
    expect(() => packWordVectors({ words: ["odd"], rows: [[1, 0, 1]], bits: 4 })).toThrow(/Unsupported table/);
    const packed = packWordVectors({ words: ["one", "two"], rows: [[1, 2], [3, 4]], bits: 8 });
    expect(() => openWordVectors({ id: "broken", ...packed, count: 5, dimensions: 2, bits: 8 })).toThrow(/broken is corrupt: 5 words × 2 dimensions × 8 bits needs 16 base64 characters and a 2-component common vector, found 8 characters/);
  });
});
