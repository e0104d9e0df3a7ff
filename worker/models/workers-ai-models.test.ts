import { describe, expect, it } from "vitest";
import { embedMany, generateImage, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";
import { ESCALATE_INSTRUCTIONS } from "../routing/escalate-tool";
import { createFakeAiBinding, FAKE_WORKERS_AI_USAGE, fakeWorkersAiAnswerFor } from "../test-support/fake-ai-binding";
import { workersAiChatModel, workersAiEmbeddingModel, workersAiImageModel, workersAiSupportsTools } from "./workers-ai-models";

const imageTool = tool({ description: "draw", inputSchema: z.object({ prompt: z.string() }), execute: async () => ({ status: "done" }) });

describe("Workers AI models through workers-ai-provider and the fake binding", () => {
  it("gpt-oss (chat completions format) streams text with usage, and calls tools", async () => {
    const ai = createFakeAiBinding();
    const model = workersAiChatModel("@cf/openai/gpt-oss-120b", { binding: ai.binding });
    const plain = streamText({ model, prompt: "What is edgechat?" });
    expect(await plain.text).toBe(fakeWorkersAiAnswerFor("What is edgechat?"));
    expect((await plain.totalUsage).inputTokens).toBe(FAKE_WORKERS_AI_USAGE.prompt_tokens);

    ai.reply("@cf/openai/gpt-oss-120b", { toolCall: { name: "generate_image", arguments: { prompt: "a red fox" } } });
    const withTool = streamText({ model, prompt: "Draw a fox", tools: { generate_image: imageTool }, stopWhen: stepCountIs(2) });
    await withTool.consumeStream();
    expect((await withTool.steps)[0]!.toolCalls.map((call) => [call.toolName, call.input])).toEqual([["generate_image", { prompt: "a red fox" }]]);
    // The second step got the tool's result and answered in text.
    expect(ai.callsOf("@cf/openai/gpt-oss-120b")).toHaveLength(3);
  });

  it("a model without function calling gets no tools and no escalation instructions, but still draws on an explicit request", async () => {
    const ai = createFakeAiBinding();
    const id = "@cf/meta/llama-3.1-8b-instruct-fp8-fast";
    expect(workersAiSupportsTools(id)).toBe(false);
    expect(workersAiSupportsTools(id, "@cf/other, @cf/meta/llama-3.1-8b-instruct-fp8-fast")).toBe(true);
    const model = workersAiChatModel(id, { binding: ai.binding });
    const tools = { generate_image: imageTool, escalate: tool({ description: "escalate", inputSchema: z.object({}) }) };
    const system = `Be helpful.\n\n${ESCALATE_INSTRUCTIONS}`;
    const answer = streamText({ model, system, prompt: "How do lighthouses work?", tools, stopWhen: stepCountIs(2) });
    await answer.consumeStream();
    const call = ai.callsOf(id)[0]!;
    expect(call.inputs.tools).toBeUndefined();
    expect(JSON.stringify(call.inputs.messages)).not.toContain("escalate");
    // An explicit request draws: one short sentence and the tool call, without a call of the model.
    const drawing = streamText({ model, system, prompt: "Draw a lighthouse at night", tools, stopWhen: stepCountIs(2) });
    await drawing.consumeStream();
    expect((await drawing.steps)[0]!.toolCalls.map((c) => c.toolName)).toEqual(["generate_image"]);
    const text = (await drawing.steps).map((step) => step.text).join(" ");
    expect(text).toContain("I'll draw a lighthouse at night for you.");
    expect(text).toContain("Here is the image you asked for.");
    expect(ai.callsOf(id)).toHaveLength(1);
  });

  it("embeds with the model's fixed dimensions and draws images from base64", async () => {
    const ai = createFakeAiBinding();
    const { embeddings } = await embedMany({ model: workersAiEmbeddingModel("@cf/baai/bge-small-en-v1.5", { binding: ai.binding }), values: ["a", "b c"] });
    expect(embeddings.map((vector) => vector.length)).toEqual([384, 384]);
    const { image } = await generateImage({ model: workersAiImageModel("@cf/black-forest-labs/flux-1-schnell", { binding: ai.binding }), prompt: "a fox", size: "1024x1024" });
    expect(image.mediaType).toBe("image/jpeg");
    expect(ai.calls.map((call) => call.options.gateway)).toEqual([undefined, undefined]);
  });

  it("turns the binding's capacity error into a retryable 429", async () => {
    const ai = createFakeAiBinding();
    ai.fail({ code: 3040 });
    const model = workersAiChatModel("@cf/openai/gpt-oss-20b", { binding: ai.binding });
    const call = model.doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
    await expect(call).rejects.toMatchObject({ statusCode: 429, isRetryable: true, data: { workersAIErrorCode: 3040 } });
  });
});
