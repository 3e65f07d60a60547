/**
 * KPI words for documents the server writes (XLSX, CSV, PDF, open data): Bahasa Indonesia first, English second.
 * The console has its own dictionary (web/src/i18n/dict.ts, which may not import values from core); these words
 * say the same things, and test/core/kpi-words.test.ts checks both sides cover every KPI and reason.
 */
import type { KpiNoDataReason, KpiStatus } from './traffic-light.ts';

export const DOC_LANGS = ['id', 'en'] as const;
export type DocLang = (typeof DOC_LANGS)[number];

type Words = Record<DocLang, string>;

export const KPI_LABEL_WORDS: Record<string, Words> = {
  livePoints: { id: 'Titik Wi-Fi aktif', en: 'Live Wi-Fi points' },
  residentsCoveredPct: { id: 'Warga terjangkau (aktif)', en: 'Residents covered (live)' },
  availabilityPct: { id: 'Ketersediaan, 7 hari terakhir', en: 'Availability, last 7 days' },
  contractedMbps: { id: 'Bandwidth kontrak (titik aktif terendah)', en: 'Contracted bandwidth (lowest live point)' },
  measuredMbps: { id: 'Throughput puncak terukur, 24 jam (rata-rata per AP)', en: 'Measured peak throughput, last 24 h (mean per AP)' },
  timeToRestoreH: { id: 'Rata-rata waktu pemulihan, 7 hari', en: 'Mean time to restore, last 7 days' },
  providerAvailabilityPct: { id: 'Ketersediaan, 7 hari terakhir', en: 'Availability, last 7 days' },
  providerIncidents: { id: 'Gangguan, 7 hari terakhir', en: 'Incidents, last 7 days' },
  providerTimeToRestoreH: { id: 'Rata-rata waktu pemulihan, 7 hari', en: 'Mean time to restore, last 7 days' },
  progressVsSchedulePts: { id: 'Kemajuan dikurangi jadwal', en: 'Progress minus schedule' },
  budgetOverrunPts: { id: 'Anggaran terpakai dikurangi kemajuan', en: 'Budget used minus progress' },
};

export const KPI_UNIT_WORDS: Record<string, Words> = {
  points: { id: 'titik', en: 'points' },
  '%': { id: '%', en: '%' },
  Mbps: { id: 'Mbps', en: 'Mbps' },
  h: { id: 'jam', en: 'h' },
  incidents: { id: 'gangguan', en: 'incidents' },
  pp: { id: 'poin persen', en: 'pp' },
};

export const KPI_STATUS_WORDS: Record<KpiStatus, Words> = {
  green: { id: 'hijau (tercapai)', en: 'green (met)' },
  orange: { id: 'oranye (mendekati target)', en: 'orange (close to target)' },
  red: { id: 'merah (di bawah target)', en: 'red (below target)' },
  'no-data': { id: 'tidak ada data', en: 'no data' },
};

export const NO_DATA_WORDS: Words = { id: 'tidak ada data', en: 'no data' };

export const KPI_REASON_WORDS: Record<KpiNoDataReason, Words> = {
  'no-sites': { id: 'belum ada lokasi tercatat di kota', en: 'no site is recorded in the city yet' },
  'no-live-site': { id: 'belum ada lokasi aktif di kelurahan ini', en: 'no site in this ward is live yet' },
  'no-devices': { id: 'belum ada AP tercatat di sini', en: 'no access point is recorded here yet' },
  'never-polled': { id: 'AP di sini belum pernah dipantau atau tidak melapor pada periode ini', en: 'the access points here were never polled, or none reported in the period' },
  'residents-unknown': { id: 'jumlah penduduk kelurahan belum diketahui', en: "the ward's residents are unknown" },
  'no-bandwidth-stated': { id: 'tidak ada lokasi aktif yang mencantumkan bandwidth kontrak', en: 'no live site states its contracted bandwidth' },
  'no-rates': { id: 'tidak ada laju rx/tx terlapor dalam 24 jam terakhir', en: 'no rx/tx rates reported in the last 24 h' },
  'no-rollout-items': { id: 'program ini belum punya lokasi rencana', en: 'no rollout items in this programme yet' },
  'no-budget': { id: 'belum ada anggaran tercatat', en: 'no budget recorded on the items' },
};

/** "tidak ada data: belum ada AP tercatat di sini" - what a no-data cell says, in one language. */
export function noDataText(reason: KpiNoDataReason | undefined, lang: DocLang): string {
  const why = reason === undefined ? undefined : KPI_REASON_WORDS[reason]?.[lang];
  return why === undefined ? NO_DATA_WORDS[lang] : `${NO_DATA_WORDS[lang]}: ${why}`;
}

export function kpiLabel(key: string, lang: DocLang, fallback: string): string {
  return KPI_LABEL_WORDS[key]?.[lang] ?? fallback;
}

export function unitWord(unit: string, lang: DocLang): string {
  return KPI_UNIT_WORDS[unit]?.[lang] ?? unit;
}

/** Column words of the exports. */
export const COLUMN_WORDS = {
  wardCode: { id: 'Kode kelurahan', en: 'Ward code' },
  wardName: { id: 'Kelurahan', en: 'Ward' },
  district: { id: 'Kecamatan', en: 'District (kecamatan)' },
  status: { id: 'Status', en: 'Status' },
  target: { id: 'Target', en: 'Target' },
  unit: { id: 'Satuan', en: 'Unit' },
  key: { id: 'Kunci', en: 'Key' },
  green: { id: 'Ambang hijau', en: 'Green threshold' },
  red: { id: 'Ambang merah', en: 'Red threshold' },
  direction: { id: 'Arah', en: 'Direction' },
  higher: { id: 'lebih tinggi lebih baik', en: 'higher is better' },
  lower: { id: 'lebih rendah lebih baik', en: 'lower is better' },
  asOf: { id: 'Per', en: 'As of' },
} as const satisfies Record<string, Words>;
