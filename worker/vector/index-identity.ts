/**
 * A key under which a vector index object names the index it stands for, when that object is made per
 * request (the local stand-in: a Durable Object stub belongs to one request) while the index is the same
 * for the whole isolate. Facts learned about the index (its dimensions) are cached under it.
 */
export const INDEX_IDENTITY = Symbol.for("edgechat.vectorIndexIdentity");

/** The object facts about `index` are cached under: its identity when it has one, else itself. */
export function indexIdentity(index: Vectorize): object {
  return (index as Vectorize & { [INDEX_IDENTITY]?: object })[INDEX_IDENTITY] ?? index;
}
