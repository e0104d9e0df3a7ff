import { describe, expect, it } from "vitest";
import { constantTimeEqual, requireAdmin } from "./admin-auth";
import { HttpError } from "./http-error";

function withAuth(value?: string): Request {
  return new Request("http://x/v1/admin/bots", { headers: value ? { authorization: value } : {} });
}

async function statusOf(promise: Promise<void>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
}

describe("requireAdmin", () => {
  const env = { ADMIN_TOKEN: "s3cret-token" };
  it("accepts the exact bearer token", async () => {
    expect(await statusOf(requireAdmin(withAuth("Bearer s3cret-token"), env))).toBe(200);
  });
  it.each([undefined, "Bearer", "Bearer s3cret-toke", "Bearer s3cret-token2", "Basic s3cret-token", "s3cret-token"])(
    "refuses %s with 401",
    async (header) => {
      expect(await statusOf(requireAdmin(withAuth(header), env))).toBe(401);
    },
  );
  it("is off (503), not open, without ADMIN_TOKEN", async () => {
    expect(await statusOf(requireAdmin(withAuth("Bearer "), {}))).toBe(503);
    expect(await statusOf(requireAdmin(withAuth("Bearer anything"), {}))).toBe(503);
  });
  it("compares by value", async () => {
    expect(await constantTimeEqual("a", "a")).toBe(true);
    expect(await constantTimeEqual("a", "b")).toBe(false);
    expect(await constantTimeEqual("", "a")).toBe(false);
  });
});
