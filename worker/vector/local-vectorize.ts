import type { LocalIndexConfig, LocalVectorIndex, MetadataIndexInfo, VectorInput } from "./local-vector-index";
import type { IndexedMetadataType } from "./vectorize-limits";
import { INDEX_IDENTITY } from "./index-identity";

export interface LocalVectorizeOptions extends LocalIndexConfig {
  /** Index name: one Durable Object per name (default "edgechat"). */
  name?: string;
  /** Metadata indexes to create with the index, like `wrangler vectorize create-metadata-index`. */
  metadataIndexes?: { propertyName: string; indexType: IndexedMetadataType }[];
}

/** The `Vectorize` interface plus the index management that `wrangler vectorize` does for a real index. */
export interface LocalVectorize extends Vectorize {
  createMetadataIndex(propertyName: string, indexType: IndexedMetadataType): Promise<MetadataIndexInfo>;
  listMetadataIndexes(): Promise<MetadataIndexInfo[]>;
}

/** Index setups done in this isolate, by binding and options (see `createLocalVectorize`). */
const preparedIndexes = new WeakMap<object, Map<string, { prepared: boolean }>>();

/**
 * Presents the `LocalVectorIndex` Durable Object as Cloudflare's `Vectorize` binding. The index is
 * created on first use with the given dimensions and metric; an index that already exists keeps
 * the configuration it was created with (as a real index does), and `describe()` reports it.
 *
 * @example
 * const index = createLocalVectorize(env.VECTOR_INDEX, { dimensions: 384, metric: "cosine" });
 * await index.upsert([{ id: "a", values: embedding, namespace: "bot:demo" }]);
 * const { matches } = await index.query(embedding, { topK: 5, namespace: "bot:demo" });
 */
export function createLocalVectorize(
  namespace: DurableObjectNamespace<LocalVectorIndex>,
  options: LocalVectorizeOptions,
): LocalVectorize {
  const stub = namespace.get(namespace.idFromName(options.name ?? "edgechat"));
  // A stub belongs to the request that made it, so each request makes its own stand-in; the setup calls
  // are made once per isolate (an index, once created, keeps its configuration).
  const setupKey = JSON.stringify([options.name ?? "edgechat", options.dimensions, options.metric, options.metadataIndexes ?? []]);
  let setups = preparedIndexes.get(namespace);
  if (!setups) preparedIndexes.set(namespace, (setups = new Map()));
  let identity = setups.get(setupKey);
  if (!identity) setups.set(setupKey, (identity = { prepared: false }));
  const prepared = identity;
  let ready: Promise<void> | undefined = prepared.prepared ? Promise.resolve() : undefined;
  const ensure = () =>
    (ready ??= (async () => {
      await stub.ensureIndex({ dimensions: options.dimensions, metric: options.metric });
      for (const index of options.metadataIndexes ?? []) {
        await stub.createMetadataIndex(index.propertyName, index.indexType);
      }
      prepared.prepared = true;
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
  // Float32Array crosses the RPC boundary as one memory copy (an array of numbers is cloned value by
  // value); non-numbers are kept as they are so the Durable Object can refuse them with a clear error.
  const packed = (values: unknown): VectorInput["values"] =>
    Array.isArray(values) && values.every((value) => typeof value === "number") ? Float32Array.from(values) : (values as VectorInput["values"]);
  const toInput = (vectors: VectorizeVector[]): VectorInput[] => vectors.map((vector) => ({ ...vector, values: packed(vector.values) }));
  const plain = (vector: VectorFloatArray | number[]) => packed(vector);

  return {
    // The same index for every request of this isolate: what it learns about the index (its dimensions) holds for all.
    [INDEX_IDENTITY]: prepared,
    async describe() {
      await ensure();
      return (await stub.describe()) as VectorizeIndexInfo;
    },
    async query(vector, queryOptions) {
      await ensure();
      return (await stub.query(plain(vector), queryOptions)) as VectorizeMatches;
    },
    async queryById(vectorId, queryOptions) {
      await ensure();
      return (await stub.queryById(vectorId, queryOptions)) as VectorizeMatches;
    },
    async insert(vectors) {
      await ensure();
      return stub.insert(toInput(vectors));
    },
    async upsert(vectors) {
      await ensure();
      return stub.upsert(toInput(vectors));
    },
    async deleteByIds(ids) {
      await ensure();
      return stub.deleteByIds(ids);
    },
    async getByIds(ids) {
      await ensure();
      return (await stub.getByIds(ids)) as VectorizeVector[];
    },
    async createMetadataIndex(propertyName, indexType) {
      await ensure();
      return stub.createMetadataIndex(propertyName, indexType);
    },
    async listMetadataIndexes() {
      await ensure();
      return stub.listMetadataIndexes();
    },
  } as LocalVectorize;
}
