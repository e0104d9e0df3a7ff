import { render } from "preact";
import { loadBotConfig, type BotConfig } from "./client/bot-config";
import { ChatClient, type ChatMessage } from "./client/chat-client";
import { createSessionStore } from "./client/session-store";
import { syncTabs } from "./client/tab-sync";
import { ChatWidget, type WidgetAppearance } from "./ui/chat-widget";
import { adoptStyles } from "./ui/widget-styles";

export interface MountOptions extends WidgetAppearance {
  /** Origin of the edgechat worker, e.g. "https://chat.example.com". Defaults to the page's origin. */
  endpoint?: string;
  /** Full chat URL, to talk to any AI SDK backend; overrides `endpoint` for chatting. */
  api?: string;
  /** The bot to talk to. Its config (title, greeting, theme…) is loaded from the worker. */
  bot?: string;
  /** Start open. */
  open?: boolean;
  /** Keep the conversation across reloads and tabs (localStorage + BroadcastChannel). Default true. */
  persist?: boolean;
  /** Show thumbs up/down under answers (posted to /v1/feedback). Default: true when `bot` is set. */
  feedback?: boolean;
  /** The fetch to use (defaults to the global one). */
  fetch?: typeof fetch;
}

/** Events a mounted widget reports. */
export interface WidgetEvents {
  open: void;
  close: void;
  /** An answer finished streaming. */
  message: ChatMessage;
  /** A turn failed; the text shown to the visitor. */
  error: string;
}

export interface WidgetHandle {
  /** The headless client behind the widget. */
  client: ChatClient;
  /** Opens the chat panel. */
  open(): void;
  /** Closes the chat panel. */
  close(): void;
  /** Opens the panel and sends `text` as the visitor. */
  send(text: string): Promise<void>;
  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof WidgetEvents>(event: K, listener: (detail: WidgetEvents[K]) => void): () => void;
  /** Removes the widget and everything it drew; stops its stream and tab sync. */
  destroy(): void;
}

const mounted = new WeakMap<Element, WidgetHandle>();

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Mounts the chat widget into `element`, inside a shadow root, so the host page's styles
 * and the widget's never meet. Mounting the same element twice returns the first handle.
 * Importing `edgechat` has no side effects; only this call touches the page.
 *
 * @example
 * import { mount } from "edgechat";
 * const widget = mount(document.getElementById("chat")!, { endpoint: "https://chat.example.com", bot: "demo" });
 * widget.on("message", (message) => console.log("answered", message.id));
 * widget.open();
 */
export function mount(element: HTMLElement, options: MountOptions = {}): WidgetHandle {
  const existing = mounted.get(element);
  if (existing) return existing;
  const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  adoptStyles(root);
  const endpoint = options.endpoint ?? (options.api ? new URL(options.api, location.href).origin : location.origin);
  const workerOrigin = new URL(endpoint, location.href).origin;
  const key = `edgechat:${workerOrigin}:${options.bot ?? ""}`;
  const store = options.persist === false ? undefined : createSessionStore(key);
  const client = new ChatClient({
    api: options.api ?? new URL("/v1/chat", endpoint).href,
    botId: options.bot,
    fetch: options.fetch,
    onSession: (session) => store?.save(session),
  });
  const stopSync = options.persist === false ? () => {} : syncTabs(client, key);
  const saved = store?.load();
  if (saved) void client.resume(saved).then((ok) => ok || store?.clear());

  const listeners = new Map<string, Set<(detail: never) => void>>();
  const emit = <K extends keyof WidgetEvents>(event: K, detail: WidgetEvents[K]) =>
    listeners.get(event)?.forEach((listener) => (listener as (detail: WidgetEvents[K]) => void)(detail));
  let lastStatus = client.snapshot.status;
  const unsubscribe = client.subscribe((state) => {
    if (state.status !== lastStatus) {
      const last = state.messages[state.messages.length - 1];
      if (state.status === "ready" && lastStatus === "streaming" && last?.role === "assistant") emit("message", last);
      if (state.status === "error") emit("error", state.error ?? "");
      lastStatus = state.status;
    }
  });

  let isOpen = !!options.open;
  let config: BotConfig = {};
  let destroyed = false;
  const setOpen = (open: boolean) => {
    if (open === isOpen) return;
    isOpen = open;
    emit(open ? "open" : "close", undefined);
    draw();
  };
  const draw = () => {
    if (destroyed) return;
    const appearance: WidgetAppearance = {
      title: config.title,
      greeting: config.greeting,
      starterQuestions: config.starterQuestions,
      aiNotice: config.aiNotice,
      avatar: config.avatar,
      showTierBadge: config.showTierBadge,
      primaryColor: config.theme?.primaryColor,
      theme: config.theme?.mode,
      ...defined(options),
    };
    render(
      <ChatWidget
        {...appearance}
        client={client}
        open={isOpen}
        onOpenChange={setOpen}
        onNewConversation={() => store?.clear()}
        workerOrigin={workerOrigin}
        feedback={options.feedback ?? !!options.bot}
      />,
      root,
    );
  };
  draw();
  if (options.bot && !options.api) {
    void loadBotConfig(endpoint, options.bot, options.fetch).then((loaded) => {
      config = loaded;
      draw();
    });
  }

  const handle: WidgetHandle = {
    client,
    open: () => setOpen(true),
    close: () => setOpen(false),
    send(text) {
      setOpen(true);
      return client.send(text);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
    destroy() {
      destroyed = true;
      mounted.delete(element);
      unsubscribe();
      stopSync();
      client.stop();
      render(null, root);
      root.adoptedStyleSheets = [];
    },
  };
  mounted.set(element, handle);
  return handle;
}
