// The order of the doors of POST /v1/chat and the waits before its model call (issue 16): refusals come
// before any model, embedding or session-creation call; a returning visitor's turn calls the session
// object once before the model; the isolate's cached bot is refreshed after an edit and refused once deleted.
import { describe, expect, inject, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { countedModels } from "../test-support/counted-models";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, SITE, testEnv, textOf, userMessage } from "../test-support/bot-fixtures";
import { parseBotFields } from "../bots/bot-config";
import { updateBot } from "../bots/bot-registry";

/** Everything the turn asked of a model, the embedder or a session object, in order. */
type Event = "model" | "embedding" | `session.${string}`;

function instrumentedWorker(log: Event[], answer = "The answer.") {
  const { models, model } = countedModels(answer, (kind) => log.push(kind));
  return { worker: createEdgechatWorker({ models }), model };
}

/** The session namespace, logging every method called on any session object (a first call creates it). */
function loggedSessions(log: Event[], bindings: EdgechatEnv = testEnv): EdgechatEnv {
  const namespace = bindings.CHAT_SESSIONS!;
  const logged = {
    idFromName: (name: string) => namespace.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = namespace.get(id) as unknown as Record<string, (...args: unknown[]) => unknown>;
      return new Proxy(stub, {
        get(target, method: string) {
          const value = target[method];
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            log.push(`session.${method}`);
            // An RPC stub's method is itself a stub: call it directly (`.apply` would be a remote property).
            return value(...args);
          };
        },
      });
    },
  };
  return { ...bindings, CHAT_SESSIONS: logged as unknown as EdgechatEnv["CHAT_SESSIONS"] };
}

const refusingLimiter: RateLimit = { limit: async () => ({ success: false }) };
const services = inject("fakeServicesUrl");
const FAILING_TURNSTILE = "2x0000000000000000000000000000000AA";
const PASSING_TURNSTILE = "1x0000000000000000000000000000000AA";

describe("the doors of POST /v1/chat come before any model, embedding or session-creation call", () => {
  type Refusal = {
    botId: string;
    bindings: EdgechatEnv;
    headers?: Record<string, string>;
    body?: Record<string, unknown>;
    /** How a first, admitted turn reaches this bot (to cache it); default: no extras. */
    admitted?: { bindings: EdgechatEnv; body: Record<string, unknown> };
  };
  const refusals: [string, () => Promise<Refusal>, number][] = [
    ["a foreign origin", async () => ({ botId: (await seedBot()).bot.id, bindings: testEnv, headers: { origin: "https://evil.example" } }), 403],
    ["a rate-limited IP", async () => ({ botId: (await seedBot()).bot.id, bindings: { ...testEnv, RATE_LIMIT_IP: refusingLimiter } }), 429],
    ["a rate-limited session", async () => ({ botId: (await seedBot()).bot.id, bindings: { ...testEnv, RATE_LIMIT_SESSION: refusingLimiter } }), 429],
    [
      "a failing Turnstile token",
      async () => ({
        botId: (await seedBot({ turnstileSiteKey: "1x00000000000000000000AA", allowedOrigins: [SITE, "https://example.com"] })).bot.id,
        bindings: { ...testEnv, TURNSTILE_SECRET_KEY: FAILING_TURNSTILE, TURNSTILE_VERIFY_URL: `${services}/turnstile/siteverify` },
        body: { turnstileToken: "XXXX.DUMMY.TOKEN.XXXX" },
        admitted: {
          bindings: { ...testEnv, TURNSTILE_SECRET_KEY: PASSING_TURNSTILE, TURNSTILE_VERIFY_URL: `${services}/turnstile/siteverify` },
          body: { turnstileToken: `t-${crypto.randomUUID()}` },
        },
      }),
      403,
    ],
  ];

  for (const warm of [false, true]) {
    it.each(refusals)(`%s (bot ${warm ? "cached in the isolate" : "read from D1"})`, async (_name, setup, status) => {
      const { botId, bindings, headers, body, admitted } = await setup();
      const log: Event[] = [];
      const { worker } = instrumentedWorker(log);
      // A first turn from the bot's own site caches the bot in this isolate.
      if (warm) {
        const first = await callWorker(worker, chatPost({ botId, messages: [userMessage("hello")], ...admitted?.body }), admitted?.bindings ?? testEnv);
        expect(first.status).toBe(200);
      }
      log.length = 0;
      const response = await callWorker(worker, chatPost({ botId, messages: [userMessage("How do I rotate my keys?")], ...body }, headers), loggedSessions(log, bindings));
      expect(response.status).toBe(status);
      expect(log).toEqual([]);
    });
  }

  it("over the spending cap: the bot's message from the session, no embedding and no model call", async () => {
    const { bot } = await seedBot({ limits: { dailyBudgetUsd: 0.5, budgetMessage: "Closed for today." } });
    await insertTurn(bot.id, 0.5);
    const log: Event[] = [];
    const { worker } = instrumentedWorker(log);
    const chunks = await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("How do I rotate my keys?")] }), loggedSessions(log)));
    expect(textOf(chunks)).toBe("Closed for today.");
    expect(log.filter((event) => event === "model" || event === "embedding")).toEqual([]);
  });

  it("while an admitted turn reaches the session, the embedder and the model (the logs above can fail)", async () => {
    const { bot } = await seedBot();
    const log: Event[] = [];
    const { worker } = instrumentedWorker(log);
    const response = await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("How do I rotate my keys?")] }), loggedSessions(log));
    expect(response.status).toBe(200);
    expect(log).toContain("model");
    expect(log).toContain("embedding");
    expect(log).toContain("session.openTurn");
  });
});

describe("the waits before the model call", () => {
  it("a returning visitor's turn calls its session object once before the model, the embedder beside it", async () => {
    const { bot } = await seedBot();
    const log: Event[] = [];
    const { worker } = instrumentedWorker(log);
    const bindings = loggedSessions(log);
    const first = sessionOf(await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hello")] }), bindings)));
    log.length = 0;
    const next = await callWorker(
      worker,
      chatPost({ botId: bot.id, id: first.sessionId, sessionToken: first.token, messages: [userMessage("How do I rotate my keys?")] }),
      bindings,
    );
    expect(next.status).toBe(200);
    const beforeModel = log.slice(0, log.indexOf("model"));
    expect(beforeModel.filter((event) => event.startsWith("session."))).toEqual(["session.openTurn"]);
    expect(beforeModel).toContain("embedding");
    // After the model: the live answer's batches and the stored answer.
    expect(log.slice(log.indexOf("model"))).toContain("session.recordAnswer");
  });
});

describe("the bot's config cached in the isolate", () => {
  it("is refreshed after an edit made elsewhere (another isolate: only D1 changes), before the next model call", async () => {
    const { bot } = await seedBot({ systemPrompt: "You are the first version." });
    const log: Event[] = [];
    const { worker, model } = instrumentedWorker(log);
    expect((await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hi")] }))).status).toBe(200);
    await editInD1(bot.id, { systemPrompt: "You are the second version." });
    expect((await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hi again")] }))).status).toBe(200);
    const systemOf = (call: number) => JSON.stringify(model.doStreamCalls[call]!.prompt[0]);
    expect(systemOf(0)).toContain("first version");
    expect(systemOf(1)).toContain("second version");
    // An edit that removes the page's origin refuses the next turn before its model call.
    await editInD1(bot.id, { allowedOrigins: ["https://other.example"] });
    const refused = await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("still there?")] }));
    expect(refused.status).toBe(403);
    expect(model.doStreamCalls).toHaveLength(2);
  });

  it("is replaced at once by an edit through the registry in this isolate: no embedding for a now-refused origin", async () => {
    const { bot } = await seedBot();
    const log: Event[] = [];
    const { worker } = instrumentedWorker(log);
    expect((await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hi")] }))).status).toBe(200);
    await updateBot(testEnv.DB, bot.id, parseBotFields({ name: "Moved", allowedOrigins: ["https://other.example"] }));
    log.length = 0;
    const refused = await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("How do I rotate my keys?")] }));
    expect(refused.status).toBe(403);
    expect(log).toEqual([]);
  });

  it("refuses a deleted bot: deleted elsewhere, before the model call; deleted here, before anything", async () => {
    const log: Event[] = [];
    const { worker, model } = instrumentedWorker(log);
    const elsewhere = (await seedBot()).bot;
    expect((await callWorker(worker, chatPost({ botId: elsewhere.id, messages: [userMessage("hi")] }))).status).toBe(200);
    await testEnv.DB!.prepare("DELETE FROM bots WHERE id = ?").bind(elsewhere.id).run();
    const gone = await callWorker(worker, chatPost({ botId: elsewhere.id, messages: [userMessage("hi again")] }));
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe("bot_not_found");
    expect(model.doStreamCalls).toHaveLength(1);

    const here = (await seedBot()).bot;
    expect((await callWorker(worker, chatPost({ botId: here.id, messages: [userMessage("hi")] }))).status).toBe(200);
    expect((await callWorker(worker, adminRequest("DELETE", `/v1/admin/bots/${here.id}`))).status).toBeLessThan(300);
    log.length = 0;
    const refused = await callWorker(worker, chatPost({ botId: here.id, messages: [userMessage("How do I rotate my keys?")] }), loggedSessions(log));
    expect(refused.status).toBe(404);
    expect(log).toEqual([]);
  });

  it("sees spending recorded elsewhere before the next model call (the running total in D1)", async () => {
    const { bot } = await seedBot({ limits: { dailyBudgetUsd: 1, budgetMessage: "Closed for today." } });
    const log: Event[] = [];
    const { worker, model } = instrumentedWorker(log);
    expect(textOf(await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hi")] }))))).toBe("The answer.");
    await insertTurn(bot.id, 1);
    const over = await chunksOf(await callWorker(worker, chatPost({ botId: bot.id, messages: [userMessage("hi again")] })));
    expect(textOf(over)).toBe("Closed for today.");
    expect(model.doStreamCalls).toHaveLength(1);
  });
});

/** A bot edit as another isolate makes it: the row changes in D1, with a new version, and nothing else. */
async function editInD1(botId: string, changes: Record<string, unknown>) {
  const row = await testEnv.DB!.prepare("SELECT config FROM bots WHERE id = ?").bind(botId).first<{ config: string }>();
  const config = { ...JSON.parse(row!.config), ...changes };
  await testEnv.DB!.prepare("UPDATE bots SET config = ?, version = ? WHERE id = ?").bind(JSON.stringify(config), crypto.randomUUID(), botId).run();
}

async function insertTurn(botId: string, costUsd: number) {
  await testEnv.DB!.prepare("INSERT INTO turns (id, bot_id, status, tier, cost_usd, created_at) VALUES (?, ?, 'complete', 'small', ?, ?)")
    .bind(crypto.randomUUID(), botId, costUsd, Date.now())
    .run();
}
