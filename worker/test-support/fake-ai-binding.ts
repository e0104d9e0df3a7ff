// A fake Workers AI binding (`env.AI`) for tests: Workers AI has no local simulator (wrangler only offers it
// as a remote, billed binding), so the tests hand this in through the env instead.
//
// It answers `run(model, inputs, options)` with the documented shapes that `workers-ai-provider` 3.3.1 reads
// (node_modules/workers-ai-provider/src: workersai-chat-language-model.ts, streaming.ts, utils.ts,
// workersai-embedding-model.ts, workersai-image-model.ts, and the model pages of developers.cloudflare.com/workers-ai):
//  - chat, `{ messages, tools?, stream? }`: native models answer `{ response, tool_calls?, usage }`, or with
//    `stream: true` a ReadableStream of SSE events `data: {"response":"…"}` ending with a usage event and
//    `data: [DONE]`; the gpt-oss models answer in the chat completions format (`choices[0].message` /
//    `choices[0].delta`), as they do on Workers AI;
//  - embeddings, `{ text: string[] }` → `{ shape: [n, d], data: number[][], pooling }`, d fixed per model;
//  - images, flux-1-schnell `{ prompt, steps?, width?, height? }` → `{ image: <base64 JPEG> }`;
//  - errors as the binding throws them: an Error whose message starts with the internal code
//    (3040 out of capacity and 3036 daily allocation used up, both mapped to HTTP 429 by the provider).
import { WORKERS_AI_EMBEDDING_DIMENSIONS } from "../models/model-plan";
import { fakeVector } from "./fake-vector";

/** One call the binding received (the abort signal left out). */
export interface FakeAiCall {
  model: string;
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
}

/** What the next chat call of a model answers: text, or a tool call (with its arguments as an object). */
export type FakeAiReply = { text: string } | { toolCall: { name: string; arguments: Record<string, unknown> } };

/** A failure the binding throws on a matching call, as Workers AI's binding does. */
export interface FakeAiFault {
  /** Only calls of this model; unset, the next call of any model. */
  model?: string;
  /** 3040: out of capacity; 3036: daily free allocation used up (both 429); any other code with `message`. */
  code: number;
  message?: string;
}

/** The text a fake Workers AI chat model answers with, unless a test scripted another reply. */
export function fakeWorkersAiAnswerFor(question: string): string {
  return `Workers AI answer to: ${question}`;
}

export const FAKE_WORKERS_AI_USAGE = { prompt_tokens: 13, completion_tokens: 9, total_tokens: 22 };

const ERROR_MESSAGES: Record<number, string> = {
  3040: "Capacity temporarily exceeded, please try again.",
  3036: "You have used up your daily free allocation of 10,000 neurons, please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.",
};

// A 1×1 JPEG (flux-1-schnell answers JPEG images as base64).
export const FAKE_JPEG_BASE64 =
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=";

/**
 * Creates a fake `AI` binding. Pass it as `AI` in the env handed to the worker or to `modelsFromEnv`.
 *
 * @example
 * const ai = createFakeAiBinding();
 * ai.reply("@cf/meta/llama-3.3-70b-instruct-fp8-fast", { toolCall: { name: "escalate", arguments: { reason: "hard" } } });
 * ai.fail({ model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast", code: 3040 });
 * const models = modelsFromEnv({ ...env, AI: ai.binding });
 */
export function createFakeAiBinding() {
  const calls: FakeAiCall[] = [];
  const replies = new Map<string, FakeAiReply[]>();
  const faults: FakeAiFault[] = [];

  async function run(model: string, inputs: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<unknown> {
    const { signal: _signal, ...recorded } = options;
    calls.push({ model, inputs, options: recorded });
    const faultIndex = faults.findIndex((fault) => fault.model === undefined || fault.model === model);
    if (faultIndex >= 0) {
      const [fault] = faults.splice(faultIndex, 1);
      const error = new Error(`${fault!.code}: ${fault!.message ?? ERROR_MESSAGES[fault!.code] ?? "Internal error"}`);
      error.name = "InferenceUpstreamError";
      throw error;
    }
    if (Array.isArray(inputs.messages)) return chat(model, inputs, replies.get(model)?.shift());
    if (Array.isArray(inputs.text)) return embeddings(model, inputs.text as string[]);
    if (typeof inputs.prompt === "string" && /flux|stable-diffusion|lucid|phoenix/.test(model)) return { image: FAKE_JPEG_BASE64 };
    throw new Error(`5007: The fake AI binding has no answer for ${model} with inputs ${Object.keys(inputs).join(", ")}.`);
  }

  return {
    binding: { run } as unknown as Ai,
    calls,
    /** Queues the reply of the next chat call of `model`. */
    reply(model: string, reply: FakeAiReply) {
      replies.set(model, [...(replies.get(model) ?? []), reply]);
    },
    /** Queues a failure for the next matching call. */
    fail(fault: FakeAiFault) {
      faults.push(fault);
    },
    /** The calls of one model, in order. */
    callsOf(model: string): FakeAiCall[] {
      return calls.filter((call) => call.model === model);
    },
  };
}

export type FakeAiBinding = ReturnType<typeof createFakeAiBinding>;

function lastUserText(inputs: Record<string, unknown>): string {
  const messages = inputs.messages as { role: string; content: unknown }[];
  const last = [...messages].reverse().find((message) => message.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return (last.content as { text?: string }[]).map((part) => part.text ?? "").join("");
}

function chat(model: string, inputs: Record<string, unknown>, scripted: FakeAiReply | undefined): unknown {
  const reply = scripted ?? { text: fakeWorkersAiAnswerFor(lastUserText(inputs)) };
  const chatCompletions = model.startsWith("@cf/openai/gpt-oss");
  const toolCall = "toolCall" in reply ? { id: `call_${crypto.randomUUID().slice(0, 8)}`, ...reply.toolCall } : undefined;
  if (!inputs.stream) {
    if (chatCompletions) {
      const message = toolCall
        ? { role: "assistant", content: null, tool_calls: [{ id: toolCall.id, type: "function", function: { name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) } }] }
        : { role: "assistant", content: (reply as { text: string }).text };
      return { id: "chatcmpl-fake", object: "chat.completion", model, choices: [{ index: 0, message, finish_reason: toolCall ? "tool_calls" : "stop" }], usage: FAKE_WORKERS_AI_USAGE };
    }
    return toolCall
      ? { response: null, tool_calls: [{ name: toolCall.name, arguments: toolCall.arguments }], usage: FAKE_WORKERS_AI_USAGE }
      : { response: (reply as { text: string }).text, usage: FAKE_WORKERS_AI_USAGE };
  }
  const events: unknown[] = [];
  if (toolCall) {
    const start = { id: toolCall.id, type: "function", index: 0, function: { name: toolCall.name, arguments: "" } };
    const args = { index: 0, function: { arguments: JSON.stringify(toolCall.arguments) } };
    if (chatCompletions) {
      events.push(delta({ tool_calls: [start] }), delta({ tool_calls: [args] }), { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }], usage: FAKE_WORKERS_AI_USAGE });
    } else {
      events.push({ response: "", tool_calls: [start] }, { response: "", tool_calls: [args] }, { response: "", finish_reason: "tool_calls", usage: FAKE_WORKERS_AI_USAGE });
    }
  } else {
    const words = (reply as { text: string }).text.match(/\S+\s*/g) ?? [];
    for (const word of words) events.push(chatCompletions ? delta({ content: word }) : { response: word, p: "abcdef" });
    events.push(chatCompletions ? { choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: FAKE_WORKERS_AI_USAGE } : { response: "", usage: FAKE_WORKERS_AI_USAGE });
  }
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of events) controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
  });
}

function delta(value: Record<string, unknown>) {
  return { id: "chatcmpl-fake", object: "chat.completion.chunk", choices: [{ index: 0, delta: value, finish_reason: null }] };
}

function embeddings(model: string, texts: string[]) {
  const dimensions = WORKERS_AI_EMBEDDING_DIMENSIONS[model];
  if (dimensions === undefined) throw new Error(`5007: No such model ${model} or task`);
  return { shape: [texts.length, dimensions], data: texts.map((text) => fakeVector(text, dimensions)), pooling: "cls" };
}
