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

const indexDimensions = new WeakMap<Vectorize, Promise<number>>();

/**
 * Refuses vectors whose length differs from the index's dimensions, with a message that says how
 * to fix it. The index's dimensions are read once per index object (describe()).
 */
export async function assertIndexDimensions(index: Vectorize, vectorLength: number): Promise<void> {
  let dimensions = indexDimensions.get(index);
  if (!dimensions) {
    dimensions = index.describe().then((info) => info.dimensions);
    dimensions.catch(() => indexDimensions.delete(index));
    indexDimensions.set(index, dimensions);
  }
  const expected = await dimensions;
  if (expected !== vectorLength) throw new DimensionMismatchError(vectorLength, expected);
}
