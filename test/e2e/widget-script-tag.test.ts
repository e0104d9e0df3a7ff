import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { W, answerChunks, sse, screenshotDir } from "../support/widget-page";

// The script-tag bundle served by the real worker (`wrangler dev`), on host pages with a strict
// Content-Security-Policy. The host pages themselves are served by route interception on the
// worker's origin, so the policy header is exactly the one under test.
const baseUrl = inject("baseUrl");
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

async function hostPage(html: string): Promise<{ page: Page; violations: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  context.setDefaultTimeout(15_000);
  await context.route(`${baseUrl}/host.html`, (route) =>
    route.fulfill({ body: html, contentType: "text/html", headers: { "content-security-policy": STRICT_CSP } }),
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && /Content Security Policy/i.test(message.text()) && errors.push(message.text()));
  // Recorded from the first script on: every securitypolicyviolation event of the page.
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { violations: string[] }).violations = violations;
    document.addEventListener("securitypolicyviolation", (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(`${baseUrl}/host.html`);
  return { page, errors, violations: [] };
}

const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>strict host</title></head><body><main><h1>Strict CSP host</h1></main>${body}</body></html>`;
const violationsOf = (p: Page) => p.evaluate(() => (window as unknown as { violations: string[] }).violations);

describe("the script-tag widget under a strict CSP, against the real worker", () => {
  it("mounts, streams an answer, shows citations, with no CSP violation", async () => {
    const { page: p, errors } = await hostPage(page(`<script src="/widget.js" data-bot="demo" data-title="Strict help" async></script>`));
    await p.locator(`${W} >> .launcher`).click();
    expect(await p.locator(`${W} >> h2`).textContent()).toBe("Strict help");
    // Styles apply (constructable stylesheet): the launcher was round and the header is coloured.
    expect(await p.locator(`${W} >> .header`).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(36, 86, 214)");
    await p.locator(`${W} >> textarea`).fill("How do I reset my password?");
    await p.locator(`${W} >> textarea`).press("Enter");
    // Streaming from the real worker: catch it mid-answer for the screenshot.
    await p.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=streaming] .md`).waitFor();
    await p.screenshot({ path: `${screenshotDir()}/streaming-light.png`, animations: "disabled" });
    // The live region is busy while tokens arrive, so screen readers announce the answer once.
    expect(await p.locator(`${W} >> [role=log]`).getAttribute("aria-busy")).toBe("true");
    await p.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
    expect(await p.locator(`${W} >> [role=log]`).getAttribute("aria-busy")).toBe("false");
    expect(await p.locator(`${W} >> .msg.assistant:not(.greeting)`).textContent()).toContain("How do I reset my password?");

    // A cited answer (canned: citations come from the RAG issue's worker side).
    await p.route(`${baseUrl}/v1/chat`, (route) =>
      route.fulfill({
        headers: { "content-type": "text/event-stream" },
        body: sse(answerChunks(["Open Settings and choose Reset [1]."], [{ type: "source-url", sourceId: "s1", url: "https://docs.acme.test/reset", title: "Reset guide" }])),
      }),
    );
    await p.locator(`${W} >> textarea`).fill("And with citations?");
    await p.locator(`${W} >> textarea`).press("Enter");
    await expect.poll(() => p.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).count()).toBe(2);
    expect(await p.locator(`${W} >> .sources a`).textContent()).toBe("Reset guide");
    expect(await p.locator(`${W} >> sup.cite a`).getAttribute("href")).toBe("https://docs.acme.test/reset");
    expect(await violationsOf(p)).toEqual([]);
    expect(errors).toEqual([]);
    // The listener does catch violations: an inline style attribute is one.
    await p.evaluate(() => document.body.setAttribute("style", "color: red"));
    await expect.poll(() => violationsOf(p)).toEqual([expect.stringContaining("style-src")]);
    await p.context().close();
  });

  it("mounts once when the script is loaded twice, several bots side by side, and window.edgechat.init", async () => {
    const { page: p, errors } = await hostPage(
      page(
        `<script src="/widget.js" data-bot="demo" async></script>` +
          `<script src="/widget.js" data-bot="demo" async></script>` +
          `<script src="/widget.js" data-bot="sales" data-position="left" data-title="Sales" async></script>`,
      ),
    );
    await expect.poll(() => p.locator("[data-edgechat]").count()).toBe(2);
    await p.waitForTimeout(300);
    // async scripts run in whichever order they arrive
    expect((await p.locator("[data-edgechat]").evaluateAll((hosts) => hosts.map((h) => h.getAttribute("data-edgechat")))).sort()).toEqual(["demo", "sales"]);
    const viaInit = await p.evaluate(() => {
      const edgechat = (window as unknown as { edgechat: { init(o: object): { open(): void }; widgets: unknown[] } }).edgechat;
      const again = edgechat.init({ bot: "demo" }); // same bot and endpoint: the existing widget
      const third = edgechat.init({ bot: "support", title: "Support", position: "left", id: "third" });
      third.open();
      return { same: edgechat.widgets.includes(again) && edgechat.widgets.filter((w) => w === again).length === 1, count: edgechat.widgets.length };
    });
    expect(viaInit).toEqual({ same: true, count: 3 });
    await p.locator(`[data-edgechat=support] >> h2`).waitFor();
    expect(await p.locator(`[data-edgechat=support] >> h2`).textContent()).toBe("Support");
    // Each widget has its own state: opening one leaves the others closed.
    expect(await p.locator(`[data-edgechat=demo] >> .launcher`).count()).toBe(1);
    expect(await p.locator(`[data-edgechat=sales] >> .launcher`).count()).toBe(1);
    // Nothing outside the shadow roots: no <style>, no adopted sheets on the document, one global.
    const outside = await p.evaluate(() => ({
      styles: document.querySelectorAll("style, link[rel=stylesheet]").length,
      adopted: document.adoptedStyleSheets.length,
      globals: Object.keys(window).filter((key) => key.toLowerCase().includes("edgechat")),
    }));
    expect(outside).toEqual({ styles: 0, adopted: 0, globals: ["edgechat"] });
    expect(await violationsOf(p)).toEqual([]);
    expect(errors).toEqual([]);
    await p.context().close();
  });

  it("streams in the dark theme and the stop button keeps what arrived", async () => {
    const { page: p } = await hostPage(page(`<script src="/widget.js" data-bot="demo" data-theme="dark" data-open="true" async></script>`));
    await p.locator(`${W} >> textarea`).fill("Tell me about the dark theme");
    await p.locator(`${W} >> textarea`).press("Enter");
    await p.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=streaming] .md`).waitFor();
    // Stop first, then the screenshot: on a loaded machine a screenshot taken mid-stream could outlast the
    // whole answer, and the Stop button is gone once it has finished.
    await p.locator(`${W} >> button.send`, { hasText: "Stop" }).click();
    await p.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=stopped]`).waitFor();
    await p.screenshot({ path: `${screenshotDir()}/stopped-dark.png`, animations: "disabled" });
    const kept = await p.locator(`${W} >> .msg.assistant:not(.greeting) .md`).textContent();
    expect(kept!.length).toBeGreaterThan(0);
    expect(await p.locator(`${W} >> button.send`).textContent()).toBe("Send");
    expect(await violationsOf(p)).toEqual([]);
    await p.context().close();
  });
});
