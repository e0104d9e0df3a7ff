import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

/** The console's pages. Issues 10 and 11 add theirs here and in BOT_PAGES (components/bot-tabs.tsx). */
export type ConsoleRoute =
  | { page: "sign-in"; next?: string }
  | { page: "invite" }
  | { page: "bots" }
  | { page: "new-bot" }
  | { page: "bot"; botId: string; section: BotSection }
  | { page: "conversation"; botId: string; sessionId: string }
  | { page: "members" }
  | { page: "api-keys" }
  | { page: "not-found" };

/** The pages of one bot; "settings" is /admin/bots/:id itself. */
export type BotSection = "settings" | "documents" | "analytics" | "conversations" | "corrections" | "sources";
const BOT_SECTIONS: readonly BotSection[] = ["settings", "documents", "analytics", "conversations", "corrections", "sources"];

/**
 * Reads a console route from a location's path and query.
 *
 * @example
 * parseConsoleRoute("/admin/bots/demo/documents") // { page: "bot", botId: "demo", section: "documents" }
 */
export function parseConsoleRoute(pathname: string, search = ""): ConsoleRoute {
  const parts = pathname.replace(/\/+$/, "").split("/").slice(1);
  if (parts[0] !== "admin") return { page: "not-found" };
  const [, first, second, third, ...rest] = parts.map((part) => safeDecode(part));
  if (first === undefined) return { page: "bots" };
  if (first === "sign-in" && second === undefined) {
    const next = new URLSearchParams(search).get("next") ?? undefined;
    return { page: "sign-in", next: next && isConsolePath(next) ? next : undefined };
  }
  if (first === "invite" && second === undefined) return { page: "invite" };
  if (first === "members" && second === undefined) return { page: "members" };
  if (first === "api-keys" && second === undefined) return { page: "api-keys" };
  if (first === "bots" && second === "new" && third === undefined) return { page: "new-bot" };
  if (first === "bots" && second && rest.length === 0) {
    const section = (third ?? "settings") as BotSection;
    if (third !== "settings" && BOT_SECTIONS.includes(section)) return { page: "bot", botId: second, section };
  }
  if (first === "bots" && second && third === "conversations" && rest.length === 1 && rest[0]) return { page: "conversation", botId: second, sessionId: rest[0] };
  return { page: "not-found" };
}

/** The path of a bot's page. */
export function botPath(botId: string, section: BotSection = "settings"): string {
  return `/admin/bots/${encodeURIComponent(botId)}${section === "settings" ? "" : `/${section}`}`;
}

/** The page of one conversation of a bot (its transcript). */
export function conversationPath(botId: string, sessionId: string): string {
  return `${botPath(botId, "conversations")}/${encodeURIComponent(sessionId)}`;
}

/** Whether `path` is a console page of this origin (so a `next=` parameter cannot send anyone elsewhere). */
export function isConsolePath(path: string): boolean {
  return /^\/admin(\/[\w\-./%]*)?(\?[^#]*)?$/.test(path) && !path.includes("//") && !path.includes("/..");
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return "\u0000";
  }
}

const listeners = new Set<() => void>();
addEventListener("popstate", () => listeners.forEach((listener) => listener()));

/** Goes to a console page without reloading (History API). */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  listeners.forEach((listener) => listener());
}

/** The current location, re-rendering on navigation. */
export function useLocation(): { pathname: string; search: string } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { pathname: location.pathname, search: location.search };
}

/** A link that navigates inside the console (a plain link for new tabs and modified clicks). */
export function Link({ href, children, ...props }: { href: string; children: ComponentChildren; class?: string; "aria-current"?: "page"; "aria-label"?: string }) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...props}>
      {children}
    </a>
  );
}
