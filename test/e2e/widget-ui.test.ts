import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium } from "../support/browser";
import { SITE, W, answerChunks, installFakeWorker, scriptTagPage, seriousAxeViolations, screenshotDir } from "../support/widget-page";

// The widget's behaviour in Chromium against canned worker responses (citations, images,
// feedback, config, accessibility, language, theme, mobile), with screenshots for review.
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const CITED_ANSWER = answerChunks(
  [
    "To reset your password, open **Settings → Security** and choose *Reset password* [1].\n\n",
    "1. Enter your email\n2. Follow the link we send [2]\n\n",
    "```sh\nacme reset --email you@example.com\n```\n\n| Plan | Resets per day |\n|---|--:|\n| Free | 3 |\n| Pro | 10 |",
  ],
  [
    { type: "source-url", sourceId: "s1", url: "https://docs.acme.test/security/reset", title: "Resetting your password" },
    { type: "source-url", sourceId: "s2", url: "https://docs.acme.test/account/email", title: "Email links" },
  ],
);

const IMAGE_ANSWER = [
  { type: "start", messageId: "img-1", messageMetadata: { model: "offline-small", tier: "small" } },
  { type: "data-image", id: "call-1", data: { state: "generating", prompt: "a lighthouse at dusk" } },
  { type: "text-start", id: "t" },
  { type: "text-delta", id: "t", delta: "Here is your picture." },
  { type: "text-end", id: "t" },
  { type: "data-image", id: "call-1", data: { state: "done", url: "/v1/images/abc123", mediaType: "image/png", prompt: "a lighthouse at dusk" } },
  { type: "file", url: "/v1/images/abc123", mediaType: "image/png" },
  { type: "finish" },
];

async function openPage(options: { attributes?: string; lang?: string; viewport?: { width: number; height: number }; colorScheme?: "light" | "dark"; reducedMotion?: "reduce" | "no-preference"; config?: Record<string, unknown>; answers?: unknown[][] } = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1024, height: 720 }, colorScheme: options.colorScheme ?? "light", reducedMotion: options.reducedMotion ?? "no-preference" });
  context.setDefaultTimeout(10_000);
  const fake = await installFakeWorker(context);
  fake.config = options.config;
  fake.answers = options.answers ?? [CITED_ANSWER];
  fake.pages.set("/", scriptTagPage(options.attributes ?? 'data-bot="demo"', { lang: options.lang }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${SITE}/`);
  await page.locator(`${W} >> .launcher`).waitFor();
  return { context, fake, page, errors };
}

async function ask(page: Page, question: string) {
  await page.locator(`${W} >> textarea`).fill(question);
  await page.locator(`${W} >> textarea`).press("Enter");
  await page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).last().waitFor();
}

describe("the widget UI", () => {
  it("renders Markdown, numbered clickable citations, a tier badge and feedback that reaches /v1/feedback", async () => {
    const { context, fake, page, errors } = await openPage({ config: { title: "Acme help", greeting: "Hi! Ask me anything about Acme.", starterQuestions: ["How do I reset my password?", "What plans exist?"], showTierBadge: true } });
    await page.screenshot({ path: `${screenshotDir()}/closed-light.png`, animations: "disabled" });
    await page.locator(`${W} >> .launcher`).click();
    await expect.poll(() => page.locator(`${W} >> h2`).textContent()).toBe("Acme help");
    await page.screenshot({ path: `${screenshotDir()}/open-light.png`, animations: "disabled" });
    await page.locator(`${W} >> .starters button`).first().click();
    await page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
    expect(fake.chatRequests[0]).toMatchObject({ botId: "demo", messages: [{ role: "user", parts: [{ type: "text", text: "How do I reset my password?" }] }] });

    const answer = page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`);
    expect(await answer.locator("strong").first().textContent()).toBe("Settings → Security");
    expect(await answer.locator("ol li").count()).toBeGreaterThanOrEqual(2);
    expect(await answer.locator("pre code").textContent()).toBe("acme reset --email you@example.com");
    expect(await answer.locator("table td").allTextContents()).toEqual(["Free", "3", "Pro", "10"]);
    const cites = answer.locator("sup.cite a");
    expect(await cites.allTextContents()).toEqual(["1", "2"]);
    expect(await cites.first().getAttribute("href")).toBe("https://docs.acme.test/security/reset");
    expect(await cites.first().getAttribute("rel")).toBe("noopener noreferrer");
    expect(await cites.first().getAttribute("target")).toBe("_blank");
    const sources = answer.locator(".sources li a");
    expect(await sources.allTextContents()).toEqual(["Resetting your password", "Email links"]);
    expect(await answer.locator(".badge").textContent()).toBe("small");
    await page.screenshot({ path: `${screenshotDir()}/citations-light.png`, animations: "disabled" });

    await answer.getByRole("button", { name: "Helpful", exact: true }).click();
    await expect.poll(() => fake.feedback.length).toBe(1);
    expect(fake.feedback[0]!.body).toMatchObject({ botId: "demo", rating: "up", messageId: expect.any(String) });
    expect(await answer.getByRole("status").textContent()).toMatch(/thanks/i);

    // Copy button on code blocks.
    // (plain-http test origin: no real clipboard, so record what the button writes)
    await page.evaluate(() => Object.defineProperty(navigator, "clipboard", { value: { writeText: async (text: string) => void ((window as unknown as { copied: string }).copied = text) } }));
    await answer.locator(".copy").click();
    await expect.poll(() => answer.locator(".copy").textContent()).toBe("Copied");
    expect(await page.evaluate(() => (window as unknown as { copied: string }).copied)).toBe("acme reset --email you@example.com");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a generated image with a stable placeholder, the prompt as alt text, an AI label, once, opening full size", async () => {
    const { context, page, errors } = await openPage({ answers: [IMAGE_ANSWER], colorScheme: "dark", attributes: 'data-bot="demo" data-theme="auto"' });
    await page.screenshot({ path: `${screenshotDir()}/closed-dark.png`, animations: "disabled" });
    await page.locator(`${W} >> .launcher`).click();
    await page.screenshot({ path: `${screenshotDir()}/open-dark.png`, animations: "disabled" });
    await ask(page, "Draw a lighthouse");
    const images = page.locator(`${W} >> .msg.assistant:not(.greeting) img`);
    expect(await images.count()).toBe(1); // the file part with the same URL is not drawn twice
    expect(await images.getAttribute("alt")).toBe("a lighthouse at dusk");
    expect(await images.getAttribute("src")).toBe(`${SITE}/v1/images/abc123`);
    await expect.poll(() => images.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await page.locator(`${W} >> figcaption`).textContent()).toContain("AI-generated image");
    const link = page.locator(`${W} >> .msg.assistant:not(.greeting) figure a`);
    expect(await link.getAttribute("href")).toBe(`${SITE}/v1/images/abc123`);
    expect(await link.getAttribute("target")).toBe("_blank");
    await page.screenshot({ path: `${screenshotDir()}/image-dark.png`, animations: "disabled" });

    // Generating state: a placeholder of the final size, and a failed image leaves no broken <img>.
    const placeholderBox = await page.evaluate(async () => {
      const root = document.querySelector("[data-edgechat]")!.shadowRoot!;
      return root.querySelector(".frame")!.getBoundingClientRect().width;
    });
    expect(placeholderBox).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("draws the generating placeholder, then a failure without a broken image", async () => {
    const generating = [
      { type: "start", messageId: "g1" },
      { type: "data-image", id: "c1", data: { state: "generating", prompt: "a cat" } },
      { type: "finish" },
    ];
    const failed = [
      { type: "start", messageId: "g2" },
      { type: "data-image", id: "c2", data: { state: "generating", prompt: "a dog" } },
      { type: "data-image", id: "c2", data: { state: "failed", prompt: "a dog", message: "Image generation failed." } },
      { type: "finish" },
    ];
    const { context, page } = await openPage({ answers: [generating, failed] });
    await page.locator(`${W} >> .launcher`).click();
    await ask(page, "cat");
    const frame = page.locator(`${W} >> .placeholder`);
    expect(await frame.textContent()).toContain("Generating image");
    const box = await frame.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(Math.abs(box!.width - box!.height)).toBeLessThan(2);
    await ask(page, "dog");
    const second = page.locator(`${W} >> .msg.assistant:not(.greeting)`).nth(1);
    expect(await second.locator("img").count()).toBe(0);
    expect(await second.locator(".img-failed").textContent()).toContain("could not be generated");
    await context.close();
  });

  it("shows a failed answer as an error with a retry button that sends the question again", async () => {
    const { context, fake, page } = await openPage({
      answers: [[{ type: "start" }, { type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "Partial" }, { type: "error", errorText: "The assistant could not finish this answer." }], answerChunks(["Recovered."])],
    });
    await page.locator(`${W} >> .launcher`).click();
    await page.locator(`${W} >> textarea`).fill("hello");
    await page.locator(`${W} >> textarea`).press("Enter");
    const alert = page.locator(`${W} >> [role=alert]`);
    await alert.waitFor();
    expect(await alert.textContent()).toContain("The assistant could not finish this answer.");
    await alert.getByRole("button", { name: "Try again" }).click();
    await page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
    expect(await page.locator(`${W} >> .msg.assistant:not(.greeting)`).last().textContent()).toContain("Recovered.");
    expect(fake.chatRequests).toHaveLength(2);
    await context.close();
  });

  it("is axe-clean (no serious or critical violations) in light and dark, closed, open and answered", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page } = await openPage({ colorScheme, config: { greeting: "Hello!", starterQuestions: ["What is Acme?"], showTierBadge: true } });
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.locator(`${W} >> .launcher`).click();
      await ask(page, "How do I reset my password?");
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (colorScheme === "dark") {
        // axe does look inside the shadow root: an unlabelled button there is reported.
        await page.evaluate(() => document.querySelector("[data-edgechat]")!.shadowRoot!.querySelectorAll(".header button").forEach((button) => (button.removeAttribute("aria-label"), button.removeAttribute("title"))));
        expect((await seriousAxeViolations(page)).map((violation) => violation.id)).toContain("button-name");
      }
      await context.close();
    }
  });

  it("works with the keyboard only: open, type, send, Esc closes and focus returns to the launcher", async () => {
    const { context, fake, page } = await openPage();
    await page.keyboard.press("Tab"); // the launcher is the only focusable thing on the host page
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toBe("launcher");
    await page.keyboard.press("Enter");
    const active = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName);
    await expect.poll(active).toBe("TEXTAREA");
    expect(await page.locator(`${W} >> [role=dialog]`).getAttribute("aria-labelledby")).toBe("ec-title");
    expect(await page.locator(`${W} >> [role=log]`).getAttribute("aria-live")).toBe("polite");
    await page.keyboard.type("Keyboard question");
    await page.keyboard.press("Enter");
    await page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
    expect(fake.chatRequests).toHaveLength(1);
    // Shift+Enter makes a new line without sending.
    await page.locator(`${W} >> textarea`).focus();
    await page.keyboard.type("line one");
    await page.keyboard.press("Shift+Enter");
    expect(await page.locator(`${W} >> textarea`).inputValue()).toBe("line one\n");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className)).toBe("launcher");
    expect(await page.locator(`${W} >> [role=dialog]`).count()).toBe(0);
    await context.close();
  });

  it("lays out right to left in Arabic from the page's language, with Arabic interface strings", async () => {
    const { context, page } = await openPage({ lang: "ar" });
    await page.locator(`${W} >> .launcher`).click();
    const root = page.locator(`${W} >> .root`);
    expect(await root.getAttribute("dir")).toBe("rtl");
    expect(await page.locator(`${W} >> textarea`).getAttribute("aria-label")).toBe("رسالتك");
    await ask(page, "مرحبا");
    const user = await page.locator(`${W} >> .msg.user`).boundingBox();
    const assistant = await page.locator(`${W} >> .msg.assistant:not(.greeting)`).boundingBox();
    // In RTL the visitor's bubble sits on the left, the assistant's on the right.
    expect(user!.x).toBeLessThan(assistant!.x);
    await page.screenshot({ path: `${screenshotDir()}/rtl-arabic.png`, animations: "disabled" });
    await context.close();
  });

  it("picks French, German and Spanish strings, and the data-locale option wins over the page", async () => {
    for (const [lang, open] of [["fr", "Ouvrir le chat"], ["de", "Chat öffnen"], ["es", "Abrir chat"]]) {
      const { context, page } = await openPage({ lang });
      expect(await page.locator(`${W} >> .launcher`).getAttribute("aria-label")).toBe(open);
      await context.close();
    }
    const { context, page } = await openPage({ lang: "fr", attributes: 'data-bot="demo" data-locale="de"' });
    expect(await page.locator(`${W} >> .launcher`).getAttribute("aria-label")).toBe("Chat öffnen");
    await context.close();
  });

  it("goes full screen below 640 px with a 16 px input", async () => {
    const { context, page } = await openPage({ viewport: { width: 390, height: 760 } });
    await page.locator(`${W} >> .launcher`).click();
    await page.locator(`${W} >> .panel`).evaluate((el) => Promise.all(el.getAnimations().map((animation) => animation.finished)));
    const panel = await page.locator(`${W} >> .panel`).boundingBox();
    expect(panel).toMatchObject({ x: 0, y: 0, width: 390, height: 760 });
    expect(await page.locator(`${W} >> textarea`).evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");
    const input = await page.locator(`${W} >> textarea`).boundingBox();
    expect(input!.y + input!.height).toBeLessThanOrEqual(760);
    await page.screenshot({ path: `${screenshotDir()}/mobile-open.png`, animations: "disabled" });
    await context.close();
  });

  it("applies the theme options: primary colour with a readable text colour, dark mode, left position", async () => {
    const { context, page } = await openPage({ attributes: 'data-bot="demo" data-primary-color="#ffd400" data-theme="dark" data-position="left"' });
    const launcher = page.locator(`${W} >> .launcher`);
    const styles = await launcher.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
    expect(styles).toEqual({ bg: "rgb(255, 212, 0)", fg: "rgb(17, 17, 17)" });
    const box = await launcher.boundingBox();
    expect(box!.x).toBeLessThan(100);
    await launcher.click();
    expect(await page.locator(`${W} >> .panel`).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(23, 25, 30)");
    expect(await page.locator(`${W} >> .panel`).evaluate((el) => getComputedStyle(el).animationName)).toBe("ec-in");
    await context.close();
  });

  it("respects prefers-reduced-motion: no panel animation", async () => {
    const { context, page } = await openPage({ reducedMotion: "reduce" });
    await page.locator(`${W} >> .launcher`).click();
    expect(await page.locator(`${W} >> .panel`).evaluate((el) => getComputedStyle(el).animationName)).toBe("none");
    await context.close();
  });

  it("saves screenshots of an answer with citations and an image in light and dark", async () => {
    const both = [...CITED_ANSWER.slice(0, -1), ...IMAGE_ANSWER.slice(1)];
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page } = await openPage({ colorScheme, answers: [both] });
      await page.locator(`${W} >> .launcher`).click();
      await ask(page, "Reset my password and draw a lighthouse");
      await page.locator(`${W} >> .sources`).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${screenshotDir()}/citations-image-${colorScheme}.png`, animations: "disabled" });
      if (colorScheme === "light") await page.screenshot({ path: `${screenshotDir()}/image-light.png`, animations: "disabled" });
      else await page.screenshot({ path: `${screenshotDir()}/citations-dark.png`, animations: "disabled" });
      await context.close();
    }
  });
});
