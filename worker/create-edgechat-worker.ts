import type { EdgechatEnv } from "./env";
import { errorToResponse, HttpError } from "./http/http-error";
import { matchRoute, type Route } from "./http/route-table";
import { modelsFromEnv, type ModelSet } from "./models/model-set";
import { handleChat } from "./routes/chat-route";
import { handleHealth } from "./routes/health-route";
import { handleImage } from "./routes/image-route";
import { handleDeleteDocument, handleIngestDocuments, handleListDocuments } from "./routes/admin-documents-route";
import { handleAdminUsage } from "./routes/admin-usage-route";
import type { RouteHandler } from "./routes/route-context";
import { handleBotConfig } from "./routes/bot-config-route";
import { handleCreateBot, handleDeleteBot, handleGetBot, handleListBots, handlePatchBot, handleReplaceBot } from "./routes/admin-bots-route";
import { handleBotStats } from "./routes/admin-bot-stats-route";
import { handleSessionMessages } from "./routes/session-messages-route";
import { handleFeedback } from "./routes/feedback-route";
import { handleHostedPage } from "./routes/hosted-page-route";
import { handleSessionHandoff } from "./routes/session-handoff-route";
import { handleSessionStop, handleSessionStream } from "./routes/session-stream-route";
import { handleCreateCorrection, handleDeleteCorrection, handleImportCorrections, handleListCorrections, handleUpdateCorrection } from "./routes/admin-corrections-route";
import { handlePreflight, isKnownOrigin, withCors } from "./security/origin-policy";

export interface EdgechatWorkerOptions {
  /** Models to use instead of the ones chosen from env (tests pass mocks here). */
  models?: ModelSet | ((env: EdgechatEnv) => ModelSet);
}

const ROUTES: readonly Route<RouteHandler>[] = [
  { method: "POST", path: "/v1/chat", handler: handleChat },
  { method: "GET", path: "/v1/health", handler: handleHealth },
  { method: "GET", path: "/v1/images/:id", handler: handleImage },
  { method: "GET", path: "/v1/bots/:id/config", handler: handleBotConfig },
  { method: "GET", path: "/v1/sessions/:id/messages", handler: handleSessionMessages },
  { method: "GET", path: "/v1/sessions/:id/stream", handler: handleSessionStream },
  // The AI SDK's DefaultChatTransport resumes at `${api}/${chatId}/stream`: the same, for useChat({ resume: true }).
  { method: "GET", path: "/v1/chat/:id/stream", handler: handleSessionStream },
  { method: "POST", path: "/v1/sessions/:id/stop", handler: handleSessionStop },
  { method: "POST", path: "/v1/sessions/:id/handoff", handler: handleSessionHandoff },
  { method: "POST", path: "/v1/feedback", handler: handleFeedback },
  { method: "GET", path: "/v1/admin/bots", handler: handleListBots },
  { method: "POST", path: "/v1/admin/bots", handler: handleCreateBot },
  { method: "GET", path: "/v1/admin/bots/:id", handler: handleGetBot },
  { method: "PUT", path: "/v1/admin/bots/:id", handler: handleReplaceBot },
  { method: "PATCH", path: "/v1/admin/bots/:id", handler: handlePatchBot },
  { method: "DELETE", path: "/v1/admin/bots/:id", handler: handleDeleteBot },
  { method: "GET", path: "/v1/admin/bots/:id/stats", handler: handleBotStats },
  { method: "GET", path: "/b/:id", handler: handleHostedPage },
  { method: "POST", path: "/v1/admin/bots/:botId/documents", handler: handleIngestDocuments },
  { method: "GET", path: "/v1/admin/bots/:botId/documents", handler: handleListDocuments },
  { method: "DELETE", path: "/v1/admin/bots/:botId/documents/:documentId", handler: handleDeleteDocument },
  { method: "GET", path: "/v1/admin/bots/:id/usage", handler: handleAdminUsage },
  { method: "POST", path: "/v1/admin/bots/:botId/corrections", handler: handleCreateCorrection },
  { method: "GET", path: "/v1/admin/bots/:botId/corrections", handler: handleListCorrections },
  { method: "POST", path: "/v1/admin/bots/:botId/corrections/import", handler: handleImportCorrections },
  { method: "PUT", path: "/v1/admin/bots/:botId/corrections/:id", handler: handleUpdateCorrection },
  { method: "DELETE", path: "/v1/admin/bots/:botId/corrections/:id", handler: handleDeleteCorrection },
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
  async function route(request: Request, env: EdgechatEnv, ctx: ExecutionContext, url: URL): Promise<Response> {
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
  }
  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      // Visitor-facing endpoints answer pages of known origins (CORS); the admin API is for servers and CLIs only.
      const visitorApi = url.pathname.startsWith("/v1/") && !url.pathname.startsWith("/v1/admin/");
      if (visitorApi && request.method === "OPTIONS") return handlePreflight(request, env.DB, url.origin).catch(errorToResponse);
      const response = await route(request, env, ctx, url);
      const origin = request.headers.get("origin");
      if (visitorApi && origin && !response.headers.has("access-control-allow-origin")) {
        if (await isKnownOrigin(env.DB, origin, url.origin).catch(() => false)) return withCors(response, origin);
      }
      return response;
    },
  };
}
