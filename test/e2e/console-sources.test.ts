import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { launchChromium } from "../support/browser";
import { DESKTOP, PHONE, consoleAxeViolations, consoleScreenshotDir, cspViolations, recordCspViolations } from "../support/console-page";

// The console's Sources page against the real worker (`wrangler dev`: its queue consumer, D1, the SSRF guard
// allowing only the fixture website) in Chromium: add a crawl with limits, watch its progress while the page
// polls, read the report with its problem pages, see each document's source, sync again, cancel, remove.
const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");
const site = inject("fixtureSiteUrl");
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** A fresh bot and a signed-in editor of it: the console session cookie put into `context`. */
async function editorOf(context: BrowserContext): Promise<string> {
  const botId = `sources-${Date.now().toString(36)}`;
  expect((await admin("POST", "/v1/admin/bots", { id: botId, name: "Sources bot" })).status).toBe(201);
  const invited = (await (await admin("POST", "/v1/admin/members/invitations", { name: `editor-${botId}`, role: "editor", bots: [botId] })).json()) as { invitation: { url: string } };
  const accepted = await fetch(`${baseUrl}/v1/console/invitations/accept`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ token: invited.invitation.url.split("#")[1], password: "a long enough password" }),
  });
  expect(accepted.status).toBe(200);
  const [name, value] = accepted.headers.get("set-cookie")!.split(";")[0]!.split("=");
  await context.addCookies([{ name: name!, value: value!, url: baseUrl }]);
  return botId;
}

describe("the console's Sources page", () => {
  it("adds a crawl with limits, shows its progress and report, the documents' source, syncs again, cancels and removes", { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(20_000);
    await recordCspViolations(context);
    const botId = await editorOf(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // When the page asks for the sources: it polls while a sync runs, every few seconds and no faster.
    const listRequests: number[] = [];
    page.on("request", (request) => {
      if (request.method() === "GET" && new URL(request.url()).pathname === `/v1/console/bots/${botId}/sources`) listRequests.push(Date.now());
    });
    const shot = (step: string) => page.screenshot({ path: `${consoleScreenshotDir()}/sources-${step}.png`, fullPage: true, animations: "disabled" });

    await page.goto(`${baseUrl}/admin/bots/${botId}`);
    await page.click("nav[aria-label='Bot pages'] a:text('Sources')");
    await expect.poll(() => page.url()).toBe(`${baseUrl}/admin/bots/${botId}/sources`);
    await page.locator("text=No sources yet").waitFor();

    // The client checks the form; the worker refuses a private address with its reason next to the field.
    await page.selectOption("#source-kind", "crawl");
    await page.fill("#source-url", "not a url");
    await page.fill("#source-max-pages", "0");
    await page.click("button:text('Add and sync')");
    await expect.poll(() => page.locator("#source-url-error").textContent()).toContain("http:// or https://");
    await expect.poll(() => page.locator("#source-max-pages-error").textContent()).toContain("1 to 5,000");
    await page.fill("#source-url", "http://169.254.169.254/latest/meta-data/");
    await page.fill("#source-max-pages", "60");
    await page.click("button:text('Add and sync')");
    await expect.poll(() => page.locator("#source-url-error").textContent()).toContain("will not be fetched");
    expect(((await (await admin("GET", `/v1/admin/bots/${botId}/sources`)).json()) as { sources: unknown[] }).sources).toEqual([]);

    // A crawl of the fixture site, 60 pages at most, weekly.
    await page.fill("#source-url", `${site}/docs/index.html`);
    await page.selectOption("#source-schedule", "weekly");
    await page.fill("#source-max-depth", "3");
    await page.click("button:text('Add and sync')");
    const item = page.locator("li.source", { hasText: `${site}/docs/index.html` });
    await item.waitFor();
    expect(await item.locator(".source-meta").textContent()).toContain("Weekly sync");
    expect(await item.locator(".source-meta").textContent()).toContain("up to 60 pages, depth 3");
    // While it runs: a progress bar that moves, and a cancel button instead of "Sync now".
    await item.locator("progress").waitFor();
    await item.locator("button:text('Cancel sync')").waitFor();
    await expect.poll(() => item.locator(".sync-progress span").textContent()).toMatch(/^([1-9]\d*) of (\d+) pages$/);
    await shot("running");
    await item.locator(".badge.ready:text('Synced')").waitFor({ timeout: 150_000 });
    await shot("synced");

    const counts = async () => Object.fromEntries(await item.locator(".sync-counts div").evaluateAll((rows) => rows.map((row) => [row.querySelector("dt")!.textContent, Number(row.querySelector("dd")!.textContent)])));
    expect(await counts()).toMatchObject({ found: 60, indexed: 59, duplicates: 1, failed: 0 });
    // The problem page and its reason: the nav's page-1.html?ref=nav, whose canonical URL is page-1.html.
    await item.locator("summary:text('1 page with problems')").click();
    expect(await item.locator(".problems tbody tr").allTextContents()).toEqual([`${site}/docs/page-1.html?ref=navduplicatecanonical URL is ${site}/docs/page-1.html`]);
    await shot("report");
    expect(await consoleAxeViolations(page, baseUrl)).toEqual([]);
    // On a phone: the same report, nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await shot("phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize(DESKTOP);

    // Polling: more than once while the sync ran, at least SYNC_POLL_MS (3 s) apart, and not after it ended.
    const polls = listRequests.slice(1);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    const gaps = polls.slice(1).map((at, i) => at - polls[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2900);
    const settled = listRequests.length;
    await page.waitForTimeout(3500);
    expect(listRequests.length).toBe(settled);

    // Documents name their source.
    await page.click("nav[aria-label='Bot pages'] a:text('Documents')");
    await page.locator(".documents-table").waitFor();
    expect(await page.locator(".documents-table tbody tr").count()).toBe(59);
    await expect.poll(() => page.locator(".documents-table tbody tr .doc-from").first().textContent()).toBe(`From crawl ${site}/docs/index.html`);
    await shot("documents");

    // Sync again: nothing changed on the site, so the pages are unchanged. (A crawl cut by its page limit may reach
    // a few other pages this time, in another order: those are indexed and the ones not reached removed.)
    await page.click("nav[aria-label='Bot pages'] a:text('Sources')");
    type Listed = { sources: { id: string; url: string; lastSyncId: string | null; sync: { status: string } }[] };
    const listed = async () => ((await (await admin("GET", `/v1/admin/bots/${botId}/sources`)).json()) as Listed).sources[0]!;
    const firstSyncId = (await listed()).lastSyncId;
    await item.locator("button:text('Sync now')").click();
    await expect.poll(async () => { const source = await listed(); return source.lastSyncId !== firstSyncId && source.sync.status === "completed"; }, { timeout: 150_000 }).toBe(true);
    await item.locator(".badge.ready:text('Synced')").waitFor({ timeout: 20_000 });
    await page.reload();
    await item.locator(".badge.ready:text('Synced')").waitFor();
    const again = (await counts()) as { found: number; indexed: number; unchanged: number; duplicates: number; failed: number; removed: number };
    expect(again).toMatchObject({ found: 60, failed: 0 });
    expect(again.unchanged).toBeGreaterThanOrEqual(40);
    expect(again.indexed + again.unchanged + again.duplicates).toBe(60);
    expect(again.removed).toBe(again.indexed);

    // A sitemap of the whole site, cancelled while it runs.
    await page.selectOption("#source-kind", "sitemap");
    await page.fill("#source-url", `${site}/sitemap.xml`);
    await page.click("button:text('Add and sync')");
    const sitemap = page.locator("li.source", { hasText: `${site}/sitemap.xml` });
    await sitemap.locator("button:text('Cancel sync')").click();
    await sitemap.locator(".badge:text('Cancelled')").waitFor();
    await sitemap.locator("button:text('Sync now')").waitFor();
    await shot("cancelled");

    // Remove both: their documents go with them.
    page.on("dialog", (dialog) => void dialog.accept());
    await sitemap.locator("button:text('Remove')").click();
    await sitemap.waitFor({ state: "detached" });
    await item.locator("button:text('Remove')").click();
    await page.locator("text=No sources yet").waitFor();
    const documents = (await (await admin("GET", `/v1/admin/bots/${botId}/documents`)).json()) as { documents: unknown[] };
    expect(documents.documents).toEqual([]);

    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
