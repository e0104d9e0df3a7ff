// `edgechat ingest <files or folders> --bot <id> [--url <worker>]`: sends a docs folder to a
// worker's admin documents API, with a progress bar and a summary. `npm start` seeds the demo bot
// with the same `ingestPaths`, and `npm run eval:rag` reads docs with the same `collectDocuments`.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { DOCUMENT_FORMATS as FORMATS, documentIdForPath, documentLink, documentTitle } from "./document-files.mjs";

export const description = "Add or replace a bot's documents from files or folders (md, mdx, html, txt; pdf when the worker reads PDFs).";

const USAGE = `Usage: edgechat ingest <files or folders…> --bot <id> [options]

Options:
  --bot <id>          the bot whose documents these are (required)
  --url <worker>      the edgechat worker (default http://127.0.0.1:8787 or $EDGECHAT_URL)
  --token <token>     admin token (default $EDGECHAT_ADMIN_TOKEN, or ADMIN_TOKEN in ./.dev.vars)
  --base-url <url>    where visitors read the docs: a document's link is base-url + its path
                      without extension (default /docs/); a PDF's is base-url + its file name
                      + #page=N (PDFs go through the upload endpoint, one document per page)
  --help              show this help`;

/** Documents per request and bytes per request sent to the admin API. */
const BATCH_DOCUMENTS = 50;
const BATCH_BYTES = 4 * 1024 * 1024;

export async function run(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      bot: { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
      "base-url": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0 || !values.bot) {
    console.error(USAGE);
    return 1;
  }
  const token = values.token ?? process.env.EDGECHAT_ADMIN_TOKEN ?? tokenFromDevVars();
  if (!token) throw new Error("No admin token: pass --token, set EDGECHAT_ADMIN_TOKEN, or run from a folder whose .dev.vars has ADMIN_TOKEN.");
  const summary = await ingestPaths({
    paths: positionals,
    bot: values.bot,
    url: values.url ?? process.env.EDGECHAT_URL ?? "http://127.0.0.1:8787",
    token,
    baseUrl: values["base-url"] ?? "/docs/",
    progress: process.stderr.isTTY ? ttyProgress(process.stderr) : lineProgress(process.stderr),
  });
  printSummary(summary, process.stdout);
  return summary.failures.length > 0 ? 1 : 0;
}

/**
 * Collects documents from files and folders (recursively; md, mdx, markdown, html, htm, txt), and the PDFs to
 * upload as files (the worker reads them: `uploads`, each with its path on disk).
 * A document's id is its path relative to the folder given, with "/" written as ":".
 * @returns {{ documents: { id, path, title, url, format, content }[], uploads: { path, file }[], skipped: { path, reason }[] }}
 */
export function collectDocuments(paths, { baseUrl = "/docs/" } = {}) {
  const documents = [];
  const uploads = [];
  const skipped = [];
  const seen = new Map();
  for (const input of paths) {
    const root = resolve(input);
    if (!existsSync(root)) {
      skipped.push({ path: input, reason: "no such file or folder" });
      continue;
    }
    const isFolder = statSync(root).isDirectory();
    const files = isFolder ? walk(root) : [root];
    for (const file of files) {
      const format = FORMATS[extname(file).toLowerCase()];
      const path = (isFolder ? relative(root, file) : basename(file)).split(sep).join("/");
      if (extname(file).toLowerCase() === ".pdf") {
        uploads.push({ path, file });
        continue;
      }
      if (!format) {
        if (!isFolder) skipped.push({ path, reason: `unsupported file type (use ${Object.keys(FORMATS).join(", ")})` });
        continue;
      }
      const id = documentIdForPath(path);
      if (id.length > 128) {
        skipped.push({ path, reason: "path longer than 128 characters" });
        continue;
      }
      if (seen.has(id)) {
        skipped.push({ path, reason: `same document id as ${seen.get(id)}` });
        continue;
      }
      seen.set(id, path);
      const content = readFileSync(file, "utf8");
      documents.push({ id, path, title: documentTitle(content, format, path), url: documentLink(baseUrl, path), format, content });
    }
  }
  return { documents, uploads, skipped };
}

/**
 * Sends documents to `POST <url>/v1/admin/bots/<bot>/documents` in batches and reports progress.
 * @returns {Promise<{ documents: number, indexed: number, unchanged: number, chunks: number, seconds: number, failures: { path: string, reason: string }[] }>}
 */
export async function ingestPaths({ paths, bot, url, token, baseUrl = "/docs/", progress = () => {}, fetchImpl = fetch }) {
  const started = Date.now();
  const { documents, uploads, skipped } = collectDocuments(paths, { baseUrl });
  const total = documents.length + uploads.length;
  const summary = { documents: total, indexed: 0, unchanged: 0, chunks: 0, seconds: 0, failures: [...skipped] };
  const pathOf = new Map(documents.map((document) => [document.id, document.path]));
  let done = 0;
  progress(done, total, summary.chunks);
  for (const batch of batches(documents)) {
    let results;
    try {
      const response = await fetchImpl(`${url.replace(/\/$/, "")}/v1/admin/bots/${encodeURIComponent(bot)}/documents`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ documents: batch.map(({ path: _path, ...document }) => document) }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        const reason = body?.error?.message ?? `HTTP ${response.status}`;
        // Authentication and configuration problems fail every batch the same way: stop early.
        if (response.status === 401 || response.status === 503) throw new Error(reason);
        results = batch.map((document) => ({ id: document.id, status: "failed", chunks: 0, error: reason }));
      } else results = body.results;
    } catch (error) {
      if (error instanceof TypeError) throw new Error(`cannot reach ${url} (${error.cause?.code ?? error.message}). Is the worker running?`);
      throw error;
    }
    for (const result of results) {
      if (result.status === "indexed") summary.indexed++;
      else if (result.status === "unchanged") summary.unchanged++;
      else summary.failures.push({ path: pathOf.get(result.id) ?? result.id, reason: result.error ?? "failed" });
      if (result.status !== "failed") summary.chunks += result.chunks;
    }
    done += batch.length;
    progress(done, total, summary.chunks);
  }
  for (const upload of uploads) {
    const result = await uploadFile({ ...upload, bot, url, token, baseUrl, fetchImpl });
    if (result.status === "indexed") summary.indexed++;
    else if (result.status === "unchanged") summary.unchanged++;
    else summary.failures.push({ path: upload.path, reason: result.error?.message ?? result.error ?? "failed" });
    if (result.status !== "failed") summary.chunks += result.chunks;
    progress(++done, total, summary.chunks);
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/**
 * Sends one file to `POST <url>/v1/admin/bots/<bot>/files` (multipart, field `file`): the worker reads it (a PDF,
 * page by page, when it has a PDF reader; a 415 says how to enable one). Resolves with the file's result.
 */
async function uploadFile({ path, file, bot, url, token, baseUrl, fetchImpl }) {
  const form = new FormData();
  form.append("file", new Blob([readFileSync(file)], { type: "application/pdf" }), basename(path));
  form.append("baseUrl", baseUrl);
  let response;
  try {
    response = await fetchImpl(`${url.replace(/\/$/, "")}/v1/admin/bots/${encodeURIComponent(bot)}/files`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  } catch (error) {
    if (error instanceof TypeError) throw new Error(`cannot reach ${url} (${error.cause?.code ?? error.message}). Is the worker running?`);
    throw error;
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 503) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  if (!response.ok) return { status: "failed", chunks: 0, error: body?.error?.message ?? `HTTP ${response.status}` };
  return body.results?.[0] ?? { status: "failed", chunks: 0, error: "the worker answered no result" };
}

export function printSummary(summary, out) {
  out.write(
    `\n${summary.documents} documents: ${summary.indexed} indexed, ${summary.unchanged} unchanged, ${summary.failures.length} failed; ` +
      `${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s\n`,
  );
  for (const failure of summary.failures) out.write(`  ✗ ${failure.path}: ${failure.reason}\n`);
}

function* batches(documents) {
  let batch = [];
  let bytes = 0;
  for (const document of documents) {
    const size = Buffer.byteLength(document.content) + 1024;
    if (batch.length > 0 && (batch.length >= BATCH_DOCUMENTS || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(document);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

function walk(folder) {
  const files = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

function tokenFromDevVars() {
  if (!existsSync(".dev.vars")) return undefined;
  return /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1].trim();
}

function ttyProgress(stream) {
  return (done, total, chunks) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} documents, ${chunks} chunks`);
    if (done === total) stream.write("\n");
  };
}

export function lineProgress(stream) {
  let last = -1;
  return (done, total, chunks) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === last) return;
    last = percent;
    stream.write(`ingest: ${done}/${total} documents (${percent}%), ${chunks} chunks\n`);
  };
}
