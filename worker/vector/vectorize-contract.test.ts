// The contract of Cloudflare's Vectorize binding, written from its documentation
// (developers.cloudflare.com/vectorize: limits, metadata filtering, insert vs upsert, namespaces).
// `describeVectorizeContract` takes a factory, so the same cases can run against a real index
// (bound with `wrangler dev --remote`) by passing one that returns `env.VECTORIZE` for a fresh
// 4-dimension index with "category" (string) and "year" (number) metadata indexes.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createLocalVectorize } from "./local-vectorize";
import type { LocalVectorIndex } from "./local-vector-index";

export interface ContractTarget {
  /** A fresh, empty 4-dimension index with the given metric and "category"/"year" metadata indexes. */
  makeIndex(metric: VectorizeDistanceMetric): Promise<Vectorize>;
  /** Waits until a mutation is visible to queries (Vectorize applies mutations asynchronously). */
  settle(index: Vectorize, mutation: VectorizeAsyncMutation): Promise<void>;
}

export function describeVectorizeContract(name: string, target: ContractTarget): void {
  const write = async (index: Vectorize, op: "insert" | "upsert", vectors: VectorizeVector[]) =>
    target.settle(index, await index[op](vectors));

  describe(`Vectorize contract: ${name}`, () => {
    it("describes its dimensions and counts vectors", async () => {
      const index = await target.makeIndex("cosine");
      expect(await index.describe()).toMatchObject({ dimensions: 4, vectorCount: 0 });
      await write(index, "upsert", [{ id: "a", values: [1, 0, 0, 0] }, { id: "b", values: [0, 1, 0, 0] }]);
      expect((await index.describe()).vectorCount).toBe(2);
    });

    it("cosine: ranks by similarity, highest first, scores in [-1, 1]", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "upsert", [
        { id: "same", values: [2, 0, 0, 0] },
        { id: "close", values: [1, 0.2, 0, 0] },
        { id: "far", values: [0, 1, 0, 0] },
        { id: "opposite", values: [-1, 0, 0, 0] },
      ]);
      const { matches, count } = await index.query([1, 0, 0, 0], { topK: 4 });
      expect(matches.map((m) => m.id)).toEqual(["same", "close", "far", "opposite"]);
      expect(count).toBe(4);
      expect(matches[0]!.score).toBeCloseTo(1, 5);
      expect(matches[2]!.score).toBeCloseTo(0, 5);
      expect(matches[3]!.score).toBeCloseTo(-1, 5);
    });

    it("euclidean: ranks by distance, nearest first, score is the distance", async () => {
      const index = await target.makeIndex("euclidean");
      await write(index, "upsert", [
        { id: "far", values: [10, 0, 0, 0] },
        { id: "near", values: [1, 1, 0, 0] },
        { id: "exact", values: [1, 0, 0, 0] },
      ]);
      const { matches } = await index.query([1, 0, 0, 0], { topK: 3 });
      expect(matches.map((m) => m.id)).toEqual(["exact", "near", "far"]);
      expect(matches[0]!.score).toBeCloseTo(0, 5);
      expect(matches[1]!.score).toBeCloseTo(1, 5);
      expect(matches[2]!.score).toBeCloseTo(9, 5);
    });

    it("dot-product: ranks by inner product, magnitude counts", async () => {
      const index = await target.makeIndex("dot-product");
      await write(index, "upsert", [
        { id: "long", values: [3, 0, 0, 0] },
        { id: "unit", values: [1, 0, 0, 0] },
        { id: "negative", values: [-2, 0, 0, 0] },
      ]);
      const { matches } = await index.query([2, 0, 0, 0], { topK: 3 });
      expect(matches.map((m) => m.id)).toEqual(["long", "unit", "negative"]);
      expect(matches.map((m) => m.score)).toEqual([6, 2, -4]);
    });

    it("topK defaults to 5 and caps the matches", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "upsert", Array.from({ length: 8 }, (_, i) => ({ id: `v${i}`, values: [1, i, 0, 0] })));
      expect((await index.query([1, 0, 0, 0])).matches).toHaveLength(5);
      expect((await index.query([1, 0, 0, 0], { topK: 2 })).matches.map((m) => m.id)).toEqual(["v0", "v1"]);
    });

    it("insert keeps the first vector with an id; upsert replaces it", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "insert", [{ id: "x", values: [1, 0, 0, 0], metadata: { v: 1 } }]);
      await write(index, "insert", [{ id: "x", values: [0, 1, 0, 0], metadata: { v: 2 } }]);
      expect((await index.getByIds(["x"]))[0]).toMatchObject({ values: [1, 0, 0, 0], metadata: { v: 1 } });
      await write(index, "upsert", [{ id: "x", values: [0, 0, 1, 0], metadata: { v: 3 } }]);
      expect((await index.getByIds(["x"]))[0]).toMatchObject({ values: [0, 0, 1, 0], metadata: { v: 3 } });
      expect((await index.describe()).vectorCount).toBe(1);
    });

    it("namespaces: a query with a namespace sees only that namespace; without one it sees all", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "upsert", [
        { id: "a1", values: [1, 0, 0, 0], namespace: "tenant-a" },
        { id: "b1", values: [1, 0, 0, 0], namespace: "tenant-b" },
        { id: "b2", values: [0.9, 0.1, 0, 0], namespace: "tenant-b" },
      ]);
      const onlyA = await index.query([1, 0, 0, 0], { namespace: "tenant-a", topK: 10 });
      expect(onlyA.matches.map((m) => m.id)).toEqual(["a1"]);
      expect(onlyA.matches[0]!.namespace).toBe("tenant-a");
      const onlyB = await index.query([1, 0, 0, 0], { namespace: "tenant-b", topK: 10 });
      expect(onlyB.matches.map((m) => m.id).sort()).toEqual(["b1", "b2"]);
      expect((await index.query([1, 0, 0, 0], { topK: 10 })).matches).toHaveLength(3);
      expect((await index.query([1, 0, 0, 0], { namespace: "nobody" })).matches).toEqual([]);
    });

    it("returnValues and returnMetadata none | indexed | all", async () => {
      const index = await target.makeIndex("cosine");
      const metadata = { category: "billing", year: 2024, body: "not indexed" };
      await write(index, "upsert", [{ id: "m", values: [1, 0, 0, 0], metadata }]);
      const bare = (await index.query([1, 0, 0, 0], { topK: 1 })).matches[0]!;
      expect(bare.values).toBeUndefined();
      expect(bare.metadata).toBeUndefined();
      const none = (await index.query([1, 0, 0, 0], { topK: 1, returnMetadata: "none" })).matches[0]!;
      expect(none.metadata).toBeUndefined();
      const indexed = (await index.query([1, 0, 0, 0], { topK: 1, returnMetadata: "indexed" })).matches[0]!;
      expect(indexed.metadata).toEqual({ category: "billing", year: 2024 });
      const all = (await index.query([1, 0, 0, 0], { topK: 1, returnMetadata: "all", returnValues: true })).matches[0]!;
      expect(all.metadata).toEqual(metadata);
      expect(all.values).toEqual([1, 0, 0, 0]);
      expect((await index.query([1, 0, 0, 0], { topK: 1, returnMetadata: true })).matches[0]!.metadata).toEqual(metadata);
    });

    it("topK limits: 100, or 20 when values or all metadata are returned", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "upsert", [{ id: "a", values: [1, 0, 0, 0] }]);
      await expect(index.query([1, 0, 0, 0], { topK: 100 })).resolves.toBeDefined();
      await expect(index.query([1, 0, 0, 0], { topK: 100, returnMetadata: "indexed" })).resolves.toBeDefined();
      await expect(index.query([1, 0, 0, 0], { topK: 101 })).rejects.toThrow(/topK/);
      await expect(index.query([1, 0, 0, 0], { topK: 20, returnValues: true })).resolves.toBeDefined();
      await expect(index.query([1, 0, 0, 0], { topK: 21, returnValues: true })).rejects.toThrow(/topK/);
      await expect(index.query([1, 0, 0, 0], { topK: 21, returnMetadata: "all" })).rejects.toThrow(/topK/);
      await expect(index.query([1, 0, 0, 0], { topK: 0 })).rejects.toThrow(/topK/);
    });

    describe("metadata filters on indexed properties", () => {
      const rows: VectorizeVector[] = [
        { id: "b20", values: [1, 0, 0, 0], metadata: { category: "billing", year: 2020 } },
        { id: "b24", values: [1, 0.1, 0, 0], metadata: { category: "billing", year: 2024 } },
        { id: "s22", values: [1, 0.2, 0, 0], metadata: { category: "security", year: 2022 } },
        { id: "a23", values: [1, 0.3, 0, 0], metadata: { category: "api", year: 2023 } },
      ];
      const cases: [string, VectorizeVectorMetadataFilter, string[]][] = [
        ["implicit $eq", { category: "billing" }, ["b20", "b24"]],
        ["$eq", { category: { $eq: "security" } }, ["s22"]],
        ["$ne", { category: { $ne: "billing" } }, ["s22", "a23"]],
        ["$in", { category: { $in: ["api", "security"] } }, ["s22", "a23"]],
        ["$nin", { category: { $nin: ["api", "security"] } }, ["b20", "b24"]],
        ["$lt", { year: { $lt: 2022 } }, ["b20"]],
        ["$lte", { year: { $lte: 2022 } }, ["b20", "s22"]],
        ["$gt", { year: { $gt: 2023 } }, ["b24"]],
        ["$gte", { year: { $gte: 2023 } }, ["b24", "a23"]],
        ["a range", { year: { $gte: 2021, $lt: 2024 } }, ["s22", "a23"]],
        ["two properties (AND)", { category: "billing", year: { $gt: 2021 } }, ["b24"]],
        ["string range", { category: { $gte: "b", $lt: "c" } }, ["b20", "b24"]],
      ];
      it.each(cases)("%s", async (_name, filter, expected) => {
        const index = await target.makeIndex("cosine");
        await write(index, "upsert", rows);
        const { matches } = await index.query([1, 0, 0, 0], { topK: 10, filter });
        expect(matches.map((m) => m.id)).toEqual(expected);
      });

      it("refuses unknown operators and malformed values", async () => {
        const index = await target.makeIndex("cosine");
        await write(index, "upsert", rows);
        const bad = [{ year: { $regex: "x" } }, { category: { $in: "billing" } }, { year: { $gt: [1] } }] as unknown as VectorizeVectorMetadataFilter[];
        for (const filter of bad) await expect(index.query([1, 0, 0, 0], { filter })).rejects.toThrow();
      });
    });

    it("getByIds returns stored vectors with values and metadata; deleteByIds removes them", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "upsert", [
        { id: "keep", values: [1, 0, 0, 0], namespace: "n", metadata: { category: "api" } },
        { id: "drop", values: [0, 1, 0, 0] },
      ]);
      const got = await index.getByIds(["keep", "missing"]);
      expect(got).toEqual([{ id: "keep", values: [1, 0, 0, 0], namespace: "n", metadata: { category: "api" } }]);
      await target.settle(index, await index.deleteByIds(["drop", "missing"]));
      expect(await index.getByIds(["drop"])).toEqual([]);
      expect((await index.describe()).vectorCount).toBe(1);
      expect((await index.query([0, 1, 0, 0], { topK: 5 })).matches.map((m) => m.id)).toEqual(["keep"]);
    });

    it("queryById searches with a stored vector", async () => {
      const index = await target.makeIndex("cosine");
      await write(index, "upsert", [
        { id: "p", values: [1, 0, 0, 0] },
        { id: "q", values: [0.9, 0.1, 0, 0] },
        { id: "r", values: [0, 0, 1, 0] },
      ]);
      const { matches } = await index.queryById("p", { topK: 2 });
      expect(matches.map((m) => m.id)).toEqual(["p", "q"]);
    });

    it("refuses wrong dimensions, long ids, big metadata, non-finite values and oversized batches", async () => {
      const index = await target.makeIndex("cosine");
      await expect(index.upsert([{ id: "short", values: [1, 0, 0] }])).rejects.toThrow(/dimension/);
      await expect(index.query([1, 0, 0, 0, 0])).rejects.toThrow(/dimension/);
      await expect(index.upsert([{ id: "x".repeat(65), values: [1, 0, 0, 0] }])).rejects.toThrow(/64 bytes/);
      await expect(index.upsert([{ id: "é".repeat(33), values: [1, 0, 0, 0] }])).rejects.toThrow(/64 bytes/);
      await expect(index.upsert([{ id: "x".repeat(64), values: [1, 0, 0, 0] }])).resolves.toBeDefined();
      await expect(index.upsert([{ id: "big", values: [1, 0, 0, 0], metadata: { text: "y".repeat(10 * 1024) } }])).rejects.toThrow(/metadata/);
      await expect(index.upsert([{ id: "nan", values: [1, Number.NaN, 0, 0] }])).rejects.toThrow();
      const tooMany = Array.from({ length: 1001 }, (_, i) => ({ id: `v${i}`, values: [1, 0, 0, 0] }));
      await expect(index.upsert(tooMany)).rejects.toThrow(/1000/);
      // A refused batch writes nothing.
      await expect(index.upsert([{ id: "ok", values: [1, 0, 0, 0] }, { id: "bad", values: [1] }])).rejects.toThrow();
      expect(await index.getByIds(["ok"])).toEqual([]);
    });
  });
}

let counter = 0;
describeVectorizeContract("LocalVectorIndex (Durable Object, SQLite)", {
  async makeIndex(metric) {
    const namespace = (env as unknown as { VECTOR_INDEX: DurableObjectNamespace<LocalVectorIndex> }).VECTOR_INDEX;
    const index = createLocalVectorize(namespace, {
      name: `contract-${metric}-${counter++}-${crypto.randomUUID()}`,
      dimensions: 4,
      metric,
      metadataIndexes: [
        { propertyName: "category", indexType: "string" },
        { propertyName: "year", indexType: "number" },
      ],
    });
    return index;
  },
  async settle(index, mutation) {
    // Poll until the index reports the mutation as processed, as one must with a real index.
    for (let attempt = 0; attempt < 100; attempt++) {
      if (String((await index.describe()).processedUpToMutation) === mutation.mutationId) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`mutation ${mutation.mutationId} was not processed in time`);
  },
});

describe("LocalVectorIndex specifics", () => {
  it("keeps its vectors and configuration across Durable Object instances (SQLite)", async () => {
    const namespace = (env as unknown as { VECTOR_INDEX: DurableObjectNamespace<LocalVectorIndex> }).VECTOR_INDEX;
    const name = `persist-${crypto.randomUUID()}`;
    const first = createLocalVectorize(namespace, { name, dimensions: 4, metric: "cosine" });
    await first.upsert([{ id: "kept", values: [0, 0, 0, 1] }]);
    // A second client asking for other dimensions gets the index as it was created.
    const second = createLocalVectorize(namespace, { name, dimensions: 8, metric: "euclidean" });
    expect(await second.describe()).toMatchObject({ dimensions: 4, vectorCount: 1 });
    expect((await second.query([0, 0, 0, 1], { topK: 1 })).matches[0]).toMatchObject({ id: "kept" });
  });

  it("indexes only the properties that had a metadata index when the vector was written", async () => {
    const namespace = (env as unknown as { VECTOR_INDEX: DurableObjectNamespace<LocalVectorIndex> }).VECTOR_INDEX;
    const index = createLocalVectorize(namespace, { name: `late-${crypto.randomUUID()}`, dimensions: 4, metric: "cosine" });
    await index.upsert([{ id: "before", values: [1, 0, 0, 0], metadata: { lang: "en" } }]);
    await index.createMetadataIndex("lang", "string");
    await index.upsert([{ id: "after", values: [1, 0, 0, 0], metadata: { lang: "en" } }]);
    const { matches } = await index.query([1, 0, 0, 0], { filter: { lang: "en" } });
    expect(matches.map((m) => m.id)).toEqual(["after"]);
  });
});
