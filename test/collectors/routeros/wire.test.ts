import { describe, expect, it } from 'vitest';
import { decodeLength, encodeLength, encodeSentence, SentenceDecoder, WireFormatError } from '../../../collectors/routeros/wire.ts';

describe('RouterOS word length prefix', () => {
  // The five encodings of the API manual, at both edges of each range.
  const cases: Array<[number, number[]]> = [
    [0, [0x00]],
    [0x7f, [0x7f]],
    [0x80, [0x80, 0x80]],
    [0x3fff, [0xbf, 0xff]],
    [0x4000, [0xc0, 0x40, 0x00]],
    [0x1fffff, [0xdf, 0xff, 0xff]],
    [0x200000, [0xe0, 0x20, 0x00, 0x00]],
    [0xfffffff, [0xef, 0xff, 0xff, 0xff]],
    [0x10000000, [0xf0, 0x10, 0x00, 0x00, 0x00]],
    [0xffffffff, [0xf0, 0xff, 0xff, 0xff, 0xff]],
  ];
  it.each(cases)('length %i encodes as %j and decodes back', (length, bytes) => {
    expect([...encodeLength(length)]).toEqual(bytes);
    expect(decodeLength(Buffer.from(bytes), 0)).toEqual([bytes.length, length]);
  });

  it('asks for more bytes when a prefix is cut', () => {
    expect(decodeLength(Buffer.from([0xc0, 0x40]), 0)).toBeNull();
    expect(decodeLength(Buffer.alloc(0), 0)).toBeNull();
  });

  it.each([0xf8, 0xf9, 0xfe, 0xff, 0xf1])('rejects control byte 0x%s', (byte) => {
    expect(() => decodeLength(Buffer.from([byte, 0, 0, 0, 0]), 0)).toThrow(WireFormatError);
  });
});

describe('SentenceDecoder', () => {
  const sentences = [
    ['!re', '=name=ether1', `=comment=${'x'.repeat(200)}`, '.tag=7'],
    ['!re', `=big=${'y'.repeat(0x4001)}`, '.tag=7'],
    ['!done', '.tag=7'],
  ];
  const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));

  it('decodes sentences whole, in one chunk or split at every byte', () => {
    expect(new SentenceDecoder().push(bytes)).toEqual(sentences);
    const d = new SentenceDecoder();
    const got: string[][] = [];
    for (let i = 0; i < bytes.length; i++) got.push(...d.push(bytes.subarray(i, i + 1)));
    expect(got).toEqual(sentences);
    expect(d.idle).toBe(true);
  });

  it('keeps UTF-8 words intact across chunk borders', () => {
    const buf = encodeSentence(['!re', '=name=Kelurahan Ciwaduk – ☕']);
    const d = new SentenceDecoder();
    const mid = buf.length - 3;
    expect([...d.push(buf.subarray(0, mid)), ...d.push(buf.subarray(mid))]).toEqual([['!re', '=name=Kelurahan Ciwaduk – ☕']]);
  });

  it('refuses an announced word larger than its limit instead of waiting for it', () => {
    const d = new SentenceDecoder({ maxWordBytes: 1024 });
    expect(() => d.push(Buffer.from([0xf0, 0xff, 0xff, 0xff, 0xff]))).toThrow(/exceeds/);
  });

  it('never encodes an empty word (it would end the sentence)', () => {
    expect(() => encodeSentence(['/print', ''])).toThrow(RangeError);
  });
});
