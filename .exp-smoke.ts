import { openDatabase } from "./src/db/database.ts";
import { seedReferenceData } from "./src/services/seed.ts";
import { runImport } from "./src/services/import/run-import.ts";
import { visibleObservations } from "./src/db/queries/visible-observations.ts";
const files: Record<string, string> = {
  "low_birth_weight.csv": "low-birth-weight",
  "fully_immunised_by_4th_birthday.csv": "fully-immunised-by-4",
  "teenage_conceptions_under18_rate.csv": "under-18-conception-rate",
  "children_looked_after_count_31_march.csv": "children-looked-after-count",
  "children_relative_low_income.csv": "children-low-income-families",
  "flying_start_children_receiving_services.csv": "flying-start-children-receiving-services",
  "flying_start_health_visitor_contacts_per_child.csv": "flying-start-hv-contacts-per-child",
};
const db = await openDatabase({ dataDir: "memory://" });
await db.migrate();
let t = performance.now();
await seedReferenceData(db.db);
console.log("seed", performance.now() - t);
for (const [f, code] of Object.entries(files)) {
  t = performance.now();
  const r = await runImport(db, `/work/shared/sample-data/${f}`, { dryRun: false, publish: true, measure: code, mapping: { ignore: ["unit", "source"] }, actor: { userId: null, name: "test" } });
  console.log(f, r.message, r.counts, r.errors.slice(0, 5), r.warnings.slice(0, 3), Math.round(performance.now() - t));
}
const v = await visibleObservations(db.db, { measureCodes: ["children-looked-after-count"], areaCodes: ["W92000004"] });
console.log(v.slice(0, 3));
await db.close();
