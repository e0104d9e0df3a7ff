// The script-tag build: <script src="https://<worker>/widget.js" data-bot="…" async></script>.
// It reads its options from the tag's data- attributes and mounts one widget per bot. Its only
// global is `window.edgechat`; loading the script twice reuses it and never mounts twice.
import { mount, type MountOptions, type WidgetHandle } from "./mount";

interface EdgechatGlobal {
  /** Mounts a widget (or returns the one already mounted for the same id, or endpoint and bot). */
  init(options?: ScriptOptions): WidgetHandle;
  widgets: WidgetHandle[];
}

declare global {
  interface Window {
    edgechat?: EdgechatGlobal;
  }
}

/** Script-tag options: mount's, plus an id to tell widgets apart and `layout: "page"` for a full-page chat. */
type ScriptOptions = MountOptions & { id?: string; layout?: "page" };

const script = document.currentScript as HTMLScriptElement | null;
const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;

function createGlobal(): EdgechatGlobal {
  const byKey = new Map<string, WidgetHandle>();
  const global: EdgechatGlobal = {
    widgets: [],
    init(options = {}) {
      const settings = { ...options, endpoint: options.endpoint ?? scriptOrigin };
      const key = options.id ?? `${settings.endpoint}|${settings.bot ?? ""}`;
      const existing = byKey.get(key);
      if (existing) return existing;
      const host = document.createElement("div");
      host.setAttribute("data-edgechat", settings.bot ?? "");
      // The stylesheet inside the shadow root reads this through :host([data-layout=page]).
      if (options.layout === "page") host.setAttribute("data-layout", "page");
      document.body.append(host);
      const handle = mount(host, settings);
      const destroy = handle.destroy;
      handle.destroy = () => {
        destroy();
        host.remove();
        byKey.delete(key);
        global.widgets.splice(global.widgets.indexOf(handle), 1);
      };
      byKey.set(key, handle);
      global.widgets.push(handle);
      return handle;
    },
  };
  return global;
}

/** Options from data- attributes: data-bot, data-title, data-theme, data-primary-color, data-starter-questions="a|b"… */
function optionsFrom(data: DOMStringMap): ScriptOptions {
  const flag = (value: string | undefined) => (value === undefined ? undefined : value !== "false");
  const options: ScriptOptions = {
    id: data.id,
    layout: data.layout === "page" ? "page" : undefined,
    bot: data.bot,
    endpoint: data.endpoint,
    api: data.api,
    title: data.title,
    greeting: data.greeting,
    starterQuestions: data.starterQuestions?.split("|").map((q) => q.trim()).filter(Boolean),
    aiNotice: data.aiNotice === "false" ? false : data.aiNotice,
    avatar: data.avatar,
    locale: data.locale,
    theme: data.theme as MountOptions["theme"],
    primaryColor: data.primaryColor,
    position: data.position as MountOptions["position"],
    showTierBadge: flag(data.showTierBadge),
    debug: flag(data.debug),
    open: flag(data.open),
    persist: flag(data.persist),
    feedback: flag(data.feedback),
  };
  for (const key of Object.keys(options) as (keyof typeof options)[]) if (options[key] === undefined) delete options[key];
  return options;
}

const global = window.edgechat ?? createGlobal();
window.edgechat = global;

if (script && script.dataset.bot !== undefined && !script.hasAttribute("data-edgechat-mounted")) {
  script.setAttribute("data-edgechat-mounted", "");
  const options = optionsFrom(script.dataset);
  const start = () => global.init(options);
  if (document.body) start();
  else addEventListener("DOMContentLoaded", start, { once: true });
}
