import { termsOf } from "./text-tokens";

export interface KeywordChunk {
  documentId: string;
  chunkIndex: number;
  title: string;
  url: string;
  heading: string;
  body: string;
}

/** A document's BM25 score for a query (higher is better). */
export interface ScoredDocument {
  documentId: string;
  score: number;
}

/** Query terms looked up one by one for document ranking (each is two small queries in one batch). */
const MAX_DOCUMENT_QUERY_TERMS = 16;

export interface KeywordHit extends KeywordChunk {
  /** FTS5 bm25() rank: lower is better. */
  rank: number;
}

/**
 * The keyword side of hybrid retrieval: D1's FTS5 over each chunk's stemmed terms, ranked by
 * SQLite's bm25(). Scoped to one bot by a column the caller cannot choose.
 */
export class KeywordIndex {
  constructor(private readonly db: D1Database) {}

  /**
   * Replaces every row of one document with its new chunks (one D1 batch: all or nothing), plus its
   * whole-document row (in documents_fts, with its first chunk for display) so that a document
   * whose words are spread over several chunks is still found as a whole.
   */
  async replaceDocument(botId: string, documentId: string, chunks: readonly KeywordChunk[]): Promise<void> {
    await this.db.batch(this.replaceStatements(botId, documentId, chunks));
  }

  /** Replaces several documents' rows, in D1 batches that never split a document. */
  async replaceDocuments(botId: string, documents: readonly { documentId: string; chunks: readonly KeywordChunk[] }[]): Promise<void> {
    let batch: D1PreparedStatement[] = [];
    for (const { documentId, chunks } of documents) {
      const statements = this.replaceStatements(botId, documentId, chunks);
      if (batch.length > 0 && batch.length + statements.length > 1000) {
        await this.db.batch(batch);
        batch = [];
      }
      batch.push(...statements);
    }
    if (batch.length > 0) await this.db.batch(batch);
  }

  /**
   * Each full-text row is written with its row in the narrow table that gives its bot and document by
   * rowid (migration 0011), in the same batch, right after it: `last_insert_rowid()` is that row's rowid.
   */
  private replaceStatements(botId: string, documentId: string, chunks: readonly KeywordChunk[]): D1PreparedStatement[] {
    const statements = this.deleteStatements(botId, documentId);
    const first = chunks[0];
    if (first) {
      const allText = chunks.map((chunk) => `${chunk.heading}\n${chunk.body}`).join("\n");
      statements.push(
        this.db
          .prepare(
            `INSERT INTO documents_fts (terms, bot_id, document_id, title, url, heading, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
          )
          .bind(termsOf(`${first.title}\n${allText}`).join(" "), botId, documentId, first.title, first.url, first.heading, first.body),
        this.db.prepare(`INSERT INTO keyword_document_rows (fts_rowid, bot_id, document_id) VALUES (last_insert_rowid(), ?1, ?2)`).bind(botId, documentId),
      );
    }
    for (const chunk of chunks) {
      statements.push(
        this.db
          .prepare(
            `INSERT INTO document_chunks_fts (terms, bot_id, document_id, chunk_index, title, url, heading, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
          )
          .bind(termsOf(`${chunk.title}\n${chunk.heading}\n${chunk.body}`).join(" "), botId, documentId, chunk.chunkIndex, chunk.title, chunk.url, chunk.heading, chunk.body),
        this.db.prepare(`INSERT INTO keyword_chunk_rows (fts_rowid, bot_id, document_id) VALUES (last_insert_rowid(), ?1, ?2)`).bind(botId, documentId),
      );
    }
    return statements;
  }

  /** Deletes one document's full-text rows found by rowid through the narrow tables (no scan of the stored rows), then theirs. */
  private deleteStatements(botId: string, documentId: string): D1PreparedStatement[] {
    return [
      this.db
        .prepare(`DELETE FROM document_chunks_fts WHERE rowid IN (SELECT fts_rowid FROM keyword_chunk_rows WHERE bot_id = ?1 AND document_id = ?2)`)
        .bind(botId, documentId),
      this.db.prepare(`DELETE FROM keyword_chunk_rows WHERE bot_id = ?1 AND document_id = ?2`).bind(botId, documentId),
      this.db
        .prepare(`DELETE FROM documents_fts WHERE rowid IN (SELECT fts_rowid FROM keyword_document_rows WHERE bot_id = ?1 AND document_id = ?2)`)
        .bind(botId, documentId),
      this.db.prepare(`DELETE FROM keyword_document_rows WHERE bot_id = ?1 AND document_id = ?2`).bind(botId, documentId),
    ];
  }

  async deleteDocument(botId: string, documentId: string): Promise<void> {
    await this.db.batch(this.deleteStatements(botId, documentId));
  }

  /**
   * Whole documents of one bot ranked by Okapi BM25 with this bot's own statistics. FTS5's bm25()
   * takes document counts from the whole table, that is from every bot's documents, so one
   * customer's ranking would shift with another's uploads. Here every query term is searched on
   * its own (all in one D1 batch), FTS5's table-wide IDF is divided out of its score, which leaves
   * the term's saturated, length-normalised frequency in each document, and that is weighted with
   * the same IDF formula over this bot's documents only: log((N − n + 0.5) / (n + 0.5)), floored at
   * 1e-6 as FTS5 floors it. (Length normalisation still uses FTS5's table-wide average document
   * length.) Returns every document that shares a term with the query (up to
   * `limit` per term), best first.
   *
   * @example
   * await new KeywordIndex(env.DB).rankDocuments("demo", "rotate api key", 200) // [{ documentId: "security:api-keys.md", score: 7.9 }, …]
   */
  async rankDocuments(botId: string, query: string, limit: number): Promise<ScoredDocument[]> {
    return this.rankDocumentsByTerms(botId, [...new Set(termsOf(query))].map((term) => ({ term, weight: 1 })), limit);
  }

  /**
   * `rankDocuments` for terms already stemmed (as `termsOf` makes them), each term's BM25
   * contribution multiplied by its weight (used for the weighted terms of query expansion).
   */
  async rankDocumentsByTerms(botId: string, weightedTerms: readonly { term: string; weight: number }[], limit: number): Promise<ScoredDocument[]> {
    const selected = weightedTerms.slice(0, MAX_DOCUMENT_QUERY_TERMS);
    if (selected.length === 0) return [];
    const perTerm = selected.map(({ term }) => [
      this.tableHitsStatement(term),
      // FTS5 gives rowid and bm25() only (no stored row is read); the narrow table gives the bot and document.
      this.db.prepare(bestRowsSql("documents_fts", "keyword_document_rows")).bind(quoted(term), botId, limit),
    ]);
    const results = await this.db.batch<{ n: number } & ScoredRank>([...this.countStatements(botId), ...perTerm.flat()]);
    return bm25Ranking(selected, results, (t) => {
      const hits = ranks(results[3 + 2 * t]);
      // The bot's documents that have the term: as many as its ranked list holds (the list stops at `limit`).
      return { tableHits: count(results[2 + 2 * t]), botHits: hits.length, hits };
    });
  }

  /**
   * The scores `rankDocumentsByTerms` gives some documents, computed for those documents alone: FTS5's
   * bm25() runs on their rows only, instead of on every row that has a term and then a sort (most of a
   * ranking's cost on a bot with thousands of documents: 7.3 → 2.6 ms for 8 terms on the 10k-chunk bench
   * bot). Each term's number of the bot's documents is counted (the ranking takes the length of its list,
   * which stops at its limit: the same number for a bot with fewer documents than the limit). Documents
   * that have none of the terms are left out.
   */
  async scoreDocumentsByTerms(
    botId: string,
    weightedTerms: readonly { term: string; weight: number }[],
    documentIds: readonly string[],
  ): Promise<ScoredDocument[]> {
    const selected = weightedTerms.slice(0, MAX_DOCUMENT_QUERY_TERMS);
    if (selected.length === 0 || documentIds.length === 0) return [];
    const documents = JSON.stringify(documentIds);
    const perTerm = selected.map(({ term }) => [
      this.tableHitsStatement(term),
      this.db
        .prepare(
          `SELECT count(*) AS n FROM (SELECT rowid AS id FROM documents_fts WHERE documents_fts MATCH ?1) AS f
           CROSS JOIN keyword_document_rows AS r ON r.fts_rowid = f.id WHERE r.bot_id = ?2`,
        )
        .bind(quoted(term), botId),
      this.db
        .prepare(
          // `+rowid`: the list is tested on each match of the one full-text scan. As an index constraint, FTS5 would
          // open a cursor per listed row and recount the term's documents for each (3× slower than ranking all).
          `SELECT r.document_id AS documentId, f.rank FROM (SELECT rowid AS id, bm25(documents_fts) AS rank FROM documents_fts
             WHERE documents_fts MATCH ?1 AND +rowid IN (SELECT fts_rowid FROM keyword_document_rows WHERE bot_id = ?2 AND document_id IN (SELECT value FROM json_each(?3)))) AS f
           CROSS JOIN keyword_document_rows AS r ON r.fts_rowid = f.id`,
        )
        .bind(quoted(term), botId, documents),
    ]);
    const results = await this.db.batch<{ n: number } & ScoredRank>([...this.countStatements(botId), ...perTerm.flat()]);
    return bm25Ranking(selected, results, (t) => ({
      tableHits: count(results[2 + 3 * t]),
      botHits: count(results[3 + 3 * t]),
      hits: ranks(results[4 + 3 * t]),
    }));
  }

  /** The two counts every ranking needs first: documents_fts's rows (all bots) and this bot's documents. */
  private countStatements(botId: string): D1PreparedStatement[] {
    return [
      // documents_fts's row count, kept by triggers (migration 0011): count(*) would read every stored row.
      this.db.prepare(`SELECT row_count AS n FROM keyword_index_stats WHERE name = 'documents_fts'`),
      this.db.prepare(`SELECT count(*) AS n FROM documents WHERE bot_id = ?1`).bind(botId),
    ];
  }

  /** Rows of documents_fts (of every bot) that have a term: FTS5's own document frequency. */
  private tableHitsStatement(term: string): D1PreparedStatement {
    return this.db.prepare(`SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH ?1`).bind(quoted(term));
  }

  /**
   * The indexed terms (stemmed, in order) of some whole documents of one bot, found by rowid through the
   * narrow table: no full-text match (an OR of the question's terms read thousands of rows on a large bot).
   */
  async documentTerms(botId: string, documentIds: readonly string[]): Promise<{ documentId: string; terms: string[] }[]> {
    if (documentIds.length === 0) return [];
    const { results } = await this.db
      .prepare(wholeDocumentRowsSql("f.terms"))
      .bind(botId, JSON.stringify(documentIds))
      .all<{ documentId: string; terms: string }>();
    return results.map((row) => ({ documentId: row.documentId, terms: row.terms.split(" ").filter(Boolean) }));
  }

  /** The whole-document rows (first chunk for display) of some documents of one bot, found by rowid as `documentTerms`. */
  async documentPassages(botId: string, documentIds: readonly string[]): Promise<KeywordChunk[]> {
    if (documentIds.length === 0) return [];
    const { results } = await this.db
      .prepare(wholeDocumentRowsSql("0 AS chunkIndex, f.title, f.url, f.heading, f.body"))
      .bind(botId, JSON.stringify(documentIds))
      .all<KeywordChunk>();
    return results;
  }

  /**
   * Chunks (or, with level "document", whole documents) of one bot that share words with the
   * query, best first. A document hit carries its first chunk's text and chunkIndex 0.
   */
  async search(botId: string, query: string, limit: number, level: "chunk" | "document" = "chunk"): Promise<KeywordHit[]> {
    const match = matchAnyTerm(query);
    if (!match) return [];
    const sql = level === "chunk" ? CHUNK_SEARCH : DOCUMENT_SEARCH;
    const { results } = await this.db.prepare(sql).bind(match, botId, limit).all<KeywordHit>();
    return results;
  }
}

/** A document's bm25() rank for one term (FTS5: lower is better). */
interface ScoredRank {
  documentId: string;
  rank: number;
}

const count = (result: D1Result<{ n: number }> | undefined): number => result?.results[0]?.n ?? 0;
const ranks = (result: D1Result<unknown> | undefined): ScoredRank[] => (result?.results ?? []) as ScoredRank[];

/**
 * Okapi BM25 with a bot's own statistics, from FTS5's per-term bm25() ranks (`rankDocumentsByTerms`):
 * FTS5's table-wide IDF is divided out of each rank, which leaves the term's saturated, length-normalised
 * frequency, and that is weighted with log((N − n + 0.5) / (n + 0.5)) over the bot's documents (N its
 * documents, n those that have the term), floored at 1e-6 as FTS5 floors it, times the term's weight.
 */
function bm25Ranking(
  terms: readonly { term: string; weight: number }[],
  [tableRows, botRows]: readonly (D1Result<{ n: number }> | undefined)[],
  termResults: (t: number) => { tableHits: number; botHits: number; hits: ScoredRank[] },
): ScoredDocument[] {
  const tableCount = count(tableRows);
  let botCount = count(botRows);
  const scores = new Map<string, number>();
  for (let t = 0; t < terms.length; t++) {
    const { tableHits, botHits, hits } = termResults(t);
    if (botHits === 0) continue;
    botCount = Math.max(botCount, botHits);
    // FTS5's IDF for this term (sqlite/ext/fts5/fts5_aux.c), floored as FTS5 floors it.
    const ftsIdf = Math.max(Math.log((tableCount - tableHits + 0.5) / (tableHits + 0.5)), 1e-6);
    const idf = Math.max(Math.log((botCount - botHits + 0.5) / (botHits + 0.5)), 1e-6);
    const weight = terms[t]!.weight;
    for (const hit of hits) scores.set(hit.documentId, (scores.get(hit.documentId) ?? 0) + (weight * idf * -hit.rank) / ftsIdf);
  }
  return [...scores.entries()].map(([documentId, score]) => ({ documentId, score })).sort((a, b) => b.score - a.score);
}

/**
 * The best `?3` rows (id, documentId, rank) of bot `?2` for FTS5 query `?1`, ranked on rowid and bm25()
 * alone, the bot found in the narrow table (migration 0011): testing bot_id in FTS5 read every match's whole
 * stored row, of every bot, and that was most of the query's time.
 */
function bestRowsSql(table: "document_chunks_fts" | "documents_fts", rows: "keyword_chunk_rows" | "keyword_document_rows"): string {
  return `SELECT f.id, r.document_id AS documentId, f.rank FROM (SELECT rowid AS id, bm25(${table}) AS rank FROM ${table} WHERE ${table} MATCH ?1) AS f
    CROSS JOIN ${rows} AS r ON r.fts_rowid = f.id WHERE r.bot_id = ?2 ORDER BY f.rank LIMIT ?3`;
}

/** Columns of the whole-document rows of bot `?1`'s documents named in JSON array `?2`, each with its documentId. */
function wholeDocumentRowsSql(columns: string): string {
  return `SELECT r.document_id AS documentId, ${columns} FROM keyword_document_rows AS r CROSS JOIN documents_fts AS f ON f.rowid = r.fts_rowid
    WHERE r.bot_id = ?1 AND r.document_id IN (SELECT value FROM json_each(?2))`;
}

/** `bestRowsSql` with those rows' display columns, read for the rows kept only. */
function bestRowsWithTextSql(table: "document_chunks_fts" | "documents_fts", rows: "keyword_chunk_rows" | "keyword_document_rows", columns: string): string {
  return `WITH best AS MATERIALIZED (${bestRowsSql(table, rows)})
    SELECT best.documentId, ${columns}, best.rank FROM best CROSS JOIN ${table} AS t ON t.rowid = best.id ORDER BY best.rank`;
}

const CHUNK_SEARCH = bestRowsWithTextSql("document_chunks_fts", "keyword_chunk_rows", "t.chunk_index AS chunkIndex, t.title, t.url, t.heading, t.body");
const DOCUMENT_SEARCH = bestRowsWithTextSql("documents_fts", "keyword_document_rows", "0 AS chunkIndex, t.title, t.url, t.heading, t.body");

/** An FTS5 query matching any of the query's terms (undefined when it has none). */
function matchAnyTerm(query: string): string | undefined {
  const terms = [...new Set(termsOf(query))].slice(0, 32);
  return terms.length === 0 ? undefined : terms.map(quoted).join(" OR ");
}

/** Every term is quoted, so nothing the visitor types can act as FTS5 query syntax. */
function quoted(term: string): string {
  return `"${term.replace(/"/g, "")}"`;
}
