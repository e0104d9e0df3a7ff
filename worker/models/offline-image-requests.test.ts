import { describe, expect, it } from "vitest";
import { streamText, stepCountIs, tool } from "ai";
import { z } from "zod";
import { groundedPrompt } from "../rag/grounded-prompt";
import { offlineImageRequest, withOfflineImageRequests } from "./offline-image-requests";
import { createOfflineLanguageModel } from "./offline-language-model";

describe("offlineImageRequest", () => {
  it.each([
    ["Draw a diagram of the request path", "a diagram of the request path", "1024x1024"],
    ["Can you draw me a cat wearing a hat?", "a cat wearing a hat", "1024x1024"],
    ["Show me a picture of a lighthouse", "a picture of a lighthouse", "1024x1024"],
    ["show me a mock-up of the settings page", "a mock-up of the settings page", "1024x1024"],
    ["Generate an image of a red fox, landscape please", "an image of a red fox, landscape please", "1536x1024"],
    ["Please create a tall poster for our launch", "a tall poster for our launch", "1024x1536"],
    ["sketch the architecture", "the architecture", "1024x1024"],
  ])("%s", (text, prompt, size) => {
    const request = offlineImageRequest(text);
    expect(request).toEqual({ prompt, size });
  });

  it.each([
    "How do I upload an image to my bucket?",
    "What image formats does Acme Cloud support?",
    "Is there a diagram in the docs?",
    "My withdrawal failed",
    "Reset my password",
    "",
  ])("leaves %j alone", (text) => {
    expect(offlineImageRequest(text)).toBeUndefined();
  });
});

describe("withOfflineImageRequests", () => {
  const imageTool = (outputs: unknown[]) =>
    tool({
      inputSchema: z.object({ prompt: z.string(), size: z.string().optional() }),
      execute: async (input) => {
        outputs.push(input);
        return { status: "failed", message: "No image was made: the daily limit is reached." };
      },
    });

  it("says in one sentence what it will draw, calls generate_image, then says plainly what happened", async () => {
    const inputs: unknown[] = [];
    const model = withOfflineImageRequests(createOfflineLanguageModel());
    // Retrieval found an unrelated passage: the old answer quoted it as "From the documentation".
    const { system } = groundedPrompt("", [{ documentId: "dns", chunkIndex: 0, title: "Custom domains", url: "/dns", heading: "", text: "Then create the DNS record we show you at your DNS provider." }]);
    const result = streamText({ model, system, prompt: "Draw a green turtle", tools: { generate_image: imageTool(inputs) }, stopWhen: stepCountIs(3) });
    const text = (await result.steps).map((step) => step.text).join("");
    expect(inputs).toEqual([{ prompt: "a green turtle", size: "1024x1024" }]);
    expect(text).toMatch(/^I'll draw a green turtle for you\./);
    expect(text).not.toContain("From the documentation");
    expect(text).toContain("I could not make the image. No image was made: the daily limit is reached.");
    expect((await result.steps).length).toBe(2);
  });

  it("does not call a tool that is not offered", async () => {
    const model = withOfflineImageRequests(createOfflineLanguageModel());
    const result = streamText({ model, prompt: "Draw a green turtle" });
    expect((await result.toolCalls).length).toBe(0);
    expect(await result.text).toContain("offline model");
  });
});
