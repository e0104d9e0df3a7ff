import { describe, expect, it } from "vitest";

// router.tsx listens to popstate on import: give it a minimal window for Node.
(globalThis as Record<string, unknown>).addEventListener ??= () => {};
const { botPath, conversationPath, isConsolePath, parseConsoleRoute } = await import("./router");

describe("parseConsoleRoute", () => {
  it.each([
    ["/admin", { page: "bots" }],
    ["/admin/", { page: "bots" }],
    ["/admin/sign-in", { page: "sign-in", next: undefined }],
    ["/admin/invite", { page: "invite" }],
    ["/admin/members", { page: "members" }],
    ["/admin/api-keys", { page: "api-keys" }],
    ["/admin/bots/new", { page: "new-bot" }],
    ["/admin/bots/demo", { page: "bot", botId: "demo", section: "settings" }],
    ["/admin/bots/demo/documents", { page: "bot", botId: "demo", section: "documents" }],
    ["/admin/bots/demo/analytics", { page: "bot", botId: "demo", section: "analytics" }],
    ["/admin/bots/demo/conversations", { page: "bot", botId: "demo", section: "conversations" }],
    ["/admin/bots/demo/conversations/s-1", { page: "conversation", botId: "demo", sessionId: "s-1" }],
    ["/admin/bots/demo/conversations/s-1/x", { page: "not-found" }],
    ["/admin/bots/demo/documents/s-1", { page: "not-found" }],
    ["/admin/bots/demo/corrections", { page: "bot", botId: "demo", section: "corrections" }],
    ["/admin/bots/demo/sources", { page: "bot", botId: "demo", section: "sources" }],
    ["/admin/bots/demo/settings", { page: "not-found" }],
    ["/admin/bots/demo/nope", { page: "not-found" }],
    ["/admin/bots/demo/analytics/x", { page: "not-found" }],
    ["/admin/whatever", { page: "not-found" }],
    ["/elsewhere", { page: "not-found" }],
  ])("%s", (path, route) => {
    expect(parseConsoleRoute(path)).toEqual(route);
  });

  it("keeps only a console path as the page to return to after signing in", () => {
    expect(parseConsoleRoute("/admin/sign-in", "?next=%2Fadmin%2Fbots%2Fdemo")).toEqual({ page: "sign-in", next: "/admin/bots/demo" });
    for (const next of ["https://evil.test/admin", "//evil.test/admin", "/admin//evil.test", "/admin/../x", "javascript:alert(1)", "/administrator"]) {
      expect(parseConsoleRoute("/admin/sign-in", `?next=${encodeURIComponent(next)}`)).toEqual({ page: "sign-in", next: undefined });
    }
    expect(isConsolePath("/admin")).toBe(true);
  });

  it("builds bot paths that round-trip", () => {
    expect(botPath("demo")).toBe("/admin/bots/demo");
    expect(parseConsoleRoute(botPath("a-b", "documents"))).toEqual({ page: "bot", botId: "a-b", section: "documents" });
    expect(parseConsoleRoute(conversationPath("a-b", "s/1 ?"))).toEqual({ page: "conversation", botId: "a-b", sessionId: "s/1 ?" });
  });
});
