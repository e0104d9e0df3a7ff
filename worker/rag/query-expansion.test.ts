import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EdgechatEnv } from "../env";
import { indexKeywordDocuments } from "../test-support/index-keyword-documents";
import { DEFAULT_EXPANSION, expandDocumentRanking, feedbackTerms, mixRankings } from "./query-expansion";

const db = (env as unknown as EdgechatEnv).DB!;

// Two near-tied matches for "reset password"; two documents with one of its words each, only
// one of which also speaks the best matches' vocabulary; and an unrelated one.
const docs: Record<string, string> = {
  "reset.md": "Reset your password from the sign-in page: we email a link to your inbox.",
  "expired.md": "A password reset link expires after one hour; check the spam folder.",
  "email-delivery.md": "Missing the password email with the link? Look in the spam folder, add our address to your inbox filters.",
  "router.md": "Restart the router: hold the reset button until the lights blink, then wait.",
  "billing.md": "Invoices are sent every month. Update the card under billing settings.",
};
// Unrelated documents, so that the words above are rare in this bot (BM25's IDF floors common words at ~0).
for (const topic of ["logs", "domains", "regions", "webhooks", "backups", "teams", "quotas", "storage", "deploys", "metrics"]) {
  docs[`${topic}.md`] = `All about ${topic}: configure ${topic} in the dashboard or with the command line tool.`;
}

const indexDocuments = (botId: string) => indexKeywordDocuments(db, botId, docs);

describe("feedbackTerms", () => {
  it("weights terms by how often the feedback documents use them and how well those matched, leaving out the question's own", () => {
    const terms = feedbackTerms(
      [
        { documentId: "a", terms: ["key", "rotat", "revok", "revok"] },
        { documentId: "b", terms: ["key", "token"] },
      ],
      [{ documentId: "a", score: 3 }, { documentId: "b", score: 1 }],
      ["key"],
      2,
    );
    // revok: 3/4 · 2/4 = 0.375; rotat: 3/4 · 1/4 = 0.1875; token: 1/4 · 1/2 = 0.125 (cut by the count).
    expect(terms.map((t) => t.term)).toEqual(["revok", "rotat"]);
    expect(terms[0]!.weight).toBeCloseTo(0.375, 6);
  });
});

describe("mixRankings", () => {
  it("adds the second ranking scaled to the first's best score", () => {
    const mixed = mixRankings([{ documentId: "a", score: 10 }, { documentId: "b", score: 9 }], [{ documentId: "b", score: 2 }, { documentId: "c", score: 1 }], 0.2);
    expect(mixed).toEqual([{ documentId: "b", score: 11 }, { documentId: "a", score: 10 }, { documentId: "c", score: 1 }]);
  });
});

describe("expandDocumentRanking", () => {
  it("moves the document that speaks the best matches' vocabulary up, among the first pass's documents only", async () => {
    const index = await indexDocuments("expansion-bot");
    const question = "reset password";
    const firstPass = await index.rankDocuments("expansion-bot", question, 200);
    const order = (list: { documentId: string }[]) => list.map((hit) => hit.documentId);
    expect(order(firstPass).slice(0, 2).sort()).toEqual(["expired.md", "reset.md"]);
    expect(firstPass[1]!.score).toBeGreaterThan(0.8 * firstPass[0]!.score);
    const scoreOf = (list: { documentId: string; score: number }[], id: string) => list.find((hit) => hit.documentId === id)!.score;
    expect(scoreOf(firstPass, "router.md")).toBeGreaterThan(scoreOf(firstPass, "email-delivery.md"));
    const expanded = await expandDocumentRanking(index, "expansion-bot", question, firstPass, { ...DEFAULT_EXPANSION, feedbackDocuments: 2 });
    expect(order(expanded).slice(0, 2)).toEqual(order(firstPass).slice(0, 2));
    expect(scoreOf(expanded, "email-delivery.md")).toBeGreaterThan(scoreOf(expanded, "router.md"));
    expect(new Set(order(expanded))).toEqual(new Set(order(firstPass)));
    // Without expansion (a first pass whose leader is always clear enough) nothing moves.
    expect(await expandDocumentRanking(index, "expansion-bot", question, firstPass, { ...DEFAULT_EXPANSION, maxLead: 0 })).toEqual(firstPass);
  });

  it("re-weights the first pass's best rerankDocuments and the documents named, the others keep their first-pass score", async () => {
    const index = await indexDocuments("expansion-some");
    const question = "reset password";
    const firstPass = await index.rankDocuments("expansion-some", question, 200);
    const settings = { ...DEFAULT_EXPANSION, feedbackDocuments: 2 };
    const everything = await expandDocumentRanking(index, "expansion-some", question, firstPass, settings);
    const scoreOf = (list: { documentId: string; score: number }[], id: string) => list.find((hit) => hit.documentId === id)!.score;
    // email-delivery.md gains from the expansion when it is re-weighted...
    expect(scoreOf(everything, "email-delivery.md")).toBeGreaterThan(scoreOf(firstPass, "email-delivery.md"));
    const rank = firstPass.findIndex((hit) => hit.documentId === "email-delivery.md");
    expect(rank).toBeGreaterThanOrEqual(2);
    // ...not when it is beyond the re-weighted best (then it keeps its first-pass score)...
    const top = await expandDocumentRanking(index, "expansion-some", question, firstPass, { ...settings, rerankDocuments: 2 });
    expect(scoreOf(top, "email-delivery.md")).toBe(scoreOf(firstPass, "email-delivery.md"));
    expect(scoreOf(top, "reset.md")).toBeGreaterThan(scoreOf(firstPass, "reset.md"));
    // ...unless it is named (a document with a matching passage); a document outside the first pass never is.
    const named = await expandDocumentRanking(index, "expansion-some", question, firstPass, { ...settings, rerankDocuments: 2 }, ["email-delivery.md", "billing.md"]);
    expect(scoreOf(named, "email-delivery.md")).toBeGreaterThan(scoreOf(firstPass, "email-delivery.md"));
    expect(named.map((hit) => hit.documentId)).not.toContain("billing.md");
  });

  it("leaves a clear first-pass winner alone and never reads another bot's documents", async () => {
    const index = await indexDocuments("expansion-clear");
    const clear = [{ documentId: "reset.md", score: 10 }, { documentId: "expired.md", score: 2 }];
    expect(await expandDocumentRanking(index, "expansion-clear", "reset password", clear)).toEqual(clear);
    const nearTie = [{ documentId: "reset.md", score: 10 }, { documentId: "expired.md", score: 9 }];
    expect(await expandDocumentRanking(index, "expansion-empty-bot", "reset password", nearTie)).toEqual(nearTie);
  });
});
