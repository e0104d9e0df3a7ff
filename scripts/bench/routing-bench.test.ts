import { describe, expect, it } from "vitest";
import { performance } from "node:perf_hooks";
// @ts-expect-error plain ESM scripts without type declarations
import { runRoutingBench } from "./routing-bench.mjs";
// @ts-expect-error plain ESM scripts without type declarations
import { loadRouter } from "../routing/load-router.mjs";

// Timing runs in Node: workerd does not advance its clock during synchronous work.
describe("router overhead", () => {
  it("stays far under 1 ms per turn on the labelled questions", async () => {
    const result = await runRoutingBench({ rounds: 20 });
    expect(result.decisions).toBeGreaterThan(1000);
    expect(result.p99Micros).toBeLessThan(1000);
    expect(result.withinBudget).toBe(true);
  }, 60_000);

  it("has no pathological (quadratic) inputs: 8 KB of anything decides in a few milliseconds", async () => {
    const router = await loadRouter();
    const decide = (question: string) =>
      router.decideRoute({ question, conversationDepth: 0, retrieval: router.NO_RETRIEVAL, routing: { policy: "auto" } });
    decide("warm up? and how do I do it");
    const inputs = ["\n".repeat(8000) + "x", " ".repeat(8000) + "x", "1".repeat(8000), "a: b\n".repeat(1600), "a?".repeat(4000), "and how, ".repeat(900), "word or ".repeat(1000)];
    for (const input of inputs) {
      decide(input);
      const started = performance.now();
      decide(input);
      expect(performance.now() - started).toBeLessThan(20);
    }
  }, 60_000);
});
