import { indexIdentity } from "../vector/index-identity";

/** Raised when the embedding model and the vector index disagree on dimensions. */
export class DimensionMismatchError extends Error {
  constructor(readonly modelDimensions: number, readonly indexDimensions: number) {
    super(
      `The embedding model produces ${modelDimensions}-dimension vectors but the vector index has ${indexDimensions} dimensions. ` +
        `Use an index created with --dimensions=${modelDimensions}, or set EDGECHAT_EMBEDDING_DIMENSIONS=${indexDimensions} to match it.`,
    );
    this.name = "DimensionMismatchError";
  }
}

const indexDimensions = new WeakMap<object, Promise<number>>();
/** Dimensions already read, by index identity: shared by later requests of the isolate without a round trip. */
const knownDimensions = new WeakMap<object, number>();

/**
 * Refuses vectors whose length differs from the index's dimensions, with a message that says how
 * to fix it. The index's dimensions are read once per index (describe()): per index object, or per
 * isolate for the local stand-in, whose objects are made per request (`indexIdentity`).
 */
export async function assertIndexDimensions(index: Vectorize, vectorLength: number): Promise<void> {
  const identity = indexIdentity(index);
  let expected = knownDimensions.get(identity);
  if (expected === undefined) {
    let dimensions = indexDimensions.get(index);
    if (!dimensions) {
      dimensions = index.describe().then((info) => info.dimensions);
      dimensions.catch(() => indexDimensions.delete(index));
      indexDimensions.set(index, dimensions);
    }
    expected = await dimensions;
    knownDimensions.set(identity, expected);
  }
  if (expected !== vectorLength) throw new DimensionMismatchError(vectorLength, expected);
}
