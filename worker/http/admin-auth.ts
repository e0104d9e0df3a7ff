import type { EdgechatEnv } from "../env";
import { HttpError } from "./http-error";

/**
 * Guards the admin API: the request must carry `Authorization: Bearer <ADMIN_TOKEN>`.
 * The comparison takes the same time whatever the token, so it leaks nothing about it.
 * Without an ADMIN_TOKEN secret the admin API is off (503), never open.
 */
export async function requireAdmin(request: Request, env: EdgechatEnv): Promise<void> {
  const expected = env.ADMIN_TOKEN;
  if (!expected) {
    throw new HttpError(503, "admin_disabled", "The admin API is disabled: set the ADMIN_TOKEN secret on the worker.");
  }
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match || !(await constantTimeEqual(match[1]!, expected))) {
    throw new HttpError(401, "unauthorized", "A valid admin token is required (Authorization: Bearer <token>).", {
      "www-authenticate": 'Bearer realm="edgechat-admin"',
    });
  }
}

/** Compares two secrets in constant time by comparing their SHA-256 digests with timingSafeEqual. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [digestA, digestB] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(digestA, digestB);
}
