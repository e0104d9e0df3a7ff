// Migration 0009 (the conversations inbox) on a database that already has conversations: applied after
// 0001–0008 and their rows, as `wrangler d1 migrations apply` does on an existing deployment.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs helper
import { sqlStatements } from "./rag-harness.mjs";

let mf: Miniflare;
let db: Awaited<ReturnType<Miniflare["getD1Database"]>>;

async function apply(file: string) {
  const sql = readFileSync(join("migrations", file), "utf8").replace(/--.*$/gm, "");
  for (const statement of sqlStatements(sql) as string[]) await db.prepare(statement).run();
}

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default { fetch: () => new Response('') }", d1Databases: ["DB"], compatibilityDate: "2026-04-20" });
  db = await mf.getD1Database("DB");
});
afterAll(() => mf.dispose());

describe("migration 0009 backfill", () => {
  it("gives existing conversations their inbox entry, flags and searchable questions from the turns and ratings already recorded", async () => {
    const files = readdirSync("migrations").filter((name) => name.endsWith(".sql")).sort();
    const index = files.findIndex((name) => name.startsWith("0009_"));
    for (const file of files.slice(0, index)) await apply(file);
    const turn = (id: string, session: string, at: number, question: string, extra: Partial<{ status: string; tier: string; escalated: number; grounded: number | null; cost: number }> = {}) =>
      db
        .prepare("INSERT INTO turns (id, bot_id, session_id, status, tier, escalated, grounded, cost_usd, question, created_at) VALUES (?, 'demo', ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(id, session, extra.status ?? "complete", extra.tier ?? "small", extra.escalated ?? 0, extra.grounded === undefined ? 1 : extra.grounded, extra.cost ?? 0.01, question, at);
    await db.batch([
      db.prepare("INSERT INTO sessions (id, bot_id, created_at) VALUES ('s1', 'demo', 1000), ('s2', 'demo', 2000), ('s3', 'demo', 3000)"),
      turn("t1", "s1", 1100, "How do refunds work?"),
      turn("t2", "s1", 1500, "And for yearly plans?", { tier: "large", escalated: 1, grounded: 0, cost: 0.05 }),
      turn("t3", "s2", 2100, "Where is my invoice?", { status: "stopped", grounded: null }),
      db.prepare("INSERT INTO feedback (bot_id, session_id, message_id, rating, created_at) VALUES ('demo', 's1', 't1', 'down', 1600), ('demo', 's2', 't3', 'up', 2200)"),
    ]);
    await apply(files[index]!);

    const rows = await db.prepare("SELECT id, last_activity_at, turn_count, cost_usd, first_question, needs_person, thumbs_down, no_sources, escalated, failed FROM sessions ORDER BY id").all();
    expect(rows.results).toEqual([
      { id: "s1", last_activity_at: 1500, turn_count: 2, cost_usd: 0.060000000000000005, first_question: "How do refunds work?", needs_person: 0, thumbs_down: 1, no_sources: 1, escalated: 1, failed: 0 },
      { id: "s2", last_activity_at: 2100, turn_count: 1, cost_usd: 0.01, first_question: "Where is my invoice?", needs_person: 0, thumbs_down: 0, no_sources: 0, escalated: 0, failed: 1 },
      { id: "s3", last_activity_at: 3000, turn_count: 0, cost_usd: 0, first_question: null, needs_person: 0, thumbs_down: 0, no_sources: 0, escalated: 0, failed: 0 },
    ]);
    const search = await db
      .prepare("SELECT q.session_id FROM conversation_questions_fts f CROSS JOIN conversation_questions q ON q.rowid = f.rowid WHERE conversation_questions_fts MATCH ? ORDER BY q.session_id")
      .bind('"yearly"*')
      .all();
    expect(search.results).toEqual([{ session_id: "s1" }]);

    // From now on the triggers keep it: a new turn of s3 and a new session through its first turn.
    await db.batch([turn("t4", "s3", 3500, "Can I pay by card?"), turn("t5", "s4", 4000, "Hello?", { status: "failed" })]);
    const after = await db.prepare("SELECT id, created_at, last_activity_at, turn_count, first_question, failed FROM sessions WHERE id IN ('s3', 's4') ORDER BY id").all();
    expect(after.results).toEqual([
      { id: "s3", created_at: 3000, last_activity_at: 3500, turn_count: 1, first_question: "Can I pay by card?", failed: 0 },
      { id: "s4", created_at: 4000, last_activity_at: 4000, turn_count: 1, first_question: "Hello?", failed: 1 },
    ]);
  });
});
