import { describe, expect, it } from "vitest";
import { resolveLocale } from "./i18n";
import { textColorOn } from "./theme";

describe("resolveLocale", () => {
  it("picks the language from a locale tag, with right-to-left for Arabic and Hebrew", () => {
    expect(resolveLocale("fr-CA")).toMatchObject({ lang: "fr", dir: "ltr", strings: { send: "Envoyer" } });
    expect(resolveLocale("de")).toMatchObject({ lang: "de", strings: { send: "Senden" } });
    expect(resolveLocale("es-MX")).toMatchObject({ lang: "es", strings: { send: "Enviar" } });
    expect(resolveLocale("ar-EG")).toMatchObject({ lang: "ar", dir: "rtl", strings: { send: "إرسال" } });
    expect(resolveLocale("he")).toMatchObject({ lang: "he", dir: "rtl" });
  });

  it("falls back to English for unknown languages and every language has every string", () => {
    expect(resolveLocale("xx")).toMatchObject({ lang: "en", dir: "ltr", strings: { send: "Send" } });
    const keys = Object.keys(resolveLocale("en").strings).sort();
    for (const lang of ["fr", "de", "es", "ar", "he"]) {
      const strings = resolveLocale(lang).strings as unknown as Record<string, string>;
      expect(Object.keys(strings).sort()).toEqual(keys);
      for (const value of Object.values(strings)) expect(value.length).toBeGreaterThan(0);
    }
  });
});

describe("textColorOn", () => {
  it("chooses the readable text colour for a primary colour", () => {
    expect(textColorOn("#ffd400")).toBe("#111");
    expect(textColorOn("#fff")).toBe("#111");
    expect(textColorOn("#2456d6")).toBe("#fff");
    expect(textColorOn("#000000")).toBe("#fff");
    expect(textColorOn("rebeccapurple")).toBe("#fff");
  });
});
