import { describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs bench scripts
import { figure, pairedRatios, quantile } from "./stats.mjs";
// @ts-expect-error: plain .mjs bench scripts
import { formatTable, meetsTarget, toJson } from "./report.mjs";

describe("bench figures", () => {
  it("reports median and p95 by linear interpolation, ignoring samples that are not numbers", () => {
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.95)).toBeCloseTo(9.5);
    expect(figure([1, 2, 3, 4, undefined, NaN], "ms")).toMatchObject({ median: 2.5, unit: "ms", samples: 4 });
  });

  it("pairs ratios run by run, skipping a zero denominator", () => {
    expect(pairedRatios([10, 20, 30], [5, 0, 10])).toEqual([2, 3]);
  });

  it("judges a figure's median against its target, either bound", () => {
    expect(meetsTarget(figure([9, 11, 9], "ms", { target: { max: 10 } }))).toBe(true);
    expect(meetsTarget(figure([12], "ms", { target: { max: 10 } }))).toBe(false);
    expect(meetsTarget(figure([900], "chunks/s", { target: { min: 1000 } }))).toBe(false);
    expect(meetsTarget(figure([1], "ms"))).toBeUndefined();
  });
});

describe("bench report", () => {
  const figures = {
    "vectorIndex.query.10k": figure([8, 9, 30], "ms", { label: "vector query, 10,000 vectors", target: { max: 10 } }),
    "ingest.throughput": figure([900, 950], "chunks/s", { target: { min: 1000 } }),
  };

  it("prints one table with a row per figure, its spread, and whether it met its target", () => {
    const lines = formatTable(figures).split("\n");
    expect(lines[0]).toMatch(/^figure\s+median\s+p95\s+unit\s+n\s+target$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/vector query, 10,000 vectors \[vectorIndex\.query\.10k\]\s+9\s+27\.9\s+ms\s+3\s+ok \(≤ 10\)/);
    expect(lines[3]).toMatch(/ingest\.throughput\s+925\s+948\s+chunks\/s\s+2\s+MISSED \(≥ 1,000\)/);
  });

  it("writes one JSON key per figure with exactly median, p95 and unit", () => {
    const json = toJson(figures);
    expect(Object.keys(json)).toEqual(["vectorIndex.query.10k", "ingest.throughput"]);
    expect(json["vectorIndex.query.10k"]).toEqual({ median: 9, p95: expect.closeTo(27.9, 5), unit: "ms" });
  });
});
