import { describe, expect, it } from "vitest";
import { DEMO_BOT, type Bot } from "../bots/bot";
import { HttpError } from "../http/http-error";
import { isOriginAllowed, parseOrigin, requireAllowedOrigin } from "./origin-policy";

const bot: Bot = { ...DEMO_BOT, allowedOrigins: ["https://customer.com", "http://localhost:3000"] };
const SELF = "https://edgechat.example.workers.dev";

function statusFor(origin: string | null, originRequired = true): number {
  const headers: Record<string, string> = origin === null ? {} : { origin };
  try {
    requireAllowedOrigin(new Request("https://edgechat.example.workers.dev/v1/chat", { method: "POST", headers }), bot, SELF, originRequired);
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
}

describe("origin allowlist", () => {
  it.each([
    ["the exact origin", "https://customer.com", 200],
    ["the exact origin with its default port spelled out", "https://customer.com:443", 200],
    ["the worker's own origin (hosted page)", SELF, 200],
    ["a localhost origin with its port", "http://localhost:3000", 200],
    ["a wrong port", "https://customer.com:8443", 403],
    ["a wrong port on localhost", "http://localhost:3001", 403],
    ["a wrong scheme", "http://customer.com", 403],
    ["the suffix trick", "https://customer.com.evil.com", 403],
    ["a prefix trick", "https://evilcustomer.com", 403],
    ["a subdomain", "https://www.customer.com", 403],
    ["userinfo", "https://customer.com@evil.com", 403],
    ["the null origin", "null", 403],
    ["an origin with a path", "https://customer.com/x", 403],
    ["garbage", "customer.com", 403],
  ])("%s → %i", (_name, origin, status) => {
    expect(statusFor(origin)).toBe(status);
  });

  it("refuses a missing Origin on a chat POST, but lets a token-carrying GET through", () => {
    expect(statusFor(null, true)).toBe(403);
    expect(statusFor(null, false)).toBe(200);
  });

  it("normalises what admins write and refuses what is not an origin", () => {
    expect(parseOrigin("https://Docs.Example.com:443/")).toBe("https://docs.example.com");
    expect(parseOrigin("http://127.0.0.1:8787")).toBe("http://127.0.0.1:8787");
    for (const bad of ["https://*.example.com", "ftp://example.com", "null", "", "https://a.com/path", "https://a.com?x", "javascript:alert(1)"]) {
      expect(parseOrigin(bad), bad).toBeUndefined();
    }
    expect(isOriginAllowed("https://customer.com", { ...bot, allowedOrigins: [] }, SELF)).toBe(false);
  });
});
