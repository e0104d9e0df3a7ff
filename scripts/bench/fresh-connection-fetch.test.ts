import { once } from "node:events";
import { Agent, createServer, get, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchOnFreshConnection } from "./fresh-connection-fetch.mjs";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A local server; `connections` counts the TCP connections it accepted. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handler);
  servers.push(server);
  const state = { connections: 0, url: "" };
  server.on("connection", () => state.connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/**
 * Models workerd under load: a request that arrives on a connection which already served one (a kept-alive
 * connection, after kj's pipeline timeout fired first) is dropped unanswered, the connection reset.
 */
function dropsReusedConnections() {
  const served = new WeakSet<object>();
  return (request: IncomingMessage, response: ServerResponse) => {
    if (served.has(request.socket)) {
      request.socket.resetAndDestroy();
      return;
    }
    served.add(request.socket);
    response.end(`answer to ${request.url}`);
  };
}

describe("fetchOnFreshConnection", () => {
  it("sends each request on a connection of its own, closed after the response, with method, headers and body", async () => {
    const seen: { method?: string; connection?: string; type?: string; body: string }[] = [];
    const server = await serve(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      seen.push({ method: request.method, connection: request.headers.connection, type: request.headers["content-type"], body });
      response.writeHead(201, { "x-answer": "yes", "content-type": "text/plain" }).end(`got ${body}`);
    });
    for (const n of [1, 2, 3]) {
      const response = await fetchOnFreshConnection(`${server.url}/v1/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"n":${n}}` });
      expect(response.status).toBe(201);
      expect(response.headers.get("x-answer")).toBe("yes");
      expect(await response.text()).toBe(`got {"n":${n}}`);
    }
    expect(server.connections).toBe(3);
    expect(seen).toEqual([1, 2, 3].map((n) => ({ method: "POST", connection: "close", type: "application/json", body: `{"n":${n}}` })));
  });

  it("completes every request of back-to-back concurrent levels where reusing a kept-alive connection fails", async () => {
    const server = await serve(dropsReusedConnections());
    // The failure the load bench had: a kept-alive connection, reused for the next request, is dropped.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const viaKeepAlive = (path: string) =>
      new Promise<string>((resolve, reject) => {
        get(`${server.url}${path}`, { agent: keepAlive }, (response) => {
          response.setEncoding("utf8");
          let text = "";
          response.on("data", (chunk) => (text += chunk)).on("end", () => resolve(text));
        }).on("error", reject);
      });
    expect(await viaKeepAlive("/first")).toBe("answer to /first");
    await expect(viaKeepAlive("/second")).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET/) });
    keepAlive.destroy();

    // Two levels of concurrent requests, one after the other, as the load bench runs them: none is lost.
    for (const level of [1, 2]) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => (await fetchOnFreshConnection(`${server.url}/${level}-${i}`)).text()),
      );
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => `answer to /${level}-${i}`));
    }
  });

  it("streams the body as it arrives, and its signal ends a body still streaming", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: first\n\n"); // and never ends
    });
    const controller = new AbortController();
    const response = await fetchOnFreshConnection(server.url, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
  });

  it("rejects with the connection's error code when nothing answers", async () => {
    const server = await serve(() => {});
    const closed = servers.pop()!;
    closed.close();
    await once(closed, "close");
    await expect(fetchOnFreshConnection(server.url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
