import { HttpError } from "../http/http-error";
import { readAtMost } from "../http/read-json-body";
import type { DocumentFormat } from "../rag/chunk-document";
import type { DocumentInput, IngestDependencies } from "../rag/ingest-documents";
import { decodeEntities } from "../rag/html-to-markdown";
import { DOCUMENT_FORMATS, documentIdForPath, documentLink, documentTitle } from "../../bin/commands/document-files.mjs";
import { DOCUMENT_LIMITS, isSafeLink } from "../routes/admin-documents-route";
import { isPdfPageOf, PDF_NOT_ENABLED, pdfPageDocuments } from "../sources/pdf-documents";
import { PdfUnreadableError, type PdfTextExtractor } from "../sources/pdf-text-types";
import { DocumentRegistry } from "../rag/document-registry";
import { indexDocuments, removeDocument } from "./bot-documents";

/**
 * Upload limits. Workers accept request bodies up to 100 MB (Free and Pro plans); the whole upload is held
 * in memory (128 MB per isolate) and indexed in one request, so we stay far below: 10 MB per request, and
 * per file the same 2 MB of text as the JSON documents API.
 */
export const UPLOAD_LIMITS = { maxRequestBytes: 10 * 1024 * 1024, maxFileBytes: DOCUMENT_LIMITS.maxContentBytes, maxFiles: 50 } as const;

/**
 * The text file types an upload understands, by extension: the document format and how to get its text.
 * PDF (`.pdf`) joins them when the worker has a PDF reader (`createEdgechatWorker({ pdfText })`): a PDF becomes
 * one document per page (worker/sources/pdf-documents.ts), cited as `<baseUrl><name>.pdf#page=N`.
 */
export const FILE_TYPES: Readonly<Record<string, { format: DocumentFormat; toText: (bytes: Uint8Array) => Promise<string> | string }>> = Object.fromEntries(
  Object.entries(DOCUMENT_FORMATS).map(([extension, format]) => [extension, { format, toText: utf8Text }]),
);

/** What an upload may read beyond text files: PDFs, when the worker was given a reader. */
export interface UploadOptions {
  pdfText?: PdfTextExtractor;
}

/** One file's outcome; `error.code` is `unsupported_type` (a 415 for that file), `invalid_text`, `duplicate_name` or `indexing_failed`. */
export interface FileResult {
  file: string;
  id: string;
  status: "indexed" | "unchanged" | "failed";
  chunks: number;
  error?: { code: string; message: string };
}

/**
 * Indexes the files of a multipart/form-data upload (field `file`, repeated; optional field `baseUrl`, where
 * visitors read the documents: a document's citation link is baseUrl + its name without extension, default
 * "/docs/"). A document's id is its file name. 413 (nothing stored) when the request or any file is over the
 * limits; a file of an unknown type fails alone (`unsupported_type`) while the others are indexed, and 415
 * `unsupported_type` (nothing stored) when no file of the upload has a type this worker reads — a PDF sent to a
 * worker without a PDF reader says how to enable one.
 *
 * @example
 * const results = await uploadDocumentFiles(deps, "demo", request);
 */
export async function uploadDocumentFiles(deps: IngestDependencies, botId: string, request: Request, options: UploadOptions = {}): Promise<FileResult[]> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new HttpError(415, "unsupported_media_type", "Send the files as multipart/form-data, each in a field named `file`.");
  }
  if (Number(request.headers.get("content-length") ?? "0") > UPLOAD_LIMITS.maxRequestBytes) throw requestTooLarge();
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(request, UPLOAD_LIMITS.maxRequestBytes);
  } catch (error) {
    throw error instanceof HttpError && error.status === 413 ? requestTooLarge() : error;
  }
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new HttpError(400, "invalid_request", "The upload is not valid multipart/form-data.");
  }
  const files = (form.getAll("file") as unknown as (File | string)[]).filter((entry): entry is File => typeof entry !== "string");
  if (files.length === 0) throw new HttpError(400, "invalid_request", "Add at least one file in a field named `file`.");
  if (files.length > UPLOAD_LIMITS.maxFiles) throw new HttpError(413, "too_many_files", `Send at most ${UPLOAD_LIMITS.maxFiles} files per request.`);
  const tooLarge = files.find((file) => file.size > UPLOAD_LIMITS.maxFileBytes);
  if (tooLarge) {
    throw new HttpError(413, "file_too_large", `"${tooLarge.name}" is larger than ${UPLOAD_LIMITS.maxFileBytes / (1024 * 1024)} MB; nothing was stored.`);
  }
  const baseUrl = parseBaseUrl(form.get("baseUrl") as File | string | null);

  const extensionOf = (name: string) => /\.[^.]+$/.exec(name)?.[0]?.toLowerCase() ?? "";
  const readable = (extension: string) => extension in FILE_TYPES || (extension === ".pdf" && options.pdfText !== undefined);
  const supported = [...Object.keys(FILE_TYPES), ...(options.pdfText ? [".pdf"] : [])].join(", ");
  const typeError = (name: string) =>
    extensionOf(name) === ".pdf" ? `"${name}" is a PDF. ${PDF_NOT_ENABLED} This worker reads ${supported}.` : `"${name}" is not a supported file type (use ${supported}).`;
  if (!files.some((file) => readable(extensionOf(fileName(file.name))))) {
    throw new HttpError(415, "unsupported_type", files.map((file) => typeError(fileName(file.name))).join(" "));
  }

  const results: FileResult[] = [];
  // Each file's documents (a PDF's pages, else one), by the index of its result.
  const documents: { index: number; document: DocumentInput }[] = [];
  const pdfIds: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const name = fileName(file.name);
    const id = documentIdForPath(name).slice(0, 120);
    const failed = (code: string, message: string) => results.push({ file: name, id, status: "failed", chunks: 0, error: { code, message } });
    const extension = extensionOf(name);
    if (!readable(extension)) {
      failed("unsupported_type", typeError(name));
      continue;
    }
    if (seen.has(id)) {
      failed("duplicate_name", `Another file of this upload is also named "${name}".`);
      continue;
    }
    seen.add(id);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (extension === ".pdf") {
      try {
        const { pages } = await options.pdfText!(bytes);
        const pageDocuments = pdfPageDocuments(pages, { id, title: name, url: `${baseUrl}${encodeURIComponent(name)}` });
        if (pageDocuments.length === 0) throw new PdfUnreadableError("no_text", `none of its ${pages.length} page(s) has enough text to index.`);
        for (const document of pageDocuments) documents.push({ index: results.length, document });
        pdfIds.push(id);
      } catch (error) {
        if (error instanceof PdfUnreadableError) failed(`pdf_${error.reason}`, `"${name}": ${error.message}`);
        else failed("pdf_corrupt", `"${name}" could not be read as a PDF.`);
        continue;
      }
      results.push({ file: name, id, status: "indexed", chunks: 0 });
      continue;
    }
    const type = FILE_TYPES[extension]!;
    let content: string;
    try {
      content = await type.toText(bytes);
    } catch {
      failed("invalid_text", `"${name}" is not readable text (UTF-8 expected).`);
      continue;
    }
    documents.push({ index: results.length, document: { id, title: documentTitle(content, type.format, name, decodeEntities), url: documentLink(baseUrl, name), format: type.format, content } });
    results.push({ file: name, id, status: "indexed", chunks: 0 });
  }
  if (documents.length > 0) {
    const indexed = await indexDocuments(deps, botId, documents.map((entry) => entry.document));
    const byFile = new Map<number, typeof indexed>();
    documents.forEach((entry, i) => byFile.set(entry.index, [...(byFile.get(entry.index) ?? []), indexed[i]!]));
    for (const [index, outcomes] of byFile) {
      const failure = outcomes.find((outcome) => outcome.status === "failed");
      results[index] = {
        ...results[index]!,
        status: failure ? "failed" : outcomes.some((outcome) => outcome.status === "indexed") ? "indexed" : "unchanged",
        chunks: outcomes.reduce((sum, outcome) => sum + outcome.chunks, 0),
        ...(failure ? { error: { code: "indexing_failed", message: failure.error ?? "Indexing failed." } } : {}),
      };
    }
  }
  // A new version of a PDF with fewer pages (or fewer pages with text): its old pages' documents go.
  if (pdfIds.length > 0) {
    const kept = new Set(documents.map((entry) => entry.document.id));
    for (const record of await new DocumentRegistry(deps.db).list(botId)) {
      if (!kept.has(record.id) && pdfIds.some((id) => isPdfPageOf(record.id, id))) await removeDocument(deps, botId, record.id);
    }
  }
  return results;
}

function utf8Text(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}

function requestTooLarge(): HttpError {
  return new HttpError(413, "payload_too_large", `An upload may have at most ${UPLOAD_LIMITS.maxRequestBytes / (1024 * 1024)} MB; nothing was stored.`);
}

/** The file's own name, without any folder a browser or client put before it. */
function fileName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? "").slice(0, 200) || "file";
}

function parseBaseUrl(value: File | string | null): string {
  if (value === null || value === "") return "/docs/";
  if (typeof value !== "string" || value.length > 1000 || !isSafeLink(value)) {
    throw new HttpError(400, "invalid_request", "`baseUrl` must be an http(s) URL or a path starting with \"/\".", {}, { baseUrl: "must be an http(s) URL or a path starting with /" });
  }
  return value.endsWith("/") ? value : `${value}/`;
}
