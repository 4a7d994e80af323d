/**
 * Spreadsheet programs run a cell that begins with = + - @ (or tab/CR, which some strip first) as a
 * formula: `=HYPERLINK("http://evil","点击")` in a station name would become a live link in Excel.
 * Exports prefix such text with an apostrophe (OWASP's advice), which Excel shows as plain text;
 * imports take one such apostrophe off again, so export → import gives back the same text.
 */
const FORMULA_START = /^[=+\-@\t\r]/

/** @example escapeFormula('=1+1') // "'=1+1" */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** The inverse of escapeFormula, for imported cells. @example unescapeFormula("'=1+1") // '=1+1' */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value
}
