import { describe, expect, it } from "vitest";
import { isPdfPageOf, pdfPageDocuments } from "./pdf-documents";

describe("pdfPageDocuments", () => {
  it("makes one document per page with text, cited at its page, leaving out pages too short to index", () => {
    const documents = pdfPageDocuments(["Price list", "", "Kettles cost forty euros; filters cost five.", "3"], { id: "prices.pdf", title: "prices.pdf", url: "/docs/prices.pdf#old", sourceId: "src_1" });
    expect(documents).toEqual([{ id: "prices.pdf:p3", title: "prices.pdf, page 3", url: "/docs/prices.pdf#page=3", format: "text", content: "Kettles cost forty euros; filters cost five.", sourceId: "src_1" }]);
    expect(pdfPageDocuments(["Руководство по чайнику Зефир, страница один"], { id: "a", title: "a", url: "/a.pdf" })[0]!.id).toBe("a:p1");
  });

  it("knows a PDF's page documents from other documents", () => {
    expect(isPdfPageOf("prices.pdf:p12", "prices.pdf")).toBe(true);
    expect(isPdfPageOf("prices.pdf:pX", "prices.pdf")).toBe(false);
    expect(isPdfPageOf("prices.pdf.old:p1", "prices.pdf")).toBe(false);
    expect(isPdfPageOf("prices.pdf", "prices.pdf")).toBe(false);
  });
});
