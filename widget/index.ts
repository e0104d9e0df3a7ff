// Public surface of `edgechat`: mount the widget, or use its component in a Preact app.
export { mount, type MountOptions, type WidgetHandle } from "./mount";
export { ChatWidget, type ChatWidgetProps } from "./ui/chat-widget";
export { ChatClient } from "./client/chat-client";
export type { ChatClientOptions, ChatMessage, ChatMessagePart, ChatState, ChatStatus } from "./client/chat-client";
