import { describe, expect, it } from "vitest";
import { HttpError } from "../http/http-error";
import { mintSessionToken, newSessionId, verifySessionToken } from "./session-token";

const SECRET = "a-session-secret-for-these-tests";
const now = Date.UTC(2026, 0, 1);

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof HttpError ? `${error.status} ${error.code}` : `thrown ${String(error)}`;
  }
}

describe("session tokens", () => {
  it("verifies a token for its bot and session until it expires", async () => {
    const token = await mintSessionToken(SECRET, { botId: "acme", sessionId: "s_1", expiresAt: now + 1000 });
    expect(await verifySessionToken(SECRET, token, { botId: "acme", sessionId: "s_1" }, now)).toEqual({
      botId: "acme",
      sessionId: "s_1",
      expiresAt: now + 1000,
    });
  });

  it("refuses forged, tampered, malformed and expired tokens with 401", async () => {
    const token = await mintSessionToken(SECRET, { botId: "acme", sessionId: "s_1", expiresAt: now + 1000 });
    const [version, payload, signature] = token.split(".");
    const otherPayload = btoa(JSON.stringify({ b: "acme", s: "s_2", e: now + 1000 })).replace(/=+$/, "");
    const forged = await mintSessionToken("another-secret-of-enough-length", { botId: "acme", sessionId: "s_1", expiresAt: now + 1000 });
    for (const bad of [
      forged,
      `${version}.${otherPayload}.${signature}`,
      `${version}.${payload}.${signature!.slice(0, -2)}AA`,
      `${version}.${payload}`,
      `v2.${payload}.${signature}`,
      `${token}.extra`,
      "",
      "not a token",
      undefined,
      42,
    ]) {
      expect(await outcome(verifySessionToken(SECRET, bad, { botId: "acme", sessionId: "s_1" }, now)), String(bad)).toBe("401 invalid_session");
    }
    expect(await outcome(verifySessionToken(SECRET, token, { botId: "acme", sessionId: "s_1" }, now + 1000))).toBe("401 invalid_session");
  });

  it("answers 404 for a genuine token of another bot or another session", async () => {
    const token = await mintSessionToken(SECRET, { botId: "acme", sessionId: "s_1", expiresAt: now + 1000 });
    expect(await outcome(verifySessionToken(SECRET, token, { botId: "other-bot", sessionId: "s_1" }, now))).toBe("404 session_not_found");
    expect(await outcome(verifySessionToken(SECRET, token, { botId: "acme", sessionId: "s_2" }, now))).toBe("404 session_not_found");
  });

  it("mints unguessable session ids", () => {
    const ids = new Set(Array.from({ length: 100 }, newSessionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^s_[\w-]{22}$/);
  });
});
