import { useEffect, useRef, useState } from "preact/hooks";
import { consoleApi, messageOf } from "../api/console-api";
import { botUrl } from "../api/bots-api";
import type { ConsoleDocument } from "../api/console-types";
import { uploadFile, type UploadResult } from "../api/upload-file";
import { listSources, type Source } from "../api/sources-api";
import { BotTabs } from "../components/bot-tabs";
import { Notice } from "../components/form-field";
import { formatDate } from "../format";
import { canEdit, useSession } from "../session-context";

/** The file types the worker indexes; PDF when the worker was given a PDF reader (else it answers why not). */
export const ACCEPTED_EXTENSIONS = [".md", ".mdx", ".markdown", ".html", ".htm", ".txt", ".pdf"];

/** The registry's document states (worker/rag/document-registry.ts), for people. */
const STATUS_LABELS: Record<string, string> = { ready: "Indexed", indexing: "Indexing…", failed: "Failed" };

interface UploadRow {
  key: number;
  name: string;
  progress: number;
  state: "uploading" | "done" | "failed";
  message?: string;
}

/** /admin/bots/:id/documents: the registry as a table, uploads by picker or drop with a progress bar each. */
export function DocumentsPage({ botId }: { botId: string }) {
  const { member } = useSession();
  const [documents, setDocuments] = useState<ConsoleDocument[]>();
  const [error, setError] = useState<string>();
  const [uploads, setUploads] = useState<UploadRow[]>([]);
  const [dragging, setDragging] = useState(false);
  const [status, setStatus] = useState<string>();
  const picker = useRef<HTMLInputElement>(null);
  const nextKey = useRef(0);
  const editable = canEdit(member);

  const load = () =>
    consoleApi<{ documents: ConsoleDocument[] }>("GET", `${botUrl(botId)}/documents`).then(
      (body) => setDocuments(body.documents),
      (failure) => setError(messageOf(failure)),
    );
  useEffect(() => void load(), [botId]);
  // Which knowledge source each document came from (worker/sources): by the document's sourceId.
  const [sources, setSources] = useState<Map<string, Source>>(new Map());
  useEffect(() => void listSources(botId).then((list) => setSources(new Map(list.map((source) => [source.id, source]))), () => undefined), [botId, documents]);

  const update = (key: number, change: Partial<UploadRow>) => setUploads((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const upload = async (files: File[]) => {
    if (!files.length) return;
    const rows = files.map((file) => ({ key: nextKey.current++, name: file.name, progress: 0, state: "uploading" as const }));
    setUploads((current) => [...rows, ...current.filter((row) => row.state === "uploading")]);
    setStatus(`Uploading ${files.length} file${files.length > 1 ? "s" : ""}…`);
    // One request per file, side by side, each with its own progress.
    const results = await Promise.all(
      files.map(async (file, index) => {
        const row = rows[index]!;
        try {
          const result: UploadResult = await uploadFile(`${botUrl(botId)}/files`, file, (fraction) => update(row.key, { progress: fraction }));
          const failed = result.status === "failed";
          update(row.key, { state: failed ? "failed" : "done", progress: 1, message: failed ? (result.error?.message ?? "The file could not be indexed.") : result.status === "unchanged" ? "Unchanged: already indexed." : `Indexed, ${result.chunks ?? 0} chunks.` });
          return !failed;
        } catch (failure) {
          update(row.key, { state: "failed", message: messageOf(failure) });
          return false;
        }
      }),
    );
    const failedCount = results.filter((ok) => !ok).length;
    setStatus(failedCount ? `${results.length - failedCount} uploaded, ${failedCount} failed.` : `${results.length} uploaded.`);
    await load();
  };

  const remove = async (doc: ConsoleDocument) => {
    if (!confirm(`Delete "${doc.title}"? The bot stops answering from it.`)) return;
    try {
      await consoleApi("DELETE", `${botUrl(botId)}/documents/${encodeURIComponent(doc.id)}`);
      setStatus(`Deleted ${doc.title}.`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const reindex = async (doc: ConsoleDocument) => {
    try {
      setStatus(`Re-indexing ${doc.title}…`);
      await consoleApi("POST", `${botUrl(botId)}/documents/${encodeURIComponent(doc.id)}/reindex`);
      setStatus(`Re-indexed ${doc.title}.`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (editable) void upload([...(event.dataTransfer?.files ?? [])]);
  };

  return (
    <>
      <h1 tabIndex={-1}>Documents</h1>
      <BotTabs botId={botId} current="documents" />
      {error ? <Notice tone="error">{error}</Notice> : null}
      {editable ? (
        <section
          class={dragging ? "dropzone dragging" : "dropzone"}
          aria-labelledby="upload-heading"
          onDragOver={(event) => (event.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <h2 id="upload-heading">Add documents</h2>
          <p>
            Drop files here, or{" "}
            <button type="button" class="primary" onClick={() => picker.current?.click()}>
              choose files
            </button>
          </p>
          <p class="hint">Markdown, HTML, plain text or PDF ({ACCEPTED_EXTENSIONS.join(" ")}); several at once.</p>
          <input ref={picker} id="file-picker" type="file" multiple accept={ACCEPTED_EXTENSIONS.join(",")} class="sr-only" tabIndex={-1} aria-label="Files to upload" onChange={(e) => (void upload([...(e.currentTarget.files ?? [])]), (e.currentTarget.value = ""))} />
          {uploads.length ? (
            <ul class="uploads" aria-label="Uploads">
              {uploads.map((row) => (
                <li key={row.key} class={`upload ${row.state}`}>
                  <span class="upload-name">{row.name}</span>
                  <progress max={1} value={row.progress} aria-label={`Upload of ${row.name}`} />
                  <span class="upload-message">{row.state === "uploading" ? `${Math.round(row.progress * 100)}%` : row.message}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <p class="sr-only" role="status">
        {status}
      </p>
      {!documents && !error ? <p role="status">Loading documents…</p> : null}
      {documents && documents.length === 0 ? <p>No documents yet. The bot answers without sources until you add some.</p> : null}
      {documents && documents.length > 0 ? (
        <div class="table-wrap">
          <table class="data documents-table">
            <caption class="sr-only">Documents of this bot</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col" class="number">
                  Chunks
                </th>
                <th scope="col">Updated</th>
                <th scope="col">Error</th>
                {editable ? (
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {documents.map((doc) => (
                <tr key={doc.id}>
                  <th scope="row" class="doc-title">
                    {doc.title}
                  </th>
                  <td class="doc-source">
                    {doc.url || doc.id}
                    <span class="doc-from">{fromLabel(doc, sources)}</span>
                  </td>
                  <td>
                    <span class={`badge ${doc.status}`}>{STATUS_LABELS[doc.status] ?? doc.status}</span>
                  </td>
                  <td class="number">{doc.chunks ?? "—"}</td>
                  <td>{formatDate(doc.updatedAt)}</td>
                  <td class="doc-error">{typeof doc.error === "string" ? doc.error : (doc.error?.message ?? "")}</td>
                  {editable ? (
                    <td class="row-actions">
                      <button type="button" onClick={() => void reindex(doc)} aria-label={`Re-index ${doc.title}`}>
                        Re-index
                      </button>
                      <button type="button" class="danger" onClick={() => void remove(doc)} aria-label={`Delete ${doc.title}`}>
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** Where a document came from: its knowledge source ("From sitemap https://…") or an upload. */
function fromLabel(doc: ConsoleDocument, sources: Map<string, Source>): string {
  if (!doc.sourceId) return "Uploaded";
  const source = sources.get(doc.sourceId);
  return source ? `From ${source.kind === "url" ? "page" : source.kind} ${source.url}` : "From a source";
}
