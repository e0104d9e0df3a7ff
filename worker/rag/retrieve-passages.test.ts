import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { EdgechatEnv } from "../env";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import { ingestDocuments, type DocumentInput } from "./ingest-documents";
import { retrievePassages } from "./retrieve-passages";
import { OFFLINE_MIN_SCORE_WITHOUT_KEYWORD_MATCH } from "./retrieval-for-turn";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";

const testEnv = env as unknown as EdgechatEnv;

const docs: DocumentInput[] = [
  {
    id: "status.md",
    title: "Status page",
    url: "/docs/status",
    format: "markdown",
    content:
      "# Status page\n\nThe health of every region and component is published on the status page. When an incident affects customers we post the first update within 15 minutes. Planned maintenance that may cause downtime is announced a week ahead.",
  },
  {
    id: "billing.md",
    title: "Billing",
    url: "/docs/billing",
    format: "markdown",
    content: "# Billing\n\nYou can see every invoice on the billing dashboard; invoices are also emailed on the first day of each month.",
  },
  {
    id: "password.md",
    title: "Password",
    url: "/docs/password",
    format: "markdown",
    content: "# Password\n\nReset a forgotten password from the sign-in form; the link in the email expires after one hour.",
  },
];

async function seeded(botId: string, semanticWeight?: number) {
  const embedding = createOfflineEmbeddingModel({ semanticWeight, wordVectors: bundledWordVectors() });
  const deps = { index: vectorIndexFromEnv(testEnv, 384)!, embedding, db: testEnv.DB! };
  const results = await ingestDocuments(deps, botId, docs);
  expect(results.every((result) => result.status !== "failed")).toBe(true);
  return deps;
}

describe("retrievePassages with the offline embedder", () => {
  it("finds a document that answers in other words (no shared word), which the spelling-only embedder cannot", async () => {
    // "outage" and "ongoing" are nowhere in the docs; the status page speaks of incidents, health and
    // downtime. "see" gives the keyword index something (the billing page), so the ordinary threshold applies.
    const question = "Where can I see whether there is an ongoing outage?";
    const withMeaning = await retrievePassages(await seeded("meaning"), { botId: "meaning", question, minScore: 0.15, minScoreWithoutKeywordMatch: OFFLINE_MIN_SCORE_WITHOUT_KEYWORD_MATCH });
    expect(withMeaning.map((passage) => passage.documentId)).toContain("status.md");
    // The keyword path ran (the billing page shares "see"), so the ordinary threshold was the one applied.
    expect(withMeaning.map((passage) => passage.documentId)).toContain("billing.md");
    const spellingOnly = await retrievePassages(await seeded("spelling", 0), { botId: "spelling", question, minScore: 0.15 });
    expect(spellingOnly.map((passage) => passage.documentId)).not.toContain("status.md");
  });

  it("with no keyword evidence at all, keeps only vector matches above minScoreWithoutKeywordMatch", async () => {
    const deps = await seeded("off-topic");
    const question = "Who won the football world cup in 1998?";
    const strict = await retrievePassages(deps, { botId: "off-topic", question, minScore: -1, minScoreWithoutKeywordMatch: OFFLINE_MIN_SCORE_WITHOUT_KEYWORD_MATCH });
    expect(strict).toEqual([]);
    const lenient = await retrievePassages(deps, { botId: "off-topic", question, minScore: -1 });
    expect(lenient.length).toBeGreaterThan(0); // the same matches exist; only the threshold kept them out
  });

  it("answers from vectors alone when the keyword index fails, without the no-keyword-match bar", async () => {
    const deps = await seeded("keywords-down");
    const failingDb = { prepare: () => { throw new Error("D1 down"); }, batch: () => Promise.reject(new Error("D1 down")) } as unknown as D1Database;
    const passages = await retrievePassages(
      { ...deps, db: failingDb },
      { botId: "keywords-down", question: "Where can I see whether there is an ongoing outage?", minScore: 0.1, minScoreWithoutKeywordMatch: 0.99 },
    );
    expect(passages.map((passage) => passage.documentId)).toContain("status.md");
    expect(passages.every((passage) => passage.score !== undefined)).toBe(true); // vector matches only
  });

  it("reads the likely documents' opening passages beside the query expansion, not after it, with the same passages", async () => {
    // Three documents that match "invoice refund" about equally: the first ranking is undecided, so it is expanded.
    const tie: DocumentInput[] = ["a", "b", "c"].map((id) => ({
      id: `${id}.md`,
      title: `Refunds ${id}`,
      url: `/docs/${id}`,
      format: "markdown",
      content: `# Refunds ${id}\n\nAn invoice refund is paid back to the card within five days; ask support for an invoice refund ${id}.`,
    }));
    const embedding = createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() });
    const deps = { index: vectorIndexFromEnv(testEnv, 384)!, embedding, db: testEnv.DB! };
    expect((await ingestDocuments(deps, "passages-beside", tie)).every((result) => result.status !== "failed")).toBe(true);
    // D1 as the keyword side sees it, noting when each query starts and ends.
    const events: string[] = [];
    let batches = 0;
    const kindOf = (sql: string) => (/0 AS chunkIndex, f\.title/.test(sql) && /json_each/.test(sql) ? "passages" : /documentId, f\.terms/.test(sql) ? "terms" : "other");
    const noted = <T>(name: string, run: () => Promise<T>) => {
      events.push(`start ${name}`);
      return run().finally(() => events.push(`end ${name}`));
    };
    const db = testEnv.DB!;
    const watched = {
      prepare: (sql: string) => {
        const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
          new Proxy(statement, {
            get: (target, property) =>
              property === "bind"
                ? (...values: unknown[]) => wrap(target.bind(...values))
                : property === "all"
                  ? () => noted(kindOf(sql), () => target.all())
                  : Reflect.get(target, property),
          });
        return wrap(db.prepare(sql));
      },
      batch: (statements: D1PreparedStatement[]) => {
        const name = `batch ${++batches}`;
        return noted(name, () => db.batch(statements));
      },
    } as unknown as D1Database;
    // One chunk candidate, so the other documents can only come in as whole documents (their opening passages).
    const options = { botId: "passages-beside", question: "invoice refund", minScore: 0.15, candidates: 1 };
    const passages = await retrievePassages({ ...deps, db: watched }, options);
    expect(events).toContain("start terms"); // the expansion ran
    // The opening passages were asked for before the expanded ranking (the second batch) came back.
    expect(events.indexOf("start passages")).toBeGreaterThan(-1);
    expect(events.indexOf("start passages")).toBeLessThan(events.indexOf("end batch 2"));
    // And the turn quotes the same passages as with D1 unwatched.
    expect(passages).toEqual(await retrievePassages(deps, options));
    expect(new Set(passages.map((passage) => passage.documentId))).toEqual(new Set(["a.md", "b.md", "c.md"]));
  });
});
