/**
 * The tiny i18n module: Bahasa Indonesia first, English on a switch remembered in localStorage. `t(key, vars)` fills
 * `{name}` placeholders. Views re-render on a language change (onLangChange).
 */
import { DICT_EN, DICT_ID, type MessageKey } from './dict.ts';

export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];
const STORAGE_KEY = 'jangkau.lang';

function readStoredLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

let current: Lang = readStoredLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = next;
  for (const fn of listeners) fn();
}

/** Registers a listener; returns the function that removes it. */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text = (current === 'en' ? DICT_EN : DICT_ID)[key];
  if (vars === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const nf = new Map<string, Intl.NumberFormat>();
/** Numbers in the reader's language: 12.345 (id) or 12,345 (en). */
export function fmtNumber(value: number, options: { maxFractionDigits?: number } = {}): string {
  if (!Number.isFinite(value)) return '–';
  const digits = options.maxFractionDigits ?? 0;
  const key = `${current}:${digits}`;
  let f = nf.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: digits });
    nf.set(key, f);
  }
  return f.format(value);
}

export function fmtPct(value: number | null | undefined, options: { maxFractionDigits?: number } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${fmtNumber(value, { maxFractionDigits: options.maxFractionDigits ?? 1 })}%`;
}

export function fmtDateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(current === 'en' ? 'en-GB' : 'id-ID', { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtTime(date: Date): string {
  return date.toLocaleTimeString(current === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "3 h 12 min" / "3 j 12 mnt". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('unit.dayHour', { d, h });
  if (h > 0) return t('unit.hourMin', { h, m });
  if (m > 0) return t('unit.min', { m });
  return t('unit.sec', { s });
}

/** Bits per second, human sized. */
export function fmtBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return '–';
  const units = ['bps', 'kbps', 'Mbps', 'Gbps'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${fmtNumber(v, { maxFractionDigits: v < 10 ? 1 : 0 })} ${units[i]}`;
}
