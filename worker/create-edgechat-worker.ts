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
import { handleConsolePage } from "./routes/console-page-route";
import { handleSessionHandoff } from "./routes/session-handoff-route";
import { handleSessionStop, handleSessionStream } from "./routes/session-stream-route";
import { handleSessionAgentMessage, handleSessionRelease, handleSessionTakeover } from "./routes/session-takeover-route";
import { handleAgentSessionEvents, handleVisitorSessionEvents } from "./routes/session-events-route";
import { handleConsoleHandoffs } from "./routes/console-handoffs-route";
import { handleCreateCorrection, handleDeleteCorrection, handleImportCorrections, handleListCorrections, handleUpdateCorrection } from "./routes/admin-corrections-route";
import {
  handleConsoleCreateCorrection,
  handleConsoleDeleteCorrection,
  handleConsoleImportCorrections,
  handleConsoleListCorrections,
  handleConsoleUpdateCorrection,
} from "./routes/console-corrections-route";
import { handlePreflight, isKnownOrigin, withCors } from "./security/origin-policy";
import { handleMe, handleSignIn, handleSignOut } from "./routes/console-auth-route";
import { handleAcceptInvitation, handleGetInvitation } from "./routes/console-invitations-route";
import {
  handleConsoleCreateBot,
  handleConsoleDeleteBot,
  handleConsoleGetBot,
  handleConsoleListBots,
  handleConsolePatchBot,
  handleConsoleReplaceBot,
} from "./routes/console-bots-route";
import {
  handleConsoleDeleteDocument,
  handleConsoleListDocuments,
  handleConsoleReindexDocument,
  handleConsoleUploadFiles,
} from "./routes/console-documents-route";
import { handleConsoleAnalytics } from "./routes/console-analytics-route";
import { handleConsoleDeleteMember, handleConsoleInviteMember, handleConsoleListMembers, handleConsoleUpdateMember } from "./routes/console-members-route";
import { handleConsoleCreateApiKey, handleConsoleListApiKeys, handleConsoleRevokeApiKey } from "./routes/console-api-keys-route";
import { handleAdminDeleteMember, handleAdminInviteMember, handleAdminListMembers } from "./routes/admin-members-route";
import { handleAdminUploadFiles } from "./routes/admin-files-route";
import { handleEraseConversation, handleExportConversations, handleGetConversation, handleListConversations } from "./routes/conversations-route";
import { runRetention } from "./conversations/conversation-retention";
import { adminSourceHandlers as adminSources } from "./routes/admin-sources-route";
import { consoleSourceHandlers as consoleSources } from "./routes/console-sources-route";
import { consumeSyncBatch } from "./sources/sync-queue-consumer";
import { runScheduledSyncs, stalledAfterMsFromEnv } from "./sources/scheduled-syncs";
import { syncDependenciesFromEnv } from "./sources/sync-dependencies-from-env";
import type { SyncMessage } from "./sources/source-types";
import type { PdfTextExtractor } from "./sources/pdf-text-types";

export interface EdgechatWorkerOptions {
  /** Models to use instead of the ones chosen from env (tests pass mocks here). */
  models?: ModelSet | ((env: EdgechatEnv) => ModelSet);
  /**
   * Reads PDFs, found by knowledge sources or uploaded: pass `extractPdfText` (from `edgechat/worker/pdf`). Opt-in,
   * because it bundles unpdf (about 550 KiB gzip); without it a PDF is refused with a reason that says so.
   */
  pdfText?: PdfTextExtractor;
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
  // Live takeover (docs/takeover.md): the visitor's live channel, and a person taking over (admin API and console).
  { method: "GET", path: "/v1/sessions/:id/events", handler: handleVisitorSessionEvents },
  { method: "POST", path: "/v1/admin/sessions/:sessionId/takeover", handler: handleSessionTakeover },
  { method: "POST", path: "/v1/admin/sessions/:sessionId/messages", handler: handleSessionAgentMessage },
  { method: "POST", path: "/v1/admin/sessions/:sessionId/release", handler: handleSessionRelease },
  { method: "GET", path: "/v1/admin/sessions/:sessionId/events", handler: handleAgentSessionEvents },
  { method: "POST", path: "/v1/console/sessions/:sessionId/takeover", handler: handleSessionTakeover },
  { method: "POST", path: "/v1/console/sessions/:sessionId/messages", handler: handleSessionAgentMessage },
  { method: "POST", path: "/v1/console/sessions/:sessionId/release", handler: handleSessionRelease },
  { method: "GET", path: "/v1/console/sessions/:sessionId/events", handler: handleAgentSessionEvents },
  { method: "GET", path: "/v1/console/handoffs", handler: handleConsoleHandoffs },
  { method: "POST", path: "/v1/feedback", handler: handleFeedback },
  { method: "GET", path: "/v1/admin/bots", handler: handleListBots },
  { method: "POST", path: "/v1/admin/bots", handler: handleCreateBot },
  { method: "GET", path: "/v1/admin/bots/:id", handler: handleGetBot },
  { method: "PUT", path: "/v1/admin/bots/:id", handler: handleReplaceBot },
  { method: "PATCH", path: "/v1/admin/bots/:id", handler: handlePatchBot },
  { method: "DELETE", path: "/v1/admin/bots/:id", handler: handleDeleteBot },
  { method: "GET", path: "/v1/admin/bots/:id/stats", handler: handleBotStats },
  { method: "GET", path: "/b/:id", handler: handleHostedPage },
  // The owner console: one HTML shell for every page (client-side routing), its files under /admin/assets/.
  { method: "GET", path: "/admin", handler: handleConsolePage },
  { method: "GET", path: "/admin/*", handler: handleConsolePage },
  { method: "POST", path: "/v1/admin/bots/:botId/documents", handler: handleIngestDocuments },
  { method: "GET", path: "/v1/admin/bots/:botId/documents", handler: handleListDocuments },
  { method: "DELETE", path: "/v1/admin/bots/:botId/documents/:documentId", handler: handleDeleteDocument },
  { method: "GET", path: "/v1/admin/bots/:id/usage", handler: handleAdminUsage },
  { method: "POST", path: "/v1/admin/bots/:botId/files", handler: handleAdminUploadFiles },
  { method: "POST", path: "/v1/admin/members/invitations", handler: handleAdminInviteMember },
  { method: "GET", path: "/v1/admin/members", handler: handleAdminListMembers },
  { method: "DELETE", path: "/v1/admin/members/:id", handler: handleAdminDeleteMember },
  // The owner console's data API: session cookie, same-origin writes only, never CORS (worker/identity).
  { method: "POST", path: "/v1/console/sign-in", handler: handleSignIn },
  { method: "POST", path: "/v1/console/sign-out", handler: handleSignOut },
  { method: "GET", path: "/v1/console/me", handler: handleMe },
  { method: "GET", path: "/v1/console/invitations/:token", handler: handleGetInvitation },
  { method: "POST", path: "/v1/console/invitations/accept", handler: handleAcceptInvitation },
  { method: "GET", path: "/v1/console/bots", handler: handleConsoleListBots },
  { method: "POST", path: "/v1/console/bots", handler: handleConsoleCreateBot },
  { method: "GET", path: "/v1/console/bots/:id", handler: handleConsoleGetBot },
  { method: "PUT", path: "/v1/console/bots/:id", handler: handleConsoleReplaceBot },
  { method: "PATCH", path: "/v1/console/bots/:id", handler: handleConsolePatchBot },
  { method: "DELETE", path: "/v1/console/bots/:id", handler: handleConsoleDeleteBot },
  { method: "GET", path: "/v1/console/bots/:id/documents", handler: handleConsoleListDocuments },
  { method: "POST", path: "/v1/console/bots/:id/files", handler: handleConsoleUploadFiles },
  { method: "DELETE", path: "/v1/console/bots/:id/documents/:docId", handler: handleConsoleDeleteDocument },
  { method: "POST", path: "/v1/console/bots/:id/documents/:docId/reindex", handler: handleConsoleReindexDocument },
  { method: "GET", path: "/v1/console/bots/:id/analytics", handler: handleConsoleAnalytics },
  { method: "GET", path: "/v1/console/members", handler: handleConsoleListMembers },
  { method: "POST", path: "/v1/console/members/invitations", handler: handleConsoleInviteMember },
  { method: "PATCH", path: "/v1/console/members/:id", handler: handleConsoleUpdateMember },
  { method: "DELETE", path: "/v1/console/members/:id", handler: handleConsoleDeleteMember },
  { method: "GET", path: "/v1/console/api-keys", handler: handleConsoleListApiKeys },
  { method: "POST", path: "/v1/console/api-keys", handler: handleConsoleCreateApiKey },
  { method: "DELETE", path: "/v1/console/api-keys/:id", handler: handleConsoleRevokeApiKey },
  { method: "POST", path: "/v1/admin/bots/:botId/sources", handler: adminSources.create },
  { method: "GET", path: "/v1/admin/bots/:botId/sources", handler: adminSources.list },
  { method: "GET", path: "/v1/admin/bots/:botId/sources/:id", handler: adminSources.get },
  { method: "POST", path: "/v1/admin/bots/:botId/sources/:id/sync", handler: adminSources.sync },
  { method: "POST", path: "/v1/admin/bots/:botId/sources/:id/cancel", handler: adminSources.cancel },
  { method: "DELETE", path: "/v1/admin/bots/:botId/sources/:id", handler: adminSources.remove },
  { method: "POST", path: "/v1/admin/bots/:botId/corrections", handler: handleCreateCorrection },
  { method: "GET", path: "/v1/admin/bots/:botId/corrections", handler: handleListCorrections },
  { method: "POST", path: "/v1/admin/bots/:botId/corrections/import", handler: handleImportCorrections },
  { method: "DELETE", path: "/v1/admin/bots/:botId/corrections/:correctionId", handler: handleDeleteCorrection },
  { method: "GET", path: "/v1/console/bots/:id/corrections", handler: handleConsoleListCorrections },
  { method: "PUT", path: "/v1/admin/bots/:botId/corrections/:id", handler: handleUpdateCorrection },
  { method: "DELETE", path: "/v1/admin/bots/:botId/corrections/:id", handler: handleDeleteCorrection },
  // The same source endpoints for console members: documents:read to look, documents:write to change.
  { method: "POST", path: "/v1/console/bots/:id/sources", handler: consoleSources.create },
  { method: "GET", path: "/v1/console/bots/:id/sources", handler: consoleSources.list },
  { method: "GET", path: "/v1/console/bots/:id/sources/:sourceId", handler: consoleSources.get },
  { method: "POST", path: "/v1/console/bots/:id/sources/:sourceId/sync", handler: consoleSources.sync },
  { method: "POST", path: "/v1/console/bots/:id/sources/:sourceId/cancel", handler: consoleSources.cancel },
  { method: "DELETE", path: "/v1/console/bots/:id/sources/:sourceId", handler: consoleSources.remove },
];

/** edgechat's Worker handler: always has `fetch`, so a Worker of your own can hand requests to it. */
export type EdgechatWorker = ExportedHandler<EdgechatEnv> & Required<Pick<ExportedHandler<EdgechatEnv>, "fetch">>;

/**
 * Builds edgechat's Worker handler. Use it as your Worker's default export, or call its
 * `fetch` from a Worker of your own for the paths you hand to edgechat.
 *
 * @example
 * import { createEdgechatWorker } from "edgechat/worker";
 * export default createEdgechatWorker();
 */
export function createEdgechatWorker(options: EdgechatWorkerOptions = {}): EdgechatWorker {
  const modelsFor = (env: EdgechatEnv): ModelSet => (typeof options.models === "function" ? options.models(env) : (options.models ?? modelsFromEnv(env)));
  async function route(request: Request, env: EdgechatEnv, ctx: ExecutionContext, url: URL): Promise<Response> {
    try {
      const match = matchRoute(ROUTES, request.method, url.pathname);
      if (!match) {
        if (!url.pathname.startsWith("/v1/") && env.ASSETS) return env.ASSETS.fetch(request);
        throw new HttpError(404, "not_found", `No such endpoint: ${request.method} ${url.pathname}.`);
      }
      const models = modelsFor(env);
      // Beside the request, never before it: a failure here is the first turn's to report.
      if (models.prepare) ctx.waitUntil(models.prepare().catch(() => undefined));
      return await match.handler({ request, url, env, ctx, models, params: match.params, ...(options.pdfText ? { pdfText: options.pdfText } : {}) });
    } catch (error) {
      return errorToResponse(error);
    }
  }
  return {
    async fetch(request: Request, env: EdgechatEnv, ctx: ExecutionContext): Promise<Response> {
      const url = new URL(request.url);
      // Visitor-facing endpoints answer pages of known origins (CORS); the admin API is for servers and CLIs only,
      // the console API for the console's own pages only: neither ever answers CORS.
      const visitorApi = url.pathname.startsWith("/v1/") && !url.pathname.startsWith("/v1/admin/") && !url.pathname.startsWith("/v1/console/");
      if (visitorApi && request.method === "OPTIONS") return handlePreflight(request, env.DB, url.origin).catch(errorToResponse);
      const response = await route(request, env, ctx, url);
      const origin = request.headers.get("origin");
      if (visitorApi && origin && !response.headers.has("access-control-allow-origin")) {
        if (await isKnownOrigin(env.DB, origin, url.origin).catch(() => false)) return withCors(response, origin);
      }
      return response;
    },
    // Knowledge-source syncs (worker/sources): page messages from SOURCE_SYNC_QUEUE, and the Cron Trigger.
    async queue(batch, env) {
      const deps = syncDependenciesFromEnv(env, modelsFor(env), options.pdfText);
      if ("missing" in deps) {
        console.error(`edgechat: source sync messages cannot be processed without ${deps.missing}`);
        batch.retryAll({ delaySeconds: 60 });
        return;
      }
      await consumeSyncBatch(deps, batch as MessageBatch<SyncMessage>);
    },
    async scheduled(_controller, env) {
      // Conversations older than their bot's retention are deleted (worker/conversations), beside the syncs.
      const retention = env.DB && env.CHAT_SESSIONS ? runRetention(env, Date.now()).catch((error) => console.error("edgechat: the retention job failed", error)) : undefined;
      const deps = syncDependenciesFromEnv(env, modelsFor(env), options.pdfText);
      if (!("missing" in deps)) await runScheduledSyncs(deps, stalledAfterMsFromEnv(env));
      await retention;
    },
  };
}
