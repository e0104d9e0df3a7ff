import { describe, expect, it } from "vitest";
import { clampImagePrompt, clampImageSize, MAX_IMAGE_PROMPT_CHARS } from "./image-request-limits";

describe("clampImagePrompt", () => {
  it("cuts long prompts to the limit in code points, never splitting a surrogate pair", () => {
    expect(clampImagePrompt("a".repeat(5000))).toHaveLength(MAX_IMAGE_PROMPT_CHARS);
    const emoji = "🦊".repeat(1200);
    const clamped = clampImagePrompt(emoji);
    expect(Array.from(clamped)).toHaveLength(MAX_IMAGE_PROMPT_CHARS);
    expect(clamped.endsWith("🦊")).toBe(true); // no half surrogate at the end
  });
  it("removes control characters and collapses whitespace", () => {
    expect(clampImagePrompt("  a cat\n\n\ton a\u0007 mat ")).toBe("a cat on a mat");
    expect(clampImagePrompt(" \n ")).toBe("");
  });
});

describe("clampImageSize", () => {
  it.each([
    [undefined, "1024x1024"],
    ["1024x1024", "1024x1024"],
    ["1536x1024", "1536x1024"],
    ["1024X1536", "1024x1536"],
    ["1792x1024", "1536x1024"],
    ["256x512", "1024x1536"],
    ["4096x4096", "1024x1024"],
    ["0x100", "1024x1024"],
    ["huge", "1024x1024"],
    ["1024x1024; drop table", "1024x1024"],
  ])("%s -> %s", (requested, expected) => {
    expect(clampImageSize(requested)).toBe(expected);
  });
});
