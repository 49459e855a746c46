/**
 * The real files in ../shared/sample-data that import as published, and the measure each maps to (see that folder's
 * README.md). teenage_conceptions_under18_rate.csv is not among them: its local-authority rates come without their
 * numerator, which the measure's disclosure rule (suppress numerators below 5) needs, so the import refuses them.
 */
export const SAMPLE_FILES: Record<string, string> = {
  "flying_start_health_visitor_contacts_per_child.csv": "flying-start-hv-contacts-per-child",
  "flying_start_children_receiving_services.csv": "flying-start-children-receiving-services",
  "children_looked_after_count_31_march.csv": "children-looked-after-count",
  "children_relative_low_income.csv": "children-low-income-families",
  "low_birth_weight.csv": "low-birth-weight",
  "fully_immunised_by_4th_birthday.csv": "fully-immunised-by-4",
};
