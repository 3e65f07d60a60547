/**
 * The RouterOS API wire format: a sentence is a list of words, each word prefixed by its length in 1..5 bytes, and the
 * sentence closed by a zero-length word (one zero byte). Pure code: no sockets here, so the client and the test peer
 * share one implementation that is tested byte for byte.
 */

/** Thrown by the decoder when the bytes cannot be RouterOS API words. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

export interface DecoderLimits {
  /** Largest word accepted; a longer announced length is treated as garbage. */
  maxWordBytes: number;
  /** Most words in one sentence. */
  maxWordsPerSentence: number;
}

export const DEFAULT_DECODER_LIMITS: DecoderLimits = { maxWordBytes: 4 * 1024 * 1024, maxWordsPerSentence: 10_000 };

/** Bytes of the length prefix for a word of `length` bytes. */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new RangeError(`word length out of range: ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([((length >> 8) & 0x3f) | 0x80, length & 0xff]);
  if (length < 0x200000) return Buffer.from([((length >> 16) & 0x1f) | 0xc0, (length >> 8) & 0xff, length & 0xff]);
  if (length < 0x10000000) {
    return Buffer.from([((length >>> 24) & 0x0f) | 0xe0, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
  }
  return Buffer.from([0xf0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
}

export function encodeWord(word: string): Buffer {
  const body = Buffer.from(word, 'utf8');
  return Buffer.concat([encodeLength(body.length), body]);
}

/** One whole sentence as a single buffer (one write, one segment with Nagle off). */
export function encodeSentence(words: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const word of words) {
    if (word.length === 0) throw new RangeError('an empty word would end the sentence early');
    parts.push(encodeWord(word));
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Length prefix at `offset`: [prefixBytes, length], or null when more bytes are needed. */
export function decodeLength(buf: Buffer, offset: number): [number, number] | null {
  const first = buf[offset];
  if (first === undefined) return null;
  let prefix: number;
  if (first < 0x80) return [1, first];
  if ((first & 0xc0) === 0x80) prefix = 2;
  else if ((first & 0xe0) === 0xc0) prefix = 3;
  else if ((first & 0xf0) === 0xe0) prefix = 4;
  else if (first === 0xf0) prefix = 5;
  else throw new WireFormatError(`reserved control byte 0x${first.toString(16)} where a word length was expected`);
  if (offset + prefix > buf.length) return null;
  let length: number;
  if (prefix === 2) length = ((first & 0x3f) << 8) | buf[offset + 1]!;
  else if (prefix === 3) length = ((first & 0x1f) << 16) | (buf[offset + 1]! << 8) | buf[offset + 2]!;
  else if (prefix === 4) length = (first & 0x0f) * 0x1000000 + ((buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!);
  else length = buf.readUInt32BE(offset + 1);
  return [prefix, length];
}

/**
 * Incremental decoder: feed it chunks as they arrive, get back every sentence completed so far. Keeps no state that a
 * bad chunk can corrupt silently: any violation throws WireFormatError and the decoder must be dropped.
 */
export class SentenceDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private words: string[] = [];
  private readonly limits: DecoderLimits;

  constructor(limits: Partial<DecoderLimits> = {}) {
    this.limits = { ...DEFAULT_DECODER_LIMITS, ...limits };
  }

  /** Bytes received but not yet part of a finished sentence. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** True when no partial sentence is held. */
  get idle(): boolean {
    return this.pending.length === 0 && this.words.length === 0;
  }

  push(chunk: Buffer): string[][] {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const sentences: string[][] = [];
    let offset = 0;
    for (;;) {
      const head = decodeLength(buf, offset);
      if (head === null) break;
      const [prefix, length] = head;
      if (length > this.limits.maxWordBytes) throw new WireFormatError(`word of ${length} bytes exceeds the ${this.limits.maxWordBytes}-byte limit`);
      if (length === 0) {
        offset += prefix;
        sentences.push(this.words);
        this.words = [];
        continue;
      }
      if (offset + prefix + length > buf.length) break;
      this.words.push(buf.toString('utf8', offset + prefix, offset + prefix + length));
      if (this.words.length > this.limits.maxWordsPerSentence) throw new WireFormatError(`sentence longer than ${this.limits.maxWordsPerSentence} words`);
      offset += prefix + length;
    }
    this.pending = offset === buf.length ? Buffer.alloc(0) : buf.subarray(offset);
    return sentences;
  }
}
