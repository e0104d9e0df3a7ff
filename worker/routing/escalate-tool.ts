import { tool } from "ai";
import { z } from "zod";

/** The tool name the small model calls to hand the turn to the large model. */
export const ESCALATE_TOOL_NAME = "escalate";

/** Added to the small model's system prompt so it knows when and how to hand over. */
export const ESCALATE_INSTRUCTIONS =
  `If answering well needs more than you can give (several steps of reasoning or troubleshooting, ` +
  `a comparison, code, or facts the provided sources do not contain), call the \`${ESCALATE_TOOL_NAME}\` tool ` +
  `instead of answering, before writing any text. A stronger model then answers the visitor.`;

/**
 * The small model's `escalate` tool. It has no `execute`: calling it ends the small model's step,
 * and the chat turn continues with the large model in the same assistant message.
 *
 * @example
 * streamText({ model: small, tools: { [ESCALATE_TOOL_NAME]: createEscalateTool() }, … })
 */
export function createEscalateTool() {
  return tool({
    description: "Hand this question to a stronger model. Call it before writing any answer text.",
    inputSchema: z.object({
      reason: z.string().max(300).describe("Why a stronger model is needed, in a few words."),
    }),
  });
}

/** The model-given reason, cleaned for the record: one line, at most 120 characters. */
export function escalationReasonText(input: unknown): string {
  const reason = typeof input === "object" && input !== null ? (input as { reason?: unknown }).reason : undefined;
  if (typeof reason !== "string") return "";
  return reason.replace(/\s+/g, " ").trim().slice(0, 120);
}
