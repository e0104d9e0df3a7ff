import { describe, expect, it, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM scripts without type declarations
import { loadRouter } from "./load-router.mjs";
// @ts-expect-error plain ESM scripts without type declarations
import { evaluateRouting, readLabelledQuestions } from "./routing-eval.mjs";
// @ts-expect-error plain ESM scripts without type declarations
import { createProductRetriever } from "./product-retrieval.mjs";

let router: any;
beforeAll(async () => {
  router = await loadRouter();
}, 60_000);

function tempFile(name: string, content: string) {
  const dir = mkdtempSync(join(tmpdir(), "edgechat-routing-"));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("routing eval", () => {
  it("ships a labelled set of at least 60 questions with both labels", () => {
    const questions = readLabelledQuestions("examples/support-bot/eval/routing-questions.jsonl");
    expect(questions.length).toBeGreaterThanOrEqual(60);
    expect(new Set(questions.map((q: { label: string }) => q.label))).toEqual(new Set(["small-ok", "needs-large"]));
  });

  it("rejects malformed question files with the line number", () => {
    expect(() => readLabelledQuestions(tempFile("q.jsonl", '{"question":"a","label":"small-ok"}\n{"question":"b","label":"big"}\n'))).toThrow(/q\.jsonl:2: "label"/);
    expect(() => readLabelledQuestions(tempFile("q.jsonl", "{oops\n"))).toThrow(/:1: not valid JSON/);
    expect(() => readLabelledQuestions("/nonexistent.jsonl")).toThrow(/No such questions file/);
  });

  it("computes the shares and the cost ratio from the router's decisions, and uses the retrieval it is given", async () => {
    const questions = [
      { question: "How much does the Pro plan cost?", label: "small-ok", history: [] },
      { question: "Why is my invoice in euros?", label: "needs-large", history: [] },
    ];
    // Weights that send a turn large only on weak retrieval: the retrieval given reaches the router.
    const weights = { ...router.LEARNED_ROUTER_WEIGHTS, bias: -4, named: { "retrieval:low-confidence": 5 }, hashed: { [router.hashBucket("word:euro")]: 30 }, threshold: 0.5 };
    const without = await evaluateRouting({ router, questions, weights });
    expect(without).toMatchObject({ questions: 2, smallShare: 0.5, needsLargeKeptSmall: 0 });
    const weak = { searched: true, topScore: 0.3, secondScore: 0.2, passagesAboveThreshold: 0 };
    const withRetrieval = await evaluateRouting({ router, questions, weights, retrieve: async () => ({ signals: weak, passages: [] }) });
    expect(withRetrieval).toMatchObject({ smallShare: 0, needsLargeKeptSmall: 0 });
    const allSmall = await evaluateRouting({ router, questions, weights: { ...weights, hashed: {} } });
    expect(allSmall).toMatchObject({ smallShare: 1, needsLargeKeptSmall: 1 });
    // Routed as labelled, the ratio is the best this set allows: here what the run without retrieval achieved.
    expect(without.costRatioIfRoutedByLabel).toBe(without.costRatioVsAlwaysLarge);
    expect(without.costRatioVsAlwaysLarge).toBeGreaterThan(1.4);
    expect(without.costRatioVsAlwaysLarge).toBeLessThan(2);
    expect(withRetrieval.costRatioVsAlwaysLarge).toBe(1); // everything large
    expect(allSmall.costRatioVsAlwaysLarge).toBeGreaterThan(4); // all small: about the 5× price ratio
    expect(allSmall.costRatioIfRoutedByLabel).toBeLessThan(allSmall.costRatioVsAlwaysLarge);
  });

  it("prints JSON with the documented keys and runs on another question file", () => {
    const file = tempFile("other.jsonl", '{"question":"Where is the billing page?","label":"small-ok"}\n{"question":"Compare Pro and Business for 8 developers?","label":"needs-large"}\n');
    const output = execFileSync(process.execPath, ["scripts/eval-routing.mjs", "--json", "--questions", file], { encoding: "utf8" });
    const result = JSON.parse(output);
    expect(result).toMatchObject({ questions: 2, smallShare: 0.5, needsLargeKeptSmall: 0 });
    expect(result.costRatioVsAlwaysLarge).toBeGreaterThan(1);
  }, 60_000);
});

describe("product retrieval for the routing eval", () => {
  it("runs the worker's retrieval over a docs folder: an answerable question scores, an unrelated one does not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edgechat-docs-"));
    mkdirSync(join(dir, "guides"));
    writeFileSync(join(dir, "billing.md"), "# Billing\n\nInvoices are listed under Settings > Billing. Download each invoice as a PDF. We accept PayPal and credit cards.");
    writeFileSync(join(dir, "guides", "domains.md"), "# Custom domains\n\nAdd a custom domain under App > Domains. TLS certificates renew automatically.");
    writeFileSync(join(dir, "notes.bin"), "ignored");
    const product = await createProductRetriever({ docsDir: dir });
    try {
      const hit = await product.retrieve("Where can I download my invoices?");
      expect(hit.signals.searched).toBe(true);
      expect(hit.signals.passagesAboveThreshold).toBeGreaterThanOrEqual(1);
      expect(hit.signals.topScore).toBeGreaterThan(0.15);
      expect(hit.passages[0]).toContain("Invoices are listed");
      const miss = await product.retrieve("What's the weather in Berlin tomorrow?");
      expect(miss.signals).toEqual({ searched: true, topScore: 0, secondScore: 0, passagesAboveThreshold: 0 });
      // A short follow-up is searched with the conversation, as in a chat turn.
      const followUp = await product.retrieve("and as a PDF?", ["Where are my invoices?"]);
      expect(followUp.passages[0]).toContain("Invoices are listed");
    } finally {
      await product.dispose();
    }
  }, 60_000);

  it("refuses a docs folder without documents", async () => {
    await expect(createProductRetriever({ docsDir: mkdtempSync(join(tmpdir(), "edgechat-empty-")) })).rejects.toThrow(/No documents/);
  });
});
