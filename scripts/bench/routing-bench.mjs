// Routing section of `npm run bench`: the router's overhead per turn (question shape + decision), run
// on the worker's own routing code (bundled from worker/routing) over the labelled question set.
import { performance } from "node:perf_hooks";
import { loadRouter } from "../routing/load-router.mjs";
import { readLabelledQuestions } from "../routing/routing-eval.mjs";

const QUESTIONS = "examples/support-bot/eval/routing-questions.jsonl";
const WEAK_RETRIEVAL = { searched: true, topScore: 0.3, secondScore: 0.25, passagesAboveThreshold: 0 };

/**
 * Measures the router's time per decision.
 * @returns {Promise<{ name: string, decisions: number, meanMicros: number, p50Micros: number, p95Micros: number, p99Micros: number, maxMicros: number, budgetMicros: number, withinBudget: boolean }>}
 */
export async function runRoutingBench({ rounds = 200, questionsFile = QUESTIONS } = {}) {
  const router = await loadRouter();
  const questions = readLabelledQuestions(questionsFile).map((item) => item.question);
  const decide = (question, depth) =>
    router.decideRoute({ question, conversationDepth: depth, retrieval: WEAK_RETRIEVAL, routing: { policy: "auto" } });
  for (let i = 0; i < 20; i++) for (const question of questions) decide(question, i); // warm up the JIT
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    for (const question of questions) {
      const started = performance.now();
      decide(question, round % 8);
      samples.push((performance.now() - started) * 1000);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  const round2 = (value) => Math.round(value * 100) / 100;
  return {
    name: "routing",
    decisions: samples.length,
    meanMicros: round2(mean),
    p50Micros: round2(at(0.5)),
    p95Micros: round2(at(0.95)),
    p99Micros: round2(at(0.99)),
    maxMicros: round2(samples.at(-1)),
    budgetMicros: 1000,
    withinBudget: at(0.99) < 1000,
  };
}

/** One line for people. */
export function formatRoutingBench(result) {
  return (
    `routing: ${result.decisions} decisions, per turn mean ${result.meanMicros} µs, p50 ${result.p50Micros} µs, ` +
    `p99 ${result.p99Micros} µs, max ${result.maxMicros} µs (budget ${result.budgetMicros} µs: ${result.withinBudget ? "ok" : "OVER"})`
  );
}
