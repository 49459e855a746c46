/**
 * The architecture (docs/architecture.md), checked on the import graph of src/: no forbidden arrow between layers,
 * SQL only in src/db, the environment read only in src/config.ts, no import cycles. The same checker is shown
 * failing on a fixture tree with deliberate breaches (test/fixtures/architecture).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkArchitecture, layerOf } from "./support/architecture.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const fixtureRoot = fileURLToPath(new URL("./fixtures/architecture", import.meta.url));

describe("the architecture of src/", () => {
  it("has no forbidden arrow, no SQL outside src/db, no environment read outside config.ts, no cycle", () => {
    const violations = checkArchitecture(repoRoot);
    expect(violations.map((v) => `${v.rule}: ${v.file} ${v.detail}`)).toEqual([]);
  });

  it("knows the layers", () => {
    expect(layerOf("src/web/routes/import.ts")).toBe("web");
    expect(layerOf("src/config.ts")).toBe("config");
  });
});

describe("the architecture checker", () => {
  it("fails on each deliberate breach of the fixture tree, and only on those", () => {
    const found = checkArchitecture(fixtureRoot).map((v) => `${v.rule} | ${v.file} | ${v.detail}`);
    expect(found.sort()).toEqual(
      [
        "domain imports no app code | src/domain/thing.ts | imports src/services/use.ts",
        "stats imports no app code | src/stats/mean.ts | imports src/domain/pure.ts",
        "web never imports db | src/web/page.ts | imports src/db/rows.ts",
        "only src/config.ts reads the environment | src/web/page.ts | reads process.env",
        "api never imports db | src/api/route.ts | imports src/db/rows.ts",
        "cli never imports db | src/cli/command.ts | imports src/db/rows.ts",
        "services never imports web | src/services/use.ts | imports src/web/page.ts",
        "only src/db holds SQL | src/services/use.ts | imports drizzle-orm",
        "only src/db holds SQL | src/services/use.ts | uses sql`…`",
        'only src/db holds SQL | src/services/raw.ts | SQL text: export const statement = "INSERT INTO audit_log (actor) VALUES ($1)";',
        "render never imports db | src/render/chart.ts | imports src/db/rows.ts",
        "render never imports web | src/render/chart.ts | imports src/web/page.ts",
        "no import cycles | src/services/a.ts | src/services/a.ts -> src/services/b.ts -> src/services/a.ts",
      ].sort(),
    );
  });
});
