/**
 * The only URLs the widget ever turns into links: absolute http, https and mailto.
 * Everything else (javascript:, data:, vbscript:, relative paths, their encoded and
 * whitespace-split variants, which the URL parser normalises first) gives undefined and is
 * shown as plain text.
 *
 * @example
 * safeLinkUrl("https://docs.example.com/a") // "https://docs.example.com/a"
 * safeLinkUrl("java\tscript:alert(1)")      // undefined
 */
export function safeLinkUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    return /^(https?|mailto):$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Image URLs are loaded only from the widget's own worker (`/v1/images/...`): an image that
 * points anywhere else is never fetched, so model output cannot make the visitor's browser
 * call a foreign host. Returns the absolute URL to load, or undefined.
 *
 * @example
 * workerImageUrl("/v1/images/abc", "https://chat.example.com") // "https://chat.example.com/v1/images/abc"
 * workerImageUrl("https://evil.test/v1/images/abc", "https://chat.example.com") // undefined
 */
export function workerImageUrl(raw: string, workerOrigin: string): string | undefined {
  try {
    const url = new URL(raw.trim(), workerOrigin);
    return url.origin === workerOrigin && url.pathname.startsWith("/v1/images/") ? url.href : undefined;
  } catch {
    return undefined;
  }
}
