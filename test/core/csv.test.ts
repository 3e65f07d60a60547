import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.ts';
import { parseCsv, toCsv } from '../../core/csv.ts';

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and newlines inside quotes, with line numbers', () => {
    const text = '\uFEFFname,note,count\r\n"Masjid Agung, Cilegon","said ""hi""\r\nthen left",3\r\nPuskesmas,,4\r\n';
    const table = parseCsv(text);
    expect(table.header).toEqual(['name', 'note', 'count']);
    expect(table.rows).toEqual([
      { line: 2, values: { name: 'Masjid Agung, Cilegon', note: 'said "hi"\r\nthen left', count: '3' } },
      { line: 4, values: { name: 'Puskesmas', note: '', count: '4' } },
    ]);
  });

  it('accepts LF and CR line ends, no final newline, blank lines and a trailing empty field', () => {
    expect(parseCsv('a,b\n1,2\n\n3,').rows).toEqual([
      { line: 2, values: { a: '1', b: '2' } },
      { line: 4, values: { a: '3', b: '' } },
    ]);
    expect(parseCsv('a,b\r1,2\r').rows).toEqual([{ line: 2, values: { a: '1', b: '2' } }]);
    expect(parseCsv('a;b\n"x;y";2\n', { delimiter: ';' }).rows[0]!.values).toEqual({ a: 'x;y', b: '2' });
  });

  it('names every ragged row with its line', () => {
    const error = rejection(() => parseCsv('a,b,c\n1,2,3\n1,2\n"multi\nline",2,3\n1,2,3,4\n'));
    expect(error.code).toBe('validation_failed');
    expect(error.details).toMatchObject([
      { path: 'line 3', message: 'has 2 fields, the header has 3' },
      { path: 'line 6', message: 'has 4 fields, the header has 3' },
    ]);
    expect(error.message).toMatch(/2 problems; first: line 3/);
  });

  it('names an unterminated quote, text after a closing quote and a stray quote', () => {
    expect(rejection(() => parseCsv('a,b\n1,"open\n2,3\n')).details).toMatchObject([{ path: 'line 2', message: 'quoted field is never closed (missing ")' }]);
    expect(rejection(() => parseCsv('a,b\n"x"y,2\n')).details![0]!.message).toMatch(/unexpected text after the closing quote of field 1/);
    expect(rejection(() => parseCsv('a,b\n1,5" screen\n')).details![0]).toEqual({ path: 'line 2', message: expect.stringMatching(/field 2 has a quote but is not quoted/), code: 'csv.strayQuote', params: { field: 2 } });
  });

  it('refuses an empty file and empty or repeated header names', () => {
    expect(rejection(() => parseCsv('')).message).toMatch(/empty/);
    expect(rejection(() => parseCsv('\uFEFF')).message).toMatch(/empty/);
    expect(rejection(() => parseCsv('a,,a\n1,2,3\n')).details).toMatchObject([
      { path: 'line 1', message: 'header column 2 has no name' },
      { path: 'line 1', message: 'header column "a" appears twice' },
    ]);
  });

  it('refuses more rows than the limit', () => {
    expect(rejection(() => parseCsv('a\n1\n2\n3\n', { maxRows: 2 })).code).toBe('payload_too_large');
  });
});

describe('toCsv', () => {
  it('quotes what needs quoting and round-trips through parseCsv', () => {
    const rows = [
      { name: 'Masjid, "Agung"', note: 'two\nlines', count: 3, ok: true, at: new Date('2026-11-28T00:00:00Z') },
      { name: ' padded ', note: null, count: -2.5, ok: false, at: undefined },
    ];
    const text = toCsv(rows);
    expect(text).toBe(
      'name,note,count,ok,at\r\n"Masjid, ""Agung""","two\nlines",3,true,2026-11-28T00:00:00.000Z\r\n" padded ",,-2.5,false,\r\n',
    );
    expect(parseCsv(text).rows.map((r) => r.values)).toEqual([
      { name: 'Masjid, "Agung"', note: 'two\nlines', count: '3', ok: 'true', at: '2026-11-28T00:00:00.000Z' },
      { name: ' padded ', note: '', count: '-2.5', ok: 'false', at: '' },
    ]);
  });

  it("neutralises formulas in text cells with a leading ' but leaves numbers alone", () => {
    const text = toCsv([{ a: '=HYPERLINK("http://x")', b: '+1', c: '-2', d: '@SUM(A1)', e: -2, f: 'plain' }], { lineEnd: '\n' });
    expect(text).toBe('a,b,c,d,e,f\n"\'=HYPERLINK(""http://x"")",\'+1,\'-2,\'@SUM(A1),-2,plain\n');
  });

  it('follows the given column order and fills missing cells', () => {
    expect(toCsv([{ b: 1 }, { a: 2, c: 3 }], { columns: ['c', 'a', 'b'] })).toBe('c,a,b\r\n,,1\r\n3,2,\r\n');
    expect(toCsv([{ b: 1 }, { a: 2 }])).toBe('b,a\r\n1,\r\n,2\r\n');
  });
});
