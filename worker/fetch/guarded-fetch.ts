import { readStreamAtMost } from "../http/read-json-body";
import { checkFetchableUrl, FetchRefusedError, type FetchPolicy } from "./address-policy";

export interface GuardedFetchOptions {
  policy: FetchPolicy;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Redirect hops followed (each checked again); more is a failure. Default 5; 0 refuses any redirect. */
  maxRedirects?: number;
  /** Milliseconds for the whole exchange, headers and body. Default 15 000. */
  timeoutMs?: number;
  /** Body bytes read at most; the stream is cancelled past it. Default 2 MiB. */
  maxBytes?: number;
  /** Media types (without parameters) accepted for a 2xx body; others fail without reading it. */
  contentTypes?: readonly string[];
  /** The underlying fetch (tests and callers with their own). */
  fetch?: typeof fetch;
}

export interface GuardedResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  headers: Headers;
  /** The body for 2xx answers (empty otherwise). */
  bytes: Uint8Array;
  /** Media type of the body, lower case, without parameters. */
  mediaType: string;
  redirects: number;
}

export type FetchFailureCode = "too_many_redirects" | "timeout" | "too_large" | "unsupported_content_type" | "network_error";

export class FetchFailedError extends Error {
  constructor(
    readonly code: FetchFailureCode,
    message: string,
  ) {
    super(message);
    this.name = "FetchFailedError";
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The one fetcher for URLs an owner can steer (knowledge sources, webhooks): every hop is checked by the SSRF
 * policy, redirects are followed by hand (at most `maxRedirects`), the body is streamed and cut at `maxBytes`,
 * the whole exchange has a timeout, and 2xx bodies must have an allowed content type. Non-2xx answers
 * (304, 404, 429, 5xx) are returned with an empty body for the caller to judge. Throws FetchRefusedError
 * (policy) or FetchFailedError (limits, network).
 *
 * @example
 * const page = await guardedFetch("https://docs.example.com/", { policy: fetchPolicyFromEnv(env), contentTypes: ["text/html"] });
 */
export async function guardedFetch(url: string, options: GuardedFetchOptions): Promise<GuardedResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? fetch;
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new FetchRefusedError("invalid_url", `Not a URL: ${url.slice(0, 200)}`);
  }
  const ownerPort = current.port;
  const signal = AbortSignal.timeout(timeoutMs);
  let method = options.method ?? "GET";
  let body = options.body;
  try {
    for (let redirects = 0; ; redirects++) {
      checkFetchableUrl(current, options.policy, ownerPort);
      const response = await doFetch(current.href, { method, headers: options.headers, body, redirect: "manual", signal });
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get("location");
        if (!location) return emptyResult(response, current, redirects);
        if (redirects >= maxRedirects) throw new FetchFailedError("too_many_redirects", `More than ${maxRedirects} redirects (a loop?).`);
        current = new URL(location, current);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel();
        return emptyResult(response, current, redirects);
      }
      const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (options.contentTypes && !options.contentTypes.includes(mediaType)) {
        await response.body?.cancel();
        throw new FetchFailedError("unsupported_content_type", `Content type "${mediaType || "none"}" is not supported.`);
      }
      const declared = Number(response.headers.get("content-length") ?? NaN);
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw new FetchFailedError("too_large", `The answer is larger than ${maxBytes} bytes.`);
      }
      const bytes = await readCapped(response, maxBytes);
      return { status: response.status, url: current.href, headers: response.headers, bytes, mediaType, redirects };
    }
  } catch (error) {
    if (error instanceof FetchRefusedError || error instanceof FetchFailedError) throw error;
    if (signal.aborted) throw new FetchFailedError("timeout", `No complete answer within ${timeoutMs} ms.`);
    throw new FetchFailedError("network_error", `The request failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
  }
}

function emptyResult(response: Response, url: URL, redirects: number): GuardedResponse {
  return { status: response.status, url: url.href, headers: response.headers, bytes: new Uint8Array(), mediaType: "", redirects };
}

function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  return readStreamAtMost(response.body, maxBytes, () => new FetchFailedError("too_large", `The answer is larger than ${maxBytes} bytes.`));
}
