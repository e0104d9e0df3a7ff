import { render } from "preact";
import { ChatClient } from "./client/chat-client";
import { ChatWidget } from "./ui/chat-widget";
import { adoptStyles } from "./ui/widget-styles";

export interface MountOptions {
  /** Origin of the edgechat worker, e.g. "https://chat.example.com". Defaults to the page's origin. */
  endpoint?: string;
  /** Full chat URL, to talk to any AI SDK backend; overrides `endpoint`. */
  api?: string;
  /** The bot to talk to. */
  bot?: string;
  /** Header title. */
  title?: string;
  /** Start open. */
  open?: boolean;
}

export interface WidgetHandle {
  /** The headless client behind the widget. */
  client: ChatClient;
  /** Removes the widget and its shadow root's content. */
  destroy(): void;
}

/**
 * Mounts the chat widget into `element`, inside a shadow root, so the host page's styles
 * and the widget's never meet.
 *
 * @example
 * import { mount } from "edgechat";
 * const widget = mount(document.getElementById("chat")!, { endpoint: "https://chat.example.com", bot: "demo" });
 */
export function mount(element: HTMLElement, options: MountOptions = {}): WidgetHandle {
  const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  adoptStyles(root);
  const base = options.endpoint ?? location.origin;
  const client = new ChatClient({ api: options.api ?? new URL("/v1/chat", base).href, botId: options.bot });
  render(<ChatWidget client={client} title={options.title} open={options.open} />, root);
  return {
    client,
    destroy() {
      client.stop();
      render(null, root);
    },
  };
}
