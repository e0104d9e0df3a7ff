import { describe, expect, it } from "vitest";
import { rarityWeight, type WordVectors } from "./word-vectors";
import { SHIPPED_WORD_VECTORS_ID } from "./word-vectors-from-assets";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";

function cosine(table: WordVectors, a: string, b: string): number {
  const x = table.lookup(a)!;
  const y = table.lookup(b)!;
  let dot = 0;
  for (let d = 0; d < table.dimensions; d++) dot += x.vector[d]! * x.scale * y.vector[d]! * y.scale;
  return dot;
}

// The table's format (packing, binary search, common vector) is tested with the generator's packer in
// word-vector-format.test.ts; these tests are about the table edgechat ships.
describe("shipped word vectors", () => {
  it("weights words by rarity: the most frequent word counts nothing, rare ones almost fully", () => {
    expect(rarityWeight(0)).toBe(0);
    expect(rarityWeight(100)).toBe(0.5);
    expect(rarityWeight(40_000)).toBeGreaterThan(0.99);
  });

  it("holds 50,000 English words in frequency order, and nothing that is not a lower-case word", () => {
    const table = bundledWordVectors();
    expect(table.id).toBe("glove6b-50000w-64d-4b");
    expect(SHIPPED_WORD_VECTORS_ID).toBe(table.id);
    expect(table.dimensions).toBe(64);
    expect(table.lookup("the")!.rank).toBe(0);
    expect(table.lookup("outage")!.rank).toBeGreaterThan(table.lookup("incident")!.rank);
    expect(table.lookup("kubernetes")).toBeUndefined();
    expect(table.lookup("The")).toBeUndefined();
    expect(table.lookup("__proto__")).toBeUndefined();
  });

  it("puts related words closer than unrelated ones", () => {
    const table = bundledWordVectors();
    expect(cosine(table, "outage", "downtime")).toBeGreaterThan(cosine(table, "outage", "invoice") + 0.1);
    expect(cosine(table, "refund", "reimbursement")).toBeGreaterThan(cosine(table, "refund", "password") + 0.1);
    expect(cosine(table, "guarantee", "warranty")).toBeGreaterThan(cosine(table, "guarantee", "milk") + 0.1);
  });
});
