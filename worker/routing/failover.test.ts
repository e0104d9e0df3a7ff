import { describe, expect, it } from "vitest";
import { APICallError } from "ai";
import { failoverReason, isFailoverError, ModelTimeoutError, retryAfterMs } from "./failover";

const apiError = (statusCode: number | undefined, responseHeaders: Record<string, string> = {}) =>
  new APICallError({ message: "x", url: "u", requestBodyValues: {}, statusCode, responseHeaders });

describe("failover rules", () => {
  it("fails over on 408, 429, 5xx, timeouts and network errors, not on client errors", () => {
    for (const status of [408, 429, 500, 502, 503, 529]) expect(isFailoverError(apiError(status))).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(isFailoverError(apiError(status))).toBe(false);
    expect(isFailoverError(new ModelTimeoutError("first-token", 10))).toBe(true);
    expect(isFailoverError(new TypeError("fetch failed"))).toBe(true);
    expect(isFailoverError(new Error("Network connection lost."))).toBe(true);
    expect(isFailoverError(new DOMException("The visitor stopped the answer.", "AbortError"))).toBe(false);
    expect(failoverReason(apiError(429))).toBe("failover-429");
    expect(failoverReason(new ModelTimeoutError("first-token", 10))).toBe("failover-timeout");
  });

  it("honours Retry-After in seconds, as a date, or retry-after-ms, within the cap", () => {
    expect(retryAfterMs(apiError(429, { "retry-after": "1" }), 2000)).toBe(1000);
    expect(retryAfterMs(apiError(429, { "Retry-After": "30" }), 2000)).toBe(2000);
    expect(retryAfterMs(apiError(429, { "retry-after-ms": "250" }), 2000)).toBe(250);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(apiError(503, { "retry-after": "Thu, 01 Jan 2026 00:00:01 GMT" }), 2000, now)).toBe(1000);
    expect(retryAfterMs(apiError(503), 2000)).toBe(0);
    expect(retryAfterMs(apiError(503, { "retry-after": "soon" }), 2000)).toBe(0);
    expect(retryAfterMs(new Error("x"), 2000)).toBe(0);
  });
});
