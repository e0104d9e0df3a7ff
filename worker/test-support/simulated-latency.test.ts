import { describe, expect, it } from "vitest";
import { criticalPath, type Span } from "./simulated-latency";

describe("criticalPath", () => {
  it("walks back from the model call through the waits that held it, leaving out calls that ran beside them", () => {
    const spans: Span[] = [
      { name: "D1 bots (re-read)", start: 0, end: 12 },
      { name: "rate limit", start: 1, end: 12 },
      { name: "session.openTurn", start: 12, end: 20 },
      { name: "embedding", start: 12, end: 62 },
      { name: "D1 keyword search", start: 12, end: 40 },
      { name: "vector.query", start: 62, end: 92 },
      { name: "model", start: 93, end: 393 },
      { name: "session.appendLive", start: 200, end: 205 },
    ];
    expect(criticalPath(spans).map((span) => span.name)).toEqual(["rate limit", "embedding", "vector.query"]);
  });

  it("counts every wait of a sequential turn, and none without a model call", () => {
    const sequential: Span[] = ["D1 bots", "session.bind", "session.beginTurn", "embedding", "vector.query"].map((name, i) => ({ name, start: i * 10, end: i * 10 + 9 }));
    expect(criticalPath([...sequential, { name: "model", start: 50, end: 350 }])).toHaveLength(5);
    expect(criticalPath(sequential)).toEqual([]);
  });
});
