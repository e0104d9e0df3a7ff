// The script-tag build: <script src="https://<worker>/widget.js" data-bot="…" async></script>.
// It reads its options from the tag's data- attributes and mounts one widget per tag.
import { mount, type MountOptions, type WidgetHandle } from "./mount";

interface EdgechatGlobal {
  init(options?: MountOptions): WidgetHandle;
  widgets: WidgetHandle[];
}

declare global {
  interface Window {
    edgechat?: EdgechatGlobal;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;

function init(options: MountOptions = {}): WidgetHandle {
  const host = document.createElement("div");
  host.setAttribute("data-edgechat", options.bot ?? "");
  document.body.append(host);
  const handle = mount(host, { endpoint: scriptOrigin, ...options });
  global.widgets.push(handle);
  return handle;
}

const global: EdgechatGlobal = window.edgechat ?? { init, widgets: [] };
window.edgechat = global;

if (script && script.dataset.bot !== undefined && !script.hasAttribute("data-edgechat-mounted")) {
  script.setAttribute("data-edgechat-mounted", "");
  const { bot, endpoint, title, open } = script.dataset;
  const start = () => global.init({ bot, endpoint, title, open: open === "true" });
  if (document.body) start();
  else addEventListener("DOMContentLoaded", start, { once: true });
}
