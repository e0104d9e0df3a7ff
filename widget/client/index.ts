// Public surface of `edgechat/client`: the headless client, no UI, no framework.
export { ChatClient, randomId } from "./chat-client";
export type { ChatClientOptions, ChatMessage, ChatMessagePart, ChatState, ChatStatus } from "./chat-client";
export { readUIMessageChunks, type UIMessageChunk } from "./ui-message-chunk";
export { readServerSentEvents } from "./server-sent-events";
