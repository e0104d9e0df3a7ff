// What PDF text extraction returns and how it fails, apart from the extractor itself (pdf-text.ts), so
// code that only handles PDFs' results never pulls unpdf (about 550 KiB gzip) into a Worker's bundle.

/** The text layer of a PDF, one entry per page (page 1 first). */
export interface PdfText {
  pages: string[];
}

export class PdfUnreadableError extends Error {
  constructor(
    readonly reason: "encrypted" | "corrupt" | "no_text" | "unsupported",
    message: string,
  ) {
    super(message);
    this.name = "PdfUnreadableError";
  }
}

/** Extracts a PDF's text page by page: `extractPdfText` (edgechat/worker), passed in where PDFs are wanted. */
export type PdfTextExtractor = (bytes: Uint8Array) => Promise<PdfText>;
