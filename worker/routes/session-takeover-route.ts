import { isRecord } from "../chat/chat-request";
import { CHAT_LIMITS } from "../chat/chat-request";
import { consoleJson } from "../console/console-request";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { agentSession, type AgentSession } from "../takeover/agent-access";
import { toConversationMessage } from "../takeover/conversation-message";
import { recordHandoffState } from "../takeover/handoff-index";
import type { HandoffState } from "../takeover/handoff-state";
import type { RouteContext } from "./route-context";

const BODY_LIMITS = { maxBytes: 16 * 1024, maxDepth: 4 };
const MESSAGE_ID = /^[\w.:-]{1,128}$/;

/**
 * POST /v1/console/sessions/:sessionId/takeover and /v1/admin/sessions/:sessionId/takeover → `{ handoff }`:
 * the caller (action conversations:takeover on the session's bot) takes the conversation; the bot stops
 * answering it until release. Admin-API callers may name themselves with `{ name }` (what the visitor reads).
 */
export async function handleSessionTakeover(context: RouteContext): Promise<Response> {
  const session = await agentSession(context, "conversations:takeover");
  const body = await optionalBody(context.request);
  const name = context.url.pathname.startsWith("/v1/admin/") ? optionalName(body.name) : undefined;
  const handoff = await session.store.takeOver({ agentName: name ?? session.agentName, now: Date.now() });
  await indexHandoff(context, session, handoff);
  return consoleJson({ handoff });
}

/** POST …/sessions/:sessionId/release → `{ handoff }`: the bot answers the conversation again. */
export async function handleSessionRelease(context: RouteContext): Promise<Response> {
  const session = await agentSession(context, "conversations:takeover");
  const handoff = await session.store.release(Date.now());
  await indexHandoff(context, session, handoff);
  return consoleJson({ handoff });
}

/**
 * POST …/sessions/:sessionId/messages `{ text, id? }` → 201 `{ message }`: a person's message to the visitor,
 * stored once in the transcript (an `id` sent again returns the stored message) and shown live in the
 * widget under the person's name. 409 `not_taken_over` unless the caller's side has the conversation.
 */
export async function handleSessionAgentMessage(context: RouteContext): Promise<Response> {
  const session = await agentSession(context, "conversations:takeover");
  const body = await optionalBody(context.request);
  const text = typeof body.text === "string" ? body.text.trim() : "";
  if (!text || new TextEncoder().encode(text).length > CHAT_LIMITS.maxMessageBytes) {
    throw new HttpError(400, "invalid_request", `\`text\` must be non-empty text of at most ${CHAT_LIMITS.maxMessageBytes} bytes.`);
  }
  if (body.id !== undefined && (typeof body.id !== "string" || !MESSAGE_ID.test(body.id))) {
    throw new HttpError(400, "invalid_request", "`id` must be 1 to 128 letters, digits, '_', '.', ':' or '-'.");
  }
  const posted = await session.store.postAgentMessage({ messageId: (body.id as string | undefined) ?? crypto.randomUUID(), text, now: Date.now() });
  if (posted.kind === "not_taken_over") throw new HttpError(409, "not_taken_over", "Take over the conversation before writing to the visitor.");
  if (posted.kind === "id_taken") throw new HttpError(409, "message_id_taken", "Another message of this conversation has this id.");
  return consoleJson({ message: toConversationMessage(posted.message) }, 201);
}

async function indexHandoff({ env, ctx }: RouteContext, session: AgentSession, handoff: HandoffState): Promise<void> {
  ctx.waitUntil(
    recordHandoffState(env.DB, { botId: session.botId, sessionId: session.sessionId, handoff }).catch((error: unknown) =>
      console.error("edgechat: handoff index", error),
    ),
  );
}

async function optionalBody(request: Request): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-type")) return {};
  const body = await readJsonBody(request, BODY_LIMITS);
  if (!isRecord(body)) throw new HttpError(400, "invalid_request", "The body must be a JSON object.");
  return body;
}

function optionalName(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !value.trim() || value.length > 60) throw new HttpError(400, "invalid_request", "`name` must be text of 1 to 60 characters.");
  return value.trim();
}
