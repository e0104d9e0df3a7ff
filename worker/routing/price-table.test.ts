import { describe, expect, it } from "vitest";
import { costUsd, DEFAULT_PRICES, priceOf, priceTableFrom } from "./price-table";

describe("price table", () => {
  it("prices the OpenAI defaults and the offline tiers like them", () => {
    expect(costUsd(DEFAULT_PRICES, "gpt-4.1", "large", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(10);
    expect(costUsd(DEFAULT_PRICES, "gpt-4.1-mini", "small", { inputTokens: 1000, outputTokens: 500 })).toBeCloseTo(0.0012, 10);
    expect(priceOf(DEFAULT_PRICES, "offline-small", "small")).toEqual(DEFAULT_PRICES["gpt-4.1-mini"]);
    expect(priceOf(DEFAULT_PRICES, "offline-large", "large")).toEqual(DEFAULT_PRICES["gpt-4.1"]);
  });

  it("prices dated snapshots like their base model and unknown models like their tier's default", () => {
    expect(priceOf(DEFAULT_PRICES, "gpt-4.1-2025-04-14", "small")).toEqual(DEFAULT_PRICES["gpt-4.1"]);
    expect(priceOf(DEFAULT_PRICES, "my-local-llama", "small")).toEqual(DEFAULT_PRICES["gpt-4.1-mini"]);
    expect(priceOf(DEFAULT_PRICES, "my-local-llama", "large")).toEqual(DEFAULT_PRICES["gpt-4.1"]);
  });

  it("takes overrides from JSON and rejects bad ones clearly", () => {
    const table = priceTableFrom('{"my-local-llama": {"input": 0, "output": 0}, "gpt-4.1": {"input": 1, "output": 4}}');
    expect(costUsd(table, "my-local-llama", "large", { inputTokens: 5000, outputTokens: 5000 })).toBe(0);
    expect(table["gpt-4.1"]).toEqual({ input: 1, output: 4 });
    expect(table["gpt-4.1-mini"]).toEqual(DEFAULT_PRICES["gpt-4.1-mini"]);
    expect(priceTableFrom(undefined)).toBe(DEFAULT_PRICES);
    expect(() => priceTableFrom("{nope")).toThrow(/not valid JSON/);
    expect(() => priceTableFrom('{"m": {"input": -1, "output": 2}}')).toThrow(/non-negative/);
    expect(() => priceTableFrom("[1]")).toThrow(/JSON object/);
  });
});
