import { loadBotRecord } from "../bots/bot-registry";
import type { EdgechatEnv } from "../env";
import { fetchPolicyFromEnv } from "../fetch/fetch-policy-from-env";
import type { StoredMessage } from "../sessions/chat-session";
import { deliverHandoff, handoffMessages, handoffSentMessage, HANDOFF_FAILED_MESSAGE, HANDOFF_RETRY_DELAYS_MS } from "../sessions/handoff";

/**
 * The webhook handoff of a request no member took in time (run by the session object's alarm): the same
 * signed delivery as `POST /v1/sessions/:id/handoff` without takeover, and what the visitor should read.
 */
export async function deliverTimedOutHandoff(
  env: EdgechatEnv,
  input: { botId: string; sessionId: string; contact?: string; note?: string; requestedAt: number; messages: StoredMessage[] },
): Promise<{ delivered: boolean; message: string }> {
  const record = await loadBotRecord(env.DB, input.botId).catch(() => undefined);
  if (!record?.bot.handoffWebhookUrl) return { delivered: false, message: HANDOFF_FAILED_MESSAGE };
  const { delivered } = await deliverHandoff({
    url: record.bot.handoffWebhookUrl,
    secret: record.handoffSecret,
    policy: fetchPolicyFromEnv(env),
    payload: {
      type: "edgechat.handoff",
      deliveryId: crypto.randomUUID(),
      botId: input.botId,
      sessionId: input.sessionId,
      ...(input.contact ? { contact: input.contact } : {}),
      ...(input.note ? { note: input.note } : {}),
      requestedAt: input.requestedAt,
      messages: handoffMessages(input.messages),
    },
    retryDelaysMs: HANDOFF_RETRY_DELAYS_MS.value,
  });
  if (!delivered) return { delivered, message: HANDOFF_FAILED_MESSAGE };
  return { delivered, message: `No one from the team could join the chat just now. ${handoffSentMessage(input.contact)}` };
}
