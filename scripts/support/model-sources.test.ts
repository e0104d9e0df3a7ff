import { describe, expect, it } from "vitest";
import { modelSourceLines } from "./model-sources.mjs";

describe("npm start's model summary", () => {
  it("names each part's source from the worker's health, e.g. a key in .dev.vars means OpenAI", () => {
    const lines = modelSourceLines({
      sources: {
        small: { source: "openai", model: "gpt-4.1-mini" },
        large: { source: "openai", model: "gpt-4.1" },
        embedding: { source: "openai", model: "text-embedding-3-small", dimensions: 1536 },
        image: { source: "openai", model: "gpt-image-1-mini" },
      },
    });
    expect(lines).toEqual([
      "  small tier:  OpenAI (gpt-4.1-mini)",
      "  large tier:  OpenAI (gpt-4.1)",
      "  embeddings:  OpenAI (text-embedding-3-small, 1536 dimensions)",
      "  images:      OpenAI (gpt-image-1-mini)",
    ]);
  });

  it("shows mixed sources and the gateway, and the hint only when everything is offline", () => {
    const mixed = modelSourceLines({
      sources: { small: { source: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast" }, large: { source: "openai", model: "gpt-4.1" } },
      aiGateway: true,
    });
    expect(mixed).toEqual([
      "  small tier:  Workers AI (@cf/meta/llama-3.1-8b-instruct-fp8-fast)",
      "  large tier:  OpenAI (gpt-4.1)",
      "  all calls go through Cloudflare AI Gateway (AI_GATEWAY_ID)",
    ]);
    const offline = modelSourceLines({ sources: { small: { source: "offline", model: "offline-small" }, large: { source: "offline", model: "offline-large" } } });
    expect(offline.at(-1)).toContain("set OPENAI_API_KEY in .dev.vars");
  });
});
