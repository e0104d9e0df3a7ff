import { requireBot } from "../bots/bot-registry";
import { publicBotConfig } from "../bots/public-bot-config";
import type { RouteContext } from "./route-context";

/** GET /v1/bots/:id/config: the public part of a bot's configuration for the widget; cacheable, readable from any page. */
export async function handleBotConfig({ env, params }: RouteContext): Promise<Response> {
  const bot = await requireBot(env.DB, params.id);
  return Response.json(publicBotConfig(bot), {
    headers: { "cache-control": "public, max-age=60", "access-control-allow-origin": "*" },
  });
}
