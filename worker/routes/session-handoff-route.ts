import { loadBotRecord } from "../bots/bot-registry";
import { isRecord } from "../chat/chat-request";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { requireAllowedOrigin } from "../security/origin-policy";
import { deliverHandoff, handoffMessages, handoffSentMessage, HANDOFF_FAILED_MESSAGE, HANDOFF_RETRY_DELAYS_MS } from "../sessions/handoff";
import { recordHandoffState } from "../takeover/handoff-index";
import { takeoverTimeoutMs } from "../takeover/handoff-state";
import { fetchPolicyFromEnv } from "../fetch/fetch-policy-from-env";
import { sessionStub } from "../sessions/session-store";
import { markNeedsPerson } from "../conversations/conversation-index";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import type { RouteContext } from "./route-context";

export { HANDOFF_RETRY_DELAYS_MS };

/**
 * POST /v1/sessions/:id/handoff (Authorization: Bearer <session token>) `{ contact?, note? }`: the visitor
 * accepted to talk to a person. With a takeover timeout (the bot's `handoff.takeoverTimeoutSeconds`,
 * default 120) the conversation first waits for a member to take it over in the chat (`status: "requested"`,
 * listed by `GET /v1/console/handoffs`); if nobody does in time, the session object's alarm runs the webhook
 * handoff (docs/takeover.md). With 0, or when the alarm fires: the transcript is POSTed to the bot's webhook,
 * signed with the bot's handoff secret, with retries; the answer tells the visitor what happens next. Once
 * per conversation.
 */
export async function handleSessionHandoff({ request, url, env, params, ctx }: RouteContext): Promise<Response> {
  const { botId, sessionId } = await authorizeSessionRequest(env, request, params.id!);
  const record = await loadBotRecord(env.DB, botId);
  if (!record) throw new HttpError(404, "bot_not_found", "There is no bot with this id.");
  const { bot } = record;
  requireAllowedOrigin(request, bot, url.origin, true);
  if (!bot.handoffWebhookUrl) throw new HttpError(409, "handoff_unavailable", "This bot has no human handoff set up.");
  const body = request.headers.get("content-type") ? await readJsonBody(request, { maxBytes: 8 * 1024, maxDepth: 4 }) : {};
  if (!isRecord(body)) throw new HttpError(400, "invalid_request", "The body must be a JSON object.");
  const contact = optionalText(body.contact, "contact", 200);
  const note = optionalText(body.note, "note", 2000);

  const store = sessionStub(env, bot.id, sessionId);
  const now = Date.now();
  const timeoutMs = takeoverTimeoutMs(bot);
  // The inbox flags the conversation (worker/conversations), beside the request (it keeps the first ask's time).
  if (env.DB) ctx.waitUntil(markNeedsPerson(env.DB, bot.id, sessionId, now).catch((error) => console.error("edgechat: flagging a handoff failed", error)));
  if (timeoutMs > 0) {
    const requested = await store.requestHandoff({ botId: bot.id, sessionId, now, timeoutMs, contact, note });
    if (requested.kind === "requested") {
      if (requested.first) {
        const index = recordHandoffState(env.DB, { botId: bot.id, sessionId, handoff: requested.handoff, firstQuestion: requested.firstQuestion });
        ctx.waitUntil(index.catch((error: unknown) => console.error("edgechat: handoff index", error)));
      }
      return Response.json({ status: "requested", message: waitingMessage(timeoutMs, requested.handoff.agentName), handoff: requested.handoff });
    }
  }
  if (!(await store.markHandedOff(now))) {
    return Response.json({ status: "already_sent", message: "The team already has this conversation and will get back to you." });
  }
  const { delivered } = await deliverHandoff({
    url: bot.handoffWebhookUrl,
    secret: record.handoffSecret,
    policy: fetchPolicyFromEnv(env),
    payload: {
      type: "edgechat.handoff",
      deliveryId: crypto.randomUUID(),
      botId: bot.id,
      sessionId,
      ...(contact ? { contact } : {}),
      ...(note ? { note } : {}),
      requestedAt: now,
      messages: handoffMessages(await store.messages()),
    },
    retryDelaysMs: HANDOFF_RETRY_DELAYS_MS.value,
  });
  if (!delivered) {
    await store.clearHandoff();
    throw new HttpError(502, "handoff_failed", HANDOFF_FAILED_MESSAGE);
  }
  return Response.json({ status: "sent", message: handoffSentMessage(contact) });
}

/** What a visitor reads while a member is asked to join (or after one did). */
function waitingMessage(timeoutMs: number, agentName: string | undefined): string {
  if (agentName) return `${agentName} from the team has joined this chat.`;
  const wait = timeoutMs >= 120_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${Math.round(timeoutMs / 1000)} seconds`;
  return `Thanks! We are asking a person from the team to join this chat. If no one is free within ${wait}, the team gets your conversation and will follow up.`;
}

function optionalText(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || value.length > max) throw new HttpError(400, "invalid_request", `\`${field}\` must be text of at most ${max} characters.`);
  return value;
}
