/** What every CSV import shares: required columns checked first, then all faulty rows named at once, nothing stored. */
import { parseCsv, type CsvTable } from '../../core/csv.ts';
import { AppError } from '../../core/errors.ts';

/** Parses a CSV and refuses it, naming the column and the columns it has, when a required one is missing. */
export function parseCsvWithColumns(text: string, required: readonly string[], options: { maxRows: number }): CsvTable {
  const table = parseCsv(text, { maxRows: options.maxRows });
  for (const col of required) {
    if (!table.header.includes(col)) throw new AppError('validation_failed', `the CSV needs a "${col}" column; it has ${table.header.join(', ')}`);
  }
  return table;
}

/** Refuses the whole file when any row is faulty, listing every fault by line. */
export function rejectInvalidRows(errors: { row: number; message: string }[], totalRows: number): void {
  if (errors.length === 0) return;
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  throw new AppError('validation_failed', `${errors.length} of ${totalRows} rows are invalid; nothing was imported`, {
    details: sorted.map((e) => ({ path: `line ${e.row}`, message: e.message })),
  });
}
