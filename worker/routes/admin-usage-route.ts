import { authorize } from "../identity/authorize";
import { requireAdminPrincipal } from "../identity/request-principal";
import { HttpError } from "../http/http-error";
import { botUsageTotals } from "../usage/usage-totals";
import type { RouteContext } from "./route-context";

const BOT_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
const DAY_MS = 86_400_000;

/**
 * GET /v1/admin/bots/:id/usage[?from=<unix ms>&to=<unix ms>]: the bot's turn, token, escalation and
 * cost totals from the `turns` table. Default period: the last 30 days. Admin only.
 */
export async function handleAdminUsage({ request, url, env, params }: RouteContext): Promise<Response> {
  const principal = await requireAdminPrincipal(request, env);
  const botId = params.id ?? "";
  if (!BOT_ID.test(botId)) throw new HttpError(400, "invalid_bot_id", "Bot ids are 1-32 characters of a-z, 0-9 and '-'.");
  authorize(principal, "analytics:read", botId);
  if (!env.DB) throw new HttpError(503, "usage_unavailable", "Usage needs the D1 binding DB.");
  const now = Date.now();
  const to = timeParam(url, "to", now);
  const from = timeParam(url, "from", to - 30 * DAY_MS);
  if (from > to) throw new HttpError(400, "invalid_period", "`from` must not be after `to`.");
  const totals = await botUsageTotals(env.DB, botId, from, to);
  return Response.json(totals, { headers: { "cache-control": "no-store" } });
}

function timeParam(url: URL, name: string, fallback: number): number {
  const value = url.searchParams.get(name);
  if (value === null || value === "") return fallback;
  if (!/^\d{1,15}$/.test(value)) throw new HttpError(400, "invalid_period", `\`${name}\` must be a time in unix milliseconds.`);
  return Number(value);
}
