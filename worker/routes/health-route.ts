import { sourcesOf } from "../models/model-set";
import type { RouteContext } from "./route-context";

/**
 * GET /v1/health: liveness, and which source and model serve each tier, the embedder and the image model
 * (`sources`), and whether calls go through AI Gateway. Never secrets.
 */
export function handleHealth({ models }: RouteContext): Response {
  return Response.json(
    { ok: true, models: models.source, chatModel: models.chat.modelId, sources: sourcesOf(models), aiGateway: models.aiGateway ?? false },
    { headers: { "cache-control": "no-store" } },
  );
}
