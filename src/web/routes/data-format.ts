/**
 * GET /{lang}/data-format: the data format guide (docs/data-format.md, in English) as a page, linked from the upload
 * page; and GET /{lang}/data-format/examples/{name}: the guide's example files (docs/examples), as downloads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { renderGuide } from "../../render/guide/markdown-guide.ts";
import { notFoundPage, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const guideFile = fileURLToPath(new URL("../../../docs/data-format.md", import.meta.url));
const examplesDir = fileURLToPath(new URL("../../../docs/examples", import.meta.url));
/** The example files, by name (nothing else under docs/ is served). */
const EXAMPLES = new Set(readdirSync(examplesDir).filter((f) => /^[\w.-]+\.(csv|yaml)$/.test(f)));

export async function dataFormatRoutes(app: FastifyInstance): Promise<void> {
  app.get("/data-format", PUBLIC_PAGE, async (request, reply) => {
    const { lang } = pageLanguage(request);
    return renderPage(app, request, reply, "data-format.njk", `/${lang}/data-format`, () => {
      const source = readFileSync(guideFile, "utf8");
      // the guide's own first heading is the page's
      const body = source.replace(/^# .*\n/, "");
      return {
        guide: renderGuide(body, (name) => (EXAMPLES.has(name) ? `/${lang}/data-format/examples/${name}` : null)),
      };
    });
  });

  app.get<{ Params: { name: string } }>("/data-format/examples/:name", PUBLIC_PAGE, async (request, reply) => {
    const { name } = request.params;
    if (!EXAMPLES.has(name)) return notFoundPage(reply);
    return reply
      .type(name.endsWith(".csv") ? "text/csv; charset=utf-8" : "text/yaml; charset=utf-8")
      .header("content-disposition", `attachment; filename="${name}"`)
      .header("cache-control", "public, max-age=3600")
      .send(readFileSync(`${examplesDir}/${name}`));
  });
}
