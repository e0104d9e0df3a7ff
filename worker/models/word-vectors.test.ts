import { describe, expect, it } from "vitest";
import { decodeWordVectors, rarityWeight, shippedWordVectors, type WordVectors } from "./word-vectors";

const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

function cosine(table: WordVectors, a: string, b: string): number {
  const x = table.lookup(a)!;
  const y = table.lookup(b)!;
  let dot = 0;
  for (let d = 0; d < table.dimensions; d++) dot += x.vector[d]! * x.scale * y.vector[d]! * y.scale;
  return dot;
}

describe("word vectors", () => {
  it("decodes 8-bit and 4-bit tables, ranks words by position and scales every vector to unit length", () => {
    const eight = decodeWordVectors("alpha\nbeta", base64([3, 4, 0xfd, 0]), 2, 8);
    expect(eight.lookup("alpha")).toMatchObject({ rank: 0, vector: Int8Array.from([3, 4]), scale: 0.2 });
    expect(eight.lookup("beta")).toMatchObject({ rank: 1, vector: Int8Array.from([-3, 0]) });
    expect(eight.lookup("gamma")).toBeUndefined();
    // 4 bits: value + 8 per nibble, low nibble first: (3, 4) and (-3, 0).
    const four = decodeWordVectors("alpha\nbeta", base64([(3 + 8) | ((4 + 8) << 4), (-3 + 8) | (8 << 4)]), 2, 4);
    expect(four.lookup("alpha")!.vector).toEqual(Int8Array.from([3, 4]));
    expect(four.lookup("beta")!.vector).toEqual(Int8Array.from([-3, 0]));
    expect(cosine(four, "alpha", "alpha")).toBeCloseTo(1, 10);
  });

  it("refuses a table whose bytes do not match its words and dimensions", () => {
    expect(() => decodeWordVectors("alpha\nbeta", base64([1, 2, 3]), 2, 8)).toThrow(/corrupt.*needs 4 bytes, found 3/);
  });

  it("weights words by rarity: the most frequent word counts nothing, rare ones almost fully", () => {
    expect(rarityWeight(0)).toBe(0);
    expect(rarityWeight(100)).toBe(0.5);
    expect(rarityWeight(40_000)).toBeGreaterThan(0.99);
  });

  it("ships 50,000 English words whose vectors put related words closer than unrelated ones", () => {
    const table = shippedWordVectors();
    expect(table.dimensions).toBe(64);
    expect(table.lookup("the")!.rank).toBe(0);
    expect(table.lookup("outage")).toBeDefined();
    expect(table.lookup("kubernetes")).toBeUndefined();
    expect(cosine(table, "outage", "downtime")).toBeGreaterThan(cosine(table, "outage", "invoice") + 0.1);
    expect(cosine(table, "refund", "reimbursement")).toBeGreaterThan(cosine(table, "refund", "password") + 0.1);
    expect(cosine(table, "guarantee", "warranty")).toBeGreaterThan(cosine(table, "guarantee", "milk") + 0.1);
  });
});
