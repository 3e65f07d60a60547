/**
 * The server's errors in the reader's language. The server sends a stable `reason` (and per detail a `code`) with
 * the values the wording needs; the English `message` is for logs and API users. In Bahasa Indonesia the console
 * shows only Indonesian: a known reason or code is worded here, an unknown one gets a general sentence for its HTTP
 * error code, and the server's own words stay in a folded "technical detail" marked as English.
 */
import type { ErrorDetail } from '../api/types.ts';
import { lang, t } from '../i18n/i18n.ts';
import { DICT_ID, type MessageKey } from '../i18n/dict.ts';

function known(key: string): key is MessageKey {
  return key in DICT_ID;
}

/** Parameters as text: numbers in the reader's format are not needed here (they are counts and sizes). */
function vars(params: Record<string, string | number> | undefined): Record<string, string | number> {
  return params ?? {};
}

/** "line 12" -> "baris 12", "features[3] (code X)" -> "fitur ke-4 (kode X)", "body.name" -> "name". */
export function pathWords(path: string): string {
  const line = /^line (\d+)$/.exec(path);
  if (line !== null) return t('errPath.line', { n: line[1]! });
  const feature = /^features\[(\d+)\](?: \(code (.+)\))?$/.exec(path);
  if (feature !== null) {
    const n = Number(feature[1]) + 1;
    return feature[2] === undefined ? t('errPath.feature', { n }) : t('errPath.featureCode', { n, code: feature[2] });
  }
  return path.replace(/^(body|query|path)\./, '').replace(/^\$$/, t('errPath.file'));
}

/** The sentence for the whole error, or null when the reader's language may show the server's own message. */
export function errorWords(e: { code: string; message: string; reason?: string; params?: Record<string, string | number> }): string {
  // The server's own English is the most specific in English.
  if (lang() === 'en') return e.message;
  if (e.reason !== undefined && known(`reason.${e.reason}`)) return t(`reason.${e.reason}` as MessageKey, vars(e.params));
  const general = `errorCode.${e.code}`;
  return known(general) ? t(general as MessageKey) : t('error.unexpected');
}

/** One detail (a row, a feature, a field) as "where: what" in the reader's language. */
export function detailWords(d: ErrorDetail): { where: string; what: string; worded: boolean } {
  const where = pathWords(d.path);
  const params = { ...vars(d.params), field: d.params?.field === undefined || d.params.field === '' ? '' : `${String(d.params.field)}: ` };
  if (lang() === 'en') return { where, what: d.message, worded: true };
  if (d.code !== undefined && known(`errDetail.${d.code}`)) return { where, what: t(`errDetail.${d.code}` as MessageKey, params), worded: true };
  return { where, what: t('errDetail.unknown'), worded: false };
}

/** Planner notices (stable codes) in the reader's language; falls back to the English warning in English mode. */
export function noticeWords(n: { code: string; params: Record<string, string | number> }): string | null {
  if (known(`notice.${n.code}`)) return t(`notice.${n.code}` as MessageKey, n.params);
  return null;
}
