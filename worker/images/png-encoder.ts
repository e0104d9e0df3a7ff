import { textChunk, writePng } from "./png-chunks";

/** An 8-bit RGB bitmap: `pixels` holds width × height × 3 bytes, row by row. */
export interface RgbBitmap {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Encodes an RGB bitmap as a PNG (colour type 2, 8 bits, no interlace), compressing the
 * image data with the runtime's zlib (`CompressionStream("deflate")` is RFC 1950 zlib, what
 * IDAT needs). `text` entries become tEXt chunks before the image data.
 *
 * @example
 * const png = await encodeRgbPng({ width: 1, height: 1, pixels: new Uint8Array([255, 0, 0]) }, { Software: "edgechat" });
 */
export async function encodeRgbPng(bitmap: RgbBitmap, text: Record<string, string> = {}): Promise<Uint8Array> {
  const { width, height, pixels } = bitmap;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 8192 || height > 8192) {
    throw new Error(`Invalid PNG dimensions ${width}x${height}.`);
  }
  if (pixels.length !== width * height * 3) throw new Error("The pixel buffer does not match the dimensions.");

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, truecolour, deflate, adaptive filtering, no interlace

  // Every scanline starts with its filter type; 0 (None) keeps the encoder simple, and zlib
  // still compresses the smooth patterns the offline model draws well.
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);

  return writePng([
    { type: "IHDR", data: header },
    ...Object.entries(text).map(([keyword, value]) => textChunk(keyword, value)),
    { type: "IDAT", data: await zlibCompress(raw) },
    { type: "IEND", data: new Uint8Array() },
  ]);
}

async function zlibCompress(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
