import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { callWorker, testEnv } from "../test-support/bot-fixtures";
import { CONSOLE_CSP } from "./console-page-route";

const worker = createEdgechatWorker();
const get = (path: string, bindings = testEnv, method = "GET") => callWorker(worker, new Request(`https://chat.example${path}`, { method }), bindings);

describe("GET /admin and /admin/*", () => {
  it.each(["/admin", "/admin/sign-in", "/admin/bots/demo/analytics", "/admin/invite"])("serves the console shell at %s under the strict CSP", async (path) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/admin/assets/console.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/admin/assets/console.css" />');
    // No inline code and no style attributes: the CSP would block them anyway.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it("keeps the policy strict: no inline script or style, no framing, no foreign connections", () => {
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    expect(CONSOLE_CSP).toContain("style-src 'self';");
    expect(CONSOLE_CSP).toContain("connect-src 'self';");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe|\*|https?:/);
  });

  it("hands /admin/assets/* to the static assets", async () => {
    const requested: string[] = [];
    const ASSETS = { fetch: async (request: Request) => (requested.push(new URL(request.url).pathname), new Response("console();", { headers: { "content-type": "text/javascript" } })) } as unknown as Fetcher;
    const response = await get("/admin/assets/console.js", { ...testEnv, ASSETS });
    expect(await response.text()).toBe("console();");
    expect(requested).toEqual(["/admin/assets/console.js"]);
    const missing = await get("/admin/assets/console.js", { ...testEnv, ASSETS: undefined });
    expect(missing.status).toBe(404);
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await get("/admin/members", testEnv, "HEAD");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await get("/admin/members", testEnv, "POST");
    expect(post.status).toBe(405);
  });
});
