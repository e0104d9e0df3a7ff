import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EdgechatEnv } from "../env";
import { Bm25Ranker } from "./bm25";
import { indexKeywordDocuments } from "../test-support/index-keyword-documents";
import { keywordRows } from "../test-support/keyword-rows";
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

  it("scores only the documents asked for, with the scores the whole ranking gives them (scoreDocumentsByTerms)", async () => {
    const index = new KeywordIndex(db);
    await indexKeywordDocuments(db, "scoring-some", docs);
    // The same document ids in another bot, saying something else: never scored for this one.
    await indexKeywordDocuments(db, "scoring-other", { "keys.md": "Update the update key key key.", "logs.md": "Update logs." });
    const terms = [
      { term: "updat", weight: 1 },
      { term: "key", weight: 0.5 },
      { term: "log", weight: 0.25 },
    ];
    const all = await index.rankDocumentsByTerms("scoring-some", terms, 200);
    const some = await index.scoreDocumentsByTerms("scoring-some", terms, ["keys.md", "logs.md", "domains.md", "missing.md"]);
    // domains.md has none of the terms; billing.md has one but was not asked for.
    expect(some.map((hit) => hit.documentId).sort()).toEqual(["keys.md", "logs.md"]);
    for (const hit of some) expect(hit.score).toBeCloseTo(all.find((other) => other.documentId === hit.documentId)!.score, 9);
    expect(all.map((hit) => hit.documentId)).toContain("billing.md");
    expect(await index.scoreDocumentsByTerms("scoring-some", terms, [])).toEqual([]);
  });

  it("finds nothing for a question without topic words", async () => {
    expect(await new KeywordIndex(db).rankDocuments("ranking-alone", "what is it?", 200)).toEqual([]);
  });
});

describe("KeywordIndex's narrow rows (migration 0011)", () => {
  it("writes and deletes each full-text row with its row of bot and document, so rankings and searches find the same documents", async () => {
    const index = await indexKeywordDocuments(db, "rows-in-step", docs);
    await indexKeywordDocuments(db, "rows-other-bot", { "keys.md": docs["keys.md"]! });
    const chunk = (chunkIndex: number, body: string) => ({ documentId: "keys.md", chunkIndex, title: "Keys", url: "/keys", heading: "", body });
    await index.replaceDocument("rows-in-step", "keys.md", [chunk(0, "Rotate an API key every year."), chunk(1, "Revoke the old key after the rotation.")]);
    await index.deleteDocument("rows-in-step", "logs.md");
    await index.replaceDocuments("rows-in-step", [{ documentId: "domains.md", chunks: [] }, { documentId: "new.md", chunks: [{ ...chunk(0, "A new key page."), documentId: "new.md" }] }]);

    const rows = await keywordRows(db, "rows-in-step");
    expect(rows.documents.narrow).toEqual(rows.documents.fts);
    expect(rows.chunks.narrow).toEqual(rows.chunks.fts);
    expect(rows.documents.fts.map((row) => row.documentId).sort()).toEqual(["billing.md", "keys.md", "new.md"]);
    expect(rows.chunks.fts.map((row) => row.documentId).sort()).toEqual(["billing.md", "keys.md", "keys.md", "new.md"]);
    const other = await keywordRows(db, "rows-other-bot");
    expect(other.documents.narrow).toEqual(other.documents.fts);
    expect(other.documents.fts).toHaveLength(1);

    // The count BM25's table-wide IDF takes (kept by triggers, migration 0011) is the one count(*) finds.
    const kept = await db.prepare("SELECT row_count AS n FROM keyword_index_stats WHERE name = 'documents_fts'").first<{ n: number }>();
    const counted = await db.prepare("SELECT count(*) AS n FROM documents_fts").first<{ n: number }>();
    expect(kept!.n).toBe(counted!.n);
    expect(kept!.n).toBeGreaterThan(3);
    // The readers find the bot's documents through those rows, and only this bot's.
    expect((await index.rankDocuments("rows-in-step", "revoke key", 200)).map((hit) => hit.documentId).sort()).toEqual(["keys.md", "new.md"]);
    const chunkHits = (await index.search("rows-in-step", "revoke key", 10)).map((hit) => `${hit.documentId}#${hit.chunkIndex}`);
    expect(chunkHits[0]).toBe("keys.md#1");
    expect(chunkHits.sort()).toEqual(["keys.md#0", "keys.md#1", "new.md#0"]);
    expect((await index.search("rows-in-step", "revoke key", 10, "document")).map((hit) => hit.documentId).sort()).toEqual(["keys.md", "new.md"]);
    // By id: this bot's rows only (the other bot's keys.md says something else), none for a deleted or unknown document.
    const passages = await index.documentPassages("rows-in-step", ["keys.md", "logs.md", "billing.md", "missing.md"]);
    expect(passages.map((row) => `${row.documentId}: ${row.body}`).sort()).toEqual([expect.stringMatching(/^billing\.md: ./), "keys.md: Rotate an API key every year."]);
    expect((await index.documentTerms("rows-in-step", ["keys.md"]))[0]!.terms).toContain("revok");
  });
});
