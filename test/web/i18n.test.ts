import { describe, expect, it } from "vitest";
import { formatNumber, localeStrings, pick, translator } from "../../src/web/i18n.ts";

describe("locale files", () => {
  it("have exactly the same keys in English and Welsh", () => {
    const en = [...localeStrings("en").keys()].sort();
    const cy = [...localeStrings("cy").keys()].sort();
    expect(cy).toEqual(en);
  });

  it("keep every {placeholder} of the English string in the Welsh one", () => {
    const cy = localeStrings("cy");
    for (const [key, en] of localeStrings("en")) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(cy.get(key)!), key).toEqual(names(en));
    }
  });

  it("translate with parameters and fail loudly on a missing key", () => {
    expect(translator("cy")("framework.coreAim", { number: 3 })).toBe("Nod craidd 3");
    expect(() => translator("en")("no.such.key")).toThrow(/no\.such\.key/);
  });

  it("pick Welsh text, falling back to English and saying so", () => {
    expect(pick({ en: "Wales", cy: "Cymru" }, "cy")).toEqual({ text: "Cymru", fallback: false });
    expect(pick({ en: "Wales" }, "cy")).toEqual({ text: "Wales", fallback: true });
  });

  it("format numbers the Welsh Government way in both languages", () => {
    expect(formatNumber(1234567.891, "cy", 1)).toBe("1,234,567.9");
    expect(formatNumber(12.3, "en", 1)).toBe("12.3");
    expect(formatNumber(null, "en")).toBe("");
  });
});
