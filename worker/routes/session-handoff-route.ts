import { loadBotRecord } from "../bots/bot-registry";
import { isRecord } from "../chat/chat-request";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { requireAllowedOrigin } from "../security/origin-policy";
import { deliverHandoff, handoffMessages } from "../sessions/handoff";
import { fetchPolicyFromEnv } from "../fetch/fetch-policy-from-env";
import { sessionStub } from "../sessions/session-store";
import { markNeedsPerson } from "../conversations/conversation-index";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import type { RouteContext } from "./route-context";

/** Pauses between webhook attempts; tests shorten them. */
export const HANDOFF_RETRY_DELAYS_MS = { value: [500, 2000] };

/**
 * POST /v1/sessions/:id/handoff (Authorization: Bearer <session token>) `{ contact?, note? }`: the visitor
 * accepted to talk to a person. The transcript is POSTed to the bot's webhook, signed with the bot's
 * handoff secret, with retries; the answer tells the visitor what happens next. Once per conversation.
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
  if (!(await store.markHandedOff(now))) {
    return Response.json({ status: "already_sent", message: "The team already has this conversation and will get back to you." });
  }
  // The inbox flags the conversation (worker/conversations), beside the webhook.
  if (env.DB) ctx.waitUntil(markNeedsPerson(env.DB, bot.id, sessionId, now).catch((error) => console.error("edgechat: flagging a handoff failed", error)));
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
    throw new HttpError(502, "handoff_failed", "We could not reach the team just now. Please try again in a moment.");
  }
  return Response.json({
    status: "sent",
    message: contact
      ? `Thanks! A person from the team has this conversation and will contact you at ${contact}.`
      : "Thanks! A person from the team now has this conversation and will follow up as soon as they can.",
  });
}

function optionalText(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || value.length > max) throw new HttpError(400, "invalid_request", `\`${field}\` must be text of at most ${max} characters.`);
  return value;
}
