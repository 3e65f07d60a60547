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

/** What a re-import reports (issue 10): rows added, rows that changed a stored record, rows equal to one. */
export interface CsvImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; message: string }[];
}

/** How a name matches on re-import: case and runs of spaces do not matter. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A key one file names twice is a fault of the later row, naming both lines; `label` is the key as people read it.
 * Also used for two rows that end at the same stored record.
 */
export class KeyRegistry {
  private readonly seen = new Map<string, number>();
  constructor(private readonly errors: RowError[]) {}
  claim(key: string, line: number, label: string): boolean {
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, line);
      return true;
    }
    this.errors.push({ row: line, message: `"${label}" is also on line ${first}; each site or device may appear once in a file`, code: 'import.duplicateKey', params: { key: label, line: first } });
    return false;
  }
}

/** The fields of a parsed row that the CSV actually gave (a missing column or empty cell keeps what is stored). */
export function givenFields<T extends object>(parsed: T, raw: Record<string, unknown>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(raw)) if (k in parsed) (out as Record<string, unknown>)[k] = (parsed as Record<string, unknown>)[k];
  return out;
}

/** The body fields whose columns differ from the stored row. */
export function changedFields<B extends object, R extends object>(given: Partial<B>, row: R, columnsOf: (b: Partial<B>) => Partial<R>): (keyof B & string)[] {
  const out: (keyof B & string)[] = [];
  for (const f of Object.keys(given) as (keyof B & string)[]) {
    const cols = columnsOf({ [f]: given[f] } as Partial<B>);
    if (Object.entries(cols).some(([c, v]) => (row as Record<string, unknown>)[c] !== v)) out.push(f);
  }
  return out;
}
