import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdirSync } from "node:fs";
import { launchChromium } from "../support/browser";

const baseUrl = inject("baseUrl");
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync("test-results/screenshots", { recursive: true });
});
afterAll(async () => browser?.cleanup());

describe("the demo page with the script-tag widget", () => {
  it("serves the demo page and the widget script from the worker", async () => {
    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/widget.js"');
    const script = await fetch(`${baseUrl}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
  });

  it("opens, streams an answer over several render steps, and stays inside its shadow root", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/`);

    const launcher = page.locator("[data-edgechat] >> role=button[name=/open/i]");
    await launcher.click();
    const input = page.locator("[data-edgechat] >> textarea");
    await input.fill("How do I reset my password?");

    // Record the assistant's text each time the DOM changes while the answer streams in.
    await page.evaluate(() => {
      const root = document.querySelector("[data-edgechat]")!.shadowRoot!;
      const seen: number[] = [];
      (window as unknown as { seen: number[] }).seen = seen;
      new MutationObserver(() => {
        const answer = root.querySelector(".msg.assistant:not(.greeting)");
        if (answer) seen.push(answer.textContent?.length ?? 0);
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
    await page.screenshot({ path: "test-results/screenshots/skeleton-open.png" });
    await input.press("Enter");

    const answer = page.locator("[data-edgechat] >> .msg.assistant:not(.greeting)");
    await answer.waitFor();
    await page.waitForFunction(() => {
      const root = document.querySelector("[data-edgechat]")!.shadowRoot!;
      return root.querySelector(".msg.assistant:not(.greeting)")?.getAttribute("data-state") === "done";
    });
    const text = await answer.textContent();
    expect(text).toContain("How do I reset my password?");
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    const distinct = [...new Set(seen.filter((length) => length > 0))];
    expect(distinct.length).toBeGreaterThanOrEqual(5);
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b));
    await page.screenshot({ path: "test-results/screenshots/skeleton-answered.png" });

    // Nothing of the widget outside its shadow root: one host element, no styles in <head>,
    // no document-level stylesheets, no inline style on the host.
    const outside = await page.evaluate(() => ({
      otherBodyChildren: [...document.body.children].filter((e) => !e.hasAttribute("data-edgechat")).map((e) => e.tagName),
      headElements: [...document.head.children].map((e) => e.tagName),
      hosts: document.querySelectorAll("[data-edgechat]").length,
      adopted: document.adoptedStyleSheets.length,
      styleSheets: [...document.styleSheets].map((sheet) => sheet.href),
      hostStyle: document.querySelector("[data-edgechat]")!.getAttribute("style"),
      lightChildren: document.querySelector("[data-edgechat]")!.childNodes.length,
    }));
    // The page's own markup is untouched: <main> and the script tag in <body>, nothing added to <head>.
    expect(outside.otherBodyChildren).toEqual(["MAIN", "SCRIPT"]);
    expect(outside.headElements).toEqual(["META", "META", "TITLE", "LINK"]);
    expect(outside.hosts).toBe(1);
    expect(outside.adopted).toBe(0);
    expect(outside.styleSheets).toEqual([`${baseUrl}/demo.css`]);
    expect(outside.hostStyle).toBeNull();
    expect(outside.lightChildren).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
