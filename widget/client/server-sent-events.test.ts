import { describe, expect, it } from "vitest";
import { readServerSentEvents } from "./server-sent-events";

function streamOf(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const events: string[] = [];
  for await (const data of readServerSentEvents(stream)) events.push(data);
  return events;
}

describe("readServerSentEvents", () => {
  it("yields the data of each event", async () => {
    expect(await collect(streamOf('data: {"a":1}\n\ndata: [DONE]\n\n'))).toEqual(['{"a":1}', "[DONE]"]);
  });

  it("joins events split across chunks, even inside a line or a multi-byte character", async () => {
    const bytes = new TextEncoder().encode("data: héllo wörld\n\n");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual(["héllo wörld"]);
  });

  it("accepts CRLF and CR line ends, joins multi-line data, ignores comments and other fields", async () => {
    expect(await collect(streamOf(": comment\r\nevent: x\r\ndata: a\r\ndata:b\r\n\r\n", "data: c\r\r"))).toEqual(["a\nb", "c"]);
  });

  it("handles a CRLF split between two chunks as one line end", async () => {
    expect(await collect(streamOf("data: one\r", "\n\r\ndata: two\n\n"))).toEqual(["one", "two"]);
  });

  it("drops an unterminated event at the end of the stream", async () => {
    expect(await collect(streamOf("data: complete\n\ndata: partial"))).toEqual(["complete"]);
  });
});
