/** Inputs of issue 15's routes: exports, open data, the monthly report. */
import { z } from 'zod';
import { DOC_LANGS } from '../kpi-words.ts';

/** YYYY-MM with a real month. */
export const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
export const docLang = z.enum(DOC_LANGS).default('id');

export const kpiExportQuery = z.object({ lang: docLang });
export const kpiCsvQuery = z.object({
  /** long (default, one row per ward and KPI, as before) or wide (one row per ward, one column per KPI, like the XLSX). */
  layout: z.enum(['long', 'wide']).default('long'),
  lang: docLang,
});
export const openDataMonthQuery = z.object({ month: monthString.optional() });
export const openDataMonthRequired = z.object({ month: monthString.optional() });
export const monthlyReportQuery = z.object({ month: monthString, lang: z.enum(['id', 'en']).optional() });
const text = (max: number) => z.string().trim().max(max).nullable().optional();
export const kpiProgrammeBody = z.object({
  definitionId: text(1000), definitionEn: text(1000),
  target: z.number().finite().nullable().optional(),
  green: z.number().finite().optional(), red: z.number().finite().optional(),
  department: text(160), picName: text(160), picContact: text(160),
}).strict();
export const kpiNoteBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
