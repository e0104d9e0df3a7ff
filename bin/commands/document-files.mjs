// How a documentation file becomes a document, shared by `edgechat ingest` (which reads files from disk) and
// the worker's file uploads (worker/console/document-upload.ts): its format by extension, id, title and link.

/** The document format of each file extension the product reads. */
export const DOCUMENT_FORMATS = { ".md": "markdown", ".mdx": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text" };

/**
 * A document id from a file path ("guides/setup.md" → "guides:setup.md"): "/" written as ":", anything else
 * outside [\w.:-] as "-".
 */
export function documentIdForPath(path) {
  return path.replace(/\//g, ":").replace(/[^\w.:-]/g, "-");
}

/** Where visitors read a document: baseUrl + its path without extension, each segment URL-encoded. */
export function documentLink(baseUrl, path) {
  const withoutExtension = path.replace(/\.[^./]+$/, "");
  return `${baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`}${withoutExtension.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * A document's title: Markdown front matter `title:` or first `#` heading, HTML `<title>` or `<h1>` (its text,
 * through `decodeHtml` for character references), else the file name ("getting-started.md" → "Getting started").
 * At most 300 characters.
 */
export function documentTitle(content, format, path, decodeHtml = (text) => text) {
  if (format === "markdown") {
    const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(content);
    const title = frontMatter && /^title:\s*["']?(.+?)["']?\s*$/m.exec(frontMatter[1]);
    if (title) return title[1].slice(0, 300);
    const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(content);
    if (heading) return heading[1].replace(/[*_`]/g, "").slice(0, 300);
  }
  if (format === "html") {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(content) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(content);
    const text = title && decodeHtml(title[1].replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();
    if (text) return text.slice(0, 300);
  }
  const name = (path.split("/").pop() ?? path).replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ").trim() || path;
  return (name.charAt(0).toUpperCase() + name.slice(1)).slice(0, 300);
}
