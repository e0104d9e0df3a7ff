import { describe, expect, it } from "vitest";
import { encryptedPdf, imageOnlyPdf, textPdf, truncatedPdf } from "../test-support/pdf-fixtures";
import { extractPdfText, PdfUnreadableError } from "./pdf-text";

describe("extractPdfText", () => {
  it("keeps each page's text apart, non-Latin scripts included", { timeout: 30_000 }, async () => {
    const { pages } = await extractPdfText(
      textPdf([
        ["Руководство пользователя", "Гарантия три года"],
        ["Οδηγίες χρήσης: καθαρισμός"],
        ["保修期为三年"],
      ]),
    );
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain("Гарантия три года");
    expect(pages[1]).toContain("καθαρισμός");
    expect(pages[2]).toContain("保修期为三年");
  });

  it.each([
    ["a scan without a text layer", imageOnlyPdf(), "no_text"],
    ["an encrypted PDF", encryptedPdf(), "encrypted"],
    ["a truncated PDF", truncatedPdf(), "corrupt"],
    ["bytes that are no PDF", new TextEncoder().encode("<html>not a pdf</html>"), "corrupt"],
  ])("refuses %s with a clear reason", async (_name, bytes, reason) => {
    const error = await extractPdfText(bytes).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PdfUnreadableError);
    expect((error as PdfUnreadableError).reason).toBe(reason);
  });
});
