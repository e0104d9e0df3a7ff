import { requireBot } from "../bots/bot-registry";
import { ANALYTICS_RANGES, botAnalytics } from "../console/bot-analytics";
import { consoleJson } from "../console/console-request";
import { HttpError } from "../http/http-error";
import { authorize } from "../identity/authorize";
import { requireConsoleMember } from "../identity/request-principal";
import type { RouteContext } from "./route-context";

/**
 * GET /v1/console/bots/:id/analytics?days=7|30|90 → `{ days: [{ date, conversations, answers: { small, large,
 * escalated }, costUsd, groundedShare, feedback: { up, down } }], dailySpendingCapUsd, unansweredQuestions }`.
 */
export async function handleConsoleAnalytics({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "analytics:read", params.id);
  const bot = await requireBot(env.DB, params.id);
  const days = Number(url.searchParams.get("days") ?? "7");
  if (!(ANALYTICS_RANGES as readonly number[]).includes(days)) {
    throw new HttpError(400, "invalid_request", `\`days\` must be one of ${ANALYTICS_RANGES.join(", ")}.`, {}, { days: `must be one of ${ANALYTICS_RANGES.join(", ")}` });
  }
  return consoleJson(await botAnalytics(env.DB!, bot, days));
}
