/**
 * Decodes a fetched body by its declared charset: the Content-Type header's `charset`, else a `<meta charset>`
 * (or http-equiv) within the first 1024 bytes, else UTF-8. Throws for bodies that look binary (NUL bytes in
 * the first 1024), whatever their declared type.
 *
 * @example
 * decodeText(new Uint8Array([0x43, 0x61, 0x66, 0xe9]), "text/html; charset=windows-1252") // "Café"
 */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  const head = bytes.subarray(0, 1024);
  if (head.includes(0)) throw new BinaryContentError();
  const declared = charsetOf(contentType ?? "") ?? charsetOf(metaCharset(head) ?? "") ?? "utf-8";
  const label = declared.toLowerCase();
  if (SINGLE_BYTE_LATIN.has(label)) return decodeWindows1252(bytes);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function charsetOf(value: string): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(value)?.[1];
}

function metaCharset(head: Uint8Array): string | undefined {
  const text = String.fromCharCode(...head);
  const meta = /<meta\s+charset\s*=\s*["']?([\w.:-]+)/i.exec(text)?.[1];
  return meta ? `charset=${meta}` : /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w.:-]+)/i.exec(text)?.[1]?.replace(/^/, "charset=");
}

// The WHATWG Encoding standard maps all these labels to windows-1252; workerd's TextDecoder knows only UTF-8/16.
const SINGLE_BYTE_LATIN = new Set(["windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1", "ascii", "us-ascii", "iso-8859-15", "iso_8859-1"]);
// Code points of bytes 0x80-0x9f in windows-1252 (the rest equals Latin-1).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let text = "";
  for (let start = 0; start < bytes.length; start += 8192) {
    const codes = Array.from(bytes.subarray(start, start + 8192), (byte) => (byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : byte));
    text += String.fromCharCode(...codes);
  }
  return text;
}

/** A body declared as text that is not: NUL bytes where text has none. */
export class BinaryContentError extends Error {
  constructor() {
    super("The file is binary, not text (whatever its name or declared type says).");
    this.name = "BinaryContentError";
  }
}
