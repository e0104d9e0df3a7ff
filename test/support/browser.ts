import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Where Debian's Chromium is, or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium was not found at ${path}. The browser tests need it: install it with\n` +
        `  sudo apt-get update && sudo apt-get install -y chromium\n` +
        `or point CHROMIUM_PATH at a Chromium binary.`,
    );
  }
  return path;
}

/** Launches Debian's Chromium headless with a fresh profile and no background networking. */
export async function launchChromium(): Promise<Browser & { cleanup(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "edgechat-chromium-"));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return Object.assign(browser, {
    async cleanup() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}
