import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EdgechatEnv } from "../env";
import { Bm25Ranker } from "./bm25";
import { indexKeywordDocuments } from "../test-support/index-keyword-documents";
import { KeywordIndex } from "./keyword-index";

const db = (env as unknown as EdgechatEnv).DB!;

const docs: Record<string, string> = {
  "keys.md": "Rotate an API key: create the new key, update your systems, then revoke the old key.",
  "billing.md": "Invoices are emailed every month. Update the card under billing settings.",
  "logs.md": "Stream logs with the CLI. Logs are kept for seven days.",
  "domains.md": "Add a custom domain and create the DNS record we show you.",
};

describe("KeywordIndex.rankDocuments", () => {
  it("ranks one bot's documents with its own statistics, whatever other bots have indexed", async () => {
    const index = new KeywordIndex(db);
    await indexKeywordDocuments(db, "ranking-alone", docs);
    const alone = await index.rankDocuments("ranking-alone", "update the api key", 200);
    // Another bot with many documents that say "update" and "key" but never "api" shifts FTS5's
    // table-wide IDF towards "api"; this bot's scores must not move. (Its documents are as long
    // as these, so FTS5's table-wide average length, which does enter BM25, stays the same.)
    const other: Record<string, string> = {};
    for (let i = 0; i < 8; i++) for (const [id, text] of Object.entries(docs)) other[`copy-${i}-${id}`] = text.replace(/API/g, "app");
    await indexKeywordDocuments(db, "ranking-noisy-neighbour", other);
    await indexKeywordDocuments(db, "ranking-shared", docs);
    const shared = await index.rankDocuments("ranking-shared", "update the api key", 200);
    expect(shared.map((hit) => hit.documentId)).toEqual(alone.map((hit) => hit.documentId));
    expect(shared[0]!.documentId).toBe("keys.md");
    for (const [i, hit] of shared.entries()) expect(hit.score).toBeCloseTo(alone[i]!.score, 6);
    // Every document sharing a term is returned; the others are not.
    expect(new Set(shared.map((hit) => hit.documentId))).toEqual(new Set(["keys.md", "billing.md"]));
  });

  it("orders documents as BM25 over the same terms does", async () => {
    const index = new KeywordIndex(db);
    await indexKeywordDocuments(db, "ranking-bm25", docs);
    const ranker = new Bm25Ranker(Object.entries(docs).map(([id, text]) => ({ id, text })));
    for (const question of ["how long are logs kept", "custom domain dns record", "revoke an old key"]) {
      const ranked = (await index.rankDocuments("ranking-bm25", question, 200)).map((hit) => hit.documentId);
      expect(ranked[0]).toBe(ranker.rank(question)[0]);
    }
  });

  it("finds nothing for a question without topic words", async () => {
    expect(await new KeywordIndex(db).rankDocuments("ranking-alone", "what is it?", 200)).toEqual([]);
  });
});
