import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MockLanguageModelV3 } from "ai/test";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { imageUrl, newImageId, saveImage, sniffImageType } from "../images/image-store";

const testEnv = env as unknown as EdgechatEnv & { IMAGES: R2Bucket };
const worker = createEdgechatWorker({ models: { chat: new MockLanguageModelV3(), source: "custom" } });
const provenance = { model: "m", bot: "demo", createdAt: "2026-01-01T00:00:00.000Z" };
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b]);

async function get(path: string, init?: RequestInit, bindings: EdgechatEnv = testEnv) {
  const ctx = createExecutionContext();
  const response = await worker.fetch!(new Request(`http://edgechat.test${path}`, init) as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("GET /v1/images/:id", () => {
  it("serves a stored image's exact bytes with its type, nosniff, an immutable cache header and ETag revalidation", async () => {
    const id = newImageId();
    await saveImage(testEnv.IMAGES, { id, bytes: GIF, mediaType: "image/gif", prompt: "a dot", provenance });
    const response = await get(imageUrl(id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("content-length")).toBe(String(GIF.length));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(GIF);
    const again = await get(imageUrl(id), { headers: { "if-none-match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
    const head = await get(imageUrl(id), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("image/gif");
  });

  it.each([
    ["an unknown id", "0123456789abcdef0123456789abcdef"],
    ["a malformed id", "not-an-id"],
    ["a path-like id", "..%2F..%2Fsecrets"],
    ["an upper-case id", "0123456789ABCDEF0123456789ABCDEF"],
  ])("answers %s with a 404 JSON error", async (_name, id) => {
    const response = await get(`/v1/images/${id}`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code: "image_not_found" } });
  });

  it("answers 404 when the worker has no image bucket", async () => {
    const response = await get("/v1/images/0123456789abcdef0123456789abcdef", undefined, { ...testEnv, IMAGES: undefined });
    expect(response.status).toBe(404);
  });

  it("refuses other methods with 405", async () => {
    const response = await get("/v1/images/0123456789abcdef0123456789abcdef", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});

describe("the image store", () => {
  it("refuses bytes that are not the image type they claim to be", async () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script>");
    await expect(saveImage(testEnv.IMAGES, { id: newImageId(), bytes: html, mediaType: "image/png", prompt: "x", provenance })).rejects.toThrow(/Refusing/);
    await expect(saveImage(testEnv.IMAGES, { id: newImageId(), bytes: GIF, mediaType: "image/png", prompt: "x", provenance })).rejects.toThrow(/Refusing/);
    await expect(saveImage(testEnv.IMAGES, { id: "../x", bytes: GIF, mediaType: "image/gif", prompt: "x", provenance })).rejects.toThrow(/id/);
  });

  it("recognises the storable image types by their bytes", () => {
    expect(sniffImageType(GIF)).toBe("image/gif");
    expect(sniffImageType(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]))).toBe("image/webp");
    expect(sniffImageType(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeUndefined();
    expect(sniffImageType(new Uint8Array())).toBeUndefined();
  });

  it("makes unguessable ids", () => {
    const ids = new Set(Array.from({ length: 100 }, newImageId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});
