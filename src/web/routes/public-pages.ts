/**
 * The public statistics pages (issue 5), registered together under /en and /cy: measures, areas, overview, compare,
 * map, national dashboard, the open data API documentation and partnership plans.
 */
import type { FastifyInstance } from "fastify";
import { agreementFormRoutes } from "./agreement-forms.ts";
import { agreementSchemeRoutes } from "./agreement-schemes.ts";
import { agreementRoutes } from "./agreements.ts";
import { apiDocsRoutes } from "./api-docs.ts";
import { areaRoutes } from "./areas.ts";
import { compareRoutes } from "./compare.ts";
import { dashboardRoutes } from "./dashboard.ts";
import { mapRoutes } from "./map.ts";
import { measureRoutes } from "./measures.ts";
import { overviewRoutes } from "./overview.ts";
import { planChoicesRoutes } from "./plan-choices.ts";
import { planEngagementRoutes } from "./plan-engagement.ts";
import { planReviewRoutes } from "./plan-review.ts";
import { planFrameworkRoutes } from "./plan-framework.ts";
import { planVersionRoutes } from "./plan-versions.ts";
import { planRoutes } from "./plans.ts";
import { reportRoutes } from "./reports.ts";

export async function publicPageRoutes(app: FastifyInstance): Promise<void> {
  await app.register(measureRoutes);
  await app.register(areaRoutes);
  await app.register(overviewRoutes);
  await app.register(compareRoutes);
  await app.register(mapRoutes);
  await app.register(dashboardRoutes);
  await app.register(apiDocsRoutes);
  await app.register(planRoutes);
  await app.register(planChoicesRoutes);
  await app.register(planEngagementRoutes);
  await app.register(planReviewRoutes);
  await app.register(planVersionRoutes);
  await app.register(planFrameworkRoutes);
  await app.register(reportRoutes);
  await app.register(agreementRoutes);
  await app.register(agreementFormRoutes);
  await app.register(agreementSchemeRoutes);
}
