// Public surface of `edgechat/worker/pdf`: PDF reading for `createEdgechatWorker({ pdfText: extractPdfText })`.
// A separate entry, so only Workers that import it bundle unpdf (PDF.js, about 550 KiB gzip): install `unpdf`
// beside edgechat to use it (docs/knowledge-sources.md).
export { extractPdfText, PdfUnreadableError, type PdfText, type PdfTextExtractor } from "./sources/pdf-text";
