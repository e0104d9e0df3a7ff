// Helpers for worker tests that need bots in D1 and calls through the whole worker.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import type { UIMessage } from "ai";
import { createBot } from "../bots/bot-registry";
import { parseBotFields, type BotFields } from "../bots/bot-config";
import type { EdgechatEnv } from "../env";
import { readServerSentEvents } from "../../widget/client/server-sent-events";

export const testEnv = env as unknown as EdgechatEnv;

/** The origin of the pages test bots allow. */
export const SITE = "https://site.example";

let counter = 0;

/** Creates a bot with a unique id (tests share one D1 database per file) that allows `SITE`. */
export async function seedBot(fields: Partial<BotFields> = {}, bindings: EdgechatEnv = testEnv) {
  const id = `bot-${Date.now().toString(36)}-${++counter}`;
  const record = await createBot(bindings.DB, id, parseBotFields({ name: "Test bot", allowedOrigins: [SITE], ...fields }));
  return record;
}

export function userMessage(text: string, id = crypto.randomUUID()): UIMessage {
  return { id, role: "user", parts: [{ type: "text", text }] };
}

/** Calls the worker like the runtime does and waits for its waitUntil work. */
export async function callWorker(worker: ExportedHandler<EdgechatEnv>, request: Request, bindings: EdgechatEnv = testEnv) {
  const ctx = createExecutionContext();
  const response = await worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) {
    // Read the whole stream before waiting, as a browser would.
    const text = await response.text();
    await waitOnExecutionContext(ctx);
    return new Response(text, response);
  }
  await waitOnExecutionContext(ctx);
  return response;
}

export function chatPost(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return new Request("http://edgechat.test/v1/chat", {
    method: "POST",
    headers: { "content-type": "application/json", origin: SITE, ...headers },
    body: JSON.stringify(body),
  });
}

/** A request to a `/v1/sessions/:id/...` endpoint with the session token, from the bot's site. */
export function sessionRequest(path: string, token: string, method = "GET") {
  return new Request(`http://edgechat.test${path}`, { method, headers: { authorization: `Bearer ${token}`, origin: SITE } });
}

export type Chunk = { type: string; [key: string]: unknown };

/** The UI message stream chunks of a response, without the closing `[DONE]`; `T` narrows the chunk type for a test. */
export async function chunksOf<T extends Chunk = Chunk>(response: Response): Promise<T[]> {
  const chunks: T[] = [];
  for await (const data of readServerSentEvents(response.body!)) if (data !== "[DONE]") chunks.push(JSON.parse(data) as T);
  return chunks;
}

export function textOf(chunks: Chunk[]): string {
  return chunks.filter((chunk) => chunk.type === "text-delta").map((chunk) => chunk.delta).join("");
}

export function sessionOf(chunks: Chunk[]): { sessionId: string; token: string; expiresAt: number } {
  const part = chunks.find((chunk) => chunk.type === "data-session");
  if (!part) throw new Error("no data-session part");
  return part.data as { sessionId: string; token: string; expiresAt: number };
}

export function adminRequest(method: string, path: string, body?: unknown, token = "test-admin-token") {
  return new Request(`http://edgechat.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
