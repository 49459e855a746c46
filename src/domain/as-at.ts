/**
 * "As at a date" for national reports (`?as-at=YYYY-MM-DD`): the report uses only what was published by the end of
 * that day in Wales (Europe/London, so 23:59:59.999 BST or GMT). Pure.
 */
import { londonTime } from "./london-time.ts";

export interface AsAt {
  /** The date as given, `YYYY-MM-DD`. */
  date: string;
  /** The last instant of that day in Europe/London: anything published at or before it counts. */
  until: Date;
}

/** The report date of `text` (`YYYY-MM-DD`, a real calendar date from 1900 on), or null when it is not one. */
export function parseAsAt(text: string): AsAt | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  const lastMinute = londonTime(y, mo, d, 23, 59);
  return lastMinute && { date: text, until: new Date(lastMinute.getTime() + 59_999) };
}
