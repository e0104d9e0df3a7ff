import { describe, expect, it } from "vitest";
import { fuseScores, wholeDocumentKey } from "./score-fusion";

describe("fuseScores", () => {
  it("keeps the whole-document keyword winner first when a weaker retriever ranks another document first", () => {
    // RRF would put "b#0" first: it tops two lists. Here "a" leads the document ranking by far.
    const order = fuseScores({
      documents: [{ documentId: "a", score: 10 }, { documentId: "b", score: 2 }],
      chunks: [{ key: "b#0", documentId: "b", score: 3 }, { key: "a#1", documentId: "a", score: 2.9 }],
      vectors: [{ key: "b#0", documentId: "b", score: 0.5 }, { key: "a#1", documentId: "a", score: 0.2 }],
    });
    expect(order).toEqual(["a#1", "b#0"]);
  });

  it("lets passage evidence decide between documents the keyword ranking scores alike", () => {
    const order = fuseScores({
      documents: [{ documentId: "a", score: 5 }, { documentId: "b", score: 4.9 }],
      chunks: [{ key: "b#2", documentId: "b", score: 8 }, { key: "a#0", documentId: "a", score: 1 }],
      vectors: [],
    });
    expect(order).toEqual(["b#2", "a#0"]);
  });

  it("adds the weighted, max-normalised scores: 1 · document + w1 · chunk + w2 · vector", () => {
    const order = fuseScores(
      {
        documents: [{ documentId: "a", score: 4 }, { documentId: "b", score: 2 }],
        chunks: [{ key: "b#0", documentId: "b", score: 10 }],
        vectors: [{ key: "b#0", documentId: "b", score: 0.4 }],
      },
      // b: 2/4 + 0.3 · 1 + 0.3 · 1 = 1.1 beats a: 1 + 0 + 0; with lower weights it would not.
      { chunkKeywords: 0.3, vector: 0.3 },
    );
    expect(order).toEqual(["b#0", wholeDocumentKey("a")]);
    const lighter = fuseScores(
      { documents: [{ documentId: "a", score: 4 }, { documentId: "b", score: 2 }], chunks: [{ key: "b#0", documentId: "b", score: 10 }], vectors: [{ key: "b#0", documentId: "b", score: 0.4 }] },
      { chunkKeywords: 0.2, vector: 0.2 },
    );
    expect(lighter).toEqual([wholeDocumentKey("a"), "b#0"]);
  });

  it("gives a document found only as a whole one key of its own, and keeps vector-only chunks", () => {
    const order = fuseScores({ documents: [{ documentId: "a", score: 1 }], chunks: [], vectors: [{ key: "c#3", documentId: "c", score: 0.3 }] });
    expect(order).toEqual([wholeDocumentKey("a"), "c#3"]);
    expect(fuseScores({ documents: [], chunks: [], vectors: [] })).toEqual([]);
  });

  it("lets one document hold at most two passages before the passages of a document that competes with it", () => {
    const chunks = [0, 1, 2, 3].map((i) => ({ key: `long#${i}`, documentId: "long", score: 10 - i }));
    // long: 1 + 0.5 · (1, 0.9, 0.8, 0.7); short: 0.9 + 0.5 · 0.9 = 1.35, close enough that long#2 (1.4) waits.
    const order = fuseScores({
      documents: [{ documentId: "long", score: 10 }, { documentId: "short", score: 9 }],
      chunks: [...chunks, { key: "short#0", documentId: "short", score: 9 }],
      vectors: [],
    });
    expect(order).toEqual(["long#0", "long#1", "short#0", "long#2", "long#3"]);
  });

  it("keeps a document's third passage in place when it scores clearly ahead of every other document", () => {
    // "plans" answers the question by far: its opening table passage beats the other document's best.
    const order = fuseScores({
      documents: [{ documentId: "plans", score: 10 }, { documentId: "other", score: 2 }],
      chunks: [0, 1, 2].map((i) => ({ key: `plans#${i}`, documentId: "plans", score: 5 - i })).concat({ key: "other#0", documentId: "other", score: 1 }),
      vectors: [],
    });
    expect(order).toEqual(["plans#0", "plans#1", "plans#2", "other#0"]);
    // When the other document is close, the cap holds.
    const close = fuseScores({
      documents: [{ documentId: "plans", score: 10 }, { documentId: "other", score: 9 }],
      chunks: [0, 1, 2].map((i) => ({ key: `plans#${i}`, documentId: "plans", score: 5 - i })).concat({ key: "other#0", documentId: "other", score: 4 }),
      vectors: [],
    });
    expect(close).toEqual(["plans#0", "plans#1", "other#0", "plans#2"]);
  });
});
