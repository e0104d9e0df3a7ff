/** The text layer of a PDF, one entry per page (page 1 first). */
export interface PdfText {
  pages: string[];
}

export class PdfUnreadableError extends Error {
  constructor(
    readonly reason: "encrypted" | "corrupt" | "no_text",
    message: string,
  ) {
    super(message);
    this.name = "PdfUnreadableError";
  }
}

/**
 * Extracts a PDF's text page by page with unpdf (PDF.js built for serverless runtimes). unpdf is imported
 * here, on the first PDF, never at worker startup: wrangler's esbuild keeps it in the bundle but evaluates it
 * only when this function first runs. Throws PdfUnreadableError for encrypted PDFs, corrupt or truncated
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
