/** What every CSV import shares: required columns checked first, then all faulty rows named at once, nothing stored. */
import { parseCsv, type CsvTable } from '../../core/csv.ts';
import { AppError } from '../../core/errors.ts';
import { zodIssueDetails } from '../../core/zod-details.ts';

/** Parses a CSV and refuses it, naming the column and the columns it has, when a required one is missing. */
export function parseCsvWithColumns(text: string, required: readonly string[], options: { maxRows: number }): CsvTable {
  const table = parseCsv(text, { maxRows: options.maxRows });
  for (const col of required) {
    if (!table.header.includes(col)) {
      throw new AppError('validation_failed', `the CSV needs a "${col}" column; it has ${table.header.join(', ')}`, { reason: 'csv.missingColumn', params: { column: col, columns: table.header.join(', ') } });
    }
  }
  return table;
}

export interface RowError {
  row: number;
  message: string;
  /** A stable key for the fault (clients word it), with its values; see core/zod-details.ts. */
  code?: string;
  params?: Record<string, string | number>;
  /** The column or field the fault is in. */
  field?: string;
}

/** One row error per zod issue of that row, each with its code. */
export function rowErrorsOf(row: number, issues: readonly { code: string; path: readonly PropertyKey[]; message: string }[]): RowError[] {
  return zodIssueDetails(issues, []).map((d) => ({ row, message: `${d.path === '' ? '' : `${d.path}: `}${d.message}`, code: d.code!, params: d.params!, field: d.path }));
}

/** Refuses the whole file when any row is faulty, listing every fault by line. */
export function rejectInvalidRows(errors: RowError[], totalRows: number): void {
  if (errors.length === 0) return;
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  const rows = new Set(errors.map((e) => e.row)).size;
  throw new AppError('validation_failed', `${rows} of ${totalRows} rows are invalid; nothing was imported`, {
    reason: 'csv.rowsInvalid',
    params: { rows, total: totalRows },
    details: sorted.map((e) => ({
      path: `line ${e.row}`,
      message: e.message,
      ...(e.code === undefined ? {} : { code: e.code, params: { ...(e.params ?? {}), ...(e.field === undefined || e.field === '' ? {} : { field: e.field }) } }),
    })),
  });
}
