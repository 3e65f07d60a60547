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
