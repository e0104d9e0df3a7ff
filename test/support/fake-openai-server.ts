import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fakeVector } from "../../worker/test-support/fake-vector";

/**
 * A fake OpenAI-compatible HTTP server for tests: it speaks enough of the chat completions,
 * responses, embeddings and images APIs for @ai-sdk/openai, records every call, and can be
 * told to misbehave (status errors, a failure mid-stream, a stall, malformed SSE).
 * It listens on 127.0.0.1 only.
 */
export interface RecordedCall {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The AI Gateway headers of the call (`cf-aig-*`), to check what a request through the gateway carries. */
  gatewayHeaders: Record<string, string>;
  body: unknown;
}

export type Fault = (
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  | { kind: "fail-mid-stream" }
  | { kind: "stall" }
  | { kind: "malformed" }
) & {
  /** The API path the fault applies to, e.g. "/v1/images/generations"; unset, the next call of any path. */
  path?: string;
  /** Only a call whose body names this model (e.g. a test's own model id, so parallel test files do not take each other's faults). */
  model?: string;
};

export interface FakeOpenAIServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The text the fake chat model answers with; tests compare against it. */
export function fakeAnswerFor(question: string): string {
  return `Fake OpenAI answer to: ${question}`;
}

export async function startFakeOpenAIServer(port = 0): Promise<FakeOpenAIServer> {
  const calls: RecordedCall[] = [];
  const faults: Fault[] = [];
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const raw = await readBody(request);
    if (path === "/__calls") return json(response, 200, calls);
    if (path === "/__reset") {
      calls.length = 0;
      faults.length = 0;
      return json(response, 200, { ok: true });
    }
    if (path === "/__faults") {
      faults.push(...(JSON.parse(raw) as Fault[]));
      return json(response, 200, { queued: faults.length });
    }
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep raw */
    }
    const gatewayHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (name.startsWith("cf-aig-") && typeof value === "string") gatewayHeaders[name] = value;
    calls.push({ method: request.method ?? "GET", path, authorization: request.headers.authorization, gatewayHeaders, body });

    const model = typeof body === "object" && body !== null ? (body as { model?: unknown }).model : undefined;
    const faultIndex = faults.findIndex(
      (queued) => (queued.path === undefined || queued.path === path) && (queued.model === undefined || queued.model === model),
    );
    const fault = faultIndex >= 0 ? faults.splice(faultIndex, 1)[0] : undefined;
    if (fault?.kind === "status") {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
      response.writeHead(fault.status, headers);
      response.end(JSON.stringify({ error: { message: `fake error ${fault.status}`, type: "server_error", code: null } }));
      return;
    }
    const payload = (body ?? {}) as Record<string, unknown>;
    if (path.endsWith("/chat/completions")) return chatCompletions(payload, response, fault);
    if (path.endsWith("/embeddings")) return embeddings(payload, response);
    if (path.endsWith("/images/generations")) return images(payload, response);
    json(response, 404, { error: { message: `fake server has no ${path}` } });
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function lastUserContent(payload: Record<string, unknown>): string {
  const messages = (payload.messages ?? []) as { role: string; content: unknown }[];
  const last = [...messages].reverse().find((message) => message.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return (last.content as { type: string; text?: string }[]).map((part) => part.text ?? "").join("");
}

function chatCompletions(payload: Record<string, unknown>, response: ServerResponse, fault: Fault | undefined): void {
  const answer = fakeAnswerFor(lastUserContent(payload));
  const model = String(payload.model ?? "fake");
  const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
  if (!payload.stream) {
    return json(response, 200, {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 0,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
      usage,
    });
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  const words = answer.match(/\S+\s*/g) ?? [];
  response.write(chunk({ role: "assistant", content: "" }, null));
  if (fault?.kind === "fail-mid-stream") {
    // Half the answer, then the connection drops: after a pause, so the client has read the text first
    // (a drop in the same instant can reach the client before the bytes written just ahead of it).
    for (const word of words.slice(0, Math.floor(words.length / 2))) response.write(chunk({ content: word }, null));
    setTimeout(() => response.destroy(), 100);
    return;
  }
  for (const word of words) response.write(chunk({ content: word }, null));
  if (fault?.kind === "stall") return; // never ends: the client's idle timeout must fire
  if (fault?.kind === "malformed") {
    response.end("data: {this is not json\n\n");
    return;
  }
  response.write(chunk({}, "stop"));
  response.write(`data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model, choices: [], usage })}\n\n`);
  response.end("data: [DONE]\n\n");
}

function embeddings(payload: Record<string, unknown>, response: ServerResponse): void {
  const inputs = Array.isArray(payload.input) ? payload.input : [payload.input];
  const dimensions = Number(payload.dimensions ?? 8);
  json(response, 200, {
    object: "list",
    data: inputs.map((input, index) => ({ object: "embedding", index, embedding: fakeVector(String(input), dimensions) })),
    model: payload.model,
    usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
  });
}

// A 1×1 transparent PNG.
const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function images(_payload: Record<string, unknown>, response: ServerResponse): void {
  json(response, 200, { created: 0, data: [{ b64_json: TINY_PNG_BASE64 }] });
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
