/** Every label exists in both languages, is not empty, and names the same placeholders. */
import { describe, expect, it } from 'vitest';
import { DICT_EN, DICT_ID, type MessageKey } from '../../web/src/i18n/dict.ts';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('web dictionary', () => {
  const keys = Object.keys(DICT_ID) as MessageKey[];

  it('has the same keys in Bahasa Indonesia and English', () => {
    expect(Object.keys(DICT_EN).sort()).toEqual([...keys].sort());
  });

  it('has no empty text and the same placeholders in both languages', () => {
    for (const k of keys) {
      expect(DICT_ID[k].trim(), k).not.toBe('');
      expect(DICT_EN[k].trim(), k).not.toBe('');
      expect(placeholders(DICT_EN[k]), k).toEqual(placeholders(DICT_ID[k]));
    }
  });

  it('is really translated: most labels differ between the languages', () => {
    const same = keys.filter((k) => DICT_ID[k] === DICT_EN[k]);
    // Brand-like words (Email, Router, Admin, ...) may stay the same; sentences may not.
    expect(same.every((k) => !DICT_ID[k].includes(' ') || /^[A-Z][\w-]* ?[\w-]*$/.test(DICT_ID[k]))).toBe(true);
    expect(same.length / keys.length).toBeLessThan(0.1);
  });
});
