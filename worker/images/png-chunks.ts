/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk of a PNG file: its four-letter type and its data (length and CRC are derived). */
export interface PngChunk {
  type: string;
  data: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 as PNG (and zlib, gzip) define it.
 *
 * @example
 * crc32(new TextEncoder().encode("IEND")) // 0xae426082
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Tells whether bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * Splits a PNG file into its chunks, checking the signature, every chunk's bounds and CRC,
 * and that the file ends with IEND. Throws on anything else: callers never handle a broken PNG.
 */
export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (!isPng(bytes)) throw new Error("Not a PNG file: the signature is missing.");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new Error("Truncated PNG chunk header.");
    const length = view.getUint32(offset);
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) throw new Error("Truncated PNG chunk.");
    const type = String.fromCharCode(...bytes.subarray(offset + 4, dataStart));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`Invalid PNG chunk type ${JSON.stringify(type)}.`);
    const expectedCrc = view.getUint32(dataEnd);
    if (crc32(bytes, offset + 4, dataEnd) !== expectedCrc) throw new Error(`CRC mismatch in PNG chunk ${type}.`);
    chunks.push({ type, data: bytes.subarray(dataStart, dataEnd) });
    offset = dataEnd + 4;
    if (type === "IEND") break;
  }
  if (chunks[0]?.type !== "IHDR") throw new Error("A PNG must start with an IHDR chunk.");
  if (chunks.at(-1)?.type !== "IEND") throw new Error("A PNG must end with an IEND chunk.");
  return chunks;
}

/** Serialises chunks (with lengths and CRCs) behind the PNG signature. */
export function writePng(chunks: readonly PngChunk[]): Uint8Array {
  const total = PNG_SIGNATURE.length + chunks.reduce((sum, chunk) => sum + 12 + chunk.data.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE, 0);
  let offset = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    view.setUint32(offset, chunk.data.length);
    for (let i = 0; i < 4; i++) out[offset + 4 + i] = chunk.type.charCodeAt(i);
    out.set(chunk.data, offset + 8);
    view.setUint32(offset + 8 + chunk.data.length, crc32(out, offset + 4, offset + 8 + chunk.data.length));
    offset += 12 + chunk.data.length;
  }
  return out;
}

/**
 * A tEXt chunk: Latin-1 keyword (1–79 characters), a NUL, Latin-1 text. Characters outside
 * Latin-1 are replaced by "?" so the chunk stays valid whatever the input.
 */
export function textChunk(keyword: string, text: string): PngChunk {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || keyword.startsWith(" ") || keyword.endsWith(" ")) {
    throw new Error(`Invalid PNG text keyword ${JSON.stringify(keyword)}.`);
  }
  const latin1 = (value: string) => Uint8Array.from(value, (char) => (char.charCodeAt(0) <= 0xff ? char.charCodeAt(0) : 0x3f));
  const key = latin1(keyword);
  const value = latin1(text.replace(/\u0000/g, ""));
  const data = new Uint8Array(key.length + 1 + value.length);
  data.set(key, 0);
  data.set(value, key.length + 1);
  return { type: "tEXt", data };
}

/** Reads a tEXt chunk's keyword and text. */
export function readTextChunk(chunk: PngChunk): { keyword: string; text: string } {
  const nul = chunk.data.indexOf(0);
  if (chunk.type !== "tEXt" || nul < 1) throw new Error("Not a valid tEXt chunk.");
  const decode = (bytes: Uint8Array) => String.fromCharCode(...bytes);
  return { keyword: decode(chunk.data.subarray(0, nul)), text: decode(chunk.data.subarray(nul + 1)) };
}
