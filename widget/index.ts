// Public surface of `edgechat`: mount the widget, or use its component in a Preact app.
// Importing this module has no side effects; only `mount` touches the page.
export { mount, type MountOptions, type WidgetEvents, type WidgetHandle } from "./mount";
export { ChatWidget, type ChatWidgetProps, type WidgetAppearance } from "./ui/chat-widget";
export { ChatClient } from "./client/chat-client";
export type { ChatClientOptions, ChatMessage, ChatMessagePart, ChatSession, ChatState, ChatStatus } from "./client/chat-client";
