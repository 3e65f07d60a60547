/**
 * RFC 4180 CSV: a strict reader and a safe writer. Pure, no I/O.
 *
 * Reader: quoted fields, doubled quotes ("") inside quotes, CRLF / LF / CR line ends, a leading UTF-8 BOM,
 * newlines inside quoted fields. The first record is the header. Every problem is reported at once as an
 * AppError('validation_failed') whose details name the line (`line 7`): ragged rows, an unterminated quote,
 * text after a closing quote, a quote inside an unquoted field, empty or duplicate header names.
 *
 * Writer: quotes cells holding the delimiter, a quote, CR/LF or leading/trailing spaces, and protects
 * spreadsheets from formula injection: a string cell starting with = + - @ (or TAB/CR) gets a leading `'`.
 */
import { AppError } from './errors.ts';
import type { ErrorDetail } from './errors.ts';

export interface CsvRow {
  /** Physical line (1-based, header = line 1) where this record starts; use it in messages. */
  line: number;
  /** Cell text by header name. */
  values: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export interface ParseCsvOptions {
  /** Field separator, one character. Default `,`. */
  delimiter?: string;
  /** Reject a file with more data rows than this. Default 1,000,000. */
  maxRows?: number;
}

interface RawRecord {
  line: number;
  fields: string[];
}

/** Most problems reported in one error; more are summarised in the message. */
const MAX_DETAILS = 100;

export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new AppError('bad_request', `CSV delimiter must be one character other than a quote or a line end, got ${JSON.stringify(delimiter)}`);
  }
  const maxRows = options.maxRows ?? 1_000_000;
  const details: ErrorDetail[] = [];
  const records = tokenize(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter, details);

  const headerRecord = records[0];
  if (headerRecord === undefined) {
    throw new AppError('validation_failed', 'CSV is empty: expected a header line', { reason: 'csv.empty', details: [{ path: 'line 1', message: 'no header', code: 'csv.noHeader' }] });
  }
  const header = headerRecord.fields.map((name) => name.trim());
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') details.push({ path: 'line 1', message: `header column ${i + 1} has no name`, code: 'csv.headerUnnamed', params: { column: i + 1 } });
    else if (seen.has(name)) details.push({ path: 'line 1', message: `header column "${name}" appears twice`, code: 'csv.headerTwice', params: { name } });
    seen.add(name);
  });

  const rows: CsvRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (record.fields.length === 1 && record.fields[0] === '' && header.length > 1) continue; // blank line
    if (record.fields.length !== header.length) {
      details.push({
        path: `line ${record.line}`,
        message: `has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, the header has ${header.length}`,
        code: 'csv.fieldCount',
        params: { fields: record.fields.length, header: header.length },
      });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, i) => {
      values[name] = record.fields[i]!;
    });
    rows.push({ line: record.line, values });
  }
  if (rows.length > maxRows) {
    throw new AppError('payload_too_large', `CSV has ${rows.length} rows, more than the limit of ${maxRows}`, { reason: 'csv.tooManyRows', params: { rows: rows.length, max: maxRows } });
  }
  if (details.length > 0) {
    const shown = details.slice(0, MAX_DETAILS);
    const more = details.length > shown.length ? ` (first ${shown.length} listed)` : '';
    throw new AppError('validation_failed', `CSV rejected: ${details.length} problem${details.length === 1 ? '' : 's'}${more}; first: ${shown[0]!.path}: ${shown[0]!.message}`, {
      details: shown,
      reason: 'csv.malformed',
      params: { problems: details.length },
    });
  }
  return { header, rows };
}

/** Splits text into records of raw fields; pushes syntax problems into `details`. */
function tokenize(text: string, delimiter: string, details: ErrorDetail[]): RawRecord[] {
  const records: RawRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let field = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          field += ch;
          i++;
        }
        if (!closed) {
          details.push({ path: `line ${quoteLine}`, message: 'quoted field is never closed (missing ")', code: 'csv.unclosedQuote' });
          fields.push(field);
          records.push({ line: recordLine, fields });
          return records;
        }
        // After a closing quote only a delimiter or a line end may follow.
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
          details.push({ path: `line ${line}`, message: `unexpected text after the closing quote of field ${fields.length + 1}`, code: 'csv.textAfterQuote', params: { field: fields.length + 1 } });
          while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
        }
      } else {
        const start = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
        field = text.slice(start, i);
        if (field.includes('"')) {
          details.push({ path: `line ${line}`, message: `field ${fields.length + 1} has a quote but is not quoted (write "" inside a quoted field)`, code: 'csv.strayQuote', params: { field: fields.length + 1 } });
        }
      }
      fields.push(field);
      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === delimiter) {
        i++;
        if (i >= n) fields.push(''); // trailing delimiter at end of file
        endOfRecord = i >= n;
      } else {
        // line end: \r\n, \n or \r
        i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      }
    }
    records.push({ line: recordLine, fields });
  }
  return records;
}

export type CsvCell = string | number | boolean | bigint | Date | null | undefined;

export interface ToCsvOptions {
  /** Column order; default: keys of the first row, then new keys in order of appearance. */
  columns?: readonly string[];
  delimiter?: string;
  /** Line end; default CRLF as RFC 4180 says. */
  lineEnd?: '\r\n' | '\n';
}

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

export function toCsv(rows: readonly Record<string, CsvCell>[], options: ToCsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const lineEnd = options.lineEnd ?? '\r\n';
  let columns: readonly string[];
  if (options.columns !== undefined) {
    columns = options.columns;
  } else {
    const keys = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
    columns = [...keys];
  }
  const lines: string[] = [columns.map((c) => quoteCell(guardFormula(c), delimiter)).join(delimiter)];
  for (const row of rows) {
    lines.push(columns.map((c) => quoteCell(cellText(row[c]), delimiter)).join(delimiter));
  }
  return lines.join(lineEnd) + lineEnd;
}

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return guardFormula(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return String(value);
}

/** Numbers are written as numbers (a negative number is data, not a formula); only text is guarded. */
function guardFormula(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0]!) ? `'${text}` : text;
}

function quoteCell(text: string, delimiter: string): string {
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text !== text.trim();
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}
