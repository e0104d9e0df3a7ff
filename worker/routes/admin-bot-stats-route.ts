import { authorize } from "../identity/authorize";
import { requireAdminPrincipal } from "../identity/request-principal";
import { HttpError } from "../http/http-error";
import { botStats } from "../bots/bot-stats";
import { requireBot } from "../bots/bot-registry";
import type { RouteContext } from "./route-context";

/** GET /v1/admin/bots/:id/stats?days=30: conversations, turns, escalation rate, cost, feedback, unanswered questions. */
export async function handleBotStats({ request, url, env, params }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "analytics:read", params.id);
  const bot = await requireBot(env.DB, params.id);
  const daysParam = url.searchParams.get("days") ?? "30";
  const days = Number(daysParam);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new HttpError(400, "invalid_request", "`days` must be a whole number from 1 to 366.");
  }
  const stats = await botStats(env.DB!, bot.id, Date.now() - days * 86_400_000);
  return Response.json(stats, { headers: { "cache-control": "no-store" } });
}
