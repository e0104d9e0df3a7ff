/**
 * A minimal parser for server-sent events: it yields the `data` of each event.
 * It follows the EventSource rules edgechat needs (LF, CRLF or CR line ends, several
 * `data:` lines joined by "\n", comments and other fields ignored, a partial event at
 * the end dropped) in a few hundred bytes instead of a dependency.
 *
 * @example
 * for await (const data of readServerSentEvents(response.body!)) console.log(data);
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Cancelling the reader ends a pending read at once, even if the body ignores the abort.
  const cancel = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel);
  let buffer = "";
  let data: string[] = [];
  try {
    for (let done = false; !done && !signal?.aborted; ) {
      const result = await reader.read();
      done = result.done;
      buffer += done ? decoder.decode() : decoder.decode(result.value, { stream: true });
      let lineEnd: number;
      while ((lineEnd = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
        if (!done && buffer[lineEnd] === "\r" && lineEnd === buffer.length - 1) break;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + (buffer.startsWith("\r\n", lineEnd) ? 2 : 1));
        if (line === "") {
          if (data.length > 0) yield data.join("\n");
          data = [];
        } else if (line.startsWith("data:")) {
          data.push(line.slice(line[5] === " " ? 6 : 5));
        }
      }
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
}
