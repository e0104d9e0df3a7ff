import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Fakes of the outside services the hosted bot talks to, for the worker tests (which reach it over
 * 127.0.0.1), never the internet:
 *  - `POST /turnstile/siteverify`: Cloudflare Turnstile's siteverify with its documented test secret keys
 *    (1x…AA always passes, 2x…AA always fails, 3x…AA answers "already spent"), and, like the real one,
 *    every token is single use (a replay answers `timeout-or-duplicate`). It reports hostname "example.com".
 *  - `POST /webhook/:name`: a handoff receiver that records each delivery (headers and raw body);
 *    `?fail=N` makes the first N deliveries to that name answer 500. `GET /webhook/:name` lists deliveries.
 */
export const TURNSTILE_TEST_SECRETS = {
  pass: "1x0000000000000000000000000000000AA",
  fail: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
} as const;

export interface FakeServices {
  url: string;
  close(): Promise<void>;
}

export async function startFakeServices(listenPort = 0): Promise<FakeServices> {
  const spentTokens = new Set<string>();
  const deliveries = new Map<string, { headers: Record<string, string>; body: string }[]>();
  const attempts = new Map<string, number>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://fake");
    const body = await readBody(request);
    if (request.method === "POST" && url.pathname === "/turnstile/siteverify") {
      const form = new URLSearchParams(await formFields(request, body));
      const secret = form.get("secret");
      const token = form.get("response") ?? "";
      let outcome: Record<string, unknown>;
      if (secret === TURNSTILE_TEST_SECRETS.fail || !token) {
        outcome = { success: false, "error-codes": ["invalid-input-response"] };
      } else if (secret === TURNSTILE_TEST_SECRETS.spent || spentTokens.has(token)) {
        outcome = { success: false, "error-codes": ["timeout-or-duplicate"] };
      } else if (secret === TURNSTILE_TEST_SECRETS.pass) {
        spentTokens.add(token);
        outcome = { success: true, hostname: "example.com", challenge_ts: new Date().toISOString(), "error-codes": [] };
      } else {
        outcome = { success: false, "error-codes": ["invalid-input-secret"] };
      }
      return json(response, 200, outcome);
    }
    const webhook = /^\/webhook\/([\w-]+)$/.exec(url.pathname);
    if (webhook) {
      const name = webhook[1]!;
      if (request.method === "GET") return json(response, 200, deliveries.get(name) ?? []);
      const attempt = (attempts.get(name) ?? 0) + 1;
      attempts.set(name, attempt);
      if (attempt <= Number(url.searchParams.get("fail") ?? 0)) return json(response, 500, { error: "try again" });
      const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)]));
      deliveries.set(name, [...(deliveries.get(name) ?? []), { headers, body }]);
      return json(response, 200, { ok: true });
    }
    json(response, 404, { error: "not found" });
  }

  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (data += chunk));
    request.on("end", () => resolve(data));
    request.on("error", reject);
  });
}

/** siteverify accepts url-encoded or multipart form data (FormData from a Worker is multipart). */
async function formFields(request: IncomingMessage, body: string): Promise<Record<string, string>> {
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body));
  if (type.startsWith("application/json")) return JSON.parse(body);
  const form = await new Response(body, { headers: { "content-type": type } }).formData();
  return Object.fromEntries([...form.entries()].map(([key, value]) => [key, String(value)]));
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
