/** The Welsh locale files list the terms that had to be coined (`_coined`), and every listed key exists. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = "src/web/locales/cy";
type Tree = { [k: string]: string | Tree | string[] };

function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => {
    if (k.startsWith("_")) return [];
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === "object" && !Array.isArray(v) ? [key, ...keys(v, key)] : [key];
  });
}

describe("coined Welsh terms", () => {
  const files = [
    "stats",
    "downloads",
    "pages",
    "measures",
    "areas",
    "overview",
    "compare",
    "map",
    "dashboard",
    "apidocs",
    "import",
    "plans",
  ];
  it.each(files)("cy/%s.json marks its coined terms, each naming a real key", (name) => {
    expect(readdirSync(dir)).toContain(`${name}.json`);
    const tree = JSON.parse(readFileSync(`${dir}/${name}.json`, "utf8")) as Tree;
    const coined = tree._coined as string[];
    expect(Array.isArray(coined)).toBe(true);
    expect(coined.length).toBeGreaterThan(0);
    const all = new Set(keys(tree));
    expect(coined.filter((k) => !all.has(k))).toEqual([]);
    const en = JSON.parse(readFileSync(`src/web/locales/en/${name}.json`, "utf8")) as Tree;
    expect(en._coined).toEqual([]);
  });
});
