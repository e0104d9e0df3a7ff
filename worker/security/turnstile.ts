import { HttpError } from "../http/http-error";

/** Cloudflare's server-side verification endpoint. */
export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

export interface TurnstileVerification {
  secret: string;
  token: unknown;
  /** Hostnames the token may have been solved on (the bot's allowed origins and the worker's own). */
  allowedHostnames: string[];
  remoteIp?: string;
  /** Defaults to Cloudflare's; tests point it at a fake. */
  verifyUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Verifies a Turnstile token server-side. Cloudflare's siteverify makes every token single use (a replay
 * answers `timeout-or-duplicate`); the hostname it reports must be one of the bot's. Any failure is a 403
 * the widget shows ("please complete the check"); an unreachable verifier is a 503, never a pass.
 *
 * @example
 * await verifyTurnstile({ secret: env.TURNSTILE_SECRET_KEY, token, allowedHostnames: ["docs.example.com"] });
 */
export async function verifyTurnstile(input: TurnstileVerification): Promise<void> {
  const { token } = input;
  if (typeof token !== "string" || token.length === 0 || token.length > 2048) {
    throw new HttpError(403, "turnstile_required", "Please complete the human check before sending your first message.");
  }
  const form = new FormData();
  form.set("secret", input.secret);
  form.set("response", token);
  if (input.remoteIp) form.set("remoteip", input.remoteIp);
  form.set("idempotency_key", crypto.randomUUID());
  let outcome: { success?: unknown; hostname?: unknown; "error-codes"?: unknown };
  try {
    const response = await (input.fetch ?? fetch)(input.verifyUrl ?? TURNSTILE_VERIFY_URL, { method: "POST", body: form });
    if (!response.ok) throw new Error(`siteverify answered ${response.status}`);
    outcome = await response.json();
  } catch (error) {
    console.error("edgechat: Turnstile verification unavailable", error);
    throw new HttpError(503, "turnstile_unavailable", "The human check could not be verified right now. Please try again shortly.");
  }
  if (outcome.success !== true) {
    throw new HttpError(403, "turnstile_failed", "The human check did not pass. Please complete it again.");
  }
  if (typeof outcome.hostname !== "string" || !input.allowedHostnames.includes(outcome.hostname.toLowerCase())) {
    throw new HttpError(403, "turnstile_failed", "The human check was solved on another site.");
  }
}
