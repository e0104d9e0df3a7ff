import type { Browser } from "playwright-core";
// @ts-expect-error: a plain .mjs script shared with the bench
import { chromiumPath as findChromium, launchChromium as launch } from "../../scripts/support/chromium.mjs";

/** Where Debian's Chromium is, or CHROMIUM_PATH. */
export const chromiumPath: () => string = findChromium;

/** Launches Debian's Chromium headless with a fresh profile and no background networking. */
export const launchChromium: () => Promise<Browser & { cleanup(): Promise<void> }> = launch;
