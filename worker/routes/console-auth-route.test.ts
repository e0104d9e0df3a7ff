import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { inviteMember } from "../identity/invitations";
import { SESSION_IDLE_MS } from "../identity/console-session";
import { SIGN_IN_LIMITS } from "../identity/sign-in-limit";
import { createOfflineLanguageModel } from "../models/offline-language-model";
import { callWorker, testEnv } from "../test-support/bot-fixtures";
import { CONSOLE_ORIGIN, consoleRequest, cookieOf, signedInMember } from "../test-support/console-fixtures";

const worker = createEdgechatWorker({ models: { chat: createOfflineLanguageModel({ delayMs: 0 }), source: "offline" } });
const call = (request: Request) => callWorker(worker, request);
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe("console sign-in, sessions and invitations", () => {
  it("signs in with the invited password, answers /me, and signs out for good", async () => {
    const { name, password } = await signedInMember(worker, { role: "editor", bots: ["demo"] });
    const response = await call(consoleRequest("POST", "/v1/console/sign-in", { body: { name: name.toUpperCase(), password } }));
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^edgechat_console=[\w-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=604800$/);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const cookie = cookieOf(response);
    const me = await call(consoleRequest("GET", "/v1/console/me", { cookie }));
    expect(await me.json()).toEqual({ member: { id: expect.stringMatching(/^m_/), name, displayName: name, role: "editor", bots: ["demo"] } });

    const out = await call(consoleRequest("POST", "/v1/console/sign-out", { cookie }));
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    const after = await call(consoleRequest("GET", "/v1/console/me", { cookie }));
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe("unauthenticated");
  });

  it("drops Secure from the cookie only on plain http://127.0.0.1 and localhost", async () => {
    const { name, password } = await signedInMember(worker, { role: "agent", bots: "all" });
    for (const [origin, secure] of [["http://127.0.0.1:8787", false], ["http://localhost:8787", false], ["https://edgechat.example", true]] as const) {
      const request = new Request(`${origin}/v1/console/sign-in`, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify({ name, password }),
      });
      const response = await call(request);
      expect(response.status, origin).toBe(200);
      expect(response.headers.get("set-cookie")!.includes("Secure"), origin).toBe(secure);
    }
  });

  it("gives a wrong password and an unknown name the same answer, and counts both toward the limit", async () => {
    const { name } = await signedInMember(worker, { role: "agent", bots: "all" });
    const wrong = await call(consoleRequest("POST", "/v1/console/sign-in", { body: { name, password: "not the password at all" }, headers: { "cf-connecting-ip": "203.0.113.7" } }));
    const unknown = await call(consoleRequest("POST", "/v1/console/sign-in", { body: { name: "nobody-here", password: "not the password at all" }, headers: { "cf-connecting-ip": "203.0.113.7" } }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());

    // Per name: the unknown name's attempts count like a real one's.
    for (const target of [name, "nobody-at-all"]) {
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_LIMITS.perName + 1; i++) {
        const response = await call(consoleRequest("POST", "/v1/console/sign-in", { body: { name: target, password: "wrong password 123" }, headers: { "cf-connecting-ip": `198.51.100.${i}` } }));
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(statuses.slice(0, SIGN_IN_LIMITS.perName - (target === name ? 1 : 0)).every((status) => status === 401), target).toBe(true);
      expect(statuses.at(-1), target).toBe(429);
    }
    // Per IP, across names.
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perIp + 1; i++) {
      statuses.push((await call(consoleRequest("POST", "/v1/console/sign-in", { body: { name: `guess-${i}`, password: "wrong password 123" }, headers: { "cf-connecting-ip": "192.0.2.99" } }))).status);
    }
    expect(statuses.slice(0, SIGN_IN_LIMITS.perIp)).toEqual(Array(SIGN_IN_LIMITS.perIp).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });

  it("counts failures, not successful sign-ins, against an IP (an office behind one address keeps signing in)", async () => {
    const { name, password } = await signedInMember(worker, { role: "agent", bots: "all" });
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perIp + 2; i++) {
      statuses.push((await call(consoleRequest("POST", "/v1/console/sign-in", { body: { name, password }, headers: { "cf-connecting-ip": "192.0.2.200" } }))).status);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it("opens an invitation once, refuses short passwords without using it up, and expires it", async () => {
    const { invitation } = await inviteMember(testEnv.DB!, { name: "invitee-once", role: "editor", bots: ["demo"] }, CONSOLE_ORIGIN);
    expect(invitation.url).toMatch(/^http:\/\/edgechat\.test\/admin\/invite#[\w-]{43}$/);
    const token = invitation.url.split("#")[1]!;
    const opened = await call(consoleRequest("GET", `/v1/console/invitations/${token}`));
    expect(await opened.json()).toEqual({ name: "invitee-once", role: "editor", bots: ["demo"], expiresAt: invitation.expiresAt });

    const short = await call(consoleRequest("POST", "/v1/console/invitations/accept", { body: { token, password: "short" } }));
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { fields: Record<string, string> } }).error.fields.password).toMatch(/12/);

    const accepted = await call(consoleRequest("POST", "/v1/console/invitations/accept", { body: { token, password: "twelve chars!", displayName: "Invitee" } }));
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { member: { displayName: string } }).member.displayName).toBe("Invitee");
    const again = await call(consoleRequest("POST", "/v1/console/invitations/accept", { body: { token, password: "another password" } }));
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe("invitation_not_found");
    expect((await call(consoleRequest("GET", `/v1/console/invitations/${token}`))).status).toBe(404);

    const old = await inviteMember(testEnv.DB!, { name: "invitee-late", role: "agent", bots: "all" }, CONSOLE_ORIGIN, Date.now() - 25 * 3600_000);
    const lateToken = old.invitation.url.split("#")[1]!;
    expect((await call(consoleRequest("GET", `/v1/console/invitations/${lateToken}`))).status).toBe(404);
    expect((await call(consoleRequest("POST", "/v1/console/invitations/accept", { body: { token: lateToken, password: "a long enough password" } }))).status).toBe(404);
  });

  it("ends a session idle for 12 hours", async () => {
    const { cookie } = await signedInMember(worker, { role: "agent", bots: "all" });
    const tokenHash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(cookie.split("=")[1]!));
    const hex = [...new Uint8Array(tokenHash)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    expect((await call(consoleRequest("GET", "/v1/console/me", { cookie }))).status).toBe(200);
    await testEnv.DB!.prepare("UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?").bind(Date.now() - SESSION_IDLE_MS - 1000, hex).run();
    expect((await call(consoleRequest("GET", "/v1/console/me", { cookie }))).status).toBe(401);
  });
});
