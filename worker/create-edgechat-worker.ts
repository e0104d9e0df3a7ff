import type { EdgechatEnv } from "./env";
import { errorToResponse, HttpError } from "./http/http-error";
import { matchRoute, type Route } from "./http/route-table";
import { modelsFromEnv, type ModelSet } from "./models/model-set";
import { handleChat } from "./routes/chat-route";
import { handleHealth } from "./routes/health-route";
import { handleAdminUsage } from "./routes/admin-usage-route";
import type { RouteHandler } from "./routes/route-context";

export interface EdgechatWorkerOptions {
  /** Models to use instead of the ones chosen from env (tests pass mocks here). */
  models?: ModelSet | ((env: EdgechatEnv) => ModelSet);
}

const ROUTES: readonly Route<RouteHandler>[] = [
  { method: "POST", path: "/v1/chat", handler: handleChat },
  { method: "GET", path: "/v1/health", handler: handleHealth },
  { method: "GET", path: "/v1/admin/bots/:id/usage", handler: handleAdminUsage },
];

/**
 * Builds edgechat's Worker handler. Use it as your Worker's default export, or call its
 * `fetch` from a Worker of your own for the paths you hand to edgechat.
 *
 * @example
 * import { createEdgechatWorker } from "edgechat/worker";
 * export default createEdgechatWorker();
 */
export function createEdgechatWorker(options: EdgechatWorkerOptions = {}): ExportedHandler<EdgechatEnv> {
  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      try {
        const match = matchRoute(ROUTES, request.method, url.pathname);
        if (!match) {
          if (!url.pathname.startsWith("/v1/") && env.ASSETS) return env.ASSETS.fetch(request);
          throw new HttpError(404, "not_found", `No such endpoint: ${request.method} ${url.pathname}.`);
        }
        const models = typeof options.models === "function" ? options.models(env) : (options.models ?? modelsFromEnv(env));
        return await match.handler({ request, url, env, ctx, models, params: match.params });
      } catch (error) {
        return errorToResponse(error);
      }
    },
  };
}
