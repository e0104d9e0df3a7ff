import { randomId, type ChatClient, type ChatMessage, type ChatSession } from "./chat-client";

type TabMessage = { messages: readonly ChatMessage[]; session?: ChatSession };

/**
 * Keeps the conversation of every open tab of the site in step through a BroadcastChannel:
 * the tab that sends shows its state to the others (at most every `intervalMs` while an answer
 * streams, and at once when it starts and ends); the others only display it, so nothing is ever
 * sent to the server twice. Returns a function that stops syncing.
 *
 * @example
 * const stop = syncTabs(client, "edgechat:demo");
 */
export function syncTabs(client: ChatClient, channelName: string, intervalMs = 150): () => void {
  if (typeof BroadcastChannel !== "function") return () => {};
  const channel = new BroadcastChannel(channelName);
  let applyingRemote = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPosted: readonly ChatMessage[] | undefined;
  const post = () => {
    timer = undefined;
    const { messages } = client.snapshot;
    if (messages === lastPosted) return;
    lastPosted = messages;
    const payload: TabMessage = { messages, session: client.session };
    try {
      channel.postMessage(payload);
    } catch {
      /* a closed channel or an uncloneable value: this tab keeps working alone */
    }
  };
  const unsubscribe = client.subscribe((state) => {
    if (applyingRemote) return;
    if (state.status === "streaming") timer ??= setTimeout(post, intervalMs);
    else {
      if (timer) clearTimeout(timer);
      post();
    }
  });
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    if (client.busy || !Array.isArray(event.data?.messages)) return;
    applyingRemote = true;
    try {
      client.session = event.data.session;
      client.chatId = event.data.session?.sessionId ?? (event.data.messages.length ? client.chatId : randomId());
      client.setMessages(event.data.messages);
    } finally {
      applyingRemote = false;
    }
  };
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
    channel.close();
  };
}
