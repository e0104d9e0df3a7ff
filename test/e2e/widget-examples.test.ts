import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "../support/browser";
import { newTestPage } from "../support/widget-page";

// The built examples (npm run build:examples), served by the real worker at /examples/<name>/,
// importing `edgechat` as npm users do.
const baseUrl = inject("baseUrl");
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

describe("the examples", () => {
  it("SPA: the widget stays mounted, open and with its conversation across client-side route changes", async () => {
    const { context, page, errors } = await newTestPage(browser);
    await page.goto(`${baseUrl}/examples/spa/`);
    await page.locator(`#chat >> .launcher`).click();
    await page.locator(`#chat >> textarea`).fill("Hello from the SPA");
    await page.locator(`#chat >> textarea`).press("Enter");
    await page.locator(`#chat >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
    const host = await page.locator("#chat").elementHandle();
    await page.getByRole("link", { name: "Pricing" }).click();
    expect(await page.locator("h1").textContent()).toBe("Pricing");
    expect(page.url()).toBe(`${baseUrl}/examples/spa/pricing`);
    expect(await page.locator("#chat").evaluate((el, original) => el === original, host)).toBe(true);
    expect(await page.locator(`#chat >> .msg.user`).textContent()).toContain("Hello from the SPA");
    expect(await page.locator(`#chat >> [role=dialog]`).count()).toBe(1);
    await page.goBack();
    expect(await page.locator("h1").textContent()).toBe("Acme Cloud");
    expect(await page.locator(`#chat >> .msg.assistant:not(.greeting)`).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("React: mounts from a ref (also under StrictMode's double effects) and reports answers", async () => {
    const { context, page, errors } = await newTestPage(browser);
    await page.goto(`${baseUrl}/examples/react/`);
    await page.locator(`#root >> .launcher`).click();
    expect(await page.locator("#root >> .panel").count()).toBe(1); // one widget, not two
    await page.locator(`#root >> .panel textarea`).fill("Hello from React");
    await page.locator(`#root >> .panel textarea`).press("Enter");
    await expect.poll(() => page.locator("main > p").textContent(), { timeout: 15_000 }).toBe("Answers received: 1"); // either tier
    expect(errors).toEqual([]);
    await context.close();
  });

  it("custom UI: the headless client streams an answer into the page's own markup", async () => {
    const { context, page } = await newTestPage(browser);
    await page.goto(`${baseUrl}/examples/custom-ui/`);
    await page.locator("#question").fill("Hello headless");
    await page.locator("#question").press("Enter");
    // The router may send this short message to the large tier, whose offline answer streams longer.
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 15_000 }).toBe("ready");
    const items = await page.locator("#messages li").allTextContents();
    expect(items[0]).toBe("user: Hello headless");
    expect(items[1]).toMatch(/^assistant: .+/);
    await context.close();
  });
});
