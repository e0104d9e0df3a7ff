import type { EdgechatEnv } from "../env";
import { createLocalVectorize } from "./local-vectorize";

/**
 * The vector index the worker uses: the `VECTORIZE` binding when it is configured (production),
 * otherwise the `LocalVectorIndex` Durable Object stand-in, created with the embedding model's
 * dimensions. The rest of the code only sees the `Vectorize` interface. Undefined when neither
 * binding exists (retrieval is then off).
 *
 * wrangler.jsonc binds `VECTORIZE` so that deploys create it, but Vectorize has no local mode: in
 * `wrangler dev` and the vitest pool every call on that binding fails with "Binding VECTORIZE needs to
 * be run remotely". The first such failure switches this binding to the stand-in for good, so local
 * development works with the same config (and a real index, `remote: true`, is still used when bound).
 *
 * @example
 * const index = vectorIndexFromEnv(env, 384);
 */
export function vectorIndexFromEnv(env: EdgechatEnv, dimensions: number): Vectorize | undefined {
  const standIn = () => localVectorIndex(env, dimensions);
  if (!env.VECTORIZE) return standIn();
  if (runsOnlyRemotely.has(env.VECTORIZE)) return standIn() ?? env.VECTORIZE;
  let index = withLocalFallback.get(env.VECTORIZE);
  if (!index) {
    index = vectorizeOrStandIn(env.VECTORIZE, standIn);
    withLocalFallback.set(env.VECTORIZE, index);
  }
  return index;
}

/** What workerd's local Vectorize binding throws on every call. */
const LOCAL_BINDING_ERROR = /needs to be run remotely/;
/** Bindings seen failing that way. */
const runsOnlyRemotely = new WeakSet<Vectorize>();
/** One wrapper per binding, so per-index caches (assertIndexDimensions) keep working across requests. */
const withLocalFallback = new WeakMap<Vectorize, Vectorize>();

function vectorizeOrStandIn(binding: Vectorize, standIn: () => Vectorize | undefined): Vectorize {
  const call = async <T>(use: (index: Vectorize) => Promise<T>): Promise<T> => {
    const local = runsOnlyRemotely.has(binding) ? standIn() : undefined;
    if (local) return use(local);
    try {
      return await use(binding);
    } catch (error) {
      const fallback = error instanceof Error && LOCAL_BINDING_ERROR.test(error.message) ? standIn() : undefined;
      if (!fallback) throw error;
      runsOnlyRemotely.add(binding);
      return use(fallback);
    }
  };
  const index: Pick<Vectorize, "describe" | "query" | "queryById" | "insert" | "upsert" | "deleteByIds" | "getByIds"> = {
    describe: () => call((target) => target.describe()),
    query: (vector, options) => call((target) => target.query(vector, options)),
    queryById: (vectorId, options) => call((target) => target.queryById(vectorId, options)),
    insert: (vectors) => call((target) => target.insert(vectors)),
    upsert: (vectors) => call((target) => target.upsert(vectors)),
    deleteByIds: (ids) => call((target) => target.deleteByIds(ids)),
    getByIds: (ids) => call((target) => target.getByIds(ids)),
  };
  return index as Vectorize;
}

function localVectorIndex(env: EdgechatEnv, dimensions: number): Vectorize | undefined {
  if (!env.VECTOR_INDEX) return undefined;
  const metric = env.EDGECHAT_VECTOR_METRIC || "cosine";
  if (metric !== "cosine" && metric !== "euclidean" && metric !== "dot-product") {
    throw new Error(`EDGECHAT_VECTOR_METRIC must be cosine, euclidean or dot-product, got ${JSON.stringify(metric)}.`);
  }
  return createLocalVectorize(env.VECTOR_INDEX, {
    dimensions,
    metric,
    metadataIndexes: [{ propertyName: "documentId", indexType: "string" }],
  });
}
