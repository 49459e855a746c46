/**
 * Spreadsheet formula injection ("CSV injection", OWASP): a text cell that begins with = + - @, a tab or a carriage
 * return is run as a formula by spreadsheet programs. Such text is prefixed with an apostrophe, which the programs show
 * as text. Only text is neutralised: numbers stay numbers (a negative number in a numeric column is not touched).
 * Pure: no I/O.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** The text with an apostrophe in front when a spreadsheet would read it as a formula. */
export function formulaSafeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
