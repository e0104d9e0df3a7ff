import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EdgechatEnv } from "../env";
import { vectorIndexFromEnv } from "./vector-index-from-env";

const testEnv = env as unknown as EdgechatEnv;
const unit = (hot: number) => Array.from({ length: 384 }, (_, index) => (index === hot ? 1 : 0));

describe("vectorIndexFromEnv", () => {
  it("gets wrangler.jsonc's VECTORIZE binding, which cannot run locally (the reason for the fallback)", async () => {
    // If a wrangler upgrade gives Vectorize a local mode or changes this message, revisit the fallback.
    expect(testEnv.VECTORIZE).toBeDefined();
    await expect(testEnv.VECTORIZE!.describe()).rejects.toThrow(/Binding VECTORIZE needs to be run remotely/);
  });

  it("falls back to the LocalVectorIndex stand-in in local development, with the same config", async () => {
    const index = vectorIndexFromEnv(testEnv, 384)!;
    await index.upsert([{ id: "fallback-a", values: unit(3), namespace: "fallback-test", metadata: { documentId: "a" } }]);
    const { matches } = await index.query(unit(3), { topK: 1, namespace: "fallback-test" });
    expect(matches.map((match) => match.id)).toEqual(["fallback-a"]);
    expect((await index.describe()).dimensions).toBe(384);
  });

  it("uses a VECTORIZE binding that works, and never the stand-in", async () => {
    const calls: string[] = [];
    const remote = {
      describe: async () => ({ dimensions: 384, vectorCount: 7 }),
      query: async () => {
        calls.push("query");
        return { matches: [{ id: "from-vectorize", score: 1 }], count: 1 };
      },
    } as unknown as Vectorize;
    const index = vectorIndexFromEnv({ ...testEnv, VECTORIZE: remote }, 384)!;
    expect((await index.query(unit(1), { topK: 1 })).matches[0]!.id).toBe("from-vectorize");
    expect(calls).toEqual(["query"]);
    expect(vectorIndexFromEnv({ ...testEnv, VECTORIZE: remote }, 384)).toBe(index);
  });

  it("passes on any other Vectorize error instead of hiding it behind the stand-in", async () => {
    const failing = {
      query: async () => {
        throw new Error("VECTOR_QUERY_ERROR (code = 40006): invalid query vector");
      },
    } as unknown as Vectorize;
    await expect(vectorIndexFromEnv({ ...testEnv, VECTORIZE: failing }, 384)!.query(unit(1), { topK: 1 })).rejects.toThrow(/invalid query vector/);
  });
});
