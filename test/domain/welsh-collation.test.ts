import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareByLang, compareEnglish, compareWelsh, sortByName } from "../../src/domain/welsh-collation.ts";
import { readSharedText, requireShared } from "./helpers/shared-data.ts";
import { WALES_AREAS, WELSH_LA_NAMES_CY_SORTED } from "./helpers/wales-areas.ts";

const localAuthorities = WALES_AREAS.filter((a) => a.code.startsWith("W06"));

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("compareWelsh", () => {
  it("uses ICU's Welsh rules (full ICU present)", () => {
    expect(new Intl.Collator("cy").resolvedOptions().locale).toBe("cy");
  });

  it.each([
    ["lori", "llaeth"],
    ["fy", "ffrwyth"],
    ["cyngor", "cyhyrog"],
    ["rwan", "rhif"],
    ["dy", "ddoe"],
    ["pysgod", "phenol"],
    ["tyst", "theatr"],
    ["cyw", "chwaer"],
    ["Caerdydd", "Caerffili"],
    ["Sir Fynwy", "Sir Gaerfyrddin"],
  ])("%s < %s in Welsh order", (a, b) => {
    expect(compareWelsh(a, b)).toBeLessThan(0);
    expect(compareWelsh(b, a)).toBeGreaterThan(0);
  });

  it("differs from English order for digraphs", () => {
    expect(compareEnglish("llaeth", "lori")).toBeLessThan(0);
    expect(compareWelsh("llaeth", "lori")).toBeGreaterThan(0);
    expect(compareEnglish("ffrwyth", "fy")).toBeLessThan(0);
  });

  it("sorts accented vowels with their base letter", () => {
    expect(compareWelsh("Ynys Môn", "Ynys Mon")).not.toBe(0);
    expect(compareWelsh("Ynys Môn", "Ynys Mpn")).toBeLessThan(0);
    expect(compareWelsh("Ynys Môn", "Ynys Mnn")).toBeGreaterThan(0);
    expect(compareWelsh("tŷ", "tyb")).toBeLessThan(0);
  });

  it("is a consistent total order", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(Math.sign(compareWelsh(a, b)) + Math.sign(compareWelsh(b, a))).toBe(0);
        expect(compareWelsh(a, a)).toBe(0);
      }),
    );
  });
});

describe("sortByName", () => {
  it("puts the 22 Welsh local authority names in the order given in WELSH.md §2", () => {
    for (const seed of [1, 2, 3, 42]) {
      const sorted = sortByName(shuffled(localAuthorities, seed), "cy", "nameCy");
      expect(sorted.map((a) => a.nameCy)).toEqual(WELSH_LA_NAMES_CY_SORTED);
    }
  });

  it("sorts the English names in English order", () => {
    const sorted = sortByName(shuffled(localAuthorities, 7), "en", "nameEn").map((a) => a.nameEn);
    expect(sorted.slice(0, 6)).toEqual([
      "Blaenau Gwent",
      "Bridgend",
      "Caerphilly",
      "Cardiff",
      "Carmarthenshire",
      "Ceredigion",
    ]);
    expect(sorted.at(-1)).toBe("Wrexham");
    expect(sorted).toHaveLength(22);
  });

  it("accepts a key function and leaves the input untouched", () => {
    const input = ["llaeth", "lori", "ffrwyth", "fy"].map((word) => ({ word }));
    const before = input.map((x) => x.word);
    const sorted = sortByName(input, "cy", (x) => x.word);
    expect(sorted.map((x) => x.word)).toEqual(["fy", "ffrwyth", "lori", "llaeth"]);
    expect(input.map((x) => x.word)).toEqual(before);
    expect(sortByName(input, "en", "word").map((x) => x.word)).toEqual(["ffrwyth", "fy", "llaeth", "lori"]);
  });

  it("is stable for equal names", () => {
    const items = [
      { name: "Powys", id: 1 },
      { name: "Gwynedd", id: 2 },
      { name: "Powys", id: 3 },
      { name: "Powys", id: 4 },
    ];
    expect(sortByName(items, "cy", "name").map((x) => x.id)).toEqual([2, 1, 3, 4]);
  });

  it("compareByLang picks the collator", () => {
    expect(compareByLang("cy")).toBe(compareWelsh);
    expect(compareByLang("en")).toBe(compareEnglish);
  });

  it("agrees with the order printed in WELSH.md §2", (ctx) => {
    requireShared(ctx);
    const text = readSharedText("reference/WELSH.md");
    const line = text.split("\n").find((l) => l.includes("The 22 local authorities under `Intl.Collator('cy')`"));
    expect(line).toBeDefined();
    const names = (line ?? "")
      .replace(/^.*?:\s*/, "")
      .replace(/\.\s*$/, "")
      .split(", ")
      .map((s) => s.trim());
    expect(names).toEqual(WELSH_LA_NAMES_CY_SORTED);
  });
});
