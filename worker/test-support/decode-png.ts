// A strict PNG reader for tests: it checks what a browser would, so a test that passes means
// the bytes really are a PNG of the stated size.
import { readPngChunks, readTextChunk } from "../images/png-chunks";

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** Filtered scanlines after inflating all IDAT chunks. */
  raw: Uint8Array;
  text: Record<string, string>;
  chunkTypes: string[];
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export async function decodePng(bytes: Uint8Array): Promise<DecodedPng> {
  const chunks = readPngChunks(bytes); // signature, CRCs, IHDR first, IEND last
  const header = chunks[0]!.data;
  if (header.length !== 13) throw new Error("IHDR must be 13 bytes.");
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colourType, compression, filter, interlace] = header.subarray(8);
  if (width < 1 || height < 1) throw new Error("Zero-sized PNG.");
  if (compression !== 0 || filter !== 0 || interlace !== 0) throw new Error("Unsupported PNG method.");
  const channels = CHANNELS[colourType!];
  if (!channels || bitDepth !== 8) throw new Error(`Unsupported colour type ${colourType} / depth ${bitDepth}.`);

  const idat = chunks.filter((chunk) => chunk.type === "IDAT");
  if (idat.length === 0) throw new Error("No IDAT chunk.");
  const firstIdat = chunks.findIndex((chunk) => chunk.type === "IDAT");
  const lastIdat = chunks.findLastIndex((chunk) => chunk.type === "IDAT");
  if (lastIdat - firstIdat + 1 !== idat.length) throw new Error("IDAT chunks must be consecutive.");
  const compressed = new Uint8Array(idat.reduce((sum, chunk) => sum + chunk.data.length, 0));
  let offset = 0;
  for (const chunk of idat) {
    compressed.set(chunk.data, offset);
    offset += chunk.data.length;
  }
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate"));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  const stride = width * channels + 1;
  if (raw.length !== stride * height) throw new Error(`Inflated ${raw.length} bytes, expected ${stride * height}.`);
  for (let y = 0; y < height; y++) if (raw[y * stride]! > 4) throw new Error(`Bad filter type on row ${y}.`);

  const text: Record<string, string> = {};
  for (const chunk of chunks) {
    if (chunk.type === "tEXt") {
      const { keyword, text: value } = readTextChunk(chunk);
      text[keyword] = value;
    }
  }
  return { width, height, bitDepth: bitDepth!, colourType: colourType!, raw, text, chunkTypes: chunks.map((chunk) => chunk.type) };
}

/** The RGB pixel at (x, y) of an unfiltered (filter 0) truecolour PNG. */
export function rgbAt(png: DecodedPng, x: number, y: number): [number, number, number] {
  const stride = png.width * 3 + 1;
  if (png.raw[y * stride] !== 0) throw new Error("rgbAt reads only unfiltered rows.");
  const i = y * stride + 1 + x * 3;
  return [png.raw[i]!, png.raw[i + 1]!, png.raw[i + 2]!];
}
