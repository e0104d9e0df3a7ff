// One HTTP request on a connection of its own, as a distinct visitor would send it: for the load bench.
//
// Why not the global fetch: its dispatcher keeps connections alive and hands the next request an idle one. In the
// load bench the streams of one level reused the connections of the level before, and workerd's HTTP server (kj)
// closes a connection on which no new request arrived within 5 s of the last response (kj's `pipelineTimeout`).
// Under load workerd's single thread sees that timer fire before it reads the request already waiting on the
// socket, so it closes the connection with the request unread: undici reports "other side closed" or ECONNRESET
// before any response. With workerd slowed, every stream lost at the 500 level was on such a reused connection
// (docs/edge-latency.md, "Load").
// A fresh connection per request, closed after its response, has no idle phase for that timer to end.
import { request } from "node:http";
import { Readable } from "node:stream";

/**
 * Sends one request over a new TCP connection (`Connection: close`, no agent, no reuse) and resolves with a
 * WHATWG `Response` once the headers arrive; the body streams as it comes. There is no timeout of its own:
 * pass `signal` (e.g. `AbortSignal.timeout(ms)`), which also ends a body still streaming. A failed connection
 * rejects with Node's error (its `code`, e.g. ECONNRESET, says why).
 *
 * @example
 * const response = await fetchOnFreshConnection("http://127.0.0.1:8787/v1/chat", { method: "POST", headers, body, signal: AbortSignal.timeout(600_000) });
 *
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, signal?: AbortSignal }} [init]
 * @returns {Promise<Response>}
 */
export function fetchOnFreshConnection(url, { method = "GET", headers = {}, body, signal } = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers: { ...headers, connection: "close" }, agent: false, signal }, (incoming) => {
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const one of Array.isArray(value) ? value : [value ?? ""]) responseHeaders.append(name, one);
      }
      const noBody = incoming.statusCode === 204 || incoming.statusCode === 304 || method === "HEAD";
      resolve(
        new Response(noBody ? null : /** @type {ReadableStream} */ (Readable.toWeb(incoming)), {
          status: incoming.statusCode,
          statusText: incoming.statusMessage,
          headers: responseHeaders,
        }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
