import { DurableObject } from "cloudflare:workers";
import { matchesFilter, parseMetadataFilter } from "./metadata-filter";
import {
  VECTORIZE_LIMITS,
  VectorizeContractError,
  truncateUtf8,
  utf8Length,
  type IndexedMetadataType,
} from "./vectorize-limits";

/** How a local index is created: the same settings `wrangler vectorize create` takes. */
export interface LocalIndexConfig {
  dimensions: number;
  metric: VectorizeDistanceMetric;
}

export interface MetadataIndexInfo {
  propertyName: string;
  indexType: IndexedMetadataType;
}

type IndexedValue = string | number | boolean;

interface StoredVector {
  id: string;
  namespace: string | undefined;
  values: Float32Array;
  /** 1 / |values|, for cosine. */
  inverseNorm: number;
  metadata: Record<string, VectorizeVectorMetadata> | undefined;
  /** Values of the properties that had a metadata index when the vector was written. */
  indexed: Record<string, IndexedValue>;
}

/** A vector as it crosses the RPC boundary (plain arrays survive structured cloning everywhere). */
export interface VectorInput {
  id: string;
  values: number[] | Float32Array | Float64Array;
  namespace?: string;
  metadata?: Record<string, VectorizeVectorMetadata>;
}

/**
 * The local stand-in for a Cloudflare Vectorize index: a Durable Object whose SQLite storage
 * keeps the vectors, and whose memory keeps them ready for an exact (brute-force) nearest-neighbour
 * scan. It follows Vectorize's documented behaviour (metrics, namespaces, metadata indexes and
 * filters, topK and size limits, insert-keeps-first / upsert-replaces). Code uses it only through
 * `createLocalVectorize`, which presents it as the `Vectorize` interface.
 *
 * One difference is deliberate: mutations are applied before the call returns, where Vectorize
 * applies them asynchronously; `describe().processedUpToMutation` reports the last one either way.
 */
export class LocalVectorIndex extends DurableObject {
  private readonly sql: SqlStorage;
  private vectors: Map<string, StoredVector> | undefined;
  private config: LocalIndexConfig | undefined;
  private metadataIndexes = new Map<string, IndexedMetadataType>();

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS index_config (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS metadata_indexes (property TEXT PRIMARY KEY, type TEXT NOT NULL)`);
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, namespace TEXT, vals BLOB NOT NULL, metadata TEXT, indexed TEXT NOT NULL)`,
    );
    for (const row of this.sql.exec<{ key: string; value: string }>(`SELECT key, value FROM index_config`)) {
      if (row.key === "config") this.config = JSON.parse(row.value) as LocalIndexConfig;
    }
    for (const row of this.sql.exec<{ property: string; type: string }>(`SELECT property, type FROM metadata_indexes`)) {
      this.metadataIndexes.set(row.property, row.type as IndexedMetadataType);
    }
  }

  /** Creates the index on first use (like `wrangler vectorize create`) and returns its configuration. */
  ensureIndex(config: LocalIndexConfig): LocalIndexConfig {
    if (this.config) return this.config;
    if (!Number.isInteger(config.dimensions) || config.dimensions < 1 || config.dimensions > VECTORIZE_LIMITS.maxDimensions) {
      throw new VectorizeContractError("DESCRIBE", `dimensions must be an integer from 1 to ${VECTORIZE_LIMITS.maxDimensions}, got ${config.dimensions}.`);
    }
    if (!["cosine", "euclidean", "dot-product"].includes(config.metric)) {
      throw new VectorizeContractError("DESCRIBE", `metric must be cosine, euclidean or dot-product, got ${JSON.stringify(config.metric)}.`);
    }
    this.config = { dimensions: config.dimensions, metric: config.metric };
    this.sql.exec(`INSERT OR REPLACE INTO index_config (key, value) VALUES ('config', ?)`, JSON.stringify(this.config));
    return this.config;
  }

  /** Like `wrangler vectorize create-metadata-index`: vectors written from now on are filterable on the property. */
  createMetadataIndex(propertyName: string, indexType: IndexedMetadataType): MetadataIndexInfo {
    if (typeof propertyName !== "string" || propertyName === "" || propertyName.startsWith("$") || utf8Length(propertyName) > 512) {
      throw new VectorizeContractError("METADATA_INDEX", `invalid property name ${JSON.stringify(propertyName)}.`);
    }
    if (!["string", "number", "boolean"].includes(indexType)) {
      throw new VectorizeContractError("METADATA_INDEX", `index type must be string, number or boolean, got ${JSON.stringify(indexType)}.`);
    }
    if (!this.metadataIndexes.has(propertyName) && this.metadataIndexes.size >= VECTORIZE_LIMITS.maxMetadataIndexes) {
      throw new VectorizeContractError("METADATA_INDEX", `an index has at most ${VECTORIZE_LIMITS.maxMetadataIndexes} metadata indexes.`);
    }
    this.metadataIndexes.set(propertyName, indexType);
    this.sql.exec(`INSERT OR REPLACE INTO metadata_indexes (property, type) VALUES (?, ?)`, propertyName, indexType);
    return { propertyName, indexType };
  }

  listMetadataIndexes(): MetadataIndexInfo[] {
    return [...this.metadataIndexes].map(([propertyName, indexType]) => ({ propertyName, indexType }));
  }

  deleteMetadataIndex(propertyName: string): void {
    this.metadataIndexes.delete(propertyName);
    this.sql.exec(`DELETE FROM metadata_indexes WHERE property = ?`, propertyName);
  }

  describe(): VectorizeIndexInfo {
    const config = this.requireConfig("DESCRIBE");
    const last = this.sql.exec<{ value: string }>(`SELECT value FROM index_config WHERE key = 'last_mutation'`).toArray()[0];
    const mutation = last ? (JSON.parse(last.value) as { id: string; at: number }) : undefined;
    return {
      vectorCount: this.loaded().size,
      dimensions: config.dimensions,
      // Typed as numbers in workers-types, but Vectorize returns a mutation UUID and a timestamp.
      processedUpToMutation: (mutation?.id ?? "") as unknown as number,
      processedUpToDatetime: (mutation ? new Date(mutation.at).toISOString() : "") as unknown as number,
    };
  }

  insert(vectors: VectorInput[]): VectorizeAsyncMutation {
    return this.write("INSERT", vectors, false);
  }

  upsert(vectors: VectorInput[]): VectorizeAsyncMutation {
    return this.write("UPSERT", vectors, true);
  }

  deleteByIds(ids: string[]): VectorizeAsyncMutation {
    this.checkIds("DELETE", ids);
    const vectors = this.loaded();
    this.ctx.storage.transactionSync(() => {
      for (const id of ids) {
        if (vectors.delete(id)) this.sql.exec(`DELETE FROM vectors WHERE id = ?`, id);
      }
    });
    return { mutationId: this.recordMutation() };
  }

  getByIds(ids: string[]): VectorizeVector[] {
    this.checkIds("GET", ids);
    const vectors = this.loaded();
    const found: VectorizeVector[] = [];
    for (const id of new Set(ids)) {
      const stored = vectors.get(id);
      if (stored) found.push(publicVector(stored, true, "all", this.metadataIndexes));
    }
    return found;
  }

  query(vector: number[] | Float32Array | Float64Array, options: VectorizeQueryOptions = {}): VectorizeMatches {
    const config = this.requireConfig("QUERY");
    const query = checkValues("QUERY", vector, config.dimensions);
    return this.search(query, options);
  }

  queryById(vectorId: string, options: VectorizeQueryOptions = {}): VectorizeMatches {
    this.requireConfig("QUERY");
    this.checkIds("QUERY", [vectorId]);
    const stored = this.loaded().get(vectorId);
    if (!stored) throw new VectorizeContractError("QUERY", `no vector with id ${JSON.stringify(vectorId)}.`);
    return this.search(stored.values, options);
  }

  private search(query: Float32Array, options: VectorizeQueryOptions): VectorizeMatches {
    const config = this.config!;
    const topK = options.topK ?? VECTORIZE_LIMITS.defaultTopK;
    const returnValues = options.returnValues ?? false;
    const returnMetadata = normaliseMetadataLevel(options.returnMetadata);
    const limit = returnValues || returnMetadata === "all" ? VECTORIZE_LIMITS.maxTopKWithValuesOrMetadata : VECTORIZE_LIMITS.maxTopK;
    if (!Number.isInteger(topK) || topK < 1 || topK > limit) {
      throw new VectorizeContractError(
        "QUERY",
        `topK must be an integer from 1 to ${limit}${limit === VECTORIZE_LIMITS.maxTopK ? "" : " when returnValues is true or returnMetadata is \"all\""}, got ${topK}.`,
      );
    }
    if (options.namespace !== undefined) checkNamespace("QUERY", options.namespace);
    const conditions = parseMetadataFilter(options.filter);
    const namespace = options.namespace;
    const metric = config.metric;
    const queryInverseNorm = inverseNorm(query);
    const dimensions = query.length;

    // Exact scan with a bounded, sorted top-K list: O(n·d), no approximation.
    const bestScores: number[] = [];
    const best: StoredVector[] = [];
    const better = metric === "euclidean" ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
    for (const stored of this.loaded().values()) {
      if (namespace !== undefined && stored.namespace !== namespace) continue;
      if (conditions.length > 0 && !matchesFilter(stored.indexed, conditions)) continue;
      const values = stored.values;
      let score: number;
      if (metric === "euclidean") {
        let sum = 0;
        for (let i = 0; i < dimensions; i++) {
          const difference = query[i]! - values[i]!;
          sum += difference * difference;
        }
        score = Math.sqrt(sum);
      } else {
        let dot = 0;
        for (let i = 0; i < dimensions; i++) dot += query[i]! * values[i]!;
        score = metric === "cosine" ? dot * queryInverseNorm * stored.inverseNorm : dot;
      }
      if (best.length === topK && !better(score, bestScores[topK - 1]!)) continue;
      let position = best.length === topK ? topK - 1 : best.length;
      while (position > 0 && better(score, bestScores[position - 1]!)) {
        bestScores[position] = bestScores[position - 1]!;
        best[position] = best[position - 1]!;
        position--;
      }
      bestScores[position] = score;
      best[position] = stored;
    }
    const matches: VectorizeMatch[] = best.map((stored, i) => ({
      ...publicVector(stored, returnValues, returnMetadata, this.metadataIndexes),
      score: bestScores[i]!,
    }));
    return { matches, count: matches.length };
  }

  private write(operation: "INSERT" | "UPSERT", input: VectorInput[], replace: boolean): VectorizeAsyncMutation {
    const config = this.requireConfig(operation);
    if (!Array.isArray(input) || input.length === 0) throw new VectorizeContractError(operation, "give at least one vector.");
    if (input.length > VECTORIZE_LIMITS.maxBatchSize) {
      throw new VectorizeContractError(operation, `at most ${VECTORIZE_LIMITS.maxBatchSize} vectors per call from a Worker, got ${input.length}.`);
    }
    // Validate everything first: a batch is applied entirely or not at all.
    const batch = new Map<string, StoredVector>();
    for (const vector of input) {
      const stored = this.toStored(operation, vector, config.dimensions);
      if (replace || !batch.has(stored.id)) batch.set(stored.id, stored);
    }
    const vectors = this.loaded();
    this.ctx.storage.transactionSync(() => {
      for (const stored of batch.values()) {
        if (!replace && vectors.has(stored.id)) continue; // insert keeps the first vector with an id
        this.sql.exec(
          `INSERT OR REPLACE INTO vectors (id, namespace, vals, metadata, indexed) VALUES (?, ?, ?, ?, ?)`,
          stored.id,
          stored.namespace ?? null,
          stored.values.buffer.slice(stored.values.byteOffset, stored.values.byteOffset + stored.values.byteLength),
          stored.metadata === undefined ? null : JSON.stringify(stored.metadata),
          JSON.stringify(stored.indexed),
        );
        vectors.set(stored.id, stored);
      }
    });
    return { mutationId: this.recordMutation() };
  }

  private toStored(operation: "INSERT" | "UPSERT", vector: VectorInput, dimensions: number): StoredVector {
    if (typeof vector !== "object" || vector === null) throw new VectorizeContractError(operation, "each vector must be an object with id and values.");
    this.checkIds(operation, [vector.id]);
    if (vector.namespace !== undefined) checkNamespace(operation, vector.namespace);
    const values = checkValues(operation, vector.values, dimensions, vector.id);
    const metadata = vector.metadata;
    if (metadata !== undefined) {
      if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
        throw new VectorizeContractError(operation, `metadata of vector "${vector.id}" must be an object.`);
      }
      const bytes = utf8Length(JSON.stringify(metadata));
      if (bytes > VECTORIZE_LIMITS.maxMetadataBytes) {
        throw new VectorizeContractError(operation, `metadata of vector "${vector.id}" is ${bytes} bytes; the limit is ${VECTORIZE_LIMITS.maxMetadataBytes} bytes.`);
      }
    }
    const indexed: Record<string, IndexedValue> = {};
    for (const [property, type] of this.metadataIndexes) {
      const value = metadata ? readProperty(metadata, property) : undefined;
      if (typeof value === type) indexed[property] = type === "string" ? truncateUtf8(value as string, VECTORIZE_LIMITS.indexedStringBytes) : (value as IndexedValue);
    }
    return { id: vector.id, namespace: vector.namespace, values, inverseNorm: inverseNorm(values), metadata, indexed };
  }

  private checkIds(operation: "INSERT" | "UPSERT" | "QUERY" | "GET" | "DELETE", ids: unknown[]): void {
    if (!Array.isArray(ids)) throw new VectorizeContractError(operation, "ids must be an array of strings.");
    if (ids.length > VECTORIZE_LIMITS.maxBatchSize) throw new VectorizeContractError(operation, `at most ${VECTORIZE_LIMITS.maxBatchSize} ids per call.`);
    for (const id of ids) {
      if (typeof id !== "string" || id === "") throw new VectorizeContractError(operation, "every vector id must be a non-empty string.");
      if (utf8Length(id) > VECTORIZE_LIMITS.maxIdBytes) {
        throw new VectorizeContractError(operation, `vector id ${JSON.stringify(id.slice(0, 80))} is ${utf8Length(id)} bytes; the limit is ${VECTORIZE_LIMITS.maxIdBytes} bytes.`);
      }
    }
  }

  private requireConfig(operation: "INSERT" | "UPSERT" | "QUERY" | "DESCRIBE"): LocalIndexConfig {
    if (!this.config) throw new VectorizeContractError(operation, "the index does not exist yet (create it with dimensions and a metric first).");
    return this.config;
  }

  private recordMutation(): string {
    const id = crypto.randomUUID();
    this.sql.exec(`INSERT OR REPLACE INTO index_config (key, value) VALUES ('last_mutation', ?)`, JSON.stringify({ id, at: Date.now() }));
    return id;
  }

  /** All vectors, read from SQLite once per Durable Object lifetime and kept in step with every write. */
  private loaded(): Map<string, StoredVector> {
    if (this.vectors) return this.vectors;
    const vectors = new Map<string, StoredVector>();
    const rows = this.sql.exec<{ id: string; namespace: string | null; vals: ArrayBuffer; metadata: string | null; indexed: string }>(
      `SELECT id, namespace, vals, metadata, indexed FROM vectors`,
    );
    for (const row of rows) {
      const values = new Float32Array(row.vals);
      vectors.set(row.id, {
        id: row.id,
        namespace: row.namespace ?? undefined,
        values,
        inverseNorm: inverseNorm(values),
        metadata: row.metadata === null ? undefined : (JSON.parse(row.metadata) as Record<string, VectorizeVectorMetadata>),
        indexed: JSON.parse(row.indexed) as Record<string, IndexedValue>,
      });
    }
    this.vectors = vectors;
    return vectors;
  }
}

function normaliseMetadataLevel(level: VectorizeQueryOptions["returnMetadata"]): VectorizeMetadataRetrievalLevel {
  if (level === undefined || level === false) return "none";
  if (level === true) return "all";
  if (level === "none" || level === "indexed" || level === "all") return level;
  throw new VectorizeContractError("QUERY", `returnMetadata must be "none", "indexed", "all" or a boolean, got ${JSON.stringify(level)}.`);
}

function publicVector(
  stored: StoredVector,
  returnValues: boolean,
  returnMetadata: VectorizeMetadataRetrievalLevel,
  metadataIndexes: ReadonlyMap<string, IndexedMetadataType>,
): VectorizeVector {
  const vector: VectorizeVector = { id: stored.id } as VectorizeVector;
  if (stored.namespace !== undefined) vector.namespace = stored.namespace;
  if (returnValues) vector.values = Array.from(stored.values);
  if (returnMetadata === "all" && stored.metadata !== undefined) vector.metadata = structuredClone(stored.metadata);
  if (returnMetadata === "indexed") {
    const indexed: Record<string, VectorizeVectorMetadata> = {};
    for (const [property, value] of Object.entries(stored.indexed)) if (metadataIndexes.has(property)) indexed[property] = value;
    vector.metadata = indexed;
  }
  return vector;
}

function checkValues(operation: "INSERT" | "UPSERT" | "QUERY", values: unknown, dimensions: number, id?: string): Float32Array {
  const what = id === undefined ? "the query vector" : `vector "${id}"`;
  if (!Array.isArray(values) && !(values instanceof Float32Array) && !(values instanceof Float64Array)) {
    throw new VectorizeContractError(operation, `${what} must be an array of numbers.`);
  }
  if (values.length !== dimensions) {
    throw new VectorizeContractError(operation, `${what} has ${values.length} dimensions; the index has ${dimensions}.`);
  }
  const result = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) {
    const value = values[i];
    if (typeof value !== "number" || !Number.isFinite(value)) throw new VectorizeContractError(operation, `${what} has a non-finite value at position ${i}.`);
    result[i] = value;
  }
  return result;
}

function checkNamespace(operation: "INSERT" | "UPSERT" | "QUERY", namespace: unknown): void {
  if (typeof namespace !== "string" || namespace === "" || utf8Length(namespace) > VECTORIZE_LIMITS.maxNamespaceBytes) {
    throw new VectorizeContractError(operation, `namespace must be a string of 1 to ${VECTORIZE_LIMITS.maxNamespaceBytes} bytes.`);
  }
}

function inverseNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return sum > 0 ? 1 / Math.sqrt(sum) : 0;
}

/** Reads `a.b.c` from nested metadata, as Vectorize's indexed properties may be nested paths. */
function readProperty(metadata: Record<string, VectorizeVectorMetadata>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(metadata, path)) return metadata[path];
  let current: unknown = metadata;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
