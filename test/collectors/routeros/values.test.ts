import { describe, expect, it } from 'vitest';
import { formatRouterOsDuration, normalizeMac, parseRouterOsDuration, parseSignalDbm } from '../../../collectors/routeros/values.ts';
import { parseCounter, parseItemId } from '../../../collectors/routeros/values.ts';

describe('parseRouterOsDuration', () => {
  it.each([
    ['1w2d3h4m5s', 604_800 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5],
    ['1h2m3s', 3_723],
    ['5m', 300],
    ['0s', 0],
    ['3s910ms', 3.91],
    ['2d', 172_800],
    ['02:03:04', 7_384],
    ['1d02:03:04', 86_400 + 7_384],
    ['3w1d00:00:01', 3 * 604_800 + 86_400 + 1],
  ])('%s = %d s', (text, seconds) => {
    expect(parseRouterOsDuration(text)).toBeCloseTo(seconds, 6);
  });
  it.each(['', 'abc', '1x', '1h junk', 'h1', '-5s'])('%j is not a duration', (text) => {
    expect(parseRouterOsDuration(text)).toBeNull();
  });
  it.each([[0, '0s'], [3_723, '1h2m3s'], [694_861, '1w1d1h1m1s'], [86_400, '1d']])('formats %d s as %s', (s, text) => {
    expect(formatRouterOsDuration(s)).toBe(text);
    expect(parseRouterOsDuration(text)).toBe(s);
  });
});

describe('parseSignalDbm', () => {
  it.each([
    ['-67@6Mbps', -67],
    ['-67@HT20-7', -67],
    ['-67', -67],
    ['-67dBm', -67],
    [' -90 ', -90],
    ['', null],
    ['strong', null],
    [undefined, null],
  ])('%j -> %j', (text, dbm) => {
    expect(parseSignalDbm(text)).toBe(dbm);
  });
});

describe('small value parsers', () => {
  it.each([
    ['AA:BB:CC:00:00:01', 'aa:bb:cc:00:00:01'],
    ['aa-bb-cc-00-00-01', 'aa:bb:cc:00:00:01'],
    ['aabb.cc00.0001', 'aa:bb:cc:00:00:01'],
    ['AA:BB:CC', null],
  ])('MAC %s -> %s', (text, mac) => expect(normalizeMac(text)).toBe(mac));

  it.each([
    ['18446744073709551615', 18446744073709551615n],
    ['0', 0n],
    ['-1', null],
    ['12a', null],
    [undefined, null],
  ])('counter %s -> %s', (text, value) => expect(parseCounter(text)).toBe(value));

  it.each([['*1', 1], ['*1A', 26], ['1', null], ['*', null]])('item id %s -> %j', (text, n) => expect(parseItemId(text)).toBe(n));
});
