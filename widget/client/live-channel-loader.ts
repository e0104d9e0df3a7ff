// In the script-tag build (vite.config.ts) this module stands in for ./live-channel: instead of bundling
// the live channel into widget.js, it loads widget-live.js from the widget's worker on first use. A
// same-origin script works under a strict CSP (`script-src` must allow the worker, as for widget.js).
import type * as Live from "./live-channel";
import type { ChatClient, ChatSession } from "./chat-client";

declare global {
  interface Window {
    edgechatLive?: typeof Live;
  }
}

let loading: Promise<typeof Live> | undefined;

function load(client: ChatClient): Promise<typeof Live> {
  return (loading ??= new Promise<typeof Live>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = client.url("/widget-live.js");
    script.onload = () => (window.edgechatLive ? resolve(window.edgechatLive) : reject());
    script.onerror = () => ((loading = undefined), script.remove(), reject());
    document.head.append(script);
  }));
}

export const followConversation = (client: ChatClient, signal: AbortSignal, session: ChatSession) =>
  load(client).then((live) => live.followConversation(client, signal, session));

export const requestHandoff = (client: ChatClient) => load(client).then((live) => live.requestHandoff(client));
