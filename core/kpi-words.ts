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
  citizenDownMbps: { id: 'Kecepatan unduh warga, 7 hari (median uji kecepatan)', en: 'Citizen download speed, last 7 days (median of speed tests)' },
  citizenLatencyMs: { id: 'Latensi warga, 7 hari (median uji kecepatan)', en: 'Citizen latency, last 7 days (median of speed tests)' },
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
  ms: { id: 'md', en: 'ms' },
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
  'no-speed-tests': { id: 'belum ada warga yang menjalankan uji kecepatan di sini dalam 7 hari terakhir', en: 'no citizen ran a speed test here in the last 7 days' },
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

/** What each KPI measures, in the programme's words (an admin may reword them; these are the defaults). */
export const KPI_DEFINITION_WORDS: Record<string, Words> = {
  livePoints: { id: 'Jumlah lokasi berstatus aktif di kelurahan. Target program: 10 titik per kelurahan.', en: 'Sites in status live in the ward. Programme target: 10 points per ward.' },
  residentsCoveredPct: { id: 'Persentase penduduk kelurahan dalam jangkauan titik yang menyala saat ini (lapisan live).', en: "Share of the ward's residents within reach of points up now (live layer)." },
  availabilityPct: { id: 'Ketersediaan perangkat kelurahan selama 7 hari: aktif dan terganggu dihitung tersedia, waktu tak diketahui tidak dihitung.', en: "Availability of the ward's devices over 7 days: up and degraded count as available, unknown time is left out." },
  contractedMbps: { id: 'Bandwidth kontrak terendah di antara lokasi aktif kelurahan (setiap titik seharusnya >= 50 Mbps).', en: "The lowest contracted bandwidth among the ward's live sites (each point should have >= 50 Mbps)." },
  measuredMbps: { id: 'Rata-rata per AP dari puncak rx + tx terukur dalam 24 jam terakhir.', en: 'Mean over access points of the peak rx + tx measured in the last 24 h.' },
  timeToRestoreH: { id: 'Rata-rata waktu sejak gangguan mulai sampai pulih, untuk gangguan yang pulih dalam 7 hari.', en: 'Mean time from an incident starting to its restoration, over incidents restored in 7 days.' },
  citizenDownMbps: { id: 'Median kecepatan unduh dari uji kecepatan yang dijalankan warga di halaman portal setelah masuk, 7 hari terakhir.', en: 'Median download speed of the speed tests citizens ran on the portal after signing in, last 7 days.' },
  citizenLatencyMs: { id: 'Median latensi ke server kota dari uji kecepatan warga, 7 hari terakhir.', en: "Median latency to the city's server from citizens' speed tests, last 7 days." },
  providerAvailabilityPct: { id: 'Ketersediaan perangkat penyedia selama 7 hari.', en: "Availability of the provider's devices over 7 days." },
  providerIncidents: { id: 'Jumlah gangguan perangkat penyedia yang dimulai dalam 7 hari.', en: "Incidents of the provider's devices begun in 7 days." },
  providerTimeToRestoreH: { id: 'Rata-rata waktu pemulihan gangguan perangkat penyedia dalam 7 hari.', en: "Mean time to restore of the provider's incidents in 7 days." },
  progressVsSchedulePts: { id: 'Kemajuan (lokasi aktif / semua lokasi) dikurangi jadwal (lokasi yang tenggatnya sudah lewat / semua), dalam poin persen.', en: 'Progress (live items / all) minus schedule (items due by today / all), in percentage points.' },
  budgetOverrunPts: { id: 'Anggaran terpakai dikurangi kemajuan, dalam poin persen: positif berarti anggaran habis lebih cepat dari pemasangan.', en: 'Budget used minus progress, in percentage points: positive means money goes faster than installation.' },
};
