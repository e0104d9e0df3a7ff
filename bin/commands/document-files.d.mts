export const DOCUMENT_FORMATS: Readonly<Record<string, "markdown" | "html" | "text">>;
export function documentIdForPath(path: string): string;
export function documentLink(baseUrl: string, path: string): string;
export function documentTitle(content: string, format: "markdown" | "html" | "text", path: string, decodeHtml?: (text: string) => string): string;
