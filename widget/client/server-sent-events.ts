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
  let buffer = "";
  let data: string[] = [];
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let lineEnd: number;
      while ((lineEnd = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (buffer[lineEnd] === "\r" && lineEnd === buffer.length - 1) break;
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
    reader.releaseLock();
  }
}
