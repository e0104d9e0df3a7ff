import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { SITE, W, answerChunks, installFakeWorker, scriptTagPage } from "../support/widget-page";
import { XSS_PAYLOADS } from "../support/xss-payloads";

let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

describe("the widget renders hostile text inert", () => {
  it(`has a corpus of at least 40 payloads (${XSS_PAYLOADS.length})`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(40);
  });

  it("through model output, document titles, source URLs and image prompts: no dialog, no script, no foreign request", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const fake = await installFakeWorker(context);
    fake.pages.set("/", scriptTagPage('data-bot="demo"'));
    const text = XSS_PAYLOADS.join("\n\n");
    fake.answers = [
      answerChunks(
        // Streamed in small pieces, so payloads are also split across deltas.
        text.match(/[^]{1,7}/g)!,
        [
          ...XSS_PAYLOADS.map((payload, index) => ({ type: "source-url", sourceId: `s${index}`, url: index % 2 ? "javascript:window.__pwned('source-url')" : "https://docs.test/ok", title: payload })),
          ...XSS_PAYLOADS.slice(0, 5).map((payload, index) => ({ type: "data-image", id: `img${index}`, data: { state: "done", url: index % 2 ? "https://evil.test/i.png" : "/v1/images/ok", prompt: payload } })),
          { type: "file", url: "https://evil.test/file.png", mediaType: "image/png" },
          { type: "file", url: "data:image/svg+xml,<svg onload=window.__pwned('file')>", mediaType: "image/svg+xml" },
        ],
      ),
    ];
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.addInitScript(() => {
      const pwned: string[] = [];
      Object.defineProperty(window, "__pwned", { value: (what: string) => pwned.push(what) });
      Object.defineProperty(window, "__pwnedList", { value: pwned });
    });
    await page.goto(`${SITE}/`);
    await page.locator(`${W} >> .launcher`).click();
    await page.locator(`${W} >> textarea`).fill(XSS_PAYLOADS.slice(0, 10).join(" ")); // the visitor's own text too
    await page.locator(`${W} >> textarea`).press("Enter");
    await page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
    // Hover and click everything the widget drew, to fire any handler that might be there.
    const links = page.locator(`${W} >> .msg a`);
    for (let i = 0; i < (await links.count()); i++) await links.nth(i).hover();
    await page.waitForTimeout(300);

    const report = await page.evaluate(() => {
      const root = document.querySelector("[data-edgechat]")!.shadowRoot!;
      const all = [...root.querySelectorAll("*")];
      return {
        pwned: (window as unknown as { __pwnedList: string[] }).__pwnedList,
        dangerousElements: all.filter((e) => /^(script|iframe|object|embed|style|link|meta|base|form|input|svg|math|video|template|noscript|body)$/i.test(e.localName) && !e.closest("button") && !(e.localName === "form" && e.classList.contains("form"))).map((e) => e.localName).filter((name) => name !== "svg"),
        handlerAttributes: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.localName}[${a.name}]`)),
        hrefs: [...root.querySelectorAll("a")].map((a) => a.getAttribute("href")!),
        imageSources: [...root.querySelectorAll("img")].map((img) => img.getAttribute("src")!),
        svgOutsideIcons: [...root.querySelectorAll("svg")].filter((svg) => !svg.closest("button")).length,
        styledElements: all.filter((e) => e.hasAttribute("style") && !e.classList.contains("root") && e.localName !== "textarea").length,
        text: root.querySelector(".msg.assistant:not(.greeting)")!.textContent!,
      };
    });
    expect(dialogs).toEqual([]);
    expect(report.pwned).toEqual([]);
    expect(report.dangerousElements).toEqual([]);
    expect(report.handlerAttributes).toEqual([]);
    expect(report.svgOutsideIcons).toBe(0);
    expect(report.styledElements).toBe(0);
    for (const href of report.hrefs) expect(href).toMatch(/^(https?:|mailto:)/);
    expect(report.hrefs.some((href) => href.includes("evil.test") && /\.(png|js|css|swf)$/.test(href))).toBe(true); // shown as plain links, not loaded
    for (const src of report.imageSources) expect(src).toBe(`${SITE}/v1/images/ok`);
    expect(fake.foreignRequests).toEqual([]);
    // The payloads are visible to the visitor as text.
    expect(report.text).toContain("<script>window.__pwned('script')</script>");
    expect(report.text).toContain("<img src=x onerror=\"window.__pwned('img')\">");
    await context.close();
  });
});
