// A single-page app with client-side routing that uses edgechat the way an npm user does:
// `npm install edgechat`, then `import { mount } from "edgechat"`. The widget is mounted once,
// outside the routed content, so an open conversation survives every route change.
import { mount } from "edgechat";

const base = import.meta.env.BASE_URL.replace(/\/$/, "");
const pages: Record<string, { title: string; text: string }> = {
  "/": { title: "Acme Cloud", text: "Welcome. The chat in the corner answers questions about Acme." },
  "/pricing": { title: "Pricing", text: "Free, Pro and Enterprise plans." },
  "/docs": { title: "Docs", text: "Guides and references for Acme Cloud." },
};

const widget = mount(document.getElementById("chat")!, {
  // The worker's origin; by default the page's own (as when the worker serves this app).
  endpoint: import.meta.env.VITE_EDGECHAT_ENDPOINT || location.origin,
  bot: "demo",
  title: "Acme help",
});
widget.on("message", (message) => console.debug("edgechat answered", message.id));

function show(path: string): void {
  const page = pages[path] ?? { title: "Not found", text: "No such page." };
  const main = document.getElementById("page")!;
  const heading = document.createElement("h1");
  heading.textContent = page.title;
  const paragraph = document.createElement("p");
  paragraph.textContent = page.text;
  main.replaceChildren(heading, paragraph);
  document.title = `${page.title} · edgechat SPA example`;
}

document.addEventListener("click", (event) => {
  const link = (event.target as Element).closest<HTMLAnchorElement>("a[data-route]");
  if (!link) return;
  event.preventDefault();
  history.pushState(null, "", base + link.dataset.route);
  show(link.dataset.route!);
});
addEventListener("popstate", () => show(location.pathname.slice(base.length) || "/"));
show(location.pathname.slice(base.length) || "/");
