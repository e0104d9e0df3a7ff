import { PdfUnreadableError, type PdfText } from "./pdf-text-types";

export { PdfUnreadableError, type PdfText, type PdfTextExtractor } from "./pdf-text-types";

/**
 * Extracts a PDF's text page by page with unpdf (PDF.js built for serverless runtimes). PDF support is
 * opt-in: a Worker that passes this function to `createEdgechatWorker({ pdfText: extractPdfText })` bundles
 * unpdf (about 550 KiB gzip; evaluated only on the first PDF); one that does not, uploads without it. Throws PdfUnreadableError for encrypted PDFs, corrupt or truncated
 * files, and PDFs without any text layer (scans), each with a sentence an owner understands.
 *
 * @example
 * const { pages } = await extractPdfText(bytes); // pages[0] is page 1's text
 */
export async function extractPdfText(bytes: Uint8Array): Promise<PdfText> {
  const { getDocumentProxy, extractText } = await import("unpdf");
  let pages: string[];
  try {
    const document = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, useSystemFonts: false, stopAtErrors: true });
    try {
      pages = (await extractText(document, { mergePages: false })).text;
    } finally {
      await document.destroy();
    }
  } catch (error) {
    const name = (error as { name?: string } | null)?.name ?? "";
    if (name === "PasswordException") throw new PdfUnreadableError("encrypted", "The PDF is encrypted (password protected); upload an unprotected copy.");
    const detail = error instanceof Error ? error.message : String(error);
    throw new PdfUnreadableError("corrupt", `The PDF could not be read (corrupt or truncated): ${detail}`.slice(0, 300));
  }
  const cleaned = pages.map((page) => page.replace(/[ \t]+/g, " ").replace(/\n{3,}/g, "\n\n").trim());
  if (cleaned.every((page) => page === "")) {
    throw new PdfUnreadableError("no_text", `The PDF has ${cleaned.length} page(s) but no text layer (a scan?); it needs OCR before it can be indexed.`);
  }
  return { pages: cleaned };
}
