import { wrapLanguageModel } from "ai";
import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { ESCALATE_INSTRUCTIONS } from "../routing/escalate-tool";
import { withOfflineImageRequests } from "./offline-image-requests";

/** What a tool-less model says once the image tool has made the image the visitor asked for. */
const IMAGE_DONE_TEXT = "Here is the image you asked for.";

/**
 * A chat model that cannot call tools (e.g. a Workers AI model without function calling), made safe for
 * edgechat's turn: tools are never sent to it, and the escalation instructions are taken out of its
 * system prompt, so routing rests on the router's decision alone. Images still work from an explicit
 * request ("draw …", "show me a picture of …"): the tool is called for the model, as the offline models do.
 *
 * @example
 * const small = withoutToolCalling(workersAi("@cf/meta/llama-3.1-8b-instruct-fp8-fast"));
 */
export function withoutToolCalling(model: LanguageModelV3): LanguageModelV3 {
  const stripped = wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v3",
      transformParams: async ({ params }) => ({ ...params, tools: undefined, toolChoice: undefined, prompt: withoutEscalation(params.prompt) }),
    },
  });
  return withOfflineImageRequests(stripped, { doneText: IMAGE_DONE_TEXT });
}

function withoutEscalation(prompt: LanguageModelV3Prompt): LanguageModelV3Prompt {
  return prompt.map((message) =>
    message.role === "system" ? { ...message, content: message.content.replace(`\n\n${ESCALATE_INSTRUCTIONS}`, "") } : message,
  );
}
