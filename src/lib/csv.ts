// Spreadsheet safety for CSV cells a person typed.

const formulaStart = /^[=+\-@\t\r]/;

/**
 * A typed text that starts like a formula (=, +, -, @) would run as one in a spreadsheet: it is
 * written with a leading apostrophe, which restoreFormula takes off again on import.
 */
export function defuseFormula(cell: string): string {
  return formulaStart.test(cell) ? `'${cell}` : cell;
}

/** The text as typed, from a cell defuseFormula wrote. */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;
}
