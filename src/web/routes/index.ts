/**
 * Every page route plugin, registered once under /en and once under /cy. Add a feature's plugin here.
 * Handlers read the language from the URL (see render.ts `splitLanguage`).
 */
import type { FastifyInstance } from "fastify";
import { auditRoutes } from "./audit.ts";
import { authRoutes } from "./auth.ts";
import { dataFormatRoutes } from "./data-format.ts";
import { frameworkRoutes } from "./framework.ts";
import { frameworkVersionRoutes } from "./framework-versions.ts";
import { homeRoutes } from "./home.ts";
import { importRoutes } from "./import.ts";
import { myWorkRoutes } from "./my-work.ts";
import { publicPageRoutes } from "./public-pages.ts";
import { valueHistoryRoutes } from "./value-history.ts";

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  await app.register(homeRoutes);
  await app.register(frameworkRoutes);
  await app.register(frameworkVersionRoutes);
  await app.register(authRoutes);
  await app.register(publicPageRoutes);
  await app.register(importRoutes);
  await app.register(valueHistoryRoutes);
  await app.register(dataFormatRoutes);
  await app.register(auditRoutes);
  await app.register(myWorkRoutes);
}
