// Migration 0011 (the keyword index's narrow rows and its row count) on a database that already has indexed documents, as
// `wrangler d1 migrations apply` meets it on an existing deployment. This file's D1 has every migration
// applied (worker/test-support/apply-d1-migrations.ts): the test removes what 0011 made, writes rows as the
// writers before 0011 did, and applies 0011's statements again (any object 0011 makes that is not removed
// here makes that fail: "already exists").
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EdgechatEnv } from "../env";
import { KeywordIndex } from "./keyword-index";
import { keywordRows } from "../test-support/keyword-rows";

const db = (env as unknown as EdgechatEnv).DB!;
const migrations = (env as unknown as { TEST_D1_MIGRATIONS: { name: string; queries: string[] }[] }).TEST_D1_MIGRATIONS;

/** documents_fts's row count as kept in keyword_index_stats, and as count(*) finds it. */
async function documentRowCounts(): Promise<{ kept: number; counted: number }> {
  const kept = await db.prepare("SELECT row_count AS n FROM keyword_index_stats WHERE name = 'documents_fts'").first<{ n: number }>();
  const counted = await db.prepare("SELECT count(*) AS n FROM documents_fts").first<{ n: number }>();
  return { kept: kept!.n, counted: counted!.n };
}

describe("migration 0011 backfill", () => {
  it("gives every row already in the full-text tables its bot and document, so existing documents are still ranked, found and deleted", async () => {
    await db.batch(["DROP TABLE keyword_document_rows", "DROP TABLE keyword_chunk_rows", "DROP TABLE keyword_index_stats"].map((sql) => db.prepare(sql)));
    // Rows as the writers before 0011 left them: two bots, a document with two chunks.
    const chunk = (bot: string, document: string, at: number, terms: string) =>
      db
        .prepare("INSERT INTO document_chunks_fts (terms, bot_id, document_id, chunk_index, title, url, heading, body) VALUES (?, ?, ?, ?, 't', '/', '', ?)")
        .bind(terms, bot, document, at, terms);
    const whole = (bot: string, document: string, terms: string) =>
      db.prepare("INSERT INTO documents_fts (terms, bot_id, document_id, title, url, heading, body) VALUES (?, ?, ?, 't', '/', '', ?)").bind(terms, bot, document, terms);
    await db.batch([
      whole("a", "keys.md", "rotat api key revok old key"),
      chunk("a", "keys.md", 0, "rotat api key"),
      chunk("a", "keys.md", 1, "revok old key"),
      whole("a", "logs.md", "stream log cli"),
      chunk("a", "logs.md", 0, "stream log cli"),
      whole("b", "keys.md", "key rotat"),
      chunk("b", "keys.md", 0, "key rotat"),
    ]);
    const migration = migrations.find((entry) => entry.name.startsWith("0011_"))!;
    for (const query of migration.queries) await db.prepare(query).run();

    for (const bot of ["a", "b"]) {
      const rows = await keywordRows(db, bot);
      expect(rows.documents.narrow).toEqual(rows.documents.fts);
      expect(rows.chunks.narrow).toEqual(rows.chunks.fts);
    }
    expect((await keywordRows(db, "a")).chunks.fts).toHaveLength(3);
    expect(await documentRowCounts()).toEqual({ kept: 3, counted: 3 });

    // The readers and writers of keyword-index.ts on those carried rows.
    const keywords = new KeywordIndex(db);
    expect((await keywords.rankDocuments("a", "revoke the key", 200)).map((hit) => hit.documentId)).toEqual(["keys.md"]);
    expect((await keywords.search("a", "revoke the key", 10)).map((hit) => `${hit.documentId}#${hit.chunkIndex}`).sort()).toEqual(["keys.md#0", "keys.md#1"]);
    await keywords.deleteDocument("a", "keys.md");
    expect(await keywords.search("a", "key", 10)).toEqual([]);
    expect((await keywords.search("b", "key", 10)).map((hit) => hit.documentId)).toEqual(["keys.md"]);
    expect((await keywordRows(db, "a")).chunks.fts.map((row) => row.documentId)).toEqual(["logs.md"]);
    // From now on the triggers keep the count.
    expect(await documentRowCounts()).toEqual({ kept: 2, counted: 2 });
  });
});
