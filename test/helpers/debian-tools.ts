/**
 * Independent readers of the files Jangkau writes (issue 15): Debian's Python with openpyxl (XLSX) and rdflib
 * (JSON-LD), poppler's pdftotext and pdftoppm (PDF). scripts/setup-test-deps.mjs installs them; a test that finds
 * one missing says which package to install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEBIAN_PYTHON = '/usr/bin/python3';

export function requireTool(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${pkg} (scripts/setup-test-deps.mjs does it)`);
}

/** Runs a Python script with Debian's interpreter and returns its JSON output. */
export function python<T>(script: string, args: string[] = []): T {
  requireTool(DEBIAN_PYTHON, 'python3');
  const out = execFileSync(DEBIAN_PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as T;
}

export function tempFile(name: string, bytes: Uint8Array | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Reads an XLSX with openpyxl: per sheet, its rows with each cell's Python type and value. */
export function readXlsx(path: string): Record<string, Array<Array<{ t: string; v: unknown }>>> {
  return python(
    `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = [[{"t": type(c.value).__name__, "v": c.value, "fill": (c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None)} for c in row] for row in ws.iter_rows()]
print(json.dumps(out, default=str))`,
    [path],
  );
}

export function pdfText(path: string, extra: string[] = []): string {
  requireTool('/usr/bin/pdftotext', 'poppler-utils');
  return execFileSync('/usr/bin/pdftotext', ['-layout', ...extra, path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Renders PDF pages to PNG files (pdftoppm); returns their paths. */
export function pdfToPngs(path: string, outPrefix: string, options: { dpi?: number; first?: number; last?: number } = {}): string[] {
  requireTool('/usr/bin/pdftoppm', 'poppler-utils');
  const args = ['-png', '-r', String(options.dpi ?? 60)];
  if (options.first !== undefined) args.push('-f', String(options.first));
  if (options.last !== undefined) args.push('-l', String(options.last));
  execFileSync('/usr/bin/pdftoppm', [...args, path, outPrefix]);
  const out = execFileSync('sh', ['-c', `ls ${outPrefix}-*.png`], { encoding: 'utf8' });
  return out.trim().split('\n').filter((l) => l !== '');
}
