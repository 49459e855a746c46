/**
 * The whole illustrative demo in one call, for `omf demo` and `omf serve --seed-demo` (`npm start`): demo values for
 * every live measure, three illustrative partnership plans and one illustrative outcome agreement. Everything it adds
 * is marked illustrative, so `omf demo --remove` can take it out again without touching real data.
 */
import { seedDemoAgreements } from "./agreements/demo.ts";
import type { Services } from "./index.ts";
import { seedDemoPlans } from "./plans/demo.ts";

export interface DemoLoaded {
  /** Illustrative observations added (0 when the demo data were there already, or `onlyIfEmpty` found data). */
  observations: number;
  /** Measures those observations belong to. */
  measures: number;
  /** Illustrative plans added. */
  plans: number;
  /** Illustrative agreements added. */
  agreements: number;
}

/**
 * Loads the demo. With `onlyIfEmpty`, a database that already holds data gets nothing at all (a real deployment
 * started once with the demo flag is never given illustrative plans either); otherwise it is idempotent: what is
 * already loaded is left as it is.
 */
export async function loadDemo(
  services: Pick<Services, "content" | "plans" | "agreements" | "framework">,
  options: { onlyIfEmpty: boolean },
): Promise<DemoLoaded> {
  const data = await services.content.seedDemo(options);
  if (options.onlyIfEmpty && data.inserted === 0) return { observations: 0, measures: 0, plans: 0, agreements: 0 };
  const plans = await seedDemoPlans(services.plans);
  const agreements = await seedDemoAgreements(services.agreements, services.framework);
  return { observations: data.inserted, measures: data.measures, plans: plans.created, agreements: agreements.created };
}
