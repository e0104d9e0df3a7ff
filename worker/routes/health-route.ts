import type { RouteContext } from "./route-context";

/** GET /v1/health: liveness and which model source is active (never secrets). */
export function handleHealth({ models }: RouteContext): Response {
  return Response.json(
    { ok: true, models: models.source, chatModel: models.chat.modelId },
    { headers: { "cache-control": "no-store" } },
  );
}
