import type { Bot } from "../bots/bot";
import type { EdgechatEnv } from "../env";
import { HttpError } from "../http/http-error";
import { verifyTurnstile } from "./turnstile";

/** The part of a session the human check needs: whether it already passed, and a way to record that it did. */
export interface HumanCheckState {
  isVerified(): Promise<boolean>;
  markVerified(): Promise<void>;
}

/**
 * For a bot with a Turnstile site key: the first turn of a session needs a Turnstile token that
 * Cloudflare verifies (single use, solved on one of the bot's hostnames); later turns ride on the
 * session's recorded pass. Bots without a site key skip the check.
 *
 * @example
 * await ensureHumanChecked(env, bot, sessionState, { token: body.turnstileToken, selfOrigin: url.origin, ip });
 */
export async function ensureHumanChecked(
  env: EdgechatEnv,
  bot: Bot,
  session: HumanCheckState,
  input: { token: string | undefined; selfOrigin: string; ip?: string },
): Promise<void> {
  if (!bot.turnstileSiteKey || (await session.isVerified())) return;
  if (!env.TURNSTILE_SECRET_KEY) {
    throw new HttpError(503, "turnstile_unavailable", "This bot needs a human check, but the worker has no TURNSTILE_SECRET_KEY.");
  }
  await verifyTurnstile({
    secret: env.TURNSTILE_SECRET_KEY,
    token: input.token,
    allowedHostnames: [...bot.allowedOrigins, input.selfOrigin].map((origin) => new URL(origin).hostname),
    remoteIp: input.ip,
    verifyUrl: env.TURNSTILE_VERIFY_URL || undefined,
  });
  await session.markVerified();
}
