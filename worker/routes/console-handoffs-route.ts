import { consoleJson } from "../console/console-request";
import { requireConsoleDb, requireConsoleMember } from "../identity/request-principal";
import { listOpenHandoffs } from "../takeover/handoff-index";
import type { RouteContext } from "./route-context";

/**
 * GET /v1/console/handoffs → `{ handoffs: [{ botId, sessionId, requestedAt, firstQuestion }] }`: conversations
 * whose visitor asked for a person and that no member has taken yet, on the bots where the signed-in member
 * may take over (oldest request first). The console polls it (every 5 s at most) for its notifications.
 */
export async function handleConsoleHandoffs({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  return consoleJson({ handoffs: await listOpenHandoffs(requireConsoleDb(env), principal) });
}
