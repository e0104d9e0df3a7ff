import { describe, expect, it } from "vitest";
import { correctionFields } from "./correction-editor";

describe("correctionFields", () => {
  it("turns the form's texts into the API's fields: phrasings and links one per line", () => {
    expect(correctionFields("  Do you ship to Canada? ", "Can I order from Canada?\n\n  Toronto delivery? \n", " Yes. ", "Shipping | https://shop.example/shipping\nhttps://shop.example/faq")).toEqual({
      question: "Do you ship to Canada?",
      phrasings: ["Can I order from Canada?", "Toronto delivery?"],
      answer: "Yes.",
      sources: [
        { title: "Shipping", url: "https://shop.example/shipping" },
        { title: "shop.example/faq", url: "https://shop.example/faq" },
      ],
    });
  });

  it("names each field that is missing or not a link", () => {
    expect(correctionFields(" ", "", "", "Docs | javascript:alert(1)")).toEqual({
      errors: { question: "Write the question.", answer: "Write the right answer.", sources: '"Docs | javascript:alert(1)" needs an http:// or https:// link.' },
    });
  });
});
