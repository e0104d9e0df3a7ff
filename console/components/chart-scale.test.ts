import { describe, expect, it } from "vitest";
import { labelIndexes, niceCountMax, niceMax } from "./chart-scale";

describe("chart scales", () => {
  it.each([
    [0, 1],
    [-3, 1],
    [Number.NaN, 1],
    [1, 1],
    [3, 5],
    [37, 50],
    [120, 200],
    [0.012, 0.02],
    [2.4, 2.5],
    [1000, 1000],
  ])("niceMax(%s) = %s", (max, expected) => {
    expect(niceMax(max)).toBeCloseTo(expected, 10);
  });

  it.each([
    [0, 2],
    [1, 2],
    [2, 2],
    [3, 4],
    [7, 10],
    [9, 10],
    [11, 20],
    [37, 40],
    [41, 50],
    [120, 200],
  ])("niceCountMax(%s) = %s, halved to a whole number", (max, expected) => {
    expect(niceCountMax(max)).toBe(expected);
    expect(Number.isInteger(niceCountMax(max) / 2)).toBe(true);
  });

  it("labels at most `room` days, the first and the last among them", () => {
    expect([...labelIndexes(7, 8)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const ninety = labelIndexes(90, 6);
    expect(ninety.has(0) && ninety.has(89)).toBe(true);
    expect(ninety.size).toBeLessThanOrEqual(6);
    expect(labelIndexes(0, 5).size).toBe(0);
    expect([...labelIndexes(1, 5)]).toEqual([0]);
  });
});
