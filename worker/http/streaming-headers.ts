/**
 * Headers every streamed response carries so that no proxy or CDN buffers,
 * compresses or caches it (any of those breaks server-sent events).
 */
export const STREAMING_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};
