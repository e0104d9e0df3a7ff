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

  it("measures a document's extra passage against the best passage of every OTHER document, with many documents", () => {
    // "a" leads; its third passage (1 + 0.5 · 0.6 = 1.3) is clearly ahead of "c" (0.1 + 0.5 · 0.2 = 0.2) but not of "b"
    // (0.95 + 0.5 · 0.5 = 1.2), the best of the others: it waits. "b"'s own third passage is measured against "a".
    const order = fuseScores({
      documents: [{ documentId: "a", score: 10 }, { documentId: "b", score: 9.5 }, { documentId: "c", score: 1 }],
      chunks: [
        ...[10, 8, 6].map((score, i) => ({ key: `a#${i}`, documentId: "a", score })),
        ...[5, 4, 3].map((score, i) => ({ key: `b#${i}`, documentId: "b", score })),
        { key: "c#0", documentId: "c", score: 2 },
      ],
      vectors: [],
    });
    expect(order).toEqual(["a#0", "a#1", "b#0", "b#1", "c#0", "a#2", "b#2"]);
    // The same rule as comparing with every other document one by one, over many seeded random inputs.
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let round = 0; round < 200; round++) {
      const ids = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => `d${i}`);
      const pick = () => ids[Math.floor(random() * ids.length)]!;
      const hits = {
        documents: ids.filter(() => random() < 0.8).map((documentId) => ({ documentId, score: random() * 10 })),
        chunks: Array.from({ length: Math.floor(random() * 12) }, (_, i) => ({ key: `c${i}`, documentId: pick(), score: random() * 5 })),
        vectors: Array.from({ length: Math.floor(random() * 12) }, (_, i) => ({ key: `c${i + 6}`, documentId: pick(), score: random() })),
      };
      for (const vector of hits.vectors) vector.documentId = hits.chunks.find((chunk) => chunk.key === vector.key)?.documentId ?? vector.documentId;
      expect(fuseScores(hits)).toEqual(fuseScoresOneByOne(hits));
    }
  });
});

/** The fusion's placement rule written the slow, obvious way: each passage against every other document's best. */
function fuseScoresOneByOne(hits: Parameters<typeof fuseScores>[0]): string[] {
  const scoreOf = scoresOf(hits);
  // Ties keep first-seen order, as fuseScores documents.
  const entries = [...scoreOf.keys()].sort((a, b) => scoreOf.get(b)!.score - scoreOf.get(a)!.score);
  const bestOfDocument = new Map<string, number>();
  for (const key of entries) if (!bestOfDocument.has(scoreOf.get(key)!.documentId)) bestOfDocument.set(scoreOf.get(key)!.documentId, scoreOf.get(key)!.score);
  const seen = new Map<string, number>();
  const first: string[] = [];
  const later: string[] = [];
  for (const key of entries) {
    const { documentId, score } = scoreOf.get(key)!;
    const count = (seen.get(documentId) ?? 0) + 1;
    seen.set(documentId, count);
    const others = [...bestOfDocument].filter(([id]) => id !== documentId).map(([, best]) => best);
    (count <= 2 || score >= 1.25 * Math.max(0, ...others) ? first : later).push(key);
  }
  return [...first, ...later];
}

/** Each fused key's document and score, computed as fuseScores documents it (1 · document + 0.5 · chunk + 0.6 · vector). */
function scoresOf(hits: Parameters<typeof fuseScores>[0]): Map<string, { documentId: string; score: number }> {
  const max = (list: readonly { score: number }[]) => Math.max(0, ...list.map((hit) => hit.score)) || 1;
  const documentScore = new Map<string, number>();
  for (const hit of hits.documents) documentScore.set(hit.documentId, Math.max(documentScore.get(hit.documentId) ?? 0, hit.score / max(hits.documents)));
  const scores = new Map<string, { documentId: string; score: number }>();
  for (const [list, weight] of [[hits.chunks, 0.5], [hits.vectors, 0.6]] as const) {
    for (const hit of list) {
      const entry = scores.get(hit.key) ?? { documentId: hit.documentId, score: 0 };
      entry.score += (weight * hit.score) / max(list);
      scores.set(hit.key, entry);
    }
  }
  const withPassage = new Set([...scores.values()].map((entry) => entry.documentId));
  for (const hit of hits.documents) if (!withPassage.has(hit.documentId)) scores.set(`${hit.documentId}#document`, { documentId: hit.documentId, score: 0 });
  for (const entry of scores.values()) entry.score += documentScore.get(entry.documentId) ?? 0;
  return scores;
}
