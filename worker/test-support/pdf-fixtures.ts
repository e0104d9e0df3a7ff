// A tiny PDF writer for tests: multi-page text PDFs (any Unicode text, through a Type0 font whose ToUnicode
// map gives each character back), image-only "scans", encrypted and truncated files. Pure TypeScript, so the
// worker tests (workerd) and the Node fixture site share it.

const encoder = new TextEncoder();

function assemble(objects: string[], trailerExtra = ""): Uint8Array {
  let out = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1(out);
}

function byteLength(text: string): number {
  return text.length; // every character written is a single byte (Latin-1)
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, "0").toUpperCase();
}

/** A PDF with one page per entry of `pages`, each a few lines of text (any BMP characters). */
export function textPdf(pages: string[][]): Uint8Array {
  const chars = [...new Set(pages.flat().join(""))].map((char) => char.codePointAt(0)!).filter((code) => code <= 0xffff);
  const toUnicode = [
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def",
    "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ...chunk(chars, 100).map((group) => `${group.length} beginbfchar\n${group.map((code) => `<${hex4(code)}> <${hex4(code)}>`).join("\n")}\nendbfchar`),
    "endcmap CMapName currentdict /CMap defineresource pop end end",
  ].join("\n");
  const pageCount = pages.length;
  // 1 catalog, 2 pages, 3 font, 4 descendant, 5 tounicode, then (page, content) pairs.
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Count ${pageCount} /Kids [${pages.map((_, i) => `${6 + i * 2} 0 R`).join(" ")}] >>`,
    "<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
    "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /TestSans /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >> /DW 600 >>",
    stream(toUnicode),
  ];
  pages.forEach((lines, i) => {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${7 + i * 2} 0 R >>`);
    const text = lines.map((line, j) => `BT /F1 12 Tf 72 ${720 - j * 18} Td <${[...line].map((char) => hex4(char.codePointAt(0)!)).join("")}> Tj ET`).join("\n");
    objects.push(stream(text));
  });
  return assemble(objects);
}

/** A one-page PDF that is only an image (a scan without OCR): no text layer. */
export function imageOnlyPdf(): Uint8Array {
  return assemble([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
    stream("q 400 0 0 400 100 200 cm /Im1 Do Q"),
    `<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\u0000\u00ff\u00ff\u0000\nendstream`,
  ]);
}

/** A PDF encrypted with a user password (standard security handler, RC4 40-bit): unreadable without it. */
export function encryptedPdf(): Uint8Array {
  const owner = "(" + "\u00aa".repeat(32) + ")";
  const user = "(" + "\u0055".repeat(32) + ")";
  return assemble(
    [
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
      stream("\u00c3\u0019\u00a1\u0083\u0044\u0012"),
      `<< /Filter /Standard /V 1 /R 2 /O ${owner} /U ${user} /P -4 >>`,
    ],
    "/Encrypt 5 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] ",
  );
}

/** The first `fraction` of a text PDF's bytes: a download cut short. */
export function truncatedPdf(fraction = 0.3): Uint8Array {
  const whole = textPdf([["Truncated manual page one"], ["page two"]]);
  return whole.slice(0, Math.floor(whole.length * fraction));
}

function stream(content: string): string {
  const bytes = latin1(content);
  return `<< /Length ${bytes.length} >>\nstream\n${content}\nendstream`;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

void encoder;
