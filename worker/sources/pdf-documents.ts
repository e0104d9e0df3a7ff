import { DEFAULT_CHUNK_OPTIONS } from "../rag/chunk-document";
import type { DocumentInput } from "../rag/ingest-documents";

/**
 * A PDF's pages as documents, one per page with text, so a citation links to the page: id `<id>:p<N>`, title
 * "<title>, page N", link `<url>#page=N` (the fragment PDF viewers open at that page). Pages with less text than
 * a chunk needs (a title page, a page number alone) are left out rather than failing the whole PDF. Used by
 * source syncs and file uploads alike.
 *
 * @example
 * pdfPageDocuments(["Intro", "", "Prices"], { id: "price-list.pdf", title: "price-list.pdf", url: "/docs/price-list.pdf" })
 * // → ids price-list.pdf:p1 and price-list.pdf:p3, links /docs/price-list.pdf#page=1 and #page=3
 */
export function pdfPageDocuments(pages: readonly string[], file: { id: string; title: string; url: string; sourceId?: string }): DocumentInput[] {
  const url = file.url.split("#")[0]!;
  const documents: DocumentInput[] = [];
  pages.forEach((text, i) => {
    if ((text.match(/[\p{L}\p{N}]/gu) ?? []).length < DEFAULT_CHUNK_OPTIONS.minChars) return;
    documents.push({ id: pdfPageId(file.id, i + 1), title: `${file.title}, page ${i + 1}`, url: `${url}#page=${i + 1}`, format: "text", content: text, ...(file.sourceId ? { sourceId: file.sourceId } : {}) });
  });
  return documents;
}

/** The id of page `page` of the PDF whose documents are `<id>:p<N>`. */
export function pdfPageId(id: string, page: number): string {
  return `${id}:p${page}`;
}

/** Whether `documentId` is a page of the PDF `id` (for removing pages a shorter version no longer has). */
export function isPdfPageOf(documentId: string, id: string): boolean {
  return documentId.startsWith(`${id}:p`) && /^\d+$/.test(documentId.slice(id.length + 2));
}

/** How to turn PDF reading on, for the messages of a worker without it. */
export const PDF_NOT_ENABLED =
  'This worker reads no PDFs: pass { pdfText: extractPdfText } (import { extractPdfText } from "edgechat/worker/pdf") to createEdgechatWorker (docs/knowledge-sources.md).';
