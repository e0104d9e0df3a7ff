// Public surface of `edgechat/client`: the headless client, no UI, no framework.
export { ChatClient, randomId } from "./chat-client";
export type { ChatClientOptions, ChatMessage, ChatMessagePart, ChatSession, ChatState, ChatStatus, Handoff } from "./chat-client";
export { readUIMessageChunks, type UIMessageChunk } from "./ui-message-chunk";
export { readServerSentEvents } from "./server-sent-events";
export { createSessionStore, type SessionStore } from "./session-store";
export { syncTabs } from "./tab-sync";
export { loadBotConfig, type BotConfig } from "./bot-config";
