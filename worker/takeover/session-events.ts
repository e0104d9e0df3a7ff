import type { StoredMessage } from "../sessions/chat-session";
import { toTranscript } from "../sessions/session-store";
import { toConversationMessage } from "./conversation-message";
import type { HandoffState } from "./handoff-state";

/**
 * Who follows a conversation's events: a member ("agent": messages in the conversations contract's shape)
 * or the visitor's widget ("visitor": messages as `GET /v1/sessions/:id/messages` returns them).
 */
export type EventAudience = "agent" | "visitor";

const encoder = new TextEncoder();

/** One server-sent event: `event: message` (a stored message) or `event: handoff` (who has the conversation). */
export function conversationEvent(audience: EventAudience, event: { message: StoredMessage } | { handoff: HandoffState }): Uint8Array {
  if ("handoff" in event) return encoder.encode(`event: handoff\ndata: ${JSON.stringify(event.handoff)}\n\n`);
  const data = audience === "agent" ? toConversationMessage(event.message) : toTranscript([event.message])[0];
  return encoder.encode(`event: message\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A comment line: keeps idle connections open through proxies; EventSource and the widget ignore it. */
export const KEEPALIVE_EVENT = encoder.encode(": keepalive\n\n");
