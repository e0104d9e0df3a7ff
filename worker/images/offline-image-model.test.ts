import { describe, expect, it } from "vitest";
import { generateImage } from "ai";
import { createOfflineImageModel, drawPromptPattern, OFFLINE_IMAGE_NOTICE } from "./offline-image-model";
import { crc32, readPngChunks, writePng } from "./png-chunks";
import { IPTC_TRAINED_ALGORITHMIC_MEDIA, stampPngProvenance } from "./image-provenance";
import { decodePng, rgbAt } from "../test-support/decode-png";

const fixedTime = new Date("2026-03-04T05:06:07.000Z");

describe("offline image model", () => {
  it("returns a valid PNG of the requested size with provenance tEXt chunks", async () => {
    const model = createOfflineImageModel({ now: () => fixedTime });
    const { image, warnings } = await generateImage({
      model,
      prompt: "a red and blue diagram of the request path",
      size: "1536x1024",
      providerOptions: { edgechat: { bot: "demo" } },
    });
    expect(warnings).toEqual([]);
    expect(image.mediaType).toBe("image/png");
    const png = await decodePng(image.uint8Array);
    expect(png).toMatchObject({ width: 1536, height: 1024, bitDepth: 8, colourType: 2 });
    expect(png.chunkTypes[0]).toBe("IHDR");
    expect(png.chunkTypes.at(-1)).toBe("IEND");
    expect(png.text).toMatchObject({
      provenance: "ai-generated",
      model: "offline-image",
      bot: "demo",
      "Creation Time": "2026-03-04T05:06:07.000Z",
      DigitalSourceType: IPTC_TRAINED_ALGORITHMIC_MEDIA,
      Software: OFFLINE_IMAGE_NOTICE,
    });
    // The prompt's named colours are the gradient's ends: red at the top, blue at the bottom.
    expect(rgbAt(png, 0, 0)).toEqual([220, 38, 38]);
    expect(rgbAt(png, 1535, 1023)).not.toEqual(rgbAt(png, 0, 0));
  });

  it("is deterministic per prompt and differs between prompts", () => {
    const a = drawPromptPattern("a lighthouse at dusk", 64, 48);
    const b = drawPromptPattern("a lighthouse at dusk", 64, 48);
    const c = drawPromptPattern("a bowl of green apples", 64, 48);
    expect(sameBytes(a.pixels, b.pixels)).toBe(true);
    expect(sameBytes(a.pixels, c.pixels)).toBe(false);
    expect(new Set(Array.from(a.pixels)).size).toBeGreaterThan(4); // a pattern, not a flat fill
  });

  it("draws every image a call asks for and defaults to 1024x1024", async () => {
    const model = createOfflineImageModel();
    const result = await model.doGenerate({
      prompt: "x", n: 2, size: undefined, aspectRatio: undefined, seed: undefined, files: undefined, mask: undefined, providerOptions: {},
    });
    expect(result.images).toHaveLength(2);
    const png = await decodePng(result.images[0] as Uint8Array);
    expect([png.width, png.height]).toEqual([1024, 1024]);
    expect(png.text.bot).toBe("unknown");
  });
});

describe("PNG chunks", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("rejects a PNG with a corrupted byte", async () => {
    const { image } = await generateImage({ model: createOfflineImageModel(), prompt: "a cat", size: "1024x1024" });
    const bytes = image.uint8Array.slice();
    bytes[40] = bytes[40]! ^ 0xff;
    expect(() => readPngChunks(bytes)).toThrow(/CRC|chunk/);
  });

  it("stamps provenance once, replacing earlier stamps, and keeps the image data", async () => {
    const { image } = await generateImage({ model: createOfflineImageModel(), prompt: "waves", size: "1024x1024" });
    const stamped = stampPngProvenance(image.uint8Array, { model: "gpt-image-1-mini", bot: "acme", createdAt: "2026-01-01T00:00:00.000Z" });
    const png = await decodePng(stamped);
    expect(png.text).toMatchObject({ provenance: "ai-generated", model: "gpt-image-1-mini", bot: "acme" });
    expect(png.chunkTypes.filter((type) => type === "tEXt")).toHaveLength(6); // five provenance entries + Software
    const original = await decodePng(image.uint8Array);
    expect(sameBytes(png.raw, original.raw)).toBe(true);
    // Not a PNG: returned unchanged.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    expect(stampPngProvenance(jpeg, { model: "m", bot: "b", createdAt: "t" })).toBe(jpeg);
    // A PNG without any tEXt gets them right after IHDR.
    const bare = writePng(readPngChunks(image.uint8Array).filter((chunk) => chunk.type !== "tEXt"));
    const bareStamped = await decodePng(stampPngProvenance(bare, { model: "m", bot: "b", createdAt: "t" }));
    expect(bareStamped.chunkTypes.slice(0, 2)).toEqual(["IHDR", "tEXt"]);
  });
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
