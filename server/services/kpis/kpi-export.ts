/**
 * The ward KPIs for people who use spreadsheets: one row per ward, one column per KPI, labels in the chosen
 * language, numbers as numbers. A KPI without data is never 0 or red: its cell says "tidak ada data" / "no data"
 * with the reason (and is grey in the workbook). The workbook has three sheets: the values (cells coloured by
 * status), the statuses in words (for colour-blind readers and printing in black and white), and the definitions
 * with their targets and thresholds.
 */
import { toCsv } from '../../../core/csv.ts';
import { COLUMN_WORDS, KPI_STATUS_WORDS, kpiLabel, noDataText, unitWord, type DocLang } from '../../../core/kpi-words.ts';
import { KPI_DEFINITIONS } from '../../../core/traffic-light.ts';
import type { ServiceCtx } from '../../deps.ts';
import { writeXlsx, type Cell, type Sheet } from '../exports/xlsx.ts';
import { loadThresholds } from './thresholds.ts';
import { wardKpis, type KpiValue, type WardKpisOut } from './ward-kpis.ts';

const WARD_DEFS = KPI_DEFINITIONS.filter((d) => d.scope === 'ward');

function header(lang: DocLang): string[] {
  return [
    COLUMN_WORDS.wardCode[lang], COLUMN_WORDS.wardName[lang], COLUMN_WORDS.district[lang],
    ...WARD_DEFS.map((d) => `${kpiLabel(d.key, lang, d.label)} (${unitWord(d.unit, lang)})`),
  ];
}

function valueCell(k: KpiValue | undefined, lang: DocLang): Cell {
  if (k === undefined || k.value === null) return { value: noDataText(k?.reason, lang), style: 'no-data' };
  return { value: k.value, style: k.status === 'no-data' ? 'no-data' : k.status };
}

function kpiOf(w: WardKpisOut, key: string): KpiValue | undefined {
  return w.kpis.find((k) => k.key === key);
}

/** Wards ordered by kecamatan then name, as a city reads its own list. */
function ordered(items: WardKpisOut[]): WardKpisOut[] {
  return [...items].sort((a, b) => a.district.localeCompare(b.district) || a.wardName.localeCompare(b.wardName) || a.wardCode.localeCompare(b.wardCode));
}

export async function wardKpisXlsx(ctx: ServiceCtx, lang: DocLang): Promise<Uint8Array<ArrayBuffer>> {
  const { asOf, items } = await wardKpis(ctx);
  const wards = ordered(items);
  const thresholds = await loadThresholds(ctx);
  const values: Sheet = {
    name: lang === 'id' ? 'KPI per kelurahan' : 'KPIs by ward',
    widths: [14, 22, 16, ...WARD_DEFS.map(() => 20)],
    rows: [header(lang), ...wards.map((w): Cell[] => [w.wardCode, w.wardName, w.district, ...WARD_DEFS.map((d) => valueCell(kpiOf(w, d.key), lang))])],
  };
  const statuses: Sheet = {
    name: 'Status',
    widths: [14, 22, 16, ...WARD_DEFS.map(() => 22)],
    rows: [header(lang), ...wards.map((w): Cell[] => [w.wardCode, w.wardName, w.district, ...WARD_DEFS.map((d) => {
      const k = kpiOf(w, d.key);
      const status = k?.status ?? 'no-data';
      const cell: Cell = { value: status === 'no-data' ? noDataText(k?.reason, lang) : KPI_STATUS_WORDS[status][lang], style: status };
      return cell;
    })])],
  };
  const definitions: Sheet = {
    name: lang === 'id' ? 'Definisi' : 'Definitions',
    widths: [24, 44, 12, 10, 14, 14, 24],
    rows: [
      [COLUMN_WORDS.key[lang], 'KPI', COLUMN_WORDS.unit[lang], COLUMN_WORDS.target[lang], COLUMN_WORDS.green[lang], COLUMN_WORDS.red[lang], COLUMN_WORDS.direction[lang]],
      ...WARD_DEFS.map((d): Cell[] => {
        const t = thresholds.get(d.key) ?? d;
        return [d.key, kpiLabel(d.key, lang, d.label), unitWord(d.unit, lang), d.target, t.green, t.red, COLUMN_WORDS[d.direction][lang]];
      }),
      [],
      [COLUMN_WORDS.asOf[lang], asOf],
    ],
  };
  return writeXlsx([values, statuses, definitions], { modifiedMs: ctx.clock.nowMs(), title: lang === 'id' ? 'KPI Wi-Fi publik per kelurahan' : 'Public Wi-Fi KPIs by ward', language: lang });
}

/** The same shape as the workbook's first sheet, then one status column per KPI (a CSV has no colours). */
export async function wardKpisWideCsv(ctx: ServiceCtx, lang: DocLang): Promise<string> {
  const { items } = await wardKpis(ctx);
  const head = header(lang);
  const statusHead = WARD_DEFS.map((d) => `${COLUMN_WORDS.status[lang]}: ${kpiLabel(d.key, lang, d.label)}`);
  const columns = [...head, ...statusHead];
  const rows = ordered(items).map((w) => {
    const row: Record<string, string | number | null> = { [head[0]!]: w.wardCode, [head[1]!]: w.wardName, [head[2]!]: w.district };
    WARD_DEFS.forEach((d, i) => {
      const k = kpiOf(w, d.key);
      row[head[3 + i]!] = k === undefined || k.value === null ? noDataText(k?.reason, lang) : k.value;
      row[statusHead[i]!] = k === undefined || k.status === 'no-data' ? noDataText(k?.reason, lang) : KPI_STATUS_WORDS[k.status][lang];
    });
    return row;
  });
  return toCsv(rows, { columns });
}
