// Reads a chat answer (AI SDK UI message stream over SSE) as a client would, timing it.

/**
 * Reads the whole stream and returns the text, the number of text deltas, the chunk types seen, and
 * the times (ms from `started`) of the first byte and of the first text delta, and the `data-session`
 * part's data (`session`: sessionId and token, to continue the conversation).
 *
 * @param {Response} response
 * @param {number} started `performance.now()` when the request was sent
 * @returns {Promise<{ ok: boolean, error?: string, ttfb?: number, ttfd?: number, text: string, deltas: number, types: string[], session?: { sessionId: string, token: string } }>}
 */
export async function readChatStream(response, started) {
  const result = { ok: false, text: "", deltas: 0, types: [] };
  if (!response.ok || !response.body) return { ...result, error: `status ${response.status}: ${(await response.text()).slice(0, 200)}` };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let done = false;
  for (;;) {
    const { value, done: finished } = await reader.read();
    if (finished) break;
    result.ttfb ??= performance.now() - started;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const data = buffer.slice(0, end).replace(/^data: /, "");
      buffer = buffer.slice(end + 2);
      if (data === "[DONE]") {
        done = true;
        continue;
      }
      const chunk = JSON.parse(data);
      result.types.push(chunk.type);
      if (chunk.type === "data-session") result.session = chunk.data;
      if (chunk.type === "text-delta") {
        result.ttfd ??= performance.now() - started;
        result.text += chunk.delta;
        result.deltas++;
      }
      if (chunk.type === "error") return { ...result, error: chunk.errorText };
    }
  }
  return done ? { ...result, ok: true } : { ...result, error: "stream ended without [DONE]" };
}
