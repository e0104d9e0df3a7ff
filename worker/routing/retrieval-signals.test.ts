import { describe, expect, it } from "vitest";
import type { Passage } from "../rag/retrieve-passages";
import { retrievalSignalsFromPassages } from "./retrieval-signals";

function passage(chunkIndex: number, score: number | undefined): Passage {
  return { documentId: "docs/a.md", chunkIndex, title: "A", url: "/a", heading: "A", text: "text", score };
}

describe("retrievalSignalsFromPassages", () => {
  it("reads the vector similarity of the passages in any order; keyword-only passages count 0", () => {
    // The fused order puts a keyword-only passage first: it must not hide the best vector match.
    const passages = [passage(0, undefined), passage(1, 0.21), passage(2, 0.42), passage(3, 0.14)];
    expect(retrievalSignalsFromPassages(passages, 0.15)).toEqual({ searched: true, topScore: 0.42, secondScore: 0.21, passagesAboveThreshold: 2 });
  });

  it("reports a search that found nothing (or only keyword matches) as searched with no score", () => {
    const empty = { searched: true, topScore: 0, secondScore: 0, passagesAboveThreshold: 0 };
    expect(retrievalSignalsFromPassages([], 0.15)).toEqual(empty);
    expect(retrievalSignalsFromPassages([passage(0, undefined), passage(1, undefined)], 0.15)).toEqual(empty);
  });

  it("counts a score exactly at the threshold as above it, and ignores non-finite scores", () => {
    expect(retrievalSignalsFromPassages([passage(0, 0.15), passage(1, Number.NaN)], 0.15)).toEqual({ searched: true, topScore: 0.15, secondScore: 0, passagesAboveThreshold: 1 });
  });
});
