import { describe, expect, it } from "vitest";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { extractPdfText } from "../sources/pdf-text";
import { readServerSentEvents } from "../../widget/client/server-sent-events";
import { callWorker, seedBot, SITE } from "../test-support/bot-fixtures";
import { encryptedPdf, imageOnlyPdf, textPdf } from "../test-support/pdf-fixtures";

// PDF uploads (POST /v1/admin/bots/:botId/files, the same code as the console's): a worker given a PDF reader
// indexes a PDF page by page and cites `…pdf#page=N`; one without refuses PDFs with a reason that says how.
const withPdf = createEdgechatWorker({ pdfText: extractPdfText });
const withoutPdf = createEdgechatWorker();

type FileResult = { file: string; id: string; status: string; chunks: number; error?: { code: string; message: string } };

async function upload(worker: typeof withPdf, botId: string, ...files: [string, string | Uint8Array][]): Promise<Response> {
  const form = new FormData();
  for (const [name, content] of files) form.append("file", new File([content], name));
  form.append("baseUrl", "https://docs.example/files/");
  return callWorker(worker, new Request(`http://edgechat.test/v1/admin/bots/${botId}/files`, { method: "POST", headers: { authorization: "Bearer test-admin-token" }, body: form }));
}

async function documentsOf(botId: string) {
  const response = await callWorker(withPdf, new Request(`http://edgechat.test/v1/admin/bots/${botId}/documents`, { headers: { authorization: "Bearer test-admin-token" } }));
  return ((await response.json()) as { documents: { id: string; title: string; url: string }[] }).documents.map((document) => [document.id, document.title, document.url]);
}

const MANUAL = textPdf([
  ["Zephyr kettle manual", "Контакты: служба поддержки Зефир"],
  ["Descaling", "Descale the Zephyr kettle every forty days with citric acid.", "除垢：每四十天一次"],
]);

describe("PDF uploads", () => {
  it("index a PDF page by page beside a Markdown file, and the bot cites the page", { timeout: 30_000 }, async () => {
    const { bot } = await seedBot({ routing: { policy: "always-large" } });
    const response = await upload(withPdf, bot.id, ["manual.pdf", MANUAL], ["notes.md", "# Notes\n\nThe support line is open on weekdays."]);
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: FileResult[] };
    expect(results.map((result) => [result.file, result.id, result.status])).toEqual([
      ["manual.pdf", "manual.pdf", "indexed"],
      ["notes.md", "notes.md", "indexed"],
    ]);
    expect(results[0]!.chunks).toBeGreaterThanOrEqual(2);
    expect(await documentsOf(bot.id)).toEqual([
      ["manual.pdf:p1", "manual.pdf, page 1", "https://docs.example/files/manual.pdf#page=1"],
      ["manual.pdf:p2", "manual.pdf, page 2", "https://docs.example/files/manual.pdf#page=2"],
      ["notes.md", "Notes", "https://docs.example/files/notes"],
    ]);

    const chat = await callWorker(
      withPdf,
      new Request("http://edgechat.test/v1/chat", {
        method: "POST",
        headers: { "content-type": "application/json", origin: SITE },
        body: JSON.stringify({ botId: bot.id, messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "How often should I descale the Zephyr kettle?" }] }] }),
      }),
    );
    const sources: string[] = [];
    for await (const data of readServerSentEvents(chat.body!)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data) as { type: string; url?: string };
      if (chunk.type === "source-url") sources.push(chunk.url!);
    }
    expect(sources[0]).toBe("https://docs.example/files/manual.pdf#page=2");

    // The same PDF again is unchanged; a shorter new version drops the page it no longer has.
    expect(((await (await upload(withPdf, bot.id, ["manual.pdf", MANUAL])).json()) as { results: FileResult[] }).results[0]!.status).toBe("unchanged");
    const shorter = (await (await upload(withPdf, bot.id, ["manual.pdf", textPdf([["Zephyr kettle manual, second edition"]])])).json()) as { results: FileResult[] };
    expect(shorter.results[0]!.status).toBe("indexed");
    expect((await documentsOf(bot.id)).map(([id]) => id)).toEqual(["manual.pdf:p1", "notes.md"]);
  });

  it("fail a scanned or encrypted PDF with its reason, storing nothing for it", async () => {
    const { bot } = await seedBot();
    const response = await upload(withPdf, bot.id, ["scan.pdf", imageOnlyPdf()], ["locked.pdf", encryptedPdf()], ["broken.pdf", "%PDF-1.7 not really"]);
    const { results } = (await response.json()) as { results: FileResult[] };
    expect(results.map((result) => [result.file, result.status, result.error?.code])).toEqual([
      ["scan.pdf", "failed", "pdf_no_text"],
      ["locked.pdf", "failed", "pdf_encrypted"],
      ["broken.pdf", "failed", "pdf_corrupt"],
    ]);
    expect(results[0]!.error!.message).toContain("no text layer");
    expect(await documentsOf(bot.id)).toEqual([]);
  });

  it("are refused with 415 and how to enable them by a worker without a PDF reader", async () => {
    const { bot } = await seedBot();
    const refused = await upload(withoutPdf, bot.id, ["manual.pdf", MANUAL]);
    expect(refused.status).toBe(415);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("unsupported_type");
    expect(error.message).toContain('"manual.pdf" is a PDF');
    expect(error.message).toContain("pdfText: extractPdfText");
    expect(error.message).toContain("edgechat/worker/pdf");
    // Beside a file it reads, the PDF fails alone with the same reason.
    const mixed = (await (await upload(withoutPdf, bot.id, ["manual.pdf", MANUAL], ["notes.txt", "Support is open from nine to five on weekdays, Central European Time."])).json()) as { results: FileResult[] };
    expect(mixed.results.map((result) => [result.file, result.status, result.error?.code])).toEqual([
      ["manual.pdf", "failed", "unsupported_type"],
      ["notes.txt", "indexed", undefined],
    ]);
    expect(await documentsOf(bot.id)).toEqual([["notes.txt", "Notes", "https://docs.example/files/notes"]]);
  });
});
