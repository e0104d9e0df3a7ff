import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { SITE, W, answerChunks, installFakeWorker, scriptTagPage } from "../support/widget-page";

// Rendering cost of long streamed answers in the real browser: a 20 KB Markdown answer in 5,000
// deltas against a 2 KB one in 500, all delivered in one burst (the worst case for a renderer that
// re-renders per delta). Closed Markdown chunks are memoised, renders are coalesced to one per
// frame, and the client yields to the page between bursts, so the cost stays linear and no task
// blocks the page for long.
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.cleanup());

const paragraph = "Some **bold** text with a [link](https://a.test) and `code` in a sentence that goes on. ".repeat(5) + "\n\n- a list item\n- another one\n\n";
const answer = paragraph.repeat(Math.ceil(20_000 / paragraph.length)).slice(0, 20_000);

async function measure(size: number, deltas: number): Promise<{ ms: number; longTasks: number[]; characters: number }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(30_000);
  const fake = await installFakeWorker(context);
  fake.pages.set("/", scriptTagPage('data-bot="demo"'));
  const text = answer.slice(0, size);
  const step = Math.ceil(text.length / deltas);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += step) pieces.push(text.slice(i, i + step));
  fake.answers = [answerChunks(pieces)];
  const page = await context.newPage();
  await page.goto(`${SITE}/`);
  await page.locator(`${W} >> .launcher`).click();
  await page.evaluate(() => {
    const longTasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = longTasks;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(Math.round(entry.duration)))).observe({ type: "longtask" });
  });
  await page.locator(`${W} >> textarea`).fill("a long answer, please");
  const started = Date.now();
  await page.locator(`${W} >> textarea`).press("Enter");
  await page.locator(`${W} >> .msg.assistant:not(.greeting)[data-state=done]`).waitFor();
  const ms = Date.now() - started;
  const result = {
    ms,
    longTasks: await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks),
    characters: (await page.locator(`${W} >> .msg.assistant:not(.greeting) .md`).textContent())!.length,
  };
  await context.close();
  return result;
}

describe("streaming cost", () => {
  // Correctness only: the times are figures for `npm run bench`, not assertions (a loaded CI machine
  // would make them flaky). The deterministic linearity check is in widget/ui/markdown.test.ts.
  it("draws a 20 KB answer streamed in 5,000 deltas completely (its cost is measured by the bench)", async () => {
    await measure(2_000, 500); // warm-up
    const small = await measure(2_000, 500);
    const large = await measure(20_000, 5_000);
    console.log(`streaming cost: 2 KB/500 deltas ${small.ms} ms, 20 KB/5,000 deltas ${large.ms} ms, long tasks ${JSON.stringify(small.longTasks)} / ${JSON.stringify(large.longTasks)}`);
    expect(large.characters).toBeGreaterThan(12_000); // the whole answer was drawn
    expect(small.characters).toBeGreaterThan(1_200);
  });
});
