/**
 * The server's document words (core/kpi-words.ts: XLSX, CSV, PDF) and the console's dictionary say the same thing
 * for every KPI and every no-data reason, in both languages; every KPI and reason has words.
 */
import { describe, expect, it } from 'vitest';
import { KPI_LABEL_WORDS, KPI_REASON_WORDS, noDataText } from '../../core/kpi-words.ts';
import { KPI_DEFINITIONS, KPI_NO_DATA_REASONS, type KpiNoDataReason } from '../../core/traffic-light.ts';
import { DICT_EN, DICT_ID } from '../../web/src/i18n/dict.ts';

const norm = (s: string): string => s.toLowerCase().replace(/[.:]+$/, '').replace(/: (import them|impor datanya)$/, '').trim();

describe('KPI words for documents', () => {
  it('has Indonesian and English words for every KPI and every no-data reason', () => {
    for (const d of KPI_DEFINITIONS) expect(KPI_LABEL_WORDS[d.key], d.key).toMatchObject({ id: expect.any(String), en: expect.any(String) });
    for (const r of Object.keys(KPI_NO_DATA_REASONS)) expect(KPI_REASON_WORDS[r as KpiNoDataReason], r).toBeDefined();
    expect(noDataText('no-devices', 'id')).toBe('tidak ada data: belum ada AP tercatat di sini');
    expect(noDataText('no-devices', 'en')).toBe('no data: no access point is recorded here yet');
    expect(noDataText(undefined, 'en')).toBe('no data');
  });

  it("agrees with the console's dictionary", () => {
    const id = DICT_ID as Record<string, string>;
    const en = DICT_EN as Record<string, string>;
    for (const d of KPI_DEFINITIONS.filter((x) => x.scope === 'ward')) {
      expect(KPI_LABEL_WORDS[d.key]!.id, d.key).toBe(id[`kpiKey.${d.key}`]);
      expect(KPI_LABEL_WORDS[d.key]!.en, d.key).toBe(en[`kpiKey.${d.key}`]);
    }
    for (const r of Object.keys(KPI_NO_DATA_REASONS)) {
      expect(norm(KPI_REASON_WORDS[r as KpiNoDataReason].id), r).toBe(norm(id[`kpiReason.${r}`]!));
      expect(norm(KPI_REASON_WORDS[r as KpiNoDataReason].en), r).toBe(norm(en[`kpiReason.${r}`]!));
    }
  });
});
