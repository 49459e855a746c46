/**
 * The mapping file: how a file that is not already in the tidy format maps onto it. YAML or JSON. Every key is
 * optional; see docs/data-format.md and docs/examples/mapping.yaml.
 *
 * ```yaml
 * measure: low-birth-weight            # every row is this measure (like --measure)
 * measures:                            # or: the text in the measure column -> measure code
 *   "Live births with birth weight under 2,500g": low-birth-weight
 * columns:                             # file column -> tidy column or dimension code
 *   Area: area_code
 *   Gender: sex
 * ignore: [unit, source]               # columns to ignore without a warning
 * values:                              # per dimension: file value -> dimension value code
 *   sex: { F: female, M: male }
 * breakdown: { age_band: "0" }         # a fixed breakdown for every row
 * sheet: Data                          # the worksheet of an XLSX file
 * source: ncchd                        # the source recorded on the batch (like --source)
 * wide:                                # areas as rows, periods as columns
 *   areaColumn: Area                   # default: the first column
 * jsonstat:                            # JSON-stat dimension ids -> roles
 *   area: geography
 *   period: time
 *   measure: indicator                 # or leave out and give `measure` / --measure
 *   breakdowns: { gender: sex }        # JSON-stat dimension -> OMF dimension code
 *   statistic: { dimension: stat, categories: { rate: value, count: numerator, lci: lower_ci, uci: upper_ci } }
 *   filter: { unit: persons }          # fix other dimensions to one category
 * ```
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InvalidError } from "../../domain/errors.ts";

const name = z.string().trim().min(1);
const stringMap = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const mappingSchema = z
  .object({
    measure: name.optional(),
    measures: stringMap.optional(),
    columns: stringMap.optional(),
    ignore: z.array(name).optional(),
    values: z.record(z.string(), stringMap).optional(),
    breakdown: stringMap.optional(),
    sheet: name.optional(),
    source: name.optional(),
    wide: z.object({ areaColumn: name.optional(), measure: name.optional() }).strict().optional(),
    jsonstat: z
      .object({
        area: name.optional(),
        period: name.optional(),
        measure: name.optional(),
        breakdowns: z.record(z.string(), name).optional(),
        statistic: z
          .object({
            dimension: name,
            categories: z.record(z.string(), z.enum(["value", "numerator", "denominator", "lower_ci", "upper_ci"])),
          })
          .strict()
          .optional(),
        filter: stringMap.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema>;

export class MappingError extends InvalidError {}

/** Parses mapping text (YAML or JSON); throws {@link MappingError} naming the key and problem. */
export function parseMapping(text: string, fileName = "mapping"): Mapping {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new MappingError(`${fileName}: not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`);
  }
  const r = mappingSchema.safeParse(data ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new MappingError(`${fileName}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return r.data;
}

export async function readMappingFile(path: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MappingError(`cannot read mapping file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseMapping(text, path);
}
