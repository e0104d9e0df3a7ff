import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { adminRequest, callWorker, chatPost, chunksOf, seedBot, sessionOf, SITE, userMessage } from "../test-support/bot-fixtures";

const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
const call = (request: Request) => callWorker(worker, request);

const NEW_BOT = {
  id: "acme-docs",
  name: "Acme <Docs>",
  systemPrompt: "SECRET PROMPT: answer from the docs.",
  greeting: "Hello from Acme",
  starterQuestions: ["How do I log in?"],
  theme: { primaryColor: "#112233", mode: "dark" },
  allowedOrigins: ["https://docs.acme.com", "http://localhost:3000"],
  limits: { dailyBudgetUsd: 2, budgetMessage: "No more today." },
  handoffWebhookUrl: "https://hooks.acme.com/edgechat",
};

describe("admin bots API", () => {
  it("creates, reads, lists, updates and deletes a bot", async () => {
    const created = await call(adminRequest("POST", "/v1/admin/bots", NEW_BOT));
    expect(created.status).toBe(201);
    const record = (await created.json()) as { bot: Record<string, unknown>; handoffSecret: string };
    expect(record.bot).toMatchObject({ id: "acme-docs", name: "Acme <Docs>", allowedOrigins: ["https://docs.acme.com", "http://localhost:3000"] });
    expect(record.handoffSecret).toMatch(/^whsec_[0-9a-f]{64}$/);

    expect((await call(adminRequest("POST", "/v1/admin/bots", NEW_BOT))).status).toBe(409);
    const read = (await (await call(adminRequest("GET", "/v1/admin/bots/acme-docs"))).json()) as { bot: { greeting: string } };
    expect(read.bot.greeting).toBe("Hello from Acme");
    const list = (await (await call(adminRequest("GET", "/v1/admin/bots"))).json()) as { bots: { bot: { id: string } }[] };
    expect(list.bots.map((entry) => entry.bot.id)).toContain("acme-docs");

    const patched = await call(adminRequest("PATCH", "/v1/admin/bots/acme-docs", { greeting: "Hi again", allowedOrigins: ["https://help.acme.com"] }));
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as { bot: { greeting: string; systemPrompt: string; allowedOrigins: string[] } };
    expect(after.bot).toMatchObject({ greeting: "Hi again", systemPrompt: NEW_BOT.systemPrompt, allowedOrigins: ["https://help.acme.com"] });

    // The CORS preflight follows the registry: the removed origin is gone, the new one known.
    const preflight = (origin: string) =>
      call(new Request("http://edgechat.test/v1/chat", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } }));
    expect((await preflight("https://docs.acme.com")).status).toBe(403);
    const allowed = await preflight("https://help.acme.com");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://help.acme.com");

    expect((await call(adminRequest("DELETE", "/v1/admin/bots/acme-docs"))).status).toBe(204);
    expect((await call(adminRequest("GET", "/v1/admin/bots/acme-docs"))).status).toBe(404);
    expect((await call(adminRequest("DELETE", "/v1/admin/bots/acme-docs"))).status).toBe(404);
    expect((await preflight("https://help.acme.com")).status).toBe(403);
  });

  it.each([
    ["a bad id", { ...NEW_BOT, id: "Bad Id" }],
    ["a wildcard origin", { ...NEW_BOT, id: "x1", allowedOrigins: ["https://*.acme.com"] }],
    ["an origin with a path", { ...NEW_BOT, id: "x2", allowedOrigins: ["https://acme.com/help"] }],
    ["an unknown field", { ...NEW_BOT, id: "x3", sytemPrompt: "typo" }],
    ["a negative budget", { ...NEW_BOT, id: "x4", limits: { dailyBudgetUsd: -1 } }],
    ["a webhook that is not a URL", { ...NEW_BOT, id: "x5", handoffWebhookUrl: "javascript:alert(1)" }],
    ["no name", { id: "x6" }],
  ])("refuses %s with 400 invalid_bot", async (_name, body) => {
    const response = await call(adminRequest("POST", "/v1/admin/bots", body));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_bot");
  });

  it("never takes a visitor's session token (or anything else) as the admin token", async () => {
    const { bot } = await seedBot();
    const session = sessionOf(await chunksOf(await call(chatPost({ botId: bot.id, messages: [userMessage("hi")] }))));
    for (const path of ["/v1/admin/bots", `/v1/admin/bots/${bot.id}`, `/v1/admin/bots/${bot.id}/stats`]) {
      expect((await call(adminRequest("GET", path, undefined, session.token))).status, path).toBe(401);
    }
  });

  it("needs this deployment's admin token for every admin endpoint", async () => {
    for (const [method, path] of [
      ["GET", "/v1/admin/bots"],
      ["POST", "/v1/admin/bots"],
      ["GET", "/v1/admin/bots/demo"],
      ["PATCH", "/v1/admin/bots/demo"],
      ["DELETE", "/v1/admin/bots/demo"],
      ["GET", "/v1/admin/bots/demo/stats"],
    ]) {
      const response = await call(adminRequest(method!, path!, method === "GET" || method === "DELETE" ? undefined : { name: "x" }, "wrong-token"));
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("GET /v1/bots/:id/config and the hosted page", () => {
  it("serves only the public part of a bot, cacheable", async () => {
    await call(adminRequest("POST", "/v1/admin/bots", { ...NEW_BOT, id: "public-bot", turnstileSiteKey: "1x00000000000000000000AA" }));
    const response = await call(new Request("http://edgechat.test/v1/bots/public-bot/config", { headers: { origin: SITE } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    const config = (await response.json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      id: "public-bot",
      name: "Acme <Docs>",
      greeting: "Hello from Acme",
      starterQuestions: ["How do I log in?"],
      theme: { primaryColor: "#112233", mode: "dark" },
      turnstileSiteKey: "1x00000000000000000000AA",
      handoff: true,
    });
    const text = JSON.stringify(config);
    for (const secret of ["SECRET PROMPT", "hooks.acme.com", "dailyBudgetUsd", "No more today", "allowedOrigins", "whsec_"]) {
      expect(text).not.toContain(secret);
    }
    expect((await call(new Request("http://edgechat.test/v1/bots/nope/config"))).status).toBe(404);
  });

  it("serves a hosted page with the widget for a known bot, escaping its name, and 404 otherwise", async () => {
    const response = await call(new Request("http://edgechat.test/b/public-bot"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script src="/widget.js" data-bot="public-bot"');
    expect(html).toContain("Acme &lt;Docs&gt;");
    expect(html).not.toContain("Acme <Docs>");
    expect((await call(new Request("http://edgechat.test/b/no-such-bot"))).status).toBe(404);
  });
});
