/**
 * Makes untrusted document text safe and uniform before it is chunked, embedded or shown:
 * Unicode NFC, Windows and old-Mac line ends made "\n", control characters (except tab and
 * newline), bidirectional overrides and isolates (the "Trojan Source" characters), BOMs and
 * other invisible formatting characters removed.
 *
 * @example
 * cleanText("Caf\u0065\u0301\u202E!") // "Café!"
 */
export function cleanText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "")
    .replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\uFEFF\u00AD\u2028\u2029]/g, (char) =>
      char === "\u2028" || char === "\u2029" ? "\n" : "",
    );
}
