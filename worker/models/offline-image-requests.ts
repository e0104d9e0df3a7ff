import { wrapLanguageModel } from "ai";
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";
import { estimateUsage, splitIntoDeltas } from "./offline-language-model";

/** The tool the offline model calls; the name the chat turn offers (worker/images/generate-image-tool.ts). */
const IMAGE_TOOL = "generate_image";

const IMAGE_NOUNS =
  "image|picture|pic|photo|diagram|mock-?up|illustration|drawing|sketch|painting|logo|icon|wireframe|chart|infographic|poster|banner|rendering";
const ASKS_TO_DRAW = /\b(?:draw|sketch|paint|illustrate|doodle)\b/i;
const ASKS_FOR_IMAGE = new RegExp(
  `\\b(?:generate|create|make|render|design|produce|give|show|send)\\b(?:\\s+me)?[^.?!]{0,40}?\\b(?:${IMAGE_NOUNS})s?\\b`,
  "i",
);
/** "How do I create an image in …?" asks about something, it does not ask for a picture. */
const ASKS_ABOUT = /^\s*(?:how|why|where|when|what|which|who|does|do|is|are|can i|should i)\b(?![^?]*\b(?:draw|show|give|send) me\b)/i;

/**
 * Whether a visitor's message asks for an image ("draw…", "show me a picture/diagram/mock-up of…",
 * "generate an image…"), and if so the prompt and size to ask for.
 *
 * @example
 * offlineImageRequest("Draw a diagram of the request path") // { prompt: "a diagram of the request path", size: "1024x1024" }
 * offlineImageRequest("How do I upload an image?")           // undefined
 */
export function offlineImageRequest(text: string): { prompt: string; size: string } | undefined {
  const message = text.trim();
  if (message === "" || ASKS_ABOUT.test(message)) return undefined;
  const match = ASKS_TO_DRAW.exec(message) ?? ASKS_FOR_IMAGE.exec(message);
  if (!match) return undefined;
  // The prompt is what follows the verb: "draw me a cat" -> "a cat", "show me a picture of …" -> "a picture of …".
  const fromVerb = message.slice(match.index).replace(/^[\p{L}-]+/u, "");
  const prompt = fromVerb.replace(/^\s*(?:me|us)\b/i, "").replace(/^[^\p{L}\p{N}]+/u, "").replace(/[\s.!?]+$/, "").trim() || message;
  const size = /\b(?:landscape|wide|widescreen|banner|panorama)\b/i.test(message)
    ? "1536x1024"
    : /\b(?:portrait|tall|vertical|poster|phone)\b/i.test(message)
      ? "1024x1536"
      : "1024x1024";
  return { prompt, size };
}

/**
 * Teaches a language model without tool calling (the offline models, Workers AI models without function
 * calling) to use the image tool: when the turn offers `generate_image` and the visitor explicitly asks
 * for an image, it says in one short sentence what it will draw and calls that tool (no quotes from the
 * docs, no call of the wrapped model); once the tool has answered, it says plainly whether the image was
 * made or why not (`doneText` for a made one, default: the offline note). Every other call goes to the
 * wrapped model unchanged.
 *
 * @example
 * const chat = withOfflineImageRequests(createOfflineLanguageModel({ delayMs: 0 }));
 */
export function withOfflineImageRequests(model: LanguageModelV3, options: { doneText?: string } = {}): LanguageModelV3 {
  const doneText = options.doneText ?? OFFLINE_IMAGE_DONE_TEXT;
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v3",
      async wrapStream({ doStream, params }) {
        const results = imageToolResults(params.prompt);
        if (results.length > 0) return { stream: textStream(afterImageText(results, doneText), params.prompt) };
        const request = requestedImage(params);
        if (!request) return doStream();
        // A short sentence about the image, then the tool call: quotes from the docs would be filler here.
        const toolCall = { type: "tool-call" as const, toolCallId: `offline-image-${crypto.randomUUID()}`, toolName: IMAGE_TOOL, input: JSON.stringify(request) };
        return { stream: textStream(beforeImageText(request.prompt), params.prompt, toolCall) };
      },
      async wrapGenerate({ doGenerate, params }) {
        const results = imageToolResults(params.prompt);
        const result = await doGenerate();
        if (results.length > 0) return { ...result, content: [{ type: "text", text: afterImageText(results, doneText) }] };
        const request = requestedImage(params);
        if (!request) return result;
        return {
          ...result,
          content: [
            { type: "text", text: beforeImageText(request.prompt) },
            { type: "tool-call", toolCallId: `offline-image-${crypto.randomUUID()}`, toolName: IMAGE_TOOL, input: JSON.stringify(request) },
          ],
          finishReason: { unified: "tool-calls", raw: "tool-calls" },
        };
      },
    },
  });
}

function requestedImage(params: LanguageModelV3CallOptions) {
  const offered = params.tools?.some((tool) => tool.type === "function" && tool.name === IMAGE_TOOL) ?? false;
  const last = params.prompt.at(-1);
  if (!offered || last?.role !== "user") return undefined;
  return offlineImageRequest(last.content.map((part) => (part.type === "text" ? part.text : "")).join(""));
}

type ImageToolResult = { status: "done" } | { status: "failed"; message: string };

/** The image tool's results at the end of the prompt (the step right after the tool ran). */
function imageToolResults(prompt: LanguageModelV3Prompt): ImageToolResult[] {
  const last = prompt.at(-1);
  if (last?.role !== "tool") return [];
  const results: ImageToolResult[] = [];
  for (const part of last.content) {
    if (part.type !== "tool-result" || part.toolName !== IMAGE_TOOL) continue;
    const value = part.output.type === "json" ? (part.output.value as Record<string, unknown> | null) : null;
    if (value?.status === "done") results.push({ status: "done" });
    else {
      const message = typeof value?.message === "string" ? value.message : "The image could not be generated.";
      results.push({ status: "failed", message });
    }
  }
  return results;
}

const OFFLINE_IMAGE_DONE_TEXT =
  "Here is the image. It was drawn by edgechat's offline image model, a stand-in that turns the words and colours " +
  "of the request into a pattern; set OPENAI_API_KEY on the worker for real generated images.";

function afterImageText(results: ImageToolResult[], doneText: string): string {
  return results.map((result) => (result.status === "done" ? doneText : `I could not make the image. ${result.message}`)).join(" ");
}

/** "I'll draw a friendly robot mascot for you." The prompt is capped so a long request stays one short sentence. */
export function beforeImageText(prompt: string): string {
  const subject = prompt.length > 120 ? `${prompt.slice(0, 120).replace(/\s+\S*$/, "")}…` : prompt;
  return `I'll draw ${subject} for you.`;
}

function textStream(
  text: string,
  prompt: LanguageModelV3Prompt,
  toolCall?: Extract<LanguageModelV3StreamPart, { type: "tool-call" }>,
): ReadableStream<LanguageModelV3StreamPart> {
  const words = splitIntoDeltas(text);
  const usage = estimateUsage(prompt, text);
  const parts: LanguageModelV3StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "image-note" },
    ...words.map((delta): LanguageModelV3StreamPart => ({ type: "text-delta", id: "image-note", delta })),
    { type: "text-end", id: "image-note" },
    ...(toolCall ? [toolCall] : []),
    { type: "finish", finishReason: toolCall ? { unified: "tool-calls", raw: "tool-calls" } : { unified: "stop", raw: "stop" }, usage },
  ];
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}
