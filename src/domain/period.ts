/**
 * Reference periods: parse, format (English and Welsh), order and step period codes of every
 * {@link PeriodType}. This is the public entry point; the implementation is split by concern
 * across `period-*.ts` files. Pure: no I/O, no clock, no time zones.
 *
 * @example
 * const r = parsePeriod("FYE 2015", PeriodType.FinancialYear);
 * if (r.ok) formatPeriod(r.period, "cy", "long"); // "Blwyddyn ariannol 2014-15"
 */
export {
  PERIOD_ERROR_CODES,
  PERIOD_TYPE_NOUNS_EN,
  PeriodErrorCode,
  type PeriodErrorParams,
  periodErrorMessage,
} from "./period-error.ts";
export { formatPeriod, type PeriodFormatStyle } from "./period-format.ts";
export {
  createPeriod,
  isPeriod,
  MAX_YEAR,
  MIN_YEAR,
  type Period,
  type PeriodParts,
  periodParts,
} from "./period-model.ts";
export { comparePeriods, nextPeriod, periodsBetween, previousPeriod, shiftPeriod } from "./period-order.ts";
export {
  inferPeriodTypes,
  type PeriodParseFailure,
  type PeriodParseResult,
  type PeriodParseSuccess,
  parsePeriod,
} from "./period-parse.ts";
export { isPeriodType, PERIOD_TYPE_EXAMPLES, PERIOD_TYPES, PeriodType } from "./period-type.ts";
