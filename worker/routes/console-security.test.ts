import { afterEach, describe, expect, it, vi } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { createOfflineEmbeddingModel } from "../models/offline-embedding-model";
import { bundledWordVectors } from "../test-support/bundled-word-vectors";
import { adminRequest, callWorker, seedBot, SITE, testEnv } from "../test-support/bot-fixtures";
import { consoleRequest, signedInMember } from "../test-support/console-fixtures";

const worker = createEdgechatWorker({
  models: { chat: createOfflineLanguageModel({ delayMs: 0 }), embedding: createOfflineEmbeddingModel({ wordVectors: bundledWordVectors() }), embeddingDimensions: 384, source: "offline" },
});
const call = (request: Request) => callWorker(worker, request);
const errorCode = async (response: Response) => ((await response.clone().json()) as { error: { code: string } }).error.code;

function uploadForm(): FormData {
  const form = new FormData();
  form.append("file", new File(["# Refunds\n\nRefunds take five working days to reach your account."], "refunds.md"));
  return form;
}

/** Every route of the console API that needs a signed-in member, for bot `botId`. */
function protectedRoutes(botId: string): [string, string, unknown?][] {
  return [
    ["GET", "/v1/console/me"],
    ["GET", "/v1/console/bots"],
    ["POST", "/v1/console/bots", { id: `new-${botId}`.slice(0, 32), name: "New", config: {} }],
    ["GET", `/v1/console/bots/${botId}`],
    ["PUT", `/v1/console/bots/${botId}`, { name: "Renamed", config: {} }],
    ["PATCH", `/v1/console/bots/${botId}`, { config: { greeting: "Changed" } }],
    ["GET", `/v1/console/bots/${botId}/documents`],
    ["POST", `/v1/console/bots/${botId}/files`, uploadForm()],
    ["POST", `/v1/console/bots/${botId}/documents/refunds.md/reindex`],
    ["DELETE", `/v1/console/bots/${botId}/documents/refunds.md`],
    ["GET", `/v1/console/bots/${botId}/analytics?days=7`],
    ["GET", "/v1/console/members"],
    ["POST", "/v1/console/members/invitations", { name: "someone-new", role: "agent", bots: "all" }],
    ["PATCH", "/v1/console/members/m_000000000000000000000000", { role: "agent" }],
    ["DELETE", "/v1/console/members/m_000000000000000000000000"],
    ["GET", "/v1/console/api-keys"],
    ["POST", "/v1/console/api-keys", { name: "CI", role: "editor", bots: "all" }],
    ["DELETE", "/v1/console/api-keys/k_000000000000000000000000"],
    ["DELETE", `/v1/console/bots/${botId}`],
  ];
}

/** The routes that concern one bot, as a member scoped elsewhere would call them. */
function botRoutes(botId: string): [string, string, unknown?][] {
  return protectedRoutes(botId).filter(([, path]) => path.startsWith(`/v1/console/bots/${botId}`));
}

afterEach(() => vi.restoreAllMocks());

describe("console API security", () => {
  it("refuses every protected route without a cookie, with a made-up one, and after sign-out (401)", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "admin", bots: "all" });
    expect((await call(consoleRequest("POST", "/v1/console/sign-out", { cookie }))).status).toBe(204);
    for (const [method, path, body] of protectedRoutes(bot.id)) {
      for (const sent of [undefined, "edgechat_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", cookie]) {
        const response = await call(consoleRequest(method, path, { cookie: sent, body: body instanceof FormData ? uploadForm() : body }));
        expect(response.status, `${method} ${path} with ${sent ?? "no cookie"}`).toBe(401);
        expect(await errorCode(response)).toBe("unauthenticated");
      }
    }
  });

  it("refuses every protected route once the session passed its absolute end (401)", async () => {
    const { bot } = await seedBot();
    const { cookie, member } = await signedInMember(worker, { role: "admin", bots: "all" });
    await testEnv.DB!.prepare("UPDATE console_sessions SET expires_at = ? WHERE member_id = ?").bind(Date.now() - 1, member.id).run();
    for (const [method, path, body] of protectedRoutes(bot.id)) {
      const response = await call(consoleRequest(method, path, { cookie, body: body instanceof FormData ? uploadForm() : body }));
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it("refuses writes from another origin or without Origin (403 forbidden_origin), sign-in included, and changes nothing", async () => {
    const { bot } = await seedBot({ greeting: "Original" });
    const { cookie, name, password } = await signedInMember(worker, { role: "admin", bots: "all" });
    const writes = protectedRoutes(bot.id).filter(([method]) => method !== "GET");
    writes.push(["POST", "/v1/console/sign-in", { name, password }], ["POST", "/v1/console/sign-out"], ["POST", "/v1/console/invitations/accept", { token: "x".repeat(43), password: "a long enough password" }]);
    for (const [method, path, body] of writes) {
      for (const origin of [SITE, "https://edgechat.test.evil.example", "null", null]) {
        const response = await call(consoleRequest(method, path, { cookie, origin, body: body instanceof FormData ? uploadForm() : body }));
        expect(response.status, `${method} ${path} from ${origin}`).toBe(403);
        expect(await errorCode(response)).toBe("forbidden_origin");
      }
    }
    const read = await call(consoleRequest("GET", `/v1/console/bots/${bot.id}`, { cookie }));
    expect(((await read.json()) as { bot: { config: { greeting: string } } }).bot.config.greeting).toBe("Original");
  });

  it("never answers CORS, not even to an origin a bot allows", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "admin", bots: "all" });
    const preflight = await call(new Request(`http://edgechat.test/v1/console/bots`, { method: "OPTIONS", headers: { origin: SITE, "access-control-request-method": "POST" } }));
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    for (const path of ["/v1/console/me", "/v1/console/bots", `/v1/console/bots/${bot.id}`]) {
      const response = await call(consoleRequest("GET", path, { cookie, origin: SITE }));
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });

  it("lets an agent read bots but not edit them, their documents or analytics (403)", async () => {
    const { bot } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "agent", bots: "all" });
    expect((await call(consoleRequest("GET", `/v1/console/bots/${bot.id}`, { cookie }))).status).toBe(200);
    for (const [method, path, body] of botRoutes(bot.id).filter(([method, path]) => method !== "GET" || path.includes("/documents") || path.includes("/analytics"))) {
      const response = await call(consoleRequest(method, path, { cookie, body: body instanceof FormData ? uploadForm() : body }));
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(response)).toBe("forbidden");
    }
    for (const path of ["/v1/console/members", "/v1/console/api-keys"]) expect((await call(consoleRequest("GET", path, { cookie }))).status).toBe(403);
    expect((await call(consoleRequest("POST", "/v1/console/bots", { cookie, body: { id: "agent-made", name: "No", config: {} } }))).status).toBe(403);
  });

  it("gives a member scoped to bot A the 404 of a missing bot for everything of bot B", async () => {
    const { bot: a } = await seedBot();
    const { bot: b } = await seedBot({ greeting: "Bot B greeting" });
    const { cookie } = await signedInMember(worker, { role: "editor", bots: [a.id] });
    const listed = (await (await call(consoleRequest("GET", "/v1/console/bots", { cookie }))).json()) as { bots: { id: string }[] };
    expect(listed.bots.map((entry) => entry.id)).toEqual([a.id]);
    const missing = await call(consoleRequest("GET", "/v1/console/bots/no-such-bot", { cookie }));
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();
    for (const [method, path, body] of botRoutes(b.id)) {
      const response = await call(consoleRequest(method, path, { cookie, body: body instanceof FormData ? uploadForm() : body }));
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.text(), `${method} ${path}`).toBe(missingBody);
    }
    const stillB = await call(adminRequest("GET", `/v1/admin/bots/${b.id}`));
    expect(((await stillB.json()) as { bot: { greeting: string } }).bot.greeting).toBe("Bot B greeting");
    // Bot A is theirs: the same routes work.
    expect((await call(consoleRequest("GET", `/v1/console/bots/${a.id}/analytics?days=30`, { cookie }))).status).toBe(200);
    expect((await call(consoleRequest("PATCH", `/v1/console/bots/${a.id}`, { cookie, body: { config: { greeting: "Mine" } } }))).status).toBe(200);
    // A scoped editor creates no bots and manages no members.
    expect((await call(consoleRequest("POST", "/v1/console/bots", { cookie, body: { id: "scoped-made", name: "No", config: {} } }))).status).toBe(403);
    expect((await call(consoleRequest("GET", "/v1/console/members", { cookie }))).status).toBe(403);
  });

  it("never puts a password, its hash or a session token in a response body or a log line", async () => {
    const logged: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const { bot } = await seedBot();
    const { cookie, name, password, member } = await signedInMember(worker, { role: "admin", bots: "all" });
    const bodies: string[] = [];
    const record = async (request: Request) => {
      const response = await call(request);
      const headers = [...response.headers].filter(([header]) => header !== "set-cookie").map(([header, value]) => `${header}: ${value}`);
      bodies.push(await response.text(), ...headers);
      return response;
    };
    await record(consoleRequest("POST", "/v1/console/sign-in", { body: { name, password: "wrong password here" } }));
    await record(consoleRequest("POST", "/v1/console/sign-in", { body: { name, password } }));
    for (const path of ["/v1/console/me", "/v1/console/members", "/v1/console/bots", `/v1/console/bots/${bot.id}`, "/v1/console/api-keys"]) {
      await record(consoleRequest("GET", path, { cookie }));
    }
    await record(adminRequest("GET", "/v1/admin/members"));
    await record(consoleRequest("POST", "/v1/console/bots", { cookie, body: { id: "x", name: "", config: { theme: { primaryColor: "red" } } } }));
    const { password_hash: hash } = (await testEnv.DB!.prepare("SELECT password_hash FROM members WHERE id = ?").bind(member.id).first<{ password_hash: string }>())!;
    expect(hash).toMatch(/^pbkdf2-sha256-hmacpepper\$100000\$/);
    const token = cookie.split("=")[1]!;
    const { n } = (await testEnv.DB!.prepare("SELECT COUNT(*) AS n FROM console_sessions WHERE token_hash = ?").bind(token).first<{ n: number }>())!;
    expect(n).toBe(0); // stored hashed, never as is
    const everything = [...bodies, ...logged].join("\n");
    for (const secret of [password, hash, hash.split("$")[3]!, token]) expect(everything).not.toContain(secret);
    expect(bodies.join("\n")).toContain(name); // the check looked at real answers
  });

  it("shows an API key once, stores only its hash, and limits the admin API to the key's role and scope", async () => {
    const { bot: a } = await seedBot();
    const { bot: b } = await seedBot();
    const { cookie } = await signedInMember(worker, { role: "admin", bots: "all" });
    const created = await call(consoleRequest("POST", "/v1/console/api-keys", { cookie, body: { name: "CI deploys", role: "editor", bots: [a.id] } }));
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: { id: string; secret: string; prefix: string } };
    expect(key.secret).toMatch(/^ec_[\w-]{43}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    const listed = await (await call(consoleRequest("GET", "/v1/console/api-keys", { cookie }))).text();
    expect(listed).toContain(key.id);
    expect(listed).not.toContain(key.secret);
    const row = (await testEnv.DB!.prepare("SELECT * FROM api_keys WHERE id = ?").bind(key.id).first<Record<string, unknown>>())!;
    expect(JSON.stringify(row)).not.toContain(key.secret);

    const withKey = (method: string, path: string, body?: unknown) => call(adminRequest(method, path, body, key.secret));
    const bots = (await (await withKey("GET", "/v1/admin/bots")).json()) as { bots: { bot: { id: string } }[] };
    expect(bots.bots.map((entry) => entry.bot.id)).toEqual([a.id]);
    expect((await withKey("GET", `/v1/admin/bots/${a.id}`)).status).toBe(200);
    expect((await withKey("PATCH", `/v1/admin/bots/${a.id}`, { greeting: "From CI" })).status).toBe(200);
    expect((await withKey("GET", `/v1/admin/bots/${b.id}`)).status).toBe(404);
    expect((await withKey("GET", `/v1/admin/bots/${b.id}/stats`)).status).toBe(404);
    expect((await withKey("POST", `/v1/admin/bots/${b.id}/documents`, { documents: [{ id: "x", title: "X", url: "/x", format: "text", content: "Some text to index here." }] })).status).toBe(404);
    expect((await withKey("POST", "/v1/admin/bots", { id: "from-ci", name: "No" })).status).toBe(403);
    expect((await withKey("GET", "/v1/admin/members")).status).toBe(403);
    const used = (await testEnv.DB!.prepare("SELECT last_used_at FROM api_keys WHERE id = ?").bind(key.id).first<{ last_used_at: number }>())!;
    expect(used.last_used_at).toBeGreaterThan(0);

    expect((await call(consoleRequest("DELETE", `/v1/console/api-keys/${key.id}`, { cookie }))).status).toBe(204);
    expect((await withKey("GET", `/v1/admin/bots/${a.id}`)).status).toBe(401);
    expect((await call(adminRequest("GET", `/v1/admin/bots/${a.id}`, undefined, "ec_not-a-real-key"))).status).toBe(401);
  });

  it("lets admins invite, re-scope and remove members, but not change themselves; a removed member's session ends", async () => {
    const { bot } = await seedBot();
    const admin = await signedInMember(worker, { role: "admin", bots: "all" });
    const invited = await call(consoleRequest("POST", "/v1/console/members/invitations", { cookie: admin.cookie, body: { name: "New.Person@Example.com", role: "agent", bots: [bot.id] } }));
    expect(invited.status).toBe(201);
    const { invitation } = (await invited.json()) as { invitation: { url: string; expiresAt: number } };
    expect(invitation.url).toMatch(/^http:\/\/edgechat\.test\/admin\/invite#/);
    const members = (await (await call(consoleRequest("GET", "/v1/console/members", { cookie: admin.cookie }))).json()) as { members: { id: string; name: string; status: string }[] };
    expect(members.members.find((m) => m.name === "new.person@example.com")).toMatchObject({ status: "invited" });
    expect(JSON.stringify(members)).not.toMatch(/password/i);

    const bad = await call(consoleRequest("POST", "/v1/console/members/invitations", { cookie: admin.cookie, body: { name: "", role: "owner", bots: ["Bad Id"] } }));
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual(["bots", "name", "role"]);

    const other = await signedInMember(worker, { role: "editor", bots: "all" });
    expect((await call(consoleRequest("PATCH", `/v1/console/members/${other.member.id}`, { cookie: admin.cookie, body: { role: "agent" } }))).status).toBe(200);
    expect(((await (await call(consoleRequest("GET", "/v1/console/me", { cookie: other.cookie }))).json()) as { member: { role: string } }).member.role).toBe("agent");
    expect((await call(consoleRequest("PATCH", `/v1/console/members/${admin.member.id}`, { cookie: admin.cookie, body: { role: "agent" } }))).status).toBe(409);
    expect((await call(consoleRequest("DELETE", `/v1/console/members/${admin.member.id}`, { cookie: admin.cookie }))).status).toBe(409);
    expect((await call(consoleRequest("DELETE", `/v1/console/members/${other.member.id}`, { cookie: admin.cookie }))).status).toBe(204);
    expect((await call(consoleRequest("GET", "/v1/console/me", { cookie: other.cookie }))).status).toBe(401);
  });
});
