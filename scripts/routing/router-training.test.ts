import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM scripts without type declarations
import { loadRouter } from "./load-router.mjs";
// @ts-expect-error plain ESM scripts without type declarations
import { chooseThreshold, fitLogistic, leaveOneDomainOut, predict, trainRouter } from "./router-training.mjs";
// @ts-expect-error plain ESM scripts without type declarations
import { formatHeldOut, heldOutEvaluation } from "./held-out.mjs";
// @ts-expect-error plain ESM scripts without type declarations
import { readTrainingDomains } from "./training-sets.mjs";

let router: any;
beforeAll(async () => {
  router = await loadRouter();
}, 60_000);

const item = (question: string, label: "small-ok" | "needs-large") => ({ question, label, history: [] as string[] });
/** Three toy domains where "broken" marks needs-large questions. */
const toyDomains = () =>
  ["alpha", "beta", "gamma"].map((name) => ({
    name,
    domain: name,
    questions: [
      item(`where is the ${name} page?`, "small-ok"),
      item(`how much is ${name}?`, "small-ok"),
      item(`do you sell ${name}?`, "small-ok"),
      item(`${name} is broken`, "needs-large"),
      item(`my ${name} order is broken`, "needs-large"),
    ],
  }));

describe("fitLogistic and chooseThreshold", () => {
  it("learns the feature that separates the labels, deterministically", () => {
    const examples = [
      { features: [{ key: "a", value: 1 }], label: 1 },
      { features: [{ key: "a", value: 1 }, { key: "c", value: 1 }], label: 1 },
      { features: [{ key: "b", value: 1 }], label: 0 },
      { features: [{ key: "b", value: 1 }, { key: "c", value: 1 }], label: 0 },
    ];
    const first = fitLogistic(examples, {}, 4096);
    expect(first.named.a).toBeGreaterThan(1);
    expect(first.named.b).toBeLessThan(-1);
    expect(Math.abs(first.named.c ?? 0)).toBeLessThan(Math.abs(first.named.a));
    expect(fitLogistic(examples, {}, 4096)).toEqual(first);
  });

  it("picks the highest threshold that keeps at most the target share of needs-large small", () => {
    const predictions = [0.1, 0.3, 0.6, 0.9].map((probability) => ({ label: "needs-large", probability }));
    predictions.push({ label: "small-ok", probability: 0.05 });
    expect(chooseThreshold(predictions, 0)).toBe(0.1);
    expect(chooseThreshold(predictions, 0.25)).toBe(0.3); // one of four may be missed
    expect(chooseThreshold(predictions, 0.5)).toBe(0.6);
  });
});

describe("training the router", () => {
  it("trains weights the worker's scorer reads, with a threshold from out-of-fold predictions", () => {
    const domains = toyDomains();
    const weights = router.validRouterWeights(trainRouter(router, domains));
    const predictions = predict(router, weights, [item("the delta is broken", "needs-large"), item("where is the delta page?", "small-ok")]);
    expect(predictions[0].probability).toBeGreaterThan(0.5);
    expect(predictions[1].probability).toBeLessThan(0.5);
    // The threshold comes from predictions of models that did not train on the predicted domain.
    const outOfFold = domains.flatMap((held) => predict(router, trainRouter(router, domains.filter((d) => d !== held)), held.questions));
    expect(weights.threshold).toBe(chooseThreshold(outOfFold, 0.02));
    expect(weights.training).toMatchObject({ questions: 15, needsLarge: 6, domains: ["alpha (5)", "beta (5)", "gamma (5)"] });
  });

  it("leaves each domain out: its fold never sees its questions or labels, threshold included", () => {
    const domains = toyDomains();
    const folds = leaveOneDomainOut(router, domains);
    expect(folds.map((fold: any) => fold.domain.name)).toEqual(["alpha", "beta", "gamma"]);
    // Flipping the held-out domain's labels changes nothing in its own fold.
    const flipped = domains.map((domain, i) => (i === 0 ? { ...domain, questions: domain.questions.map((q) => ({ ...q, label: q.label === "small-ok" ? "needs-large" : "small-ok" })) } : domain));
    expect(leaveOneDomainOut(router, flipped)[0].weights).toEqual(folds[0].weights);
    expect(folds[0].predictions.every((p: any) => p.tier === (p.probability >= folds[0].weights.threshold ? "large" : "small"))).toBe(true);
  });

  it("reports the held-out table per domain and the mean, costed with each price pair", async () => {
    const result = await heldOutEvaluation(router, toyDomains());
    expect(result.rows.map((row: any) => row.domain)).toEqual(["alpha", "beta", "gamma"]);
    expect(result.rows[0]).toMatchObject({ questions: 5, needsLarge: 2 });
    expect(result.mean.costs.default.routedVsAlwaysLarge).toBeGreaterThan(0);
    const text = formatHeldOut(result, { measuredWith: "test", domains: { alpha: { needsLargeKeptSmall: 0.5, routedVsAlwaysLarge: 0.4 } }, mean: { needsLargeKeptSmall: 0.5, routedVsAlwaysLarge: 0.4 } });
    expect(text).toMatch(/alpha\s+5\s+2/);
    expect(text).toMatch(/mean/);
    expect(text).toContain("50.0%");
  });
});

describe("the shipped training data and weights", () => {
  it("holds at least 600 labelled questions from at least 6 domains, each with docs and both labels", () => {
    const domains = readTrainingDomains();
    expect(domains.length).toBeGreaterThanOrEqual(6);
    expect(domains.reduce((sum: number, domain: any) => sum + domain.questions.length, 0)).toBeGreaterThanOrEqual(600);
    for (const domain of domains) {
      expect(domain.docsDir, domain.name).toBeDefined();
      expect(new Set(domain.questions.map((q: any) => q.label)), domain.name).toEqual(new Set(["small-ok", "needs-large"]));
    }
  });

  it("npm run train:router -- --questions trains on a user's own file and writes weights the router loads", () => {
    const dir = mkdtempSync(join(tmpdir(), "edgechat-train-"));
    const file = join(dir, "mine.jsonl");
    writeFileSync(file, toyDomains()[0]!.questions.map((q) => JSON.stringify(q)).join("\n"));
    const out = join(dir, "weights.json");
    execFileSync(process.execPath, ["scripts/train-router.mjs", "--questions", file, "--only", "--out", out], { encoding: "utf8", stdio: "pipe" });
    const weights = router.validRouterWeights(JSON.parse(readFileSync(out, "utf8")));
    expect(weights.training.domains).toEqual(["mine (5)"]);
  }, 120_000);

  it("the committed weights equal a retrain (npm run train:router -- --check)", () => {
    // Retrieves all training domains through the product's retrieval in workerd, then retrains.
    const output = execFileSync(process.execPath, ["scripts/train-router.mjs", "--check"], { encoding: "utf8", stdio: "pipe" });
    expect(output).toContain("equals a retrain");
  }, 300_000);
});
