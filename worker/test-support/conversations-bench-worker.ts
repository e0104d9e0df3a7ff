// The worker `npm run bench -- --only conversations` drives in workerd (Miniflare, local D1 with the product's
// migrations): seeds a bot with many conversations in the inbox index, then lists them with the product's own
// query code (worker/conversations/conversation-index.ts), and shows SQLite's plan for each list query.
import { conversationListQuery, listConversations } from "../conversations/conversation-index";
import { parseConversationQuery } from "../conversations/conversation-query";

interface Env {
  DB: D1Database;
}

const DAY = 86_400_000;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const body = (await request.json().catch(() => ({}))) as { botId?: string; count?: number; now?: number; query?: string };
    if (pathname === "/noop") return Response.json({ ok: true });
    if (pathname === "/seed") return Response.json(await seed(env.DB, body.botId!, body.count!, body.now!));
    if (pathname === "/list") {
      const page = await listConversations(env.DB, body.botId!, parseConversationQuery(new URLSearchParams(body.query)));
      return Response.json({ ok: true, rows: page.conversations.length, nextCursor: page.nextCursor });
    }
    if (pathname === "/plan") {
      const { sql, values } = conversationListQuery(body.botId!, parseConversationQuery(new URLSearchParams(body.query)));
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...values).all<{ detail: string }>();
      return Response.json({ plan: plan.results.map((row) => row.detail) });
    }
    return new Response("not found", { status: 404 });
  },
};

/**
 * `count` conversations over the last 365 days (one every 365/count days, newest at `now`) with flags at the
 * rates a support inbox sees (escalated 10%, no sources 15%, failed 3%, thumbs down 2%, needs a person 1%)
 * and one searchable question each ("… topic<i % 1000> … item<i % 37>"), in one statement per table.
 */
async function seed(db: D1Database, botId: string, count: number, now: number) {
  const step = Math.max(1, Math.floor((365 * DAY) / count));
  const series = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  await db.batch([
    db
      .prepare(
        `${series} INSERT INTO sessions (id, bot_id, created_at, last_activity_at, turn_count, cost_usd, first_question, needs_person, thumbs_down, no_sources, escalated, failed)
         SELECT printf('%s-%07d', ?1, i), ?1, ?2 - (${count} - i) * ${step} - 60000, ?2 - (${count} - i) * ${step}, 1 + i % 5, (i % 7) * 0.001,
           printf('How do I configure topic%d for item%d?', i % 1000, i % 37),
           (i * 7919) % 100 < 1, (i * 104729) % 100 < 2, (i * 1299709) % 100 < 15, (i * 15485863) % 100 < 10, (i * 32452843) % 100 < 3
         FROM n`,
      )
      .bind(botId, now),
    db
      .prepare(
        `${series} INSERT INTO conversation_questions (bot_id, session_id, question, created_at)
         SELECT ?1, printf('%s-%07d', ?1, i), printf('How do I configure topic%d for item%d?', i % 1000, i % 37), ?2 - (${count} - i) * ${step} FROM n`,
      )
      .bind(botId, now),
  ]);
  const { n } = (await db.prepare("SELECT count(*) AS n FROM sessions WHERE bot_id = ?").bind(botId).first<{ n: number }>())!;
  return { ok: true, sessions: n };
}
