import { expectTypeOf, it } from "vitest";
import type { EdgechatEnv } from "./env";

// worker-configuration.d.ts is what `wrangler types` makes of wrangler.jsonc (node scripts/wrangler-types.mjs; npm test fails
// when it is stale). EdgechatEnv stays the documented contract, every binding optional so the factory
// composes into any Worker. This test, type-checked by `tsc -b`, keeps the two from drifting apart: every
// binding wrangler.jsonc declares is one EdgechatEnv knows, with a type EdgechatEnv accepts.
it("the Env generated from wrangler.jsonc is an EdgechatEnv", () => {
  // wrangler 4.86 types every Vectorize binding as the deprecated V1 `VectorizeIndex`; indexes made by
  // `wrangler vectorize create` are V2, whose binding type is `Vectorize` (what EdgechatEnv and the code use).
  expectTypeOf<Omit<Env, "VECTORIZE">>().toExtend<EdgechatEnv>();
  expectTypeOf<Exclude<keyof Env, keyof EdgechatEnv>>().toEqualTypeOf<never>();
});
