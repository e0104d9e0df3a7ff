// The parts of the chat client a visitor needs only when a person is asked for or takes over
// (docs/takeover.md). The script-tag widget loads them on demand from its worker as widget-live.js
// (live-channel-script.ts, through live-channel-loader.ts); the npm build imports them as a chunk.
import type { ChatClient, ChatSession, Handoff } from "./chat-client";
import { randomId } from "./chat-client";
import { readServerSentEvents } from "./server-sent-events";

/**
 * Follows `GET /v1/sessions/:id/events` (server-sent events from the session object) until `signal`
 * aborts: who has the conversation, and each stored message once (a person's, the visitor's from another
 * tab, an answer), handed to `client.receive`. Reconnects with growing pauses (1 s doubling to 30 s),
 * asking for what was stored after the last message the client has.
 */
export async function followConversation(client: ChatClient, signal: AbortSignal, session: ChatSession): Promise<void> {
  for (let pause = 1000; !signal.aborted && client.session === session; pause = Math.min(pause * 2, 30000)) {
    try {
      const last = client.snapshot.messages[client.snapshot.messages.length - 1];
      const path = `/v1/sessions/${encodeURIComponent(session.sessionId)}/events${last ? `?after=${encodeURIComponent(last.id)}` : ""}`;
      const response = await client.request(client.url(path), { headers: { authorization: `Bearer ${session.token}` }, signal });
      // The session is gone or refused: nothing to follow (too many open views, 429: try again later).
      if (response.status < 500 && response.status !== 429 && !response.ok) return;
      for await (const data of readServerSentEvents(response.body!, signal)) {
        pause = 1000;
        client.receive(JSON.parse(data));
      }
    } catch {
      // Offline, or the stream was cut: try again after the pause.
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * `POST /v1/sessions/:id/handoff`: asks for a person. The server's message for the visitor is shown as a
 * message of the conversation, and the new state (`handoff`) starts following the conversation.
 */
export async function requestHandoff(client: ChatClient): Promise<void> {
  let text = "";
  try {
    const response = await client.request(client.url(`/v1/sessions/${encodeURIComponent(client.chatId)}/handoff`), {
      method: "POST",
      headers: { authorization: `Bearer ${client.session?.token}` },
    });
    const body = (await response.json()) as { message?: string; handoff?: Handoff; error?: { message?: string } };
    text = body.message ?? body.error?.message ?? "";
    if (body.handoff) client.receive(body.handoff);
  } catch {
    // Offline: say so below.
  }
  client.receive({ id: randomId(), role: "assistant", parts: [{ type: "text", text: text || "The team could not be reached. Please try again." }] });
}
